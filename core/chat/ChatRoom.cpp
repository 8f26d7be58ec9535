#include "core/chat/ChatRoom.h"

#include "core/server/Server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace wslab {

namespace {

QString newEpoch()
{
    // Random, so a client can tell a restarted server without a history file from the one it knew.
    return QString::number(QRandomGenerator::global()->generate64(), 36);
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool hasControlCharacters(const QString &text, bool allowLineBreaks)
{
    for (QChar c : text) {
        if (allowLineBreaks && (c == u'\n' || c == u'\t'))
            continue;
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format || c == QChar(0x2028) || c == QChar(0x2029))
            return true;
    }
    return false;
}

} // namespace

ChatRoom::ChatRoom(Server *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_epoch(newEpoch())
{
    connect(server, &Server::textReceived, this, &ChatRoom::onText);
    connect(server, &Server::binaryReceived, this, [this](int peerId, const QByteArray &) { onBinary(peerId); });
    connect(server, &Server::peerDisconnected, this, &ChatRoom::onLeft);
}

ChatRoom::~ChatRoom() = default;

void ChatRoom::setLimits(Limits limits)
{
    m_limits = limits;
    while (m_history.size() > size_t(std::max(0, m_limits.historySize))) {
        m_seqById.remove(m_history.front().id);
        m_history.pop_front();
    }
}

bool ChatRoom::setHistoryFile(const QString &path, QString *error)
{
    m_historyFile.close();
    m_historyFile.setFileName(path);
    std::deque<Message> loaded;
    QString epoch;
    quint64 lastSeq = 0;
    if (m_historyFile.exists()) {
        if (!m_historyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the history file %1: %2").arg(path, m_historyFile.errorString());
            return false;
        }
        int lineNumber = 0;
        while (!m_historyFile.atEnd()) {
            const QByteArray line = m_historyFile.readLine().trimmed();
            ++lineNumber;
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString type = o.value(QStringLiteral("type")).toString();
            if (type == u"epoch" && epoch.isEmpty()) {
                epoch = o.value(QStringLiteral("epoch")).toString();
            } else if (type == u"message") {
                Message m;
                m.seq = quint64(o.value(QStringLiteral("seq")).toInteger());
                m.timeMs = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
                m.nick = o.value(QStringLiteral("nick")).toString();
                m.text = o.value(QStringLiteral("text")).toString();
                m.id = o.value(QStringLiteral("id")).toString();
                if (m.seq <= lastSeq) {
                    *error = QStringLiteral("%1:%2: message seq %3 is not after %4").arg(path).arg(lineNumber).arg(m.seq).arg(lastSeq);
                    return false;
                }
                lastSeq = m.seq;
                loaded.push_back(m);
                if (loaded.size() > size_t(std::max(0, m_limits.historySize)))
                    loaded.pop_front();
            } else {
                *error = QStringLiteral("%1:%2: not a chat history line").arg(path).arg(lineNumber);
                return false;
            }
        }
        m_historyFile.close();
    }
    const bool fresh = epoch.isEmpty();
    if (!m_historyFile.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot write the history file %1: %2").arg(path, m_historyFile.errorString());
        return false;
    }
    if (fresh) {
        // A file without an epoch starts a history of its own; the room's messages so far go first.
        QJsonObject header{
            {QStringLiteral("type"), QStringLiteral("epoch")}, {QStringLiteral("epoch"), m_epoch}, {QStringLiteral("v"), kProtocolVersion}};
        m_historyFile.write(QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n');
        for (const Message &m : m_history)
            m_historyFile.write(QJsonDocument(toJson(m)).toJson(QJsonDocument::Compact) + '\n');
        m_historyFile.flush();
        return true;
    }
    m_epoch = epoch;
    m_history = std::move(loaded);
    m_seqById.clear();
    for (const Message &m : m_history) {
        if (!m.id.isEmpty())
            m_seqById.insert(m.id, m.seq);
    }
    m_nextSeq = lastSeq + 1;
    return true;
}

QStringList ChatRoom::members() const
{
    return m_nickByPeer.values();
}

void ChatRoom::onText(int peerId, const QString &text)
{
    // The room answers only while its server is in chat mode (the window can switch modes live).
    if (m_server->config().mode != ServerMode::Chat)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        sendError(peerId, QStringLiteral("bad_json"),
                  parseError.error != QJsonParseError::NoError
                      ? QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                      : QStringLiteral("expected a JSON object"));
        return;
    }
    const QJsonObject request = doc.object();
    const QString type = request.value(QStringLiteral("type")).toString();
    if (type == u"join")
        handleJoin(peerId, request);
    else if (type == u"say")
        handleSay(peerId, request);
    else if (type == u"rename")
        handleRename(peerId, request);
    else
        sendError(peerId, QStringLiteral("unknown_type"),
                  QStringLiteral("unknown message type \"%1\": expected join, say or rename").arg(type.left(40)));
}

void ChatRoom::onBinary(int peerId)
{
    if (m_server->config().mode != ServerMode::Chat)
        return;
    sendError(peerId, QStringLiteral("binary_not_supported"), QStringLiteral("the chat protocol is JSON in text messages"));
}

void ChatRoom::onLeft(int peerId)
{
    const auto it = m_nickByPeer.find(peerId);
    if (it == m_nickByPeer.end())
        return;
    const QString nick = it.value();
    m_nickByPeer.erase(it);
    announce(QStringLiteral("leave"), nick);
}

void ChatRoom::handleJoin(int peerId, const QJsonObject &request)
{
    if (m_nickByPeer.contains(peerId)) {
        sendError(peerId, QStringLiteral("already_joined"), QStringLiteral("this connection has joined already; use rename"));
        return;
    }
    const QJsonValue version = request.value(QStringLiteral("v"));
    if (!version.isUndefined() && version.toInt() != kProtocolVersion) {
        sendError(peerId, QStringLiteral("bad_version"),
                  QStringLiteral("this server speaks version %1 of the chat protocol").arg(kProtocolVersion));
        return;
    }
    const QString wanted = request.value(QStringLiteral("nick")).toString().trimmed();
    if (const QString problem = nickProblem(wanted); !problem.isEmpty()) {
        sendError(peerId, QStringLiteral("bad_nick"), problem);
        return;
    }
    const QString nick = uniqueNick(wanted);

    // What the joiner gets: exactly what it missed when it can resume, else the whole history.
    const quint64 firstKept = m_history.empty() ? m_nextSeq : m_history.front().seq;
    bool resumed = false;
    QString why;
    quint64 after = 0;
    const QJsonObject resume = request.value(QStringLiteral("resume")).toObject();
    if (!resume.isEmpty()) {
        const QString theirEpoch = resume.value(QStringLiteral("epoch")).toString();
        const qint64 theirLast = resume.value(QStringLiteral("last_seq")).toInteger(-1);
        if (theirEpoch != m_epoch)
            why = QStringLiteral("epoch_changed");
        else if (theirLast < 0 || quint64(theirLast) > lastSeq())
            why = QStringLiteral("unknown_seq");
        else if (quint64(theirLast) + 1 < firstKept)
            why = QStringLiteral("history_trimmed");
        else {
            resumed = true;
            after = quint64(theirLast);
        }
    }
    QJsonArray history;
    for (const Message &m : m_history) {
        if (m.seq > after)
            history.append(toJson(m));
    }
    m_nickByPeer.insert(peerId, nick);
    QJsonObject welcome{{QStringLiteral("type"), QStringLiteral("welcome")},
                        {QStringLiteral("v"), kProtocolVersion},
                        {QStringLiteral("nick"), nick},
                        {QStringLiteral("epoch"), m_epoch},
                        {QStringLiteral("last_seq"), qint64(lastSeq())},
                        {QStringLiteral("members"), QJsonArray::fromStringList(members())},
                        {QStringLiteral("resumed"), resumed},
                        {QStringLiteral("history"), history}};
    if (!resume.isEmpty() && !resumed)
        welcome.insert(QStringLiteral("reset"), why);
    send(peerId, welcome);
    announce(QStringLiteral("join"), nick);
}

void ChatRoom::handleSay(int peerId, const QJsonObject &request)
{
    const auto member = m_nickByPeer.constFind(peerId);
    if (member == m_nickByPeer.cend()) {
        sendError(peerId, QStringLiteral("not_joined"), QStringLiteral("join with a nickname first"));
        return;
    }
    const QJsonValue textValue = request.value(QStringLiteral("text"));
    const QString id = request.value(QStringLiteral("id")).toString();
    const QJsonObject context{{QStringLiteral("id"), id}};
    if (!textValue.isString() || textValue.toString().trimmed().isEmpty()) {
        sendError(peerId, QStringLiteral("bad_text"), QStringLiteral("a message needs a non-empty \"text\" string"), context);
        return;
    }
    const QString text = textValue.toString();
    if (const qint64 bytes = text.toUtf8().size(); bytes > m_limits.maxTextBytes) {
        sendError(peerId, QStringLiteral("text_too_long"),
                  QStringLiteral("the text is %1 bytes of UTF-8; at most %2 are allowed").arg(bytes).arg(m_limits.maxTextBytes), context);
        return;
    }
    if (hasControlCharacters(text, true)) {
        sendError(peerId, QStringLiteral("bad_text"),
                  QStringLiteral("the text holds control characters (only line breaks and tabs are allowed)"), context);
        return;
    }
    if (id.size() > m_limits.maxIdChars || hasControlCharacters(id, false)) {
        sendError(peerId, QStringLiteral("bad_id"), QStringLiteral("an id is at most %1 printable characters").arg(m_limits.maxIdChars));
        return;
    }
    if (!id.isEmpty()) {
        // A resend after a reconnect: the sender gets the message it already posted, nobody gets it twice.
        if (const auto seen = m_seqById.constFind(id); seen != m_seqById.cend()) {
            for (const Message &m : m_history) {
                if (m.seq == seen.value()) {
                    QJsonObject again = toJson(m);
                    again.insert(QStringLiteral("duplicate"), true);
                    send(peerId, again);
                    return;
                }
            }
        }
    }
    Message m;
    m.seq = m_nextSeq++;
    m.timeMs = QDateTime::currentMSecsSinceEpoch();
    m.nick = member.value();
    m.text = text;
    m.id = id;
    keep(m);
    broadcast(toJson(m));
    Q_EMIT posted(m);
}

void ChatRoom::handleRename(int peerId, const QJsonObject &request)
{
    const auto member = m_nickByPeer.find(peerId);
    if (member == m_nickByPeer.end()) {
        sendError(peerId, QStringLiteral("not_joined"), QStringLiteral("join with a nickname first"));
        return;
    }
    const QString wanted = request.value(QStringLiteral("nick")).toString().trimmed();
    if (const QString problem = nickProblem(wanted); !problem.isEmpty()) {
        sendError(peerId, QStringLiteral("bad_nick"), problem);
        return;
    }
    const QString old = member.value();
    if (wanted == old)
        return;
    member.value() = QString(); // its own old name does not make the new one taken
    const QString nick = uniqueNick(wanted);
    member.value() = nick;
    announce(QStringLiteral("rename"), nick, old);
}

QString ChatRoom::nickProblem(const QString &nick) const
{
    if (nick.isEmpty())
        return QStringLiteral("a nickname is needed");
    if (nick.size() > m_limits.maxNickChars)
        return QStringLiteral("a nickname is at most %1 characters").arg(m_limits.maxNickChars);
    if (hasControlCharacters(nick, false))
        return QStringLiteral("a nickname cannot hold control characters");
    static const QString markup = QStringLiteral("<>&\"'`");
    for (QChar c : nick) {
        if (markup.contains(c))
            return QStringLiteral("a nickname cannot hold any of < > & \" ' `");
    }
    return {};
}

QString ChatRoom::uniqueNick(const QString &wanted) const
{
    auto taken = [this](const QString &nick) {
        for (const QString &other : m_nickByPeer) {
            if (other.compare(nick, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    if (!taken(wanted))
        return wanted;
    for (int n = 2;; ++n) {
        const QString suffix = QStringLiteral("-%1").arg(n);
        const QString candidate = wanted.left(m_limits.maxNickChars - int(suffix.size())) + suffix;
        if (!taken(candidate))
            return candidate;
    }
}

void ChatRoom::keep(const Message &message)
{
    m_history.push_back(message);
    if (!message.id.isEmpty())
        m_seqById.insert(message.id, message.seq);
    while (m_history.size() > size_t(std::max(0, m_limits.historySize))) {
        m_seqById.remove(m_history.front().id);
        m_history.pop_front();
    }
    if (m_historyFile.isOpen()) {
        m_historyFile.write(QJsonDocument(toJson(message)).toJson(QJsonDocument::Compact) + '\n');
        m_historyFile.flush();
    }
}

void ChatRoom::announce(const QString &event, const QString &nick, const QString &oldNick)
{
    QJsonObject presence{{QStringLiteral("type"), QStringLiteral("presence")},
                         {QStringLiteral("event"), event},
                         {QStringLiteral("nick"), nick},
                         {QStringLiteral("members"), QJsonArray::fromStringList(members())}};
    if (!oldNick.isEmpty())
        presence.insert(QStringLiteral("old"), oldNick);
    broadcast(presence);
    Q_EMIT membersChanged(members());
}

void ChatRoom::sendError(int peerId, const QString &code, const QString &message, const QJsonObject &context)
{
    QJsonObject error{
        {QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    for (auto it = context.begin(); it != context.end(); ++it) {
        if (!it.value().toString().isEmpty())
            error.insert(it.key(), it.value());
    }
    send(peerId, error);
}

void ChatRoom::send(int peerId, const QJsonObject &object)
{
    m_server->sendText(peerId, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void ChatRoom::broadcast(const QJsonObject &object, int exceptPeer)
{
    const QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    for (auto it = m_nickByPeer.cbegin(); it != m_nickByPeer.cend(); ++it) {
        if (it.key() != exceptPeer)
            m_server->sendText(it.key(), text);
    }
}

QJsonObject ChatRoom::toJson(const Message &message)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("message")},
                  {QStringLiteral("seq"), qint64(message.seq)},
                  {QStringLiteral("time"), isoTime(message.timeMs)},
                  {QStringLiteral("nick"), message.nick},
                  {QStringLiteral("text"), message.text}};
    if (!message.id.isEmpty())
        o.insert(QStringLiteral("id"), message.id);
    return o;
}

} // namespace wslab
