#include "ui/sequence/SequenceDiagramView.h"

#include "core/log/EventLog.h"
#include "core/protocol/CloseCode.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <climits>
#include <cmath>

namespace wslab {

namespace {

Tone toneOf(ArrowKind kind)
{
    switch (kind) {
    case ArrowKind::Text:
        return Tone::Text;
    case ArrowKind::Binary:
        return Tone::Binary;
    case ArrowKind::Ping:
        return Tone::Ping;
    case ArrowKind::Pong:
        return Tone::Pong;
    case ArrowKind::Close:
        return Tone::Closing;
    case ArrowKind::Open:
        return Tone::Success;
    case ArrowKind::Retry:
        return Tone::Waiting;
    case ArrowKind::Error:
        return Tone::Error;
    case ArrowKind::Continuation:
        return Tone::Neutral;
    }
    return Tone::Neutral;
}

QString kindText(ArrowKind kind)
{
    switch (kind) {
    case ArrowKind::Text:
        return SequenceDiagramView::tr("text");
    case ArrowKind::Binary:
        return SequenceDiagramView::tr("binary");
    case ArrowKind::Ping:
        return SequenceDiagramView::tr("ping");
    case ArrowKind::Pong:
        return SequenceDiagramView::tr("pong");
    case ArrowKind::Close:
        return SequenceDiagramView::tr("close");
    case ArrowKind::Open:
        return SequenceDiagramView::tr("open");
    case ArrowKind::Retry:
        return SequenceDiagramView::tr("retry scheduled");
    case ArrowKind::Error:
        return SequenceDiagramView::tr("error");
    case ArrowKind::Continuation:
        return SequenceDiagramView::tr("continuation");
    }
    return {};
}

// A ruler step of 1, 2 or 5 times a power of ten microseconds, at least minUs.
qint64 niceStep(double minUs)
{
    qint64 step = 1;
    for (;;) {
        for (qint64 m : {1, 2, 5}) {
            if (double(step * m) >= minUs)
                return step * m;
        }
        step *= 10;
    }
}

double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

} // namespace

SequenceDiagramView::SequenceDiagramView(SequenceModel *model, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("sequenceDiagram"));
    setAccessibleName(tr("Sequence diagram"));
    viewport()->setMouseTracking(true);
    viewport()->setBackgroundRole(QPalette::Base);
    verticalScrollBar()->setSingleStep(20);
    connect(m_model, &SequenceModel::changed, this, &SequenceDiagramView::onModelChanged);
    connect(m_model, &SequenceModel::lanesChanged, this, &SequenceDiagramView::onLanesChanged);
    // The application font carries the text scale (presentation mode): lanes, ruler and labels follow it.
    TextScale::follow(this, [this] {
        updateScrollBars();
        viewport()->update();
    });
    onLanesChanged();
}

void SequenceDiagramView::setUsPerPixel(double usPerPixel)
{
    // A scroll bar counts in int pixels: the whole range must fit.
    const double span = double(std::max<qint64>(0, m_model->lastUs() - std::max<qint64>(0, m_originUs)));
    const double least = std::max(kMinUsPerPixel, span / 1.0e9);
    usPerPixel = std::clamp(usPerPixel, least, kMaxUsPerPixel);
    if (usPerPixel == m_usPerPixel)
        return;
    m_usPerPixel = usPerPixel;
    updateScrollBars();
    if (m_follow)
        scrollToNewest();
    viewport()->update();
    Q_EMIT usPerPixelChanged(m_usPerPixel);
}

void SequenceDiagramView::zoomIn()
{
    zoomAround(1.0 / kZoomStep, m_follow ? viewport()->height() : viewport()->height() / 2.0);
}

void SequenceDiagramView::zoomOut()
{
    zoomAround(kZoomStep, m_follow ? viewport()->height() : viewport()->height() / 2.0);
}

void SequenceDiagramView::zoomAround(double factor, double anchorY)
{
    // The time under the anchor stays under it.
    const Geometry before = geometry();
    const qint64 anchorUs = usAt(before, anchorY);
    setUsPerPixel(m_usPerPixel * factor);
    if (m_follow || m_originUs < 0)
        return;
    const double anchorPx = double(anchorUs - m_originUs) / m_usPerPixel;
    m_scrolling = true;
    verticalScrollBar()->setValue(int(std::lround(anchorPx - (anchorY - before.headerHeight))));
    m_scrolling = false;
}

