#pragma once

// Shared pieces of the hardening tests (Gate, FrameGuard, peer limits, TLS): every refusal is checked
// together with a well-behaved client on the same server that must keep being served meanwhile.

#include "tests/support/RawHttp.h"

#include <QStringList>

namespace wslab::test {

// A well-behaved client, connected before a refusal, that proves the server keeps serving others.
class Bystander
{
public:
    explicit Bystander(const QString &name = QStringLiteral("bystander"))
        : m_client(name)
    {
        QObject::connect(&m_client, &Client::textReceived, &m_client, [this](const QString &text) { m_received << text; });
    }

    bool open(const ClientConfig &config) { return openClient(m_client, config); }

    // Sends `text` (make it unique in the test) and waits for the server's echo; false if none comes
    // or the connection is no longer open.
    bool echoes(const QString &text, int timeoutMs = 5000)
    {
        if (m_client.state() != Client::State::Open || !m_client.sendText(text))
            return false;
        return QTest::qWaitFor([this, &text] { return m_received.contains(text); }, timeoutMs) && m_client.state() == Client::State::Open;
    }

    const QStringList &received() const { return m_received; }
    Client &client() { return m_client; }

private:
    Client m_client;
    QStringList m_received;
};

// Starts `server` with `config` and opens `bystander` on it: the start of every hardening test.
inline bool startWithBystander(Server &server, const ServerConfig &config, Bystander &bystander)
{
    return startServer(server, config) && bystander.open(fastClientConfig(server.url()));
}

// Upgrades `raw` on `server` and returns the id of its Peer once the server has one; -1 otherwise.
inline int upgradedPeerId(RawPeer &raw, const Server &server)
{
    if (!raw.upgrade(server.port()))
        return -1;
    const quint16 port = raw.socket().localPort();
    int id = -1;
    const bool found = QTest::qWaitFor(
        [&] {
            for (const Peer *p : server.peers()) {
                if (p->port() == port)
                    id = p->id();
            }
            return id > 0;
        },
        5000);
    return found ? id : -1;
}

// Empty when `log` holds exactly one Refused event, with `status` as its HTTP status and a payload that starts
// with `requestStart`; otherwise what is wrong, for QVERIFY2.
inline QString refusedOnceProblem(const EventLog *log, int status, const QByteArray &requestStart)
{
    const QList<LogEvent> refused = eventsOfKind(log, EventKind::Refused);
    if (refused.size() != 1)
        return QStringLiteral("%1 refused events, expected 1").arg(refused.size());
    const LogEvent &e = refused.first();
    if (e.httpStatus != status)
        return QStringLiteral("refused with %1, expected %2 (%3)").arg(e.httpStatus).arg(status).arg(e.detail);
    if (!e.payload.startsWith(requestStart))
        return QStringLiteral("the logged request starts with \"%1\", expected \"%2\"")
            .arg(QString::fromLatin1(e.payload.left(80)), QString::fromLatin1(requestStart.left(80)));
    if (!e.detail.contains(QStringLiteral("refused with HTTP %1").arg(status)))
        return QStringLiteral("detail does not name the status: %1").arg(e.detail);
    return {};
}

} // namespace wslab::test
