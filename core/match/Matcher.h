#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace wslab {

// One whole message as it arrived, text or binary: what a scenario's expect and a mock rule judge.
struct InboundMessage
{
    bool binary = false;
    QString text; // text messages
    QByteArray data; // binary messages

    static InboundMessage fromText(const QString &text) { return {false, text, {}}; }
    static InboundMessage fromBinary(const QByteArray &data) { return {true, {}, data}; }
    // For a failure line: 'text "…"' or 'binary N bytes 0a0b…', cut to a readable length.
    QString describe() const;
};

// The conditions a message must all meet, written as a JSON object (docs/scenarios.md, docs/mock-rules.md):
//   "text": exact text          "contains": a substring      "regex": a QRegularExpression (searched)
//   "json": {"/pointer": value} the text is JSON and each RFC 6901 pointer holds that value
//   "exists": ["/pointer"]      the text is JSON and each pointer names something
//   "hex" / "base64": a binary message with exactly these bytes
// A bare JSON string is short for {"text": …}. One definition shared by scenarios and mock rules.
class Matcher
{
public:
    struct Outcome
    {
        bool matched = false;
        QString mismatch; // why not, in one phrase, when !matched
        QStringList captures; // the regex's groups, [0] the whole match; empty without "regex"
        std::optional<QJsonValue> json; // the message as JSON, when it is JSON (parsed for json/exists only)
    };

    // The matcher `spec` describes, or nullopt with *error naming the JSON path (`path` is spec's own).
    static std::optional<Matcher> fromJson(const QJsonValue &spec, const QString &path, QString *error);

    Outcome match(const InboundMessage &message) const;
    // The conditions written back as the object fromJson reads (bytes as "hex"): parsing it gives
    // a matcher that judges every message the same, so an editor saves what a file said.
    QJsonObject toJson() const;
    // How many capture groups its regex has; -1 without a regex.
    int regexGroups() const { return m_regex ? m_regex->captureCount() : -1; }
    // What it looks for, in one phrase: 'text "hello"', 'regex ^a, /type = "welcome"'.
    QString describe() const;

private:
    std::optional<QString> m_text;
    std::optional<QString> m_contains;
    std::optional<QRegularExpression> m_regex;
    QList<QPair<QString, QJsonValue>> m_equals;
    QStringList m_exists;
    std::optional<QByteArray> m_bytes;
};

// A JSON value in one line (strings quoted), as matchers and failure lines show it.
QString compactJson(const QJsonValue &value);
// Bytes written as "hex" (spaces allowed) or "base64", as scenarios and rules write binary messages;
// false when `written` is not valid in that encoding.
bool decodeBytes(const QString &encoding, const QString &written, QByteArray *bytes);
// "string", "number", "object"…: what a parser's error line says it found instead.
QString jsonTypeName(const QJsonValue &value);

} // namespace wslab