void SequenceDiagramView::setFollowLive(bool follow)
{
    if (m_follow == follow)
        return;
    m_follow = follow;
    if (follow)
        scrollToNewest();
    Q_EMIT followLiveChanged(follow);
}

void SequenceDiagramView::setPaused(bool paused)
{
    m_model->setPaused(paused);
}

SequenceDiagramView::Geometry SequenceDiagramView::geometry() const
{
    const QFontMetrics fm(font());
    Geometry g;
    g.headerHeight = fm.height() + fm.height() / 2 + 8;
    g.rulerWidth = fm.horizontalAdvance(QStringLiteral("+0000.000 s")) + 12;
    const qsizetype lanes = std::max<qsizetype>(1, m_model->lanes().size());
    const double least = fm.averageCharWidth() * 22.0;
    g.laneWidth = std::max(least, double(viewport()->width() - g.rulerWidth) / double(lanes));
    g.topPx = verticalScrollBar()->value();
    g.leftPx = horizontalScrollBar()->value();
    return g;
}

double SequenceDiagramView::laneX(const Geometry &g, int lane) const
{
    return g.rulerWidth + (lane + 0.5) * g.laneWidth - g.leftPx;
}

double SequenceDiagramView::yOf(const Geometry &g, qint64 us) const
{
    return g.headerHeight + double(us - std::max<qint64>(0, m_originUs)) / m_usPerPixel - g.topPx;
}

qint64 SequenceDiagramView::usAt(const Geometry &g, double y) const
{
    return std::max<qint64>(0, m_originUs) + qint64((y - g.headerHeight + g.topPx) * m_usPerPixel);
}

SequenceDiagramView::Line SequenceDiagramView::lineOf(const Geometry &g, const Arrow &arrow) const
{
    const qint64 sentUs = arrow.sentUs >= 0 ? arrow.sentUs : arrow.receivedUs;
    const qint64 receivedUs = arrow.receivedUs >= 0 ? arrow.receivedUs : arrow.sentUs;
    if (arrow.isMark()) {
        const QPointF at(laneX(g, arrow.fromLane), yOf(g, arrow.t));
        if (arrow.heading == Arrow::Heading::None)
            return {at, at};
        // A relay's frame: a short arrow the way it went. The server's lane is the first, so towards the
        // server is to the left and towards the clients to the right.
        const double reach = g.laneWidth * 0.3;
        return {at, at + QPointF(arrow.heading == Arrow::Heading::TowardsServer ? -reach : reach, 0)};
    }
    // An end outside the window lies beside the known lane, on the outer side of the diagram.
    const qsizetype lanes = m_model->lanes().size();
    auto outsideOf = [&](int lane) {
        const double side = lane * 2 + 1 < lanes ? -1.0 : 1.0;
        return laneX(g, lane) + side * g.laneWidth * 0.45;
    };
    const double x1 = arrow.fromLane >= 0 ? laneX(g, arrow.fromLane) : outsideOf(arrow.toLane);
    const double x2 = arrow.toLane >= 0 ? laneX(g, arrow.toLane) : outsideOf(arrow.fromLane);
    return {{x1, yOf(g, sentUs)}, {x2, yOf(g, receivedUs)}};
}

void SequenceDiagramView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    paintDiagram(p, viewport()->size(), geometry());
}

