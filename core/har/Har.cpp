#include "core/har/Har.h"

#include "core/log/JsonLines.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace wslab {

namespace {

constexpr int kOpcodeText = 1;
constexpr int kOpcodeBinary = 2;
const QString kCreator = QStringLiteral("WsLab");

bool isMessage(const LogEvent &e)
{
    return e.kind == EventKind::Text || e.kind == EventKind::Binary;
}

// A head as the server logs it: the start line ("GET /path HTTP/1.1" for a request, "HTTP/1.1 101
// Switching Protocols" for an answer), then "Name: value" lines.
struct Head
{
    QStringList startLine;
    QList<std::pair<QString, QString>> headers;
};

Head parseHead(const QByteArray &bytes)
{
    Head parsed;
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i].trimmed());
        if (line.isEmpty())
            break;
        if (i == 0) {
            parsed.startLine = line.split(u' ', Qt::SkipEmptyParts);
            continue;
        }
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0)
            parsed.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return parsed;
}

// A handshake event that holds the answer, an HTTP response head (the server's 101 as Qt wrote it, or
// what the inspecting relay saw come back), belongs to the connection its request started.
bool isAnswer(const LogEvent &e)
{
    return e.kind == EventKind::Handshake && e.payload.startsWith("HTTP/");
}

// The server logs a request before the peer has an id; its detail, like the answer's and a refusal's,
// starts with the peer's "ADDRESS:PORT", which is what joins the request to its answer.
QString remoteOf(const LogEvent &e)
{
    return e.detail.section(u' ', 0, 0);
}

// An HTTP head: the start line, then a HAR's headers as "Name: value" lines, then the empty line.
QByteArray buildHead(const QByteArray &startLine, const QJsonArray &headers)
{
    QByteArray head = startLine + "\r\n";
    for (const QJsonValue &h : headers)
        head += h[u"name"].toString().toUtf8() + ": " + h[u"value"].toString().toUtf8() + "\r\n";
    return head + "\r\n";
}

QByteArray requestLine(const QString &method, const QUrl &url, const QString &httpVersion)
{
    QByteArray line = method.toUtf8() + ' ' + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (line.endsWith(' '))
        line += '/';
    return line + ' ' + httpVersion.toUtf8();
}

QJsonArray headersJson(const QList<std::pair<QString, QString>> &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return array;
}

