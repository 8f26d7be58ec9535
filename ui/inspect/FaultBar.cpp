#include "ui/inspect/FaultBar.h"

#include "core/inspect/Relay.h"
#include "ui/close/CloseDialog.h"
#include "ui/style/TextScale.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace wslab {

namespace {

using std::chrono::milliseconds;

// One switchable fault. maximum 0 makes a check box (on = 1); otherwise a spin box from minimum to
// maximum, whose minimum reads as offText when there is one (the value that switches the fault off).
struct FaultSwitch
{
    const char *objectName;
    const char *label;
    const char *toolTip;
    int maximum;
    const char *suffix;
    int (*read)(const RelayFaults &);
    void (*write)(RelayFaults &, int);
    int minimum = 0;
    int step = 0; // 0: 50 for large ranges, else 5
    const char *offText = nullptr;
};

// A pace a person can watch a message crawl at, up to one fast enough not to matter on loopback.
constexpr int kMaxBandwidth = 100'000'000;
// Past a frame's worth of bytes slicing changes nothing a receiver could notice.
constexpr int kMaxSlice = 65536;
// Enough fragments to make the point; more only floods the frame table.
constexpr int kMaxFragments = 100;

// The faults RelayFaults has, as the window offers them. QT_TRANSLATE_NOOP keeps the texts translatable.
const FaultSwitch kSwitches[] = {
    {"faultLatency", QT_TRANSLATE_NOOP("wslab::FaultBar", "Latency"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "Added to every chunk forwarded, both ways"), 60000, " ms",
     [](const RelayFaults &f) { return int(f.latency.count()); }, [](RelayFaults &f, int v) { f.latency = milliseconds(v); }},
    {"faultJitter", QT_TRANSLATE_NOOP("wslab::FaultBar", "Jitter"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "Plus a random share of this on each chunk; the order is always kept"), 60000, " ms",
     [](const RelayFaults &f) { return int(f.jitter.count()); }, [](RelayFaults &f, int v) { f.jitter = milliseconds(v); }},
    {"faultDrop", QT_TRANSLATE_NOOP("wslab::FaultBar", "Drop"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "This share of data messages, either way, is swallowed whole (every fragment)"), 100, " %",
     [](const RelayFaults &f) { return f.dropPercent; }, [](RelayFaults &f, int v) { f.dropPercent = v; }},
    {"faultWithholdPongsFromClient", QT_TRANSLATE_NOOP("wslab::FaultBar", "Withhold pongs from the client"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "Swallow the pongs the client sends: the server's heartbeat sees a dead peer"), 0, "",
     [](const RelayFaults &f) { return int(f.withholdPongsFromClient); },
     [](RelayFaults &f, int v) { f.withholdPongsFromClient = v != 0; }},
    {"faultWithholdPongsFromServer", QT_TRANSLATE_NOOP("wslab::FaultBar", "Withhold pongs from the server"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "Swallow the pongs the server sends: the client's heartbeat sees a dead peer"), 0, "",
     [](const RelayFaults &f) { return int(f.withholdPongsFromServer); },
     [](RelayFaults &f, int v) { f.withholdPongsFromServer = v != 0; }},
    {"faultBlackHole", QT_TRANSLATE_NOOP("wslab::FaultBar", "Black hole"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "Forward nothing at all and keep both TCP connections open: a peer that died without a word"), 0,
     "", [](const RelayFaults &f) { return int(f.blackHole); }, [](RelayFaults &f, int v) { f.blackHole = v != 0; }},
    {"faultBandwidthFromClient", QT_TRANSLATE_NOOP("wslab::FaultBar", "Bandwidth from the client"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "A slow link: at most this many bytes a second from the client to the server, in order"),
     kMaxBandwidth, " B/s", [](const RelayFaults &f) { return int(std::min<qint64>(f.bandwidthFromClient, kMaxBandwidth)); },
     [](RelayFaults &f, int v) { f.bandwidthFromClient = v; }, 0, 100, QT_TRANSLATE_NOOP("wslab::FaultBar", "unlimited")},
    {"faultBandwidthFromServer", QT_TRANSLATE_NOOP("wslab::FaultBar", "Bandwidth from the server"),
     QT_TRANSLATE_NOOP("wslab::FaultBar", "A slow link: at most this many bytes a second from the server to the client, in order"),
     kMaxBandwidth, " B/s", [](const RelayFaults &f) { return int(std::min<qint64>(f.bandwidthFromServer, kMaxBandwidth)); },
     [](RelayFaults &f, int v) { f.bandwidthFromServer = v; }, 0, 100, QT_TRANSLATE_NOOP("wslab::FaultBar", "unlimited")},
    {"faultSlice", QT_TRANSLATE_NOOP("wslab::FaultBar", "Slice writes"),
     QT_TRANSLATE_NOOP("wslab::FaultBar",
                       "Every write carries at most this many bytes, each on a later turn, both ways: receivers get messages in pieces"),
     kMaxSlice, " B", [](const RelayFaults &f) { return f.sliceBytes; }, [](RelayFaults &f, int v) { f.sliceBytes = v; }, 0, 1,
     QT_TRANSLATE_NOOP("wslab::FaultBar", "off")},
    // 0 and 1 both mean off; the box starts at 1 so there is one "off", and writes it as 0.
    {"faultFragment", QT_TRANSLATE_NOOP("wslab::FaultBar", "Fragment into"),
     QT_TRANSLATE_NOOP("wslab::FaultBar",
                       "Each unfragmented data message is re-sent as this many frames (fewer when it is shorter), both ways"),
     kMaxFragments, " frames", [](const RelayFaults &f) { return std::max(1, f.fragmentCount); },
     [](RelayFaults &f, int v) { f.fragmentCount = v < 2 ? 0 : v; }, 1, 1, QT_TRANSLATE_NOOP("wslab::FaultBar", "off")},
};

// Fewer a line when the text is large, so the bar stays inside the dock on a projector.
int perRow(int normal)
{
    return TextScale::percent() >= TextScale::kPresentation ? (normal + 1) / 2 : normal;
}

// Lays `widgets` out in `grid`, `columns` a line, the room left over at the right.
void place(QGridLayout *grid, const QList<QWidget *> &widgets, int columns)
{
    for (QWidget *w : widgets)
        grid->removeWidget(w);
    for (int i = 0; i < widgets.size(); ++i)
        grid->addWidget(widgets.at(i), i / columns, i % columns);
    // Setting a column's stretch adds the column, so the bound is taken first.
    const int count = std::max(grid->columnCount(), columns + 1);
    for (int c = 0; c < count; ++c)
        grid->setColumnStretch(c, c == columns ? 1 : 0);
}

// A switch's settings key: its objectName without "fault", as docs/sessions.md lists them.
QString settingsKey(const FaultSwitch &s)
{
    QString key = QString::fromLatin1(s.objectName).mid(5);
    key[0] = key[0].toLower();
    return key;
}

constexpr int kSwitchesPerRow = 6;
constexpr int kActionsPerRow = 5;

} // namespace

