#include "FaultBar.h"

#include "close/CloseDialog.h"
#include "inspect/Relay.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace wslab {

namespace {

using std::chrono::milliseconds;

// One switchable fault. maximum 0 makes a check box (on = 1); otherwise a spin box from 0 to maximum.
struct FaultSwitch
{
    const char *objectName;
    const char *label;
    const char *toolTip;
    int maximum;
    const char *suffix;
    int (*read)(const RelayFaults &);
    void (*write)(RelayFaults &, int);
};

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
};

constexpr int kSwitchesPerRow = 6;

} // namespace

FaultBar::FaultBar(Relay *relay, QWidget *parent)
    : QWidget(parent)
    , m_relay(relay)
{
    setObjectName(QStringLiteral("inspectorFaults"));
    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
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
            spin->setRange(0, s.maximum);
            spin->setSuffix(QString::fromLatin1(s.suffix));
            spin->setSingleStep(s.maximum > 1000 ? 50 : 5);
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
        grid->addWidget(cell, i / kSwitchesPerRow, i % kSwitchesPerRow);
    }
    grid->setColumnStretch(kSwitchesPerRow, 1); // the switches keep their size; the room is left over

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
    m_actions = {closeClient, closeServer, cut};
    auto *actions = new QHBoxLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : std::as_const(m_actions))
        actions->addWidget(w);
    actions->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid);
    layout->addLayout(actions);
    refresh();
}

void FaultBar::apply(int switchIndex, int value)
{
    RelayFaults faults = m_relay->faults();
    kSwitches[switchIndex].write(faults, value);
    m_relay->setFaults(faults);
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
}

QList<QWidget *> FaultBar::focusOrder() const
{
    return m_switches + m_actions;
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
