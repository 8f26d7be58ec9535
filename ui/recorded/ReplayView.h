#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace wslab {

class LogView;
class Replayer;

// A replay as it happens: its log (the sends and the new replies) in the same LogView as an
// endpoint's, and above it how far it got and why it ended, with Stop while it runs.
class ReplayView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayView)
public:
    // Shows `replayer`, which becomes its child.
    ReplayView(const QString &title, Replayer *replayer, QWidget *parent = nullptr);

    QString title() const { return m_title; }
    Replayer *replayer() const { return m_replayer; }
    LogView *logView() const { return m_view; }
    QString statusText() const;

private:
    void showProgress();
    void showFinished(bool ok, const QString &reason);

    QString m_title;
    Replayer *m_replayer;
    LogView *m_view;
    QLabel *m_status;
    QPushButton *m_stop;
};

} // namespace wslab
