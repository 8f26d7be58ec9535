#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSettings;

namespace wslab {

class Relay;
struct RelayFaults;

// Live switches for the relay's faults. Every change goes to Relay::setFaults at once, and the relay
// reads its faults on every forward, so the connections already open feel it straight away. Each fault
// is one row of the table in FaultBar.cpp (what it is called, its range, how it reads and writes
// RelayFaults): a new fault is one more row. Below them the one-shot actions: a Close towards one
// side (code and reason from the CloseDialog), a cut of both, a corrupted next message from one side;
// then Pause, Step and how many frames the relay holds.
class FaultBar : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultBar)
public:
    explicit FaultBar(Relay *relay, QWidget *parent = nullptr);

    // Sets the switches from the relay's faults (after someone else changed them).
    void refresh();
    // Each switch's value under its name (its objectName without "fault": "latency", "blackHole"),
    // for a session. Restoring sets every switch, to its off value when the settings lack it, and
    // sends the result to the relay; pause and the one-shot actions are never kept.
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);
    // The switches, in the order Tab visits them.
    QList<QWidget *> focusOrder() const;

Q_SIGNALS:
    void faultsChanged();

private:
    void apply(int switchIndex, int value);
    void askClose(int towards);
    void showHeld(int count);

    Relay *m_relay;
    QList<QWidget *> m_switches; // one per row of the table, a QCheckBox or a QSpinBox
    QList<QWidget *> m_actions;
    QPushButton *m_pause;
    QPushButton *m_step;
    QLabel *m_held;
};

} // namespace wslab
