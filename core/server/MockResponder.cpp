#include "core/server/MockResponder.h"

#include "core/log/EventLog.h"
#include "core/server/Server.h"

#include <QTimer>

namespace wslab {

MockResponder::MockResponder(Server *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{
    connect(server, &Server::textReceived, this,
            [this](int peerId, const QString &text) { onMessage(peerId, InboundMessage::fromText(text)); });
    connect(server, &Server::binaryReceived, this,
            [this](int peerId, const QByteArray &data) { onMessage(peerId, InboundMessage::fromBinary(data)); });
}

void MockResponder::onMessage(int peerId, const InboundMessage &message)
{
    if (m_server->config().mode != ServerMode::Rules)
        return;
    const std::optional<MockAnswer> answer = m_rules.answer(message);
    if (!answer) {
        log(peerId, QStringLiteral("no rule matched"));
        return;
    }
    const MockRule *rule = answer->rule;
    log(peerId, QStringLiteral("rule %1%2: %3")
                    .arg(rule->path, rule->name.isEmpty() ? QString() : QStringLiteral(" \"%1\"").arg(rule->name), rule->actionSummary()));
    if (rule->ignore)
        return;
    const auto act = [this, peerId, answer = *answer] {
        // The peer may have left during a delay: the server's send and kick refuse unknown peers.
        if (answer.reply)
            m_server->sendText(peerId, *answer.reply);
        if (answer.broadcast) {
            for (Peer *other : m_server->peers()) {
                if (other->id() != peerId)
                    m_server->sendText(other->id(), *answer.broadcast);
            }
        }
        if (answer.closeCode)
            m_server->kick(peerId, *answer.closeCode, answer.closeReason);
    };
    if (rule->delay.count() > 0)
        QTimer::singleShot(rule->delay, this, act);
    else
        act();
}

void MockResponder::log(int peerId, const QString &detail)
{
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.endpoint = m_server->name();
    e.peer = peerId;
    e.detail = detail;
    m_server->log()->append(std::move(e));
}

} // namespace wslab