FaultBar::FaultBar(Relay *relay, QWidget *parent)
    : QWidget(parent)
    , m_relay(relay)
{
    setObjectName(QStringLiteral("inspectorFaults"));
    QList<QWidget *> cells;
    for (int i = 0; i < int(std::size(kSwitches)); ++i) {
        const FaultSwitch &s = kSwitches[i];
        QWidget *cell = nullptr;
        if (s.maximum == 0) {
            auto *box = new QCheckBox(tr(s.label), this);
            connect(box, &QCheckBox::toggled, this, [this, i](bool on) { apply(i, on ? 1 : 0); });
            m_switches << box;
            cell = box;
        } else {
            auto *spin = new QSpinBox(this);
            spin->setRange(s.minimum, s.maximum);
            spin->setSuffix(QString::fromLatin1(s.suffix));
            spin->setSingleStep(s.step > 0 ? s.step : s.maximum > 1000 ? 50 : 5);
            if (s.offText)
                spin->setSpecialValueText(tr(s.offText));
            spin->setAccessibleName(tr(s.label));
            connect(spin, &QSpinBox::valueChanged, this, [this, i](int value) { apply(i, value); });
            m_switches << spin;
            cell = new QWidget(this);
            auto *row = new QHBoxLayout(cell);
            row->setContentsMargins(0, 0, 0, 0);
            auto *label = new QLabel(tr(s.label), cell);
            label->setBuddy(spin);
            row->addWidget(label);
            row->addWidget(spin);
        }
        m_switches.last()->setObjectName(QString::fromLatin1(s.objectName));
        cell->setToolTip(tr(s.toolTip));
        m_switches.last()->setToolTip(tr(s.toolTip));
        cells << cell;
    }

    auto *closeClient = new QPushButton(tr("Close towards client…"), this);
    closeClient->setObjectName(QStringLiteral("faultCloseTowardsClient"));
    closeClient->setToolTip(tr("Send the client a Close frame on every open connection, as if the server had sent it"));
    connect(closeClient, &QPushButton::clicked, this, [this] { askClose(int(RelaySide::Client)); });
    auto *closeServer = new QPushButton(tr("Close towards server…"), this);
    closeServer->setObjectName(QStringLiteral("faultCloseTowardsServer"));
    closeServer->setToolTip(tr("Send the server a Close frame on every open connection, as if the client had sent it"));
    connect(closeServer, &QPushButton::clicked, this, [this] { askClose(int(RelaySide::Server)); });
    auto *cut = new QPushButton(tr("Cut"), this);
    cut->setObjectName(QStringLiteral("faultCut"));
    cut->setToolTip(tr("Reset both sides of every connection at once: no Close frame, the peers see 1006"));
    connect(cut, &QPushButton::clicked, m_relay, &Relay::cut);
    auto *corruptClient = new QPushButton(tr("Corrupt next from client"), this);
    corruptClient->setObjectName(QStringLiteral("faultCorruptNextFromClient"));
    corruptClient->setToolTip(tr("Once, on every open connection: one payload byte of the client's next data message is changed "
                                 "(text becomes invalid UTF-8, so the server closes with 1007)"));
    connect(corruptClient, &QPushButton::clicked, this, [this] { m_relay->corruptNextMessage(RelaySide::Client); });
    auto *corruptServer = new QPushButton(tr("Corrupt next from server"), this);
    corruptServer->setObjectName(QStringLiteral("faultCorruptNextFromServer"));
    corruptServer->setToolTip(tr("Once, on every open connection: one payload byte of the server's next data message is changed "
                                 "(text becomes invalid UTF-8, so the client closes with 1007)"));
    connect(corruptServer, &QPushButton::clicked, this, [this] { m_relay->corruptNextMessage(RelaySide::Server); });
    m_actions = {closeClient, closeServer, cut, corruptClient, corruptServer};

    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("faultPause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold every whole frame, both ways, until you step through them or resume"));
    connect(m_pause, &QPushButton::toggled, m_relay, &Relay::setPaused);
    m_step = new QPushButton(tr("Step"), this);
    m_step->setObjectName(QStringLiteral("faultStep"));
    m_step->setToolTip(tr("Forward the oldest held frame, whichever way it goes"));
    connect(m_step, &QPushButton::clicked, m_relay, &Relay::step);
    m_held = new QLabel(this);
    m_held->setObjectName(QStringLiteral("faultHeld"));
    connect(m_relay, &Relay::heldFramesChanged, this, &FaultBar::showHeld);
    // A connection that ends while frames are held takes them with it without a heldFramesChanged.
    connect(m_relay, &Relay::connectionClosed, this, [this] { showHeld(m_relay->heldFrameCount()); });
    auto *pauseRow = new QHBoxLayout;
    pauseRow->setContentsMargins(0, 0, 0, 0);
    pauseRow->addWidget(m_pause);
    pauseRow->addWidget(m_step);
    pauseRow->addWidget(m_held);
    pauseRow->addStretch(1);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    auto *actions = new QGridLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid);
    layout->addLayout(actions);
    layout->addLayout(pauseRow);
    TextScale::follow(this, [this, grid, actions, cells] {
        place(grid, cells, perRow(kSwitchesPerRow));
        place(actions, m_actions, perRow(kActionsPerRow));
    });
    refresh();
}

