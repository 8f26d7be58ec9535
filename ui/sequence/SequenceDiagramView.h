#pragma once

#include "core/sequence/SequenceModel.h"

#include <QAbstractScrollArea>
#include <QFontMetricsF>
#include <QImage>

#include <array>
#include <vector>

namespace wslab {

// The sequence diagram: one column per lane (its name stays at the top), time flowing down at a chosen
// number of microseconds per pixel, one arrow per message, ping, pong, close and open between the lanes,
// marks on a lane for retries and errors, coloured by kind (LabColors' tones, high contrast included).
// Only the arrows whose time range meets the viewport are drawn (found by binary search), so a model
// holding 100,000 arrows paints as fast as one holding a hundred.
class SequenceDiagramView : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SequenceDiagramView)
public:
    static constexpr double kMinUsPerPixel = 1.0;
    static constexpr double kMaxUsPerPixel = 60.0 * 1000 * 1000; // a minute per pixel
    static constexpr double kDefaultUsPerPixel = 1000.0; // a millisecond per pixel: a second of chat is a screen high
    static constexpr double kZoomStep = 1.5;
    static constexpr int kMaxExportHeight = 16000;

    explicit SequenceDiagramView(SequenceModel *model, QWidget *parent = nullptr);

    SequenceModel *model() const { return m_model; }

    double usPerPixel() const { return m_usPerPixel; }
    void setUsPerPixel(double usPerPixel);
    void zoomIn();
    void zoomOut();

    // Follow live: keep the newest arrow in sight. Scrolling up turns it off, back to the bottom on again.
    void setFollowLive(bool follow);
    bool followsLive() const { return m_follow; }
    // Paused, the model takes no new events; resuming catches up with what the logs still hold.
    void setPaused(bool paused);
    bool isPaused() const { return m_model->isPaused(); }

    // The arrow under a viewport position, -1 for none.
    qsizetype arrowAt(QPoint pos) const;
    // Where an arrow (by index) is drawn in the viewport: the middle of its line, or its mark.
    QPointF arrowPoint(qsizetype index) const;
    // Where its latest end is drawn in the viewport (the receiver's, for a message that took a while).
    QPointF arrowLatestEnd(qsizetype index) const;
    // The arrow selected by a click, -1 for none.
    qsizetype selectedArrow() const { return m_model->indexOfId(m_selectedId); }

    // The part in sight, or everything the model holds (the newest kMaxExportHeight pixels of it).
    QImage renderImage(bool wholeRange) const;
    bool exportPng(const QString &path, bool wholeRange, QString *error) const;

Q_SIGNALS:
    // A click on an arrow: the event at the end nearer the click, in lane `lane`'s log.
    void eventSelected(int lane, quint64 seq);
    void followLiveChanged(bool follow);
    void usPerPixelChanged(double usPerPixel);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Geometry
    {
        int headerHeight = 0;
        int rulerWidth = 0;
        double laneWidth = 0;
        double topPx = 0; // scroll offset: pixels below the origin at the top of the lanes' area
        int leftPx = 0;
    };
    struct Line
    {
        QPointF from;
        QPointF to;
    };
    // What every arrow of one frame is drawn with, worked out once per frame.
    struct Style
    {
        QFontMetricsF metrics;
        std::array<QColor, 9> colours; // by ArrowKind
        double penWidth = 1.5;
        bool dense = false; // more arrows than rows: no antialiasing, no heads, the picture is a density anyway
    };

    Geometry geometry() const;
    double laneX(const Geometry &g, int lane) const;
    double yOf(const Geometry &g, qint64 us) const;
    qint64 usAt(const Geometry &g, double y) const;
    Line lineOf(const Geometry &g, const Arrow &arrow) const;
    void paintDiagram(QPainter &p, const QSize &size, const Geometry &g) const;
    void paintRuler(QPainter &p, const QSize &size, const Geometry &g) const;
    // labelBottoms: per half-lane column, the bottom of the last label drawn there; a label that would
    // overlap it is left out.
    void paintArrow(QPainter &p, const Geometry &g, const Style &style, const Arrow &arrow, bool selected,
                    std::vector<double> &labelBottoms) const;
    void paintLabel(QPainter &p, const Geometry &g, const Style &style, const QRectF &box, Qt::Alignment align, const QString &text,
                    std::vector<double> &labelBottoms) const;
    void paintHeader(QPainter &p, const QSize &size, const Geometry &g) const;
    QString toolTipFor(const Arrow &arrow) const;
    QString laneName(int lane) const;
    void onModelChanged();
    void onLanesChanged();
    void updateScrollBars();
    void scrollToNewest();
    void zoomAround(double factor, double anchorY);

    SequenceModel *m_model;
    double m_usPerPixel = kDefaultUsPerPixel;
    qint64 m_originUs = -1; // the time at the top of the scroll range; -1 until the first arrow
    qint64 m_selectedId = -1;
    bool m_follow = true;
    bool m_scrolling = false; // the view moves its own scroll bar: that is no user asking to stop following
};

} // namespace wslab
