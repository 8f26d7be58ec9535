#include "core/log/EventFormat.h"

#include "core/protocol/CloseCode.h"
#include "core/protocol/Frame.h"

#include <QDateTime>

namespace wslab::EventFormat {

QString timeOfDay(const LogEvent &event)
{
    return QDateTime::fromMSecsSinceEpoch(event.wallMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString arrow(Direction direction)
{
    switch (direction) {
    case Direction::In:
        return QStringLiteral("←");
    case Direction::Out:
        return QStringLiteral("→");
    case Direction::Local:
        return QStringLiteral("·");
    }
    return {};
}

QString hexPreview(const QByteArray &data, int maxBytes)
{
    QString out = QString::fromLatin1(data.left(maxBytes).toHex(' '));
    if (data.size() > maxBytes)
        out += QStringLiteral(" …");
    return out;
}

QString hexDump(const QByteArray &data)
{
    QString out;
    out.reserve(data.size() * 4 + 80);
    for (qsizetype offset = 0; offset < data.size(); offset += 16) {
        const QByteArray row = data.mid(offset, 16);
        QString hex;
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (i == 8)
                hex += u' ';
            if (i < row.size()) {
                const auto byte = quint8(row.at(i));
                hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += (byte >= 0x20 && byte < 0x7f) ? QChar(char16_t(byte)) : QChar(u'.');
            } else {
                hex += QStringLiteral("   ");
            }
        }
        out += QStringLiteral("%1  %2 |%3|\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    return out;
}

QString textPreview(const QByteArray &payload, int previewChars)
{
    QString text = QString::fromUtf8(payload.left(previewChars * 4));
    bool cut = payload.size() > previewChars * 4;
    if (text.size() > previewChars) {
        text.truncate(previewChars);
        cut = true;
    }
    text.replace(u'\n', QStringLiteral("⏎")).replace(u'\r', QStringLiteral("␍")).replace(u'\t', u' ');
    return cut ? text + QStringLiteral("…") : text;
}

namespace {

QString bytes(qint64 n)
{
    return n == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(n);
}

// "frame client→server Text FIN mask 37fa213d (5 bytes) Hello", then the rule it broke.
QString frameSummary(const LogEvent &e, int previewChars)
{
    const LogEvent::FrameHeader &f = e.frame;
    QString s = QStringLiteral("frame ") + (f.fromClient ? QStringLiteral("client→server ") : QStringLiteral("server→client ")) +
                Opcode::name(f.opcode);
    if (f.fin)
        s += QStringLiteral(" FIN");
    if (f.rsv != 0)
        s += QStringLiteral(" RSV%1%2%3").arg(f.rsv & 4 ? u'1' : u'-').arg(f.rsv & 2 ? u'1' : u'-').arg(f.rsv & 1 ? u'1' : u'-');
    if (f.masked)
        s += QStringLiteral(" mask %1").arg(f.maskKey, 8, 16, QLatin1Char('0'));
    s += QStringLiteral(" (%1)").arg(bytes(e.size));
    if (f.opcode == Opcode::Close && e.payload.size() >= 2) {
        const int code = (quint8(e.payload[0]) << 8) | quint8(e.payload[1]);
        s += u' ' + CloseCode::describe(code);
        if (e.payload.size() > 2)
            s += u' ' + textPreview(e.payload.mid(2), previewChars);
    } else if (!e.payload.isEmpty()) {
        const bool text = (f.opcode == Opcode::Text || f.opcode == Opcode::Continuation) && (f.rsv & 4) == 0;
        s += u' ' + (text ? textPreview(e.payload, previewChars) : hexPreview(e.payload, previewChars / 3));
    }
    if (!e.detail.isEmpty())
        s += QStringLiteral(" — ") + e.detail;
    return s;
}

} // namespace

QString summary(const LogEvent &e, int previewChars)
{
    switch (e.kind) {
    case EventKind::Text:
        return QStringLiteral("text (%1) %2").arg(bytes(e.size), textPreview(e.payload, previewChars));
    case EventKind::Binary:
        return QStringLiteral("binary (%1) %2").arg(bytes(e.size), hexPreview(e.payload, previewChars / 3));
    case EventKind::Ping:
        return e.payload.isEmpty() ? QStringLiteral("ping") : QStringLiteral("ping ") + textPreview(e.payload, previewChars);
    case EventKind::Pong:
        return e.rttUs >= 0 ? QStringLiteral("pong, RTT %1 ms").arg(double(e.rttUs) / 1000.0, 0, 'f', 3)
                            : QStringLiteral("pong (unsolicited)");
    case EventKind::Close: {
        QString s = QStringLiteral("close %1").arg(CloseCode::describe(e.closeCode));
        if (!e.detail.isEmpty())
            s += QStringLiteral(": ") + e.detail;
        return s;
    }
    case EventKind::Refused:
        return QStringLiteral("refused: ") + e.detail;
    case EventKind::Handshake:
        return QStringLiteral("handshake ") + e.detail;
    case EventKind::Open:
        return e.detail.isEmpty() ? QStringLiteral("open") : QStringLiteral("open ") + e.detail;
    case EventKind::Listening:
        return QStringLiteral("listening on ") + e.detail;
    case EventKind::Stopped:
        return QStringLiteral("stopped: ") + e.detail;
    case EventKind::Error:
        return QStringLiteral("error: ") + e.detail;
    case EventKind::State:
        return QStringLiteral("state ") + e.detail;
    case EventKind::RetryScheduled:
        // A log read from a file may lack the detail; the fields say the same.
        return e.detail.isEmpty() ? QStringLiteral("retry %1 in %2 ms").arg(e.attempt).arg(e.delayMs) : e.detail;
    case EventKind::HeartbeatTimeout:
        return QStringLiteral("heartbeat timeout: ") + e.detail;
    case EventKind::OutboxQueued:
        return QStringLiteral("queued (%1), %2 waiting in the outbox").arg(bytes(e.size)).arg(e.queued);
    case EventKind::OutboxFlushed:
        return e.flushed == 1 ? QStringLiteral("outbox flushed: 1 message sent")
                              : QStringLiteral("outbox flushed: %1 messages sent").arg(e.flushed);
    case EventKind::Info:
        return e.detail;
    case EventKind::Frame:
        return frameSummary(e, previewChars);
    }
    return e.detail;
}

QString line(const LogEvent &e)
{
    QString who = e.endpoint;
    if (e.peer >= 0)
        who += QStringLiteral(" #") + QString::number(e.peer);
    return timeOfDay(e) % u' ' % who % u' ' % arrow(e.direction) % u' ' % summary(e);
}

} // namespace wslab::EventFormat