void SequenceDiagramView::paintDiagram(QPainter &p, const QSize &size, const Geometry &g) const
{
    p.fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setFont(font());
    const QList<SequenceLane> &lanes = m_model->lanes();
    QPen lanePen(palette().color(QPalette::Mid), 1.0, Qt::DashLine);
    p.setPen(lanePen);
    for (int i = 0; i < lanes.size(); ++i)
        p.drawLine(QPointF(laneX(g, i), g.headerHeight), QPointF(laneX(g, i), size.height()));
    paintRuler(p, size, g);

    if (m_originUs >= 0 && m_model->arrowCount() > 0) {
        const qint64 topUs = usAt(g, g.headerHeight);
        const qint64 bottomUs = usAt(g, size.height());
        const auto [first, last] = m_model->arrowsBetween(topUs, bottomUs);
        Style style{QFontMetricsF(font()), {}, 1.5, false};
        for (int k = 0; k < int(style.colours.size()); ++k)
            style.colours[size_t(k)] = toneColor(toneOf(ArrowKind(k)), palette());
        style.penWidth = std::max(1.5, style.metrics.height() / 9.0);
        style.dense = last - first > size.height() / 2;
        p.setRenderHint(QPainter::Antialiasing, !style.dense);
        const qsizetype selected = selectedArrow();
        // Zoomed out, many arrows share a pixel row: one per row and (from, to, kind) stands for the
        // others, and labels are drawn only where the previous one leaves room.
        const qsizetype lanes = m_model->lanes().size();
        auto keyOf = [lanes](const Arrow &a) { return ((a.fromLane + 2) * (lanes + 2) + (a.toLane + 2)) * 8 + int(a.kind); };
        std::vector<int> lastRowOf(size_t((lanes + 2) * (lanes + 2) * 8), INT_MIN);
        std::vector<double> labelBottoms(size_t(2 * lanes + 4), -1e9);
        for (qsizetype i = first; i < last; ++i) {
            const Arrow &a = m_model->arrow(i);
            if (a.endUs() < topUs || a.startUs() > bottomUs)
                continue;
            const int row = int(std::lround(yOf(g, a.t)));
            int &lastRow = lastRowOf[size_t(keyOf(a))];
            if (row == lastRow && i != selected)
                continue;
            lastRow = row;
            paintArrow(p, g, style, a, i == selected, labelBottoms);
        }
        p.setRenderHint(QPainter::Antialiasing, true);
    }
    paintHeader(p, size, g);
}

void SequenceDiagramView::paintRuler(QPainter &p, const QSize &size, const Geometry &g) const
{
    const QFontMetrics fm(font());
    const qint64 step = niceStep(m_usPerPixel * fm.height() * 3);
    const qint64 origin = std::max<qint64>(0, m_originUs);
    const qint64 topUs = usAt(g, g.headerHeight) - origin;
    const qint64 bottomUs = usAt(g, size.height()) - origin;
    const int decimals = std::clamp(int(std::ceil(-std::log10(double(step) / 1e6))), 0, 6);
    const QColor text = palette().color(QPalette::Text);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(90);
    for (qint64 t = std::max<qint64>(0, topUs / step * step); t <= bottomUs; t += step) {
        const double y = yOf(g, origin + t);
        if (y < g.headerHeight)
            continue;
        p.setPen(QPen(grid, 1.0));
        p.drawLine(QPointF(g.rulerWidth - 4, y), QPointF(size.width(), y));
        p.setPen(text);
        const QString label = QStringLiteral("+") + QLocale::c().toString(double(t) / 1e6, 'f', decimals) + QStringLiteral(" s");
        p.drawText(QRectF(2, y - fm.height() / 2.0, g.rulerWidth - 8, fm.height()), Qt::AlignRight | Qt::AlignVCenter, label);
    }
}

void SequenceDiagramView::paintLabel(QPainter &p, const Geometry &g, const Style &style, const QRectF &box, Qt::Alignment align,
                                     const QString &text, std::vector<double> &labelBottoms) const
{
    if (text.isEmpty() || box.width() < style.metrics.averageCharWidth() * 3)
        return;
    // The half-lane columns the box covers: a label is drawn only where none drawn above reaches down to it.
    auto columnAt = [&](double x) {
        const int column = int(std::floor((x + g.leftPx - g.rulerWidth) / (g.laneWidth / 2))) + 1;
        return size_t(std::clamp<int>(column, 0, int(labelBottoms.size()) - 1));
    };
    const size_t first = columnAt(box.left());
    const size_t last = columnAt(box.right());
    for (size_t c = first; c <= last; ++c) {
        if (box.top() < labelBottoms[c])
            return;
    }
    for (size_t c = first; c <= last; ++c)
        labelBottoms[c] = box.bottom();
    p.drawText(box, align, style.metrics.elidedText(text, Qt::ElideRight, box.width()));
}

