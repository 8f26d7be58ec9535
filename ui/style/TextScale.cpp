#include "ui/style/TextScale.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QWidget>

#include <algorithm>
#include <array>
#include <optional>

namespace wslab::TextScale {

namespace {

// Steps a reader can tell apart, as browsers zoom.
constexpr std::array kSteps{80, 90, 100, 110, 125, 150, 175, 200, 250, 300};

int g_percent = kNormal;

// Tells the panes with a font of their own that the scale changed: Qt's ApplicationFontChange does
// not reach every widget (not those outside a running event loop's window list, in tests), a signal does.
class Notifier : public QObject
{
    Q_OBJECT
public:
    static Notifier *instance()
    {
        static Notifier notifier;
        return &notifier;
    }
Q_SIGNALS:
    void changed();
};

// The platform's sizes before any scaling: scaling always starts from them, so going up and down
// never drifts.
const QFont &platformFont()
{
    static const QFont font = QApplication::font();
    return font;
}

// Watches one widget for one event; a child of it, so it goes with it.
class Follower : public QObject
{
public:
    Follower(QWidget *widget, std::function<void()> adjust)
        : QObject(widget)
        , m_adjust(std::move(adjust))
    {
        widget->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FontChange)
            m_adjust();
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_adjust;
};

QFont scaled(QFont font, int percent)
{
    font.setPointSizeF(font.pointSizeF() * percent / 100.0);
    return font;
}

} // namespace

int percent()
{
    return g_percent;
}

void apply(int percent)
{
    const QFont base = platformFont();
    g_percent = std::clamp(percent, kSmallest, kLargest);
    QApplication::setFont(scaled(base, g_percent));
    Q_EMIT Notifier::instance()->changed();
}

int step(int percent, int direction)
{
    if (direction > 0) {
        const auto next = std::upper_bound(kSteps.begin(), kSteps.end(), percent);
        return next == kSteps.end() ? kSteps.back() : *next;
    }
    const auto next = std::lower_bound(kSteps.begin(), kSteps.end(), percent);
    return next == kSteps.begin() ? kSteps.front() : *std::prev(next);
}

int rowHeight(const QWidget *view)
{
    return view->fontMetrics().height() + 6 * g_percent / 100;
}

QFont monospaceFont()
{
    return scaled(QFontDatabase::systemFont(QFontDatabase::FixedFont), g_percent);
}

void follow(QWidget *widget, std::function<void()> adjust)
{
    adjust();
    new Follower(widget, std::move(adjust));
}

void useMonospace(QWidget *widget)
{
    widget->setFont(monospaceFont());
    QObject::connect(Notifier::instance(), &Notifier::changed, widget, [widget] { widget->setFont(monospaceFont()); });
}

} // namespace wslab::TextScale

#include "TextScale.moc"
