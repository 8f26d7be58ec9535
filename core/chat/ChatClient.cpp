#include "core/chat/ChatClient.h"

#include "core/client/Client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace wslab {

namespace {

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

ChatClient::ChatClient(Client *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    // Ids must be unique for this client across reconnects and restarts of the window.
    , m_idPrefix(QString::number(QRandomGenerator::global()->generate64(), 36))
{
    connect(client, &Client::opened, this, &ChatClient::onOpened);
    connect(client, &Client::textReceived, this, &ChatClient::onText);
    connect(client, &Client::stateChanged, this, [this](Client::State state) {
        if (state != Client::State::Open)
            m_joined = false;
    });
}

void ChatClient::join(const QString &nick)
{
    m_nick = nick.trimmed();
    m_wantJoin = true;
    if (m_client->state() == Client::State::Open && !m_joined)
        sendJoin();
}

bool ChatClient::say(const QString &text, QString *error)
{
    if (!m_wantJoin) {
        if (error)
            *error = tr("join the chat first");
        return false;
    }
    if (text.trimmed().isEmpty()) {
        if (error)
            *error = tr("nothing to say");
        return false;
    }
    const QString id = m_idPrefix + u'-' + QString::number(m_nextId++);
    m_pending.insert(id, text);
    if (m_joined)
        sendSay(id, text);
    return true;
}

void ChatClient::rename(const QString &nick)
{
    m_nick = nick.trimmed();
    if (m_joined)
        m_client->sendText(compact({{QStringLiteral("type"), QStringLiteral("rename")}, {QStringLiteral("nick"), m_nick}}));
}

void ChatClient::onOpened()
{
    if (m_wantJoin)
        sendJoin();
}

void ChatClient::sendJoin()
{
    QJsonObject join{{QStringLiteral("type"), QStringLiteral("join")}, {QStringLiteral("v"), 1}, {QStringLiteral("nick"), m_nick}};
    if (!m_epoch.isEmpty())
        join.insert(QStringLiteral("resume"), QJsonObject{{QStringLiteral("epoch"), m_epoch}, {QStringLiteral("last_seq"), lastSeq()}});
    m_client->sendText(compact(join));
}

void ChatClient::sendSay(const QString &id, const QString &text)
{
    m_client->sendText(
        compact({{QStringLiteral("type"), QStringLiteral("say")}, {QStringLiteral("id"), id}, {QStringLiteral("text"), text}}));
}

void ChatClient::add(const Message &message)
{
    if (m_messages.contains(message.seq))
        return;
    m_messages.insert(message.seq, message);
    Q_EMIT messageAdded(message);
}

void ChatClient::onText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    auto toMessage = [](const QJsonObject &m) {
        return Message{m.value(QStringLiteral("seq")).toInteger(), m.value(QStringLiteral("time")).toString(),
                       m.value(QStringLiteral("nick")).toString(), m.value(QStringLiteral("text")).toString()};
    };
    if (type == u"welcome") {
        const bool resumed = o.value(QStringLiteral("resumed")).toBool();
        const QString epoch = o.value(QStringLiteral("epoch")).toString();
        if (!m_epoch.isEmpty() && !resumed) {
            // The server's numbering is not ours any more: start the view over, as the protocol says.
            m_messages.clear();
            Q_EMIT historyReset(o.value(QStringLiteral("reset")).toString());
        }
        m_epoch = epoch;
        m_nick = o.value(QStringLiteral("nick")).toString();
        m_joined = true;
        const QJsonArray history = o.value(QStringLiteral("history")).toArray();
        for (const QJsonValue &m : history)
            add(toMessage(m.toObject()));
        m_members = o.value(QStringLiteral("members")).toVariant().toStringList();
        Q_EMIT membersChanged(m_members);
        Q_EMIT joined(m_nick, resumed);
        // What was said while the link was down goes now, with its original id.
        for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
            sendSay(it.key(), it.value());
    } else if (type == u"message") {
        m_pending.remove(o.value(QStringLiteral("id")).toString());
        add(toMessage(o));
    } else if (type == u"presence") {
        if (o.value(QStringLiteral("event")).toString() == u"rename" && o.value(QStringLiteral("old")).toString() == m_nick)
            m_nick = o.value(QStringLiteral("nick")).toString();
        m_members = o.value(QStringLiteral("members")).toVariant().toStringList();
        Q_EMIT membersChanged(m_members);
    } else if (type == u"error") {
        m_pending.remove(o.value(QStringLiteral("id")).toString()); // refused: resending cannot help
        Q_EMIT errorReceived(o.value(QStringLiteral("code")).toString(), o.value(QStringLiteral("message")).toString());
    }
}

} // namespace wslab