QString isoTime(qint64 wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(wallMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject entryFor(const RecordedConnection &c)
{
    const LogEvent *request = nullptr;
    const LogEvent *answer = nullptr;
    const LogEvent *open = nullptr;
    const LogEvent *refused = nullptr;
    QJsonArray messages;
    for (const LogEvent &e : c.events) {
        if (isAnswer(e) && !answer)
            answer = &e;
        else if (e.kind == EventKind::Handshake && !request)
            request = &e;
        else if (e.kind == EventKind::Open && !open)
            open = &e;
        else if (e.kind == EventKind::Refused && !refused)
            refused = &e;
        else if (isMessage(e)) {
            const bool text = e.kind == EventKind::Text;
            messages.append(QJsonObject{
                {QStringLiteral("type"), e.direction == Direction::Out ? QStringLiteral("send") : QStringLiteral("receive")},
                {QStringLiteral("time"), double(e.wallMs) / 1000.0},
                {QStringLiteral("opcode"), text ? kOpcodeText : kOpcodeBinary},
                {QStringLiteral("data"), text ? QString::fromUtf8(e.payload) : QString::fromLatin1(e.payload.toBase64())},
            });
        }
    }
    const qint64 startMs = c.events.isEmpty() ? 0 : c.events.first().wallMs;
    // A refusal holds the request head when the server turned the request away before logging it.
    const Head requestHead = parseHead(request ? request->payload : refused ? refused->payload : QByteArray());
    const QString method = requestHead.startLine.value(0, QStringLiteral("GET"));
    const QString target = requestHead.startLine.value(1, QStringLiteral("/"));
    const QString httpVersion = requestHead.startLine.value(2, QStringLiteral("HTTP/1.1"));
    QString url = c.url();
    if (url.isEmpty()) {
        // The server logs the request head, not a URL: rebuild it from Host and the target.
        QString host;
        for (const auto &[name, value] : requestHead.headers)
            if (name.compare(u"host", Qt::CaseInsensitive) == 0)
                host = value;
        url = QStringLiteral("ws://%1%2").arg(host.isEmpty() ? QStringLiteral("localhost") : host, target);
    }
    const Head answerHead = parseHead(answer ? answer->payload : QByteArray());
    int status = answerHead.startLine.value(1).toInt();
    if (status == 0)
        status = open ? 101 : refused ? refused->httpStatus : 0;
    QString statusText = answerHead.startLine.mid(2).join(u' ');
    if (statusText.isEmpty() && status == 101)
        statusText = QStringLiteral("Switching Protocols");
    QJsonObject entry{
        {QStringLiteral("startedDateTime"), isoTime(startMs)},
        {QStringLiteral("time"), double(open ? open->wallMs - startMs : 0)},
        {QStringLiteral("request"), QJsonObject{{QStringLiteral("method"), method},
                                                {QStringLiteral("url"), url},
                                                {QStringLiteral("httpVersion"), httpVersion},
                                                {QStringLiteral("headers"), headersJson(requestHead.headers)},
                                                {QStringLiteral("queryString"), QJsonArray{}},
                                                {QStringLiteral("cookies"), QJsonArray{}},
                                                {QStringLiteral("headersSize"), -1},
                                                {QStringLiteral("bodySize"), 0}}},
        {QStringLiteral("response"),
         QJsonObject{{QStringLiteral("status"), status},
                     {QStringLiteral("statusText"), statusText},
                     {QStringLiteral("httpVersion"), answerHead.startLine.value(0, httpVersion)},
                     {QStringLiteral("headers"), headersJson(answerHead.headers)},
                     {QStringLiteral("cookies"), QJsonArray{}},
                     {QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("size"), 0}, {QStringLiteral("mimeType"), QStringLiteral("x-unknown")}}},
                     {QStringLiteral("redirectURL"), QString()},
                     {QStringLiteral("headersSize"), -1},
                     {QStringLiteral("bodySize"), 0}}},
        {QStringLiteral("cache"), QJsonObject{}},
        {QStringLiteral("timings"), QJsonObject{{QStringLiteral("send"), 0}, {QStringLiteral("wait"), 0}, {QStringLiteral("receive"), 0}}},
        {QStringLiteral("_resourceType"), QStringLiteral("websocket")},
        {QStringLiteral("_webSocketMessages"), messages},
        // Not Chrome's: which WsLab endpoint this was, so a HAR read back names it as the log did.
        {QStringLiteral("_wslabEndpoint"), c.endpoint},
    };
    if (c.peer >= 0)
        entry[u"_wslabPeer"] = c.peer;
    return entry;
}

bool fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

