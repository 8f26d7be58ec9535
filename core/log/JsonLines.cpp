#include "core/log/JsonLines.h"

#include "core/log/EventLog.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Frame.h"
#include "core/protocol/Utf8Validator.h"

#include <QIODevice>
#include <QJsonDocument>

namespace wslab::JsonLines {

namespace {

void putCloseCode(QJsonObject &o, int code)
{
    o[u"close_code"] = code;
    o[u"close_name"] = CloseCode::name(code);
}

// Version 1 had one "code", written when not 0, whose meaning depended on the kind, and kept a
// retry's delay in "size".
void readVersion1(const QJsonObject &o, LogEvent *e)
{
    const qint64 code = o[u"code"].toInteger();
    switch (e->kind) {
    case EventKind::Close:
        e->closeCode = int(code);
        break;
    case EventKind::Refused:
        e->httpStatus = int(code);
        break;
    case EventKind::Error:
        // Close codes (1002 from the FrameGuard, Qt's upgrade failures) and socket errors shared it;
        // socket errors stay far below 1000. A missing code was either none or socket error 0
        // (connection refused), which cannot be told apart: the detail's text still says which.
        if (code >= 1000)
            e->closeCode = int(code);
        else if (o.contains(u"code"))
            e->socketError = int(code);
        break;
    case EventKind::Pong:
        e->rttUs = code;
        break; // -1 was unsolicited; a missing code was 0 µs
    case EventKind::RetryScheduled:
        e->attempt = int(code);
        e->delayMs = e->size;
        e->size = 0;
        break;
    case EventKind::OutboxQueued:
        e->queued = int(code);
        break;
    case EventKind::OutboxFlushed:
        e->flushed = int(code);
        break;
    default:
        break;
    }
}

void putFrame(QJsonObject &o, const LogEvent &e)
{
    o[u"from"] = e.frame.fromClient ? QStringLiteral("client") : QStringLiteral("server");
    o[u"fin"] = e.frame.fin;
    o[u"rsv"] = e.frame.rsv;
    o[u"opcode"] = e.frame.opcode;
    o[u"masked"] = e.frame.masked;
    if (e.frame.masked)
        o[u"mask_key"] = QStringLiteral("%1").arg(e.frame.maskKey, 8, 16, QLatin1Char('0'));
    o[u"length"] = e.size;
    o[u"header_size"] = e.frame.headerSize;
    if (!e.detail.isEmpty())
        o[u"error"] = e.detail;
}

void readFrame(const QJsonObject &o, LogEvent *e)
{
    e->frame.fromClient = o[u"from"].toString() == u"client";
    e->frame.fin = o[u"fin"].toBool();
    e->frame.rsv = quint8(o[u"rsv"].toInt() & 7);
    e->frame.opcode = quint8(o[u"opcode"].toInt() & 0xF);
    e->frame.masked = o[u"masked"].toBool();
    e->frame.maskKey = o[u"mask_key"].toString().toUInt(nullptr, 16);
    e->frame.headerSize = quint8(o[u"header_size"].toInt());
    e->detail = o[u"error"].toString();
}

// A frame's payload reads as text only when it is an uncompressed text frame whose bytes are whole
// UTF-8; anything else (binary, control, compressed, cut inside a character) stays exact as Base64.
bool frameIsText(const LogEvent &e)
{
    if (e.frame.opcode != Opcode::Text || (e.frame.rsv & 4) != 0)
        return false;
    Utf8Validator utf8;
    utf8.feed(e.payload);
    return utf8.isComplete();
}

} // namespace

QJsonObject toJson(const LogEvent &e)
{
    QJsonObject o;
    o[u"v"] = kVersion;
    o[u"seq"] = qint64(e.seq);
    o[u"mono_us"] = e.monoUs;
    o[u"wall_ms"] = e.wallMs;
    o[u"endpoint"] = e.endpoint;
    if (e.peer >= 0)
        o[u"peer"] = e.peer;
    o[u"dir"] = directionName(e.direction);
    o[u"kind"] = kindName(e.kind);
    o[u"size"] = e.size;
    // Each kind writes the fields it gives a meaning to, and only those (docs/log-format.md).
    switch (e.kind) {
    case EventKind::Close:
        putCloseCode(o, e.closeCode);
        break;
    case EventKind::Refused:
        o[u"http_status"] = e.httpStatus;
        break;
    case EventKind::Error:
        if (e.closeCode != 0)
            putCloseCode(o, e.closeCode);
        if (e.httpStatus != 0)
            o[u"http_status"] = e.httpStatus;
        if (e.socketError >= 0)
            o[u"socket_error"] = e.socketError;
        break;
    case EventKind::Pong:
        if (e.rttUs >= 0)
            o[u"rtt_us"] = e.rttUs;
        break;
    case EventKind::RetryScheduled:
        o[u"attempt"] = e.attempt;
        o[u"delay_ms"] = e.delayMs;
        break;
    case EventKind::OutboxQueued:
        o[u"queued"] = e.queued;
        break;
    case EventKind::OutboxFlushed:
        o[u"flushed"] = e.flushed;
        break;
    case EventKind::Frame:
        putFrame(o, e);
        break;
    default:
        break;
    }
    if (!e.detail.isEmpty() && e.kind != EventKind::Frame)
        o[u"detail"] = e.detail;
    if (!e.payload.isEmpty()) {
        if (e.kind == EventKind::Text || (e.kind == EventKind::Frame && frameIsText(e)))
            o[u"text"] = QString::fromUtf8(e.payload);
        else
            o[u"base64"] = QString::fromLatin1(e.payload.toBase64());
    }
    if (e.isTruncated())
        o[u"truncated"] = true;
    return o;
}

bool fromJson(const QJsonObject &o, LogEvent *e, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const qint64 version = o.contains(u"v") ? o[u"v"].toInteger(-1) : 1;
    if (version > kVersion)
        return fail(QStringLiteral("schema version %1 is newer than this WsLab reads (up to %2)").arg(version).arg(kVersion));
    if (version < 1)
        return fail(QStringLiteral("schema version \"%1\" is not a version").arg(o[u"v"].toVariant().toString()));
    LogEvent out;
    if (!kindFromName(o[u"kind"].toString(), &out.kind))
        return fail(QStringLiteral("unknown kind \"%1\"").arg(o[u"kind"].toString()));
    if (!directionFromName(o[u"dir"].toString(), &out.direction))
        return fail(QStringLiteral("unknown direction \"%1\"").arg(o[u"dir"].toString()));
    out.seq = quint64(o[u"seq"].toInteger());
    out.monoUs = o[u"mono_us"].toInteger();
    out.wallMs = o[u"wall_ms"].toInteger();
    out.endpoint = o[u"endpoint"].toString();
    out.peer = o.contains(u"peer") ? o[u"peer"].toInt() : -1;
    out.size = o[u"size"].toInteger();
    if (version == 1) {
        readVersion1(o, &out);
    } else {
        out.closeCode = o[u"close_code"].toInt();
        out.httpStatus = o[u"http_status"].toInt();
        out.socketError = o[u"socket_error"].toInt(-1);
        out.attempt = o[u"attempt"].toInt();
        out.queued = o[u"queued"].toInt();
        out.flushed = o[u"flushed"].toInt();
        out.delayMs = o[u"delay_ms"].toInteger();
        out.rttUs = o[u"rtt_us"].toInteger(-1);
    }
    out.detail = o[u"detail"].toString();
    if (out.kind == EventKind::Frame)
        readFrame(o, &out);
    if (o.contains(u"text"))
        out.payload = o[u"text"].toString().toUtf8();
    else if (o.contains(u"base64"))
        out.payload = QByteArray::fromBase64(o[u"base64"].toString().toLatin1());
    *e = std::move(out);
    return true;
}

QByteArray toLine(const LogEvent &event)
{
    return QJsonDocument(toJson(event)).toJson(QJsonDocument::Compact) + '\n';
}

bool write(const EventLog &log, QIODevice *device, QString *error)
{
    for (qsizetype i = 0; i < log.size(); ++i) {
        const QByteArray line = toLine(log.at(i));
        if (device->write(line) != line.size()) {
            if (error)
                *error = device->errorString();
            return false;
        }
    }
    return true;
}

bool read(QIODevice *device, QList<LogEvent> *events, QString *error)
{
    int lineNumber = 0;
    while (!device->atEnd()) {
        const QByteArray line = device->readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (!doc.isObject()) {
            if (error)
                *error =
                    QStringLiteral("line %1: %2")
                        .arg(lineNumber)
                        .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString() : QStringLiteral("not a JSON object"));
            return false;
        }
        LogEvent e;
        QString why;
        if (!fromJson(doc.object(), &e, &why)) {
            if (error)
                *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(why);
            return false;
        }
        events->append(std::move(e));
    }
    return true;
}

} // namespace wslab::JsonLines
