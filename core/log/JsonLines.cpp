#include "JsonLines.h"

#include "EventLog.h"
#include "protocol/CloseCode.h"

#include <QIODevice>
#include <QJsonDocument>

namespace wslab::JsonLines {

QJsonObject toJson(const LogEvent &e)
{
    QJsonObject o;
    o[u"seq"] = qint64(e.seq);
    o[u"mono_us"] = e.monoUs;
    o[u"wall_ms"] = e.wallMs;
    o[u"endpoint"] = e.endpoint;
    if (e.peer >= 0)
        o[u"peer"] = e.peer;
    o[u"dir"] = directionName(e.direction);
    o[u"kind"] = kindName(e.kind);
    o[u"size"] = e.size;
    if (e.code != 0)
        o[u"code"] = e.code;
    if (e.kind == EventKind::Close)
        o[u"close_name"] = CloseCode::name(e.code);
    if (!e.detail.isEmpty())
        o[u"detail"] = e.detail;
    if (!e.payload.isEmpty()) {
        if (e.kind == EventKind::Text)
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
    out.code = o[u"code"].toInt();
    out.detail = o[u"detail"].toString();
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
                *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(parseError.error != QJsonParseError::NoError ? parseError.errorString() : QStringLiteral("not a JSON object"));
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
