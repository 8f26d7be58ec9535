#pragma once

#include "core/sequence/SequenceModel.h"

#include <QWidget>

class QAction;
class QLabel;

namespace wslab {

class SequenceDiagramView;

// The sequence diagram with its controls: zoom, Follow live, Pause and Export PNG above the view. It
// owns the model; whoever places it says which lanes it shows.
class SequenceDiagramPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SequenceDiagramPanel)
public:
    explicit SequenceDiagramPanel(QWidget *parent = nullptr);

    void setLanes(const QList<SequenceLane> &lanes);
    SequenceModel *model() const { return m_model; }
    SequenceDiagramView *view() const { return m_view; }

Q_SIGNALS:
    // An arrow was clicked: the event it stands for in lane `lane`'s log.
    void eventSelected(int lane, quint64 seq);

private:
    void exportPng(bool wholeRange);
    void showZoom(double usPerPixel);

    SequenceModel *m_model;
    SequenceDiagramView *m_view;
    QLabel *m_zoom;
    QAction *m_follow;
    QAction *m_pause;
};

} // namespace wslab