void SequenceDiagramView::paintArrow(QPainter &p, const Geometry &g, const Style &style, const Arrow &a, bool selected,
                                     std::vector<double> &labelBottoms) const
{
    const QFontMetricsF &fm = style.metrics;
    const QColor &colour = style.colours[size_t(a.kind)];
    const double width = style.penWidth * (selected ? 2.0 : 1.0);
    const Line line = lineOf(g, a);
    if (selected) {
        QColor glow = palette().color(QPalette::Highlight);
        glow.setAlpha(70);
        p.setPen(QPen(glow, width * 3.0, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(line.from, line.to);
    }
    if (a.isMark() && a.heading != Arrow::Heading::None) {
        // A frame's line is solid when it ends its message, dashed when more of it follows.
        p.setPen(QPen(colour, width, a.fin ? Qt::SolidLine : Qt::DashLine, Qt::FlatCap));
        p.drawLine(line.from, line.to);
        const double head = fm.height() / 2.2;
        const double way = line.to.x() < line.from.x() ? -1.0 : 1.0;
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawPolygon(QPolygonF({line.to, line.to + QPointF(-way * head, head * 0.45), line.to + QPointF(-way * head, -head * 0.45)}));
        p.setBrush(Qt::NoBrush);
        // The label goes on the side the arrow does not take.
        const double labelWidth = std::min(fm.horizontalAdvance(a.label) + 2, g.laneWidth * 0.6);
        const QRectF box(way < 0 ? line.from.x() + 4 : line.from.x() - 4 - labelWidth, line.from.y() - fm.height() / 2.0, labelWidth,
                         fm.height());
        paintLabel(p, g, style, box, (way < 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, a.label, labelBottoms);
        return;
    }
    if (a.isMark()) {
        const double r = fm.height() / 3.5;
        p.setPen(QPen(colour, width));
        p.setBrush(colour);
        if (a.kind == ArrowKind::Retry) { // a diamond: waiting, not failing
            const QPointF at = line.from;
            p.drawPolygon(QPolygonF({at + QPointF(0, -r), at + QPointF(r, 0), at + QPointF(0, r), at + QPointF(-r, 0)}));
        } else if (a.kind == ArrowKind::Close) {
            p.drawRect(QRectF(line.from.x() - r, line.from.y() - r, 2 * r, 2 * r));
        } else {
            p.drawEllipse(line.from, r, r);
        }
        p.setBrush(Qt::NoBrush);
        const double width = std::min(fm.horizontalAdvance(a.label) + 2, g.laneWidth * 0.9 - r - 8);
        const QRectF box(line.from.x() + r + 4, line.from.y() - fm.height() / 2.0, width, fm.height());
        paintLabel(p, g, style, box, Qt::AlignLeft | Qt::AlignVCenter, a.label, labelBottoms);
        return;
    }
    const bool half = a.fromLane < 0 || a.toLane < 0;
    p.setPen(QPen(colour, width, half ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap));
    p.drawLine(line.from, line.to);
    // The head points along the line, however steep the zoom makes it.
    const QPointF d = line.to - line.from;
    const double len = std::hypot(d.x(), d.y());
    if (len > 1.0 && (!style.dense || selected)) {
        const QPointF u = d / len;
        const QPointF n(-u.y(), u.x());
        const double head = fm.height() / 2.2;
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawPolygon(QPolygonF({line.to, line.to - u * head + n * head * 0.45, line.to - u * head - n * head * 0.45}));
        p.setBrush(Qt::NoBrush);
    }
    // Over the first gap the arrow crosses from its sender, so it never sits on a lane it passes by.
    double labelEnd = line.to.x();
    if (a.fromLane >= 0 && a.toLane >= 0 && std::abs(a.toLane - a.fromLane) > 1)
        labelEnd = laneX(g, a.fromLane + (a.toLane > a.fromLane ? 1 : -1));
    const double left = std::min(line.from.x(), labelEnd) + 6;
    const double right = std::max(line.from.x(), labelEnd) - 6;
    const double y =
        std::min(line.from.y(), line.from.y() + (line.to.y() - line.from.y()) * (labelEnd - line.from.x()) / (line.to.x() - line.from.x()));
    p.setPen(colour);
    paintLabel(p, g, style, QRectF(left, y - fm.height() - 1, right - left, fm.height()), Qt::AlignHCenter | Qt::AlignBottom, a.label,
               labelBottoms);
}

void SequenceDiagramView::paintHeader(QPainter &p, const QSize &size, const Geometry &g) const
{
    // The lanes' names stay in sight however far the diagram scrolls.
    p.fillRect(QRectF(0, 0, size.width(), g.headerHeight), palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(QPointF(0, g.headerHeight - 0.5), QPointF(size.width(), g.headerHeight - 0.5));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetrics fm(bold);
    p.setPen(palette().color(QPalette::WindowText));
    const QList<SequenceLane> &lanes = m_model->lanes();
    for (int i = 0; i < lanes.size(); ++i) {
        const QRectF box(laneX(g, i) - g.laneWidth / 2 + 4, 0, g.laneWidth - 8, g.headerHeight);
        p.drawText(box, Qt::AlignCenter, fm.elidedText(lanes.at(i).name, Qt::ElideMiddle, int(box.width())));
    }
    p.setFont(font());
    p.drawText(QRectF(2, 0, g.rulerWidth - 8, g.headerHeight), Qt::AlignRight | Qt::AlignVCenter, tr("time"));
}

qsizetype SequenceDiagramView::arrowAt(QPoint pos) const
{
    if (m_originUs < 0)
        return -1;
    const Geometry g = geometry();
    if (pos.y() < g.headerHeight)
        return -1;
    const double reach = std::max(6.0, QFontMetrics(font()).height() / 2.5);
    const auto [first, last] = m_model->arrowsBetween(usAt(g, pos.y() - reach), usAt(g, pos.y() + reach));
    qsizetype best = -1;
    double bestDistance = reach;
    for (qsizetype i = first; i < last; ++i) {
        const Line line = lineOf(g, m_model->arrow(i));
        const double d = distanceToSegment(pos, line.from, line.to);
        if (d <= bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

QPointF SequenceDiagramView::arrowPoint(qsizetype index) const
{
    if (index < 0 || index >= m_model->arrowCount())
        return {};
    const Line line = lineOf(geometry(), m_model->arrow(index));
    return (line.from + line.to) / 2.0;
}

QPointF SequenceDiagramView::arrowLatestEnd(qsizetype index) const
{
    if (index < 0 || index >= m_model->arrowCount())
        return {};
    const Line line = lineOf(geometry(), m_model->arrow(index));
    return line.from.y() > line.to.y() ? line.from : line.to;
}

void SequenceDiagramView::mousePressEvent(QMouseEvent *event)
{
    const qsizetype index = arrowAt(event->position().toPoint());
    m_selectedId = m_model->idAt(index);
    viewport()->update();
    if (index < 0)
        return;
    const Arrow &a = m_model->arrow(index);
    const Line line = lineOf(geometry(), a);
    // The end nearer the click: the receiver's row when clicking near where the arrow arrives.
    const bool nearReceiver = std::abs(event->position().x() - line.to.x()) < std::abs(event->position().x() - line.from.x());
    const EventRef ref = (nearReceiver && a.received.isValid()) || !a.sent.isValid() ? a.received : a.sent;
    if (ref.isValid())
        Q_EMIT eventSelected(ref.lane, ref.seq);
}

QString SequenceDiagramView::laneName(int lane) const
{
    return lane >= 0 && lane < m_model->lanes().size() ? m_model->lanes().at(lane).name : tr("outside the window");
}

QString SequenceDiagramView::toolTipFor(const Arrow &a) const
{
    const QLocale locale;
    const qint64 origin = std::max<qint64>(0, m_originUs);
    auto at = [&](qint64 us) -> QString {
        return QStringLiteral("+") + QLocale::c().toString(double(us - origin) / 1e6, 'f', 6) + QStringLiteral(" s");
    };
    QString text = QStringLiteral("<b>") + kindText(a.kind).toHtmlEscaped() + QStringLiteral("</b>");
    if (a.kind == ArrowKind::Text || a.kind == ArrowKind::Binary || a.kind == ArrowKind::Ping || a.kind == ArrowKind::Pong ||
        a.kind == ArrowKind::Continuation)
        text += tr(" · %n byte(s)", nullptr, int(std::min<qint64>(a.size, INT_MAX)));
    text += QStringLiteral("<br>");
    if (a.heading != Arrow::Heading::None)
        text += QString(laneName(a.fromLane) + QStringLiteral(": ") +
                        (a.heading == Arrow::Heading::TowardsServer ? tr("a frame from the client") : tr("a frame from the server")) +
                        (a.fin ? QString() : tr(", more of its message follows")))
                    .toHtmlEscaped() +
                QStringLiteral(" at ") + at(a.t);
    else if (a.isMark())
        text += laneName(a.fromLane).toHtmlEscaped() + QStringLiteral(" at ") + at(a.t);
    else
        text += QString(laneName(a.fromLane) + QStringLiteral(" → ") + laneName(a.toLane)).toHtmlEscaped();
    if (!a.isMark()) {
        if (a.sentUs >= 0)
            text += QStringLiteral("<br>") + tr("sent %1").arg(at(a.sentUs));
        if (a.receivedUs >= 0)
            text += QStringLiteral("<br>") + tr("received %1").arg(at(a.receivedUs));
        if (a.isMatched())
            text += tr(" (%1 µs later)").arg(locale.toString(a.receivedUs - a.sentUs));
        else
            text += QStringLiteral("<br><i>") + tr("only one end of it was logged") + QStringLiteral("</i>");
    }
    if (a.kind == ArrowKind::Close)
        text += QStringLiteral("<br>") +
                QString(CloseCode::describe(a.closeCode) + QStringLiteral(": ") + CloseCode::meaning(a.closeCode)).toHtmlEscaped();
    if (!a.label.isEmpty())
        text += QStringLiteral("<br>") + a.label.toHtmlEscaped();
    return text;
}

bool SequenceDiagramView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const qsizetype index = arrowAt(help->pos());
        if (index >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(m_model->arrow(index)), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void SequenceDiagramView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double notches = event->angleDelta().y() / 120.0;
        if (notches != 0)
            zoomAround(std::pow(kZoomStep, -notches), event->position().y());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void SequenceDiagramView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_follow)
        scrollToNewest();
}

void SequenceDiagramView::scrollContentsBy(int, int)
{
    if (!m_scrolling) {
        // The user scrolled: away from the newest stops following, back to it follows again.
        const bool atBottom = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
        if (atBottom != m_follow) {
            m_follow = atBottom;
            Q_EMIT followLiveChanged(m_follow);
        }
    }
    viewport()->update();
}

void SequenceDiagramView::updateScrollBars()
{
    const Geometry g = geometry();
    const qsizetype lanes = m_model->lanes().size();
    m_scrolling = true;
    const int contentWidth = g.rulerWidth + int(std::ceil(g.laneWidth * double(lanes)));
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    const int visible = std::max(1, viewport()->height() - g.headerHeight);
    if (m_originUs < 0) {
        verticalScrollBar()->setRange(0, 0);
    } else {
        const QFontMetrics fm(font());
        // Room above the first arrow for its label, and below the last.
        const double first = double(m_model->firstUs() - m_originUs) / m_usPerPixel - fm.height() * 2;
        const double last = double(m_model->lastUs() - m_originUs) / m_usPerPixel + fm.height() * 2;
        const int minimum = int(std::min(first, 1.0e9));
        verticalScrollBar()->setRange(minimum, std::max(minimum, int(std::min(last, 1.0e9)) - visible));
    }
    verticalScrollBar()->setPageStep(visible);
    m_scrolling = false;
}

void SequenceDiagramView::scrollToNewest()
{
    m_scrolling = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_scrolling = false;
    viewport()->update();
}

void SequenceDiagramView::onModelChanged()
{
    if (m_originUs < 0 && m_model->arrowCount() > 0)
        m_originUs = m_model->firstUs();
    // Keep the scroll range within int pixels as the session grows.
    if (m_originUs >= 0 && double(m_model->lastUs() - m_originUs) / m_usPerPixel > 1.0e9)
        setUsPerPixel(m_usPerPixel * 2);
    updateScrollBars();
    if (m_follow)
        scrollToNewest();
    viewport()->update();
}

void SequenceDiagramView::onLanesChanged()
{
    m_originUs = m_model->arrowCount() > 0 ? m_model->firstUs() : -1;
    m_selectedId = -1;
    onModelChanged();
}

QImage SequenceDiagramView::renderImage(bool wholeRange) const
{
    Geometry g = geometry();
    QSize size = viewport()->size();
    if (wholeRange && m_originUs >= 0) {
        const QFontMetrics fm(font());
        const qsizetype lanes = m_model->lanes().size();
        const double first = double(m_model->firstUs() - m_originUs) / m_usPerPixel;
        const double last = double(m_model->lastUs() - m_originUs) / m_usPerPixel + fm.height() * 2;
        const int height = int(std::min<double>(kMaxExportHeight - g.headerHeight, std::max(1.0, last - first + fm.height())));
        g.topPx = std::max(first - fm.height(), last - height);
        g.leftPx = 0;
        size = QSize(g.rulerWidth + int(std::ceil(g.laneWidth * double(lanes))), g.headerHeight + height);
    }
    QImage image(size * devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio());
    QPainter p(&image);
    paintDiagram(p, size, g);
    return image;
}

bool SequenceDiagramView::exportPng(const QString &path, bool wholeRange, QString *error) const
{
    const QImage image = renderImage(wholeRange);
    if (image.save(path, "PNG"))
        return true;
    *error = tr("cannot write %1").arg(path);
    return false;
}

} // namespace wslab
