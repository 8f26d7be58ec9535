#pragma once

#include "core/server/MockRules.h"

#include <QObject>

namespace wslab {

class Server;

// Answers a Server's peers by mock rules while the server is in ServerMode::Rules: the first rule that
// matches a message replies, broadcasts, closes or ignores, after its delay. Like the ChatRoom it never
// touches a socket: it reads Server's signals and answers with Server::sendText and Server::kick, and
// each hit is one Info event in the server's log.
class MockResponder : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockResponder)
public:
    explicit MockResponder(Server *server, QObject *parent = nullptr);

    // Takes effect with the next message; actions already delayed still happen.
    void setRules(MockRules rules) { m_rules = std::move(rules); }
    const MockRules &rules() const { return m_rules; }

private:
    void onMessage(int peerId, const InboundMessage &message);
    void log(int peerId, const QString &detail);

    Server *m_server;
    MockRules m_rules;
};

} // namespace wslab