bool readMessage(const QJsonValue &value, const QString &where, LogEvent *e, bool *skip, QString *error)
{
    if (!value.isObject())
        return fail(error, where + QStringLiteral(" is not an object"));
    const QJsonObject m = value.toObject();
    const QString type = m[u"type"].toString();
    if (type != u"send" && type != u"receive")
        return fail(error, where + QStringLiteral(": \"type\" must be \"send\" or \"receive\""));
    if (!m[u"time"].isDouble())
        return fail(error, where + QStringLiteral(": \"time\" must be a number of seconds since the epoch"));
    if (m.contains(u"data") && !m[u"data"].isString())
        return fail(error, where + QStringLiteral(": \"data\" must be a string"));
    const int opcode = m[u"opcode"].toInt(kOpcodeText);
    // Control frames, should a browser list them, are not messages to replay.
    *skip = opcode != kOpcodeText && opcode != kOpcodeBinary;
    if (*skip)
        return true;
    e->direction = type == u"send" ? Direction::Out : Direction::In;
    e->wallMs = std::llround(m[u"time"].toDouble() * 1000.0);
    const QString data = m[u"data"].toString();
    if (opcode == kOpcodeText) {
        e->kind = EventKind::Text;
        e->payload = data.toUtf8();
    } else {
        e->kind = EventKind::Binary;
        auto decoded = QByteArray::fromBase64Encoding(data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return fail(error, where + QStringLiteral(": binary \"data\" is not Base64"));
        e->payload = *decoded;
    }
    e->size = e->payload.size();
    return true;
}

bool readEntry(const QJsonObject &entry, const QString &where, int number, QList<LogEvent> *events, QString *error)
{
    const QJsonObject request = entry[u"request"].toObject();
    if (!request[u"url"].isString())
        return fail(error, where + QStringLiteral(": request.url is missing"));
    const QDateTime started = QDateTime::fromString(entry[u"startedDateTime"].toString(), Qt::ISODateWithMs);
    if (!started.isValid())
        return fail(error, where + QStringLiteral(": startedDateTime is not an ISO 8601 time"));
    if (entry.contains(u"_webSocketMessages") && !entry[u"_webSocketMessages"].isArray())
        return fail(error, where + QStringLiteral(": _webSocketMessages is not an array"));

    LogEvent base;
    base.endpoint = entry[u"_wslabEndpoint"].toString(QStringLiteral("connection %1").arg(number));
    base.peer = entry[u"_wslabPeer"].toInt(-1);
    const qint64 startMs = started.toMSecsSinceEpoch();

    const QUrl url(request[u"url"].toString());
    LogEvent handshake = base;
    handshake.kind = EventKind::Handshake;
    handshake.direction = base.peer >= 0 ? Direction::In : Direction::Out;
    handshake.wallMs = startMs;
    handshake.detail = url.toString(QUrl::RemoveUserInfo);
    const QJsonArray headers = request[u"headers"].toArray();
    if (!headers.isEmpty()) {
        handshake.payload = buildHead(requestLine(request[u"method"].toString(QStringLiteral("GET")), url,
                                                  request[u"httpVersion"].toString(QStringLiteral("HTTP/1.1"))),
                                      headers);
        handshake.size = handshake.payload.size();
    }
    events->append(handshake);

    const QJsonObject response = entry[u"response"].toObject();
    const int status = response[u"status"].toInt();
    // The answer's head, when the HAR has its headers (DevTools writes them; so does WsLab for a
    // server's log): the second handshake, as the server logs its answer and the inspector the answer it saw.
    if (const QJsonArray answerHeaders = response[u"headers"].toArray(); !answerHeaders.isEmpty()) {
        const QString statusLine = QStringLiteral("%1 %2 %3")
                                       .arg(response[u"httpVersion"].toString(QStringLiteral("HTTP/1.1")))
                                       .arg(status)
                                       .arg(response[u"statusText"].toString())
                                       .trimmed();
        LogEvent answer = base;
        answer.kind = EventKind::Handshake;
        answer.direction = base.peer >= 0 ? Direction::Out : Direction::In;
        answer.wallMs = startMs + std::llround(entry[u"time"].toDouble());
        answer.detail = statusLine.section(u' ', 1);
        answer.payload = buildHead(statusLine.toUtf8(), answerHeaders);
        answer.size = answer.payload.size();
        events->append(answer);
    }
    if (status == 101) {
        LogEvent open = base;
        open.kind = EventKind::Open;
        open.wallMs = startMs + std::llround(entry[u"time"].toDouble());
        events->append(open);
    } else if (status >= 200) {
        LogEvent refused = base;
        refused.kind = EventKind::Refused;
        refused.direction = Direction::Out;
        refused.wallMs = startMs;
        refused.httpStatus = status;
        events->append(refused);
    }

    const QJsonArray messages = entry[u"_webSocketMessages"].toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        LogEvent message = base;
        bool skip = false;
        if (!readMessage(messages[i], QStringLiteral("%1, message %2").arg(where).arg(i + 1), &message, &skip, error))
            return false;
        if (!skip)
            events->append(message);
    }
    return true;
}

} // namespace

QString RecordedConnection::url() const
{
    for (const LogEvent &e : events) {
        if (e.kind != EventKind::Handshake)
            continue;
        // A client's detail is the URL, then the subprotocols it offered.
        const QString first = e.detail.section(u' ', 0, 0);
        return first.startsWith(u"ws://") || first.startsWith(u"wss://") ? first : QString();
    }
    return {};
}

QList<LogEvent> RecordedConnection::outgoingMessages() const
{
    QList<LogEvent> out;
    for (const LogEvent &e : events)
        if (isMessage(e) && e.direction == Direction::Out)
            out.append(e);
    return out;
}

QList<RecordedConnection> splitConnections(const QList<LogEvent> &events)
{
    QList<RecordedConnection> connections;
    QHash<QString, qsizetype> current; // endpoint and peer -> index of its connection in progress
    QHash<QString, qsizetype> unanswered; // endpoint and a server's remote ADDRESS:PORT -> its request's connection
    for (const LogEvent &e : events) {
        if (e.kind == EventKind::Listening || e.kind == EventKind::Stopped)
            continue;
        const QString key = e.endpoint + u'\n' + QString::number(e.peer);
        if (e.kind == EventKind::Handshake && e.direction == Direction::In && e.peer < 0 && !isAnswer(e)) {
            // A server's request, logged before the peer has an id: its answer will name both.
            connections.append({e.endpoint, e.peer, {e}});
            unanswered.insert(e.endpoint + u'\n' + remoteOf(e), connections.size() - 1);
            continue;
        }
        auto it = current.find(key);
        if (isAnswer(e)) {
            const auto request = unanswered.constFind(e.endpoint + u'\n' + remoteOf(e));
            if (request != unanswered.constEnd()) {
                connections[*request].peer = e.peer;
                it = current.insert(key, *request);
                unanswered.erase(request);
            }
        }
        // A request starts a connection; so does a server peer's first event when the log was cut
        // before its handshake, and a refusal the server logged instead of the request. A client's
        // state changes before its first handshake belong to none.
        const bool starts = (e.kind == EventKind::Handshake && !isAnswer(e)) ||
                            (it == current.end() && (e.peer >= 0 || e.kind == EventKind::Refused || isAnswer(e)));
        if (starts) {
            connections.append({e.endpoint, e.peer, {}});
            it = current.insert(key, connections.size() - 1);
        } else if (it == current.end()) {
            continue;
        }
        connections[*it].events.append(e);
        if (e.kind == EventKind::Refused)
            current.erase(it); // nothing follows a refusal: the next one is another request's
    }
    return connections;
}

