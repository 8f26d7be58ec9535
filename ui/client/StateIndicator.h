#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;
class QTimer;

namespace wslab {

class Client;

// The client's truth at a glance, read from the Client each time: connecting, open (RTT, subprotocol,
// counts), closed (code, name, reason), or "Retry 3 in 2.4 s" counting down with Retry now; the
// Outbox count; for wss the server's certificate, in red when its errors were ignored.
class StateIndicator : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateIndicator)
public:
    explicit StateIndicator(Client *client, QWidget *parent = nullptr);

    QString text() const;
    // Something the panel refused before the Client saw it ("Cannot connect: …"); shown in red until
    // the next refresh caused by the Client.
    void showProblem(const QString &problem);
    // Reads the Client again. Cheap, but the panel still coalesces counter changes before calling it.
    void refresh();

private:
    Client *m_client;
    QLabel *m_state;
    QLabel *m_outbox;
    QLabel *m_certificate;
    QPushButton *m_retryNow;
    QToolButton *m_discard;
    QTimer *m_countdown;
};

} // namespace wslab
