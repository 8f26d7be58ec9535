#pragma once

// A HAR file as a browser's developer tools save it, shared by the tests that open, convert and replay one.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace wslab::test {

// Two WebSocket connections as Chrome saves them: the first sends a1 a2, the second b1 b2 b3, 40 ms
// apart, each message answered 1 ms later with "recorded <text>" (so a reply of the recording is never
// mistaken for a live echo). `badMessage` spoils the second connection's second message.
inline QByteArray recordingHar(bool badMessage = false)
{
    const auto message = [](const QString &type, double time, const QString &text) {
        return QJsonObject{
            {QStringLiteral("type"), type}, {QStringLiteral("time"), time}, {QStringLiteral("opcode"), 1}, {QStringLiteral("data"), text}};
    };
    QJsonArray entries;
    const QList<QStringList> connections{{QStringLiteral("a1"), QStringLiteral("a2")},
                                         {QStringLiteral("b1"), QStringLiteral("b2"), QStringLiteral("b3")}};
    double time = 1796119201.0;
    for (const QStringList &sent : connections) {
        QJsonArray messages;
        for (const QString &text : sent) {
            messages.append(message(QStringLiteral("send"), time, text));
            messages.append(message(QStringLiteral("receive"), time + 0.001, QStringLiteral("recorded ") + text));
            time += 0.04;
        }
        if (badMessage && entries.size() == 1)
            messages[1] = QJsonObject{{QStringLiteral("type"), QStringLiteral("sideways")}};
        entries.append(QJsonObject{
            {QStringLiteral("startedDateTime"), QStringLiteral("2026-12-01T10:00:00.000Z")},
            {QStringLiteral("time"), 3.5},
            {QStringLiteral("_resourceType"), QStringLiteral("websocket")},
            {QStringLiteral("_initiator"), QJsonObject{{QStringLiteral("type"), QStringLiteral("script")}}},
            {QStringLiteral("request"), QJsonObject{{QStringLiteral("method"), QStringLiteral("GET")},
                                                    {QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:9/")},
                                                    {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                                                    {QStringLiteral("headers"), QJsonArray{}}}},
            {QStringLiteral("response"),
             QJsonObject{{QStringLiteral("status"), 101}, {QStringLiteral("statusText"), QStringLiteral("Switching Protocols")}}},
            {QStringLiteral("_webSocketMessages"), messages},
        });
    }
    const QJsonObject log{{QStringLiteral("version"), QStringLiteral("1.2")}, {QStringLiteral("entries"), entries}};
    return QJsonDocument(QJsonObject{{QStringLiteral("log"), log}}).toJson();
}

} // namespace wslab::test
