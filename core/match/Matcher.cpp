#include "core/match/Matcher.h"

#include "core/match/JsonPointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cctype>

namespace wslab {

namespace {

constexpr qsizetype kShownChars = 200;
constexpr qsizetype kShownBytes = 32;

QString quoted(const QString &text)
{
    return compactJson(QJsonValue(text));
}

QString cut(const QString &text, qsizetype limit)
{
    return text.size() <= limit ? text : text.left(limit) + QStringLiteral("…");
}

} // namespace

QString InboundMessage::describe() const
{
    if (!binary)
        return QStringLiteral("text ") + quoted(cut(text, kShownChars));
    return QStringLiteral("binary %1 bytes %2%3")
        .arg(data.size())
        .arg(QString::fromLatin1(data.left(kShownBytes).toHex()))
        .arg(data.size() > kShownBytes ? QStringLiteral("…") : QString());
}

QString compactJson(const QJsonValue &value)
{
    // QJsonDocument writes only arrays and objects; wrapping in an array covers every value.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

bool decodeBytes(const QString &encoding, const QString &written, QByteArray *bytes)
{
    const QByteArray ascii = written.toLatin1();
    if (encoding == u"hex") {
        const QByteArray clean = QByteArray(ascii).replace(' ', QByteArray());
        if (clean.size() % 2 != 0)
            return false;
        for (const char c : clean) {
            if (!std::isxdigit(static_cast<unsigned char>(c)))
                return false;
        }
        *bytes = QByteArray::fromHex(clean);
        return true;
    }
    const auto decoded = QByteArray::fromBase64Encoding(ascii, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    *bytes = decoded.decoded;
    return true;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

std::optional<Matcher> Matcher::fromJson(const QJsonValue &spec, const QString &path, QString *error)
{
    Matcher m;
    if (spec.isString()) {
        m.m_text = spec.toString();
        return m;
    }
    if (!spec.isObject()) {
        *error = path + QStringLiteral(": expected a string or an object of conditions, got ") + jsonTypeName(spec);
        return std::nullopt;
    }
    const QJsonObject object = spec.toObject();
    if (object.isEmpty()) {
        *error = path + QStringLiteral(": no condition (text, contains, regex, json, exists, hex or base64)");
        return std::nullopt;
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const QString at = path + u'/' + key;
        const QJsonValue value = it.value();
        const bool wantsString = key == u"text" || key == u"contains" || key == u"regex" || key == u"hex" || key == u"base64";
        if (wantsString && !value.isString()) {
            *error = at + QStringLiteral(": expected a string, got ") + jsonTypeName(value);
            return std::nullopt;
        }
        if (key == u"text") {
            m.m_text = value.toString();
        } else if (key == u"contains") {
            m.m_contains = value.toString();
        } else if (key == u"regex") {
            QRegularExpression regex(value.toString());
            if (!regex.isValid()) {
                *error = at + QStringLiteral(": invalid regular expression: %1 at offset %2")
                                  .arg(regex.errorString())
                                  .arg(regex.patternErrorOffset());
                return std::nullopt;
            }
            m.m_regex = regex;
        } else if (key == u"hex" || key == u"base64") {
            QByteArray bytes;
            if (!decodeBytes(key, value.toString(), &bytes)) {
                *error = at + QStringLiteral(": not valid ") + key;
                return std::nullopt;
            }
            m.m_bytes = bytes;
        } else if (key == u"json") {
            if (!value.isObject() || value.toObject().isEmpty()) {
                *error = at + QStringLiteral(": expected an object of {\"/pointer\": value}, got ") + jsonTypeName(value);
                return std::nullopt;
            }
            const QJsonObject pairs = value.toObject();
            for (auto p = pairs.constBegin(); p != pairs.constEnd(); ++p) {
                if (!isValidJsonPointer(p.key())) {
                    *error = at + QStringLiteral(": \"%1\" is not a JSON pointer (RFC 6901: \"/a/0/b\")").arg(p.key());
                    return std::nullopt;
                }
                m.m_equals.append({p.key(), p.value()});
            }
        } else if (key == u"exists") {
            const QJsonArray pointers = value.isString() ? QJsonArray{value} : value.toArray();
            if (pointers.isEmpty()) {
                *error = at + QStringLiteral(": expected a JSON pointer or an array of them, got ") + jsonTypeName(value);
                return std::nullopt;
            }
            for (qsizetype i = 0; i < pointers.size(); ++i) {
                if (!pointers.at(i).isString() || !isValidJsonPointer(pointers.at(i).toString())) {
                    *error = (value.isString() ? at : at + u'/' + QString::number(i)) +
                             QStringLiteral(": not a JSON pointer (RFC 6901: \"/a/0/b\")");
                    return std::nullopt;
                }
                m.m_exists.append(pointers.at(i).toString());
            }
        } else {
            *error = at + QStringLiteral(": unknown condition (text, contains, regex, json, exists, hex or base64)");
            return std::nullopt;
        }
    }
    if (m.m_bytes && (m.m_text || m.m_contains || m.m_regex || !m.m_equals.isEmpty() || !m.m_exists.isEmpty())) {
        *error = path + QStringLiteral(": hex or base64 (a binary message) cannot be combined with text conditions");
        return std::nullopt;
    }
    return m;
}

Matcher::Outcome Matcher::match(const InboundMessage &message) const
{
    Outcome out;
    if (m_bytes) {
        if (!message.binary)
            out.mismatch = QStringLiteral("expected a binary message");
        else if (message.data != *m_bytes)
            out.mismatch = QStringLiteral("other bytes");
        else
            out.matched = true;
        return out;
    }
    if (message.binary) {
        out.mismatch = QStringLiteral("expected a text message");
        return out;
    }
    const QString &text = message.text;
    if (m_text && text != *m_text) {
        out.mismatch = QStringLiteral("expected text ") + quoted(cut(*m_text, kShownChars));
        return out;
    }
    if (m_contains && !text.contains(*m_contains)) {
        out.mismatch = QStringLiteral("expected it to contain ") + quoted(*m_contains);
        return out;
    }
    if (m_regex) {
        const QRegularExpressionMatch found = m_regex->match(text);
        if (!found.hasMatch()) {
            out.mismatch = QStringLiteral("expected a match for regex ") + m_regex->pattern();
            return out;
        }
        out.captures = found.capturedTexts();
    }
    if (!m_equals.isEmpty() || !m_exists.isEmpty()) {
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            out.mismatch = QStringLiteral("expected JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset);
            return out;
        }
        const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        for (const auto &[pointer, wanted] : m_equals) {
            QJsonValue found;
            if (!resolveJsonPointer(root, pointer, &found)) {
                out.mismatch = QStringLiteral("expected %1 = %2, but %1 is missing").arg(pointer, cut(compactJson(wanted), kShownChars));
                return out;
            }
            if (found != wanted) {
                out.mismatch = QStringLiteral("expected %1 = %2, got %3")
                                   .arg(pointer, cut(compactJson(wanted), kShownChars), cut(compactJson(found), kShownChars));
                return out;
            }
        }
        for (const QString &pointer : m_exists) {
            QJsonValue found;
            if (!resolveJsonPointer(root, pointer, &found)) {
                out.mismatch = QStringLiteral("expected %1 to exist").arg(pointer);
                return out;
            }
        }
        out.json = root;
    }
    out.matched = true;
    return out;
}

QJsonObject Matcher::toJson() const
{
    QJsonObject out;
    if (m_bytes)
        out.insert(QStringLiteral("hex"), QString::fromLatin1(m_bytes->toHex()));
    if (m_text)
        out.insert(QStringLiteral("text"), *m_text);
    if (m_contains)
        out.insert(QStringLiteral("contains"), *m_contains);
    if (m_regex)
        out.insert(QStringLiteral("regex"), m_regex->pattern());
    if (!m_equals.isEmpty()) {
        QJsonObject pairs;
        for (const auto &[pointer, wanted] : m_equals)
            pairs.insert(pointer, wanted);
        out.insert(QStringLiteral("json"), pairs);
    }
    if (m_exists.size() == 1)
        out.insert(QStringLiteral("exists"), m_exists.first());
    else if (!m_exists.isEmpty())
        out.insert(QStringLiteral("exists"), QJsonArray::fromStringList(m_exists));
    return out;
}

QString Matcher::describe() const
{
    QStringList parts;
    if (m_bytes)
        parts << QStringLiteral("binary %1 bytes").arg(m_bytes->size());
    if (m_text)
        parts << QStringLiteral("text ") + quoted(cut(*m_text, kShownChars));
    if (m_contains)
        parts << QStringLiteral("contains ") + quoted(*m_contains);
    if (m_regex)
        parts << QStringLiteral("regex ") + m_regex->pattern();
    for (const auto &[pointer, wanted] : m_equals)
        parts << pointer + QStringLiteral(" = ") + cut(compactJson(wanted), kShownChars);
    for (const QString &pointer : m_exists)
        parts << pointer + QStringLiteral(" exists");
    return parts.join(QStringLiteral(", "));
}

} // namespace wslab