void FaultBar::apply(int switchIndex, int value)
{
    RelayFaults faults = m_relay->faults();
    kSwitches[switchIndex].write(faults, value);
    m_relay->setFaults(faults);
    Q_EMIT faultsChanged();
}

void FaultBar::saveSettings(QSettings &settings) const
{
    const RelayFaults &faults = m_relay->faults();
    for (const FaultSwitch &s : kSwitches)
        settings.setValue(settingsKey(s), s.read(faults));
}

void FaultBar::restoreSettings(const QSettings &settings)
{
    RelayFaults faults = m_relay->faults();
    const RelayFaults off;
    for (const FaultSwitch &s : kSwitches) {
        const int highest = s.maximum == 0 ? 1 : s.maximum; // a check box is 0 or 1
        s.write(faults, std::clamp(settings.value(settingsKey(s), s.read(off)).toInt(), s.minimum, highest));
    }
    m_relay->setFaults(faults);
    refresh();
    Q_EMIT faultsChanged();
}

void FaultBar::refresh()
{
    const RelayFaults &faults = m_relay->faults();
    for (int i = 0; i < m_switches.size(); ++i) {
        const QSignalBlocker quiet(m_switches.at(i));
        const int value = kSwitches[i].read(faults);
        if (auto *box = qobject_cast<QCheckBox *>(m_switches.at(i)))
            box->setChecked(value != 0);
        else if (auto *spin = qobject_cast<QSpinBox *>(m_switches.at(i)))
            spin->setValue(value);
    }
    const QSignalBlocker quiet(m_pause);
    m_pause->setChecked(m_relay->isPaused());
    showHeld(m_relay->heldFrameCount());
}

void FaultBar::showHeld(int count)
{
    m_held->setText(count == 1 ? tr("1 frame held") : tr("%1 frames held").arg(count));
    m_step->setEnabled(count > 0);
}

QList<QWidget *> FaultBar::focusOrder() const
{
    return m_switches + m_actions + QList<QWidget *>{m_pause, m_step};
}

void FaultBar::askClose(int towards)
{
    const auto side = RelaySide(towards);
    CloseDialog dialog(side == RelaySide::Client ? tr("Close towards the client") : tr("Close towards the server"), this);
    dialog.setCode(1001);
    dialog.setReason(QStringLiteral("closed by the inspector"));
    if (dialog.exec() == QDialog::Accepted)
        m_relay->injectClose(side, dialog.code(), dialog.reason());
}

} // namespace wslab