namespace Har {

QJsonObject toHar(const QList<LogEvent> &events)
{
    QJsonArray entries;
    for (const RecordedConnection &c : splitConnections(events))
        entries.append(entryFor(c));
    return QJsonObject{{QStringLiteral("log"),
                        QJsonObject{{QStringLiteral("version"), QStringLiteral("1.2")},
                                    {QStringLiteral("creator"), QJsonObject{{QStringLiteral("name"), kCreator},
                                                                            {QStringLiteral("version"), QStringLiteral(WSLAB_VERSION)}}},
                                    {QStringLiteral("pages"), QJsonArray{}},
                                    {QStringLiteral("entries"), entries}}}};
}

bool fromHar(const QJsonObject &har, QList<LogEvent> *events, QString *error)
{
    if (!har[u"log"].isObject())
        return fail(error, QStringLiteral("not a HAR file: no \"log\" object"));
    const QJsonObject log = har[u"log"].toObject();
    if (!log[u"entries"].isArray())
        return fail(error, QStringLiteral("not a HAR file: log.entries is not an array"));
    const QJsonArray entries = log[u"entries"].toArray();
    QList<LogEvent> read;
    int connection = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("entry %1").arg(i + 1);
        if (!entries[i].isObject())
            return fail(error, where + QStringLiteral(" is not an object"));
        const QJsonObject entry = entries[i].toObject();
        if (entry[u"_resourceType"].toString() != u"websocket" && !entry.contains(u"_webSocketMessages"))
            continue;
        if (!readEntry(entry, where, ++connection, &read, error))
            return false;
    }
    // Sequence numbers and the monotonic clock, which a HAR does not keep, follow the wall clock.
    // From the earliest, so none is negative whatever order the entries came in.
    qint64 firstMs = read.isEmpty() ? 0 : read.first().wallMs;
    for (const LogEvent &e : read)
        firstMs = std::min(firstMs, e.wallMs);
    for (qsizetype i = 0; i < read.size(); ++i) {
        read[i].seq = quint64(i);
        read[i].monoUs = (read[i].wallMs - firstMs) * 1000;
    }
    *events = std::move(read);
    return true;
}

bool write(const QList<LogEvent> &events, QIODevice *device, QString *error)
{
    const QByteArray json = QJsonDocument(toHar(events)).toJson(QJsonDocument::Indented);
    if (device->write(json) != json.size())
        return fail(error, device->errorString());
    return true;
}

bool read(QIODevice *device, QList<LogEvent> *events, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(device->readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("not JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(error, QStringLiteral("not a HAR file: the top level is not an object"));
    return fromHar(doc.object(), events, error);
}

} // namespace Har

namespace LogFile {

bool isHar(const QString &path)
{
    return QFileInfo(path).suffix().compare(u"har", Qt::CaseInsensitive) == 0;
}

bool read(const QString &path, QList<LogEvent> *events, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
    QString why;
    const bool ok = isHar(path) ? Har::read(&file, events, &why) : JsonLines::read(&file, events, &why);
    if (!ok)
        return fail(error, QStringLiteral("%1: %2").arg(path, why));
    return true;
}

bool write(const QString &path, const QList<LogEvent> &events, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
    QString why;
    bool ok = true;
    if (isHar(path)) {
        ok = Har::write(events, &file, &why);
    } else {
        for (const LogEvent &e : events) {
            const QByteArray line = JsonLines::toLine(e);
            if (file.write(line) != line.size()) {
                why = file.errorString();
                ok = false;
                break;
            }
        }
    }
    if (!ok)
        return fail(error, QStringLiteral("%1: %2").arg(path, why));
    return true;
}

} // namespace LogFile

} // namespace wslab
