#include "core/server/MockRules.h"

#include "core/match/JsonFields.h"
#include "core/match/JsonPointer.h"
#include "core/protocol/CloseCode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace wslab {

namespace {

// The message as JSON for ${/pointer}: what the matcher parsed already, else parsed here.
std::optional<QJsonValue> messageJson(const InboundMessage &message, const Matcher::Outcome &outcome)
{
    if (outcome.json)
        return outcome.json;
    if (message.binary)
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(message.text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

// A value for between the quotes of a JSON string: the writer's escaping without its quotes.
QString jsonStringContent(const QString &value)
{
    const QString quoted = compactJson(QJsonValue(value));
    return quoted.mid(1, quoted.size() - 2);
}

// A regex group standing where a JSON value goes: as it is when it is one JSON value, else quoted.
QString groupAsJsonValue(const QString &group)
{
    QJsonParseError error{};
    const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray("[") + group.toUtf8() + ']', &error);
    if (error.error == QJsonParseError::NoError && wrapped.array().size() == 1)
        return group;
    return compactJson(QJsonValue(group));
}

std::optional<ReplyTemplate> templateAt(const QJsonObject &object, const QString &key, int groups, const QString &path)
{
    if (!object.contains(key))
        return std::nullopt;
    const QString at = path + u'/' + key;
    QString error;
    std::optional<ReplyTemplate> t = ReplyTemplate::fromString(requireString(object.value(key), at), groups, at, &error);
    if (!t)
        throw JsonFault{error};
    return t;
}

} // namespace

std::optional<ReplyTemplate> ReplyTemplate::fromString(const QString &text, int groups, const QString &path, QString *error)
{
    ReplyTemplate t;
    t.m_text = text;
    QString literal;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'$') {
            literal += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == u'$') {
            literal += u'$';
            ++i;
            continue;
        }
        if (i + 1 >= text.size() || text[i + 1] != u'{') {
            literal += u'$';
            continue;
        }
        const qsizetype close = text.indexOf(u'}', i + 2);
        if (close < 0) {
            *error = path + QStringLiteral(": \"${\" at offset %1 is never closed with \"}\" (write $$ for a literal $)").arg(i);
            return std::nullopt;
        }
        const QString inside = text.mid(i + 2, close - i - 2);
        Part part;
        if (inside.startsWith(u'/')) {
            if (!isValidJsonPointer(inside)) {
                *error = path + QStringLiteral(": ${%1} is not a JSON pointer (RFC 6901: \"/a/0/b\")").arg(inside);
                return std::nullopt;
            }
            part.kind = Part::Kind::Pointer;
            part.text = inside;
        } else {
            bool ok = false;
            part.group = inside.toInt(&ok);
            if (!ok || part.group < 0) {
                *error = path + QStringLiteral(": ${%1}: expected ${N} for a regex group or ${/pointer} for a JSON field").arg(inside);
                return std::nullopt;
            }
            if (part.group > groups) {
                *error = path + (groups < 0 ? QStringLiteral(": ${%1} needs a \"regex\" in the rule's match").arg(part.group)
                                            : QStringLiteral(": ${%1}, but the regex has %2 groups").arg(part.group).arg(groups));
                return std::nullopt;
            }
            part.kind = Part::Kind::Group;
        }
        if (!literal.isEmpty())
            t.m_parts.push_back({Part::Kind::Literal, std::exchange(literal, QString()), 0});
        t.m_parts.push_back(part);
        i = close;
    }
    if (!literal.isEmpty())
        t.m_parts.push_back({Part::Kind::Literal, literal, 0});
    t.classifyJson();
    return t;
}

void ReplyTemplate::classifyJson()
{
    // The template with each placeholder set aside (nothing inside a string, a 0 outside one) must
    // parse as a JSON object or array for its values to be escaped.
    bool inString = false;
    bool escaped = false;
    QString probe;
    for (Part &part : m_parts) {
        if (part.kind != Part::Kind::Literal) {
            part.inJsonString = inString;
            if (!inString)
                probe += u'0';
            continue;
        }
        probe += part.text;
        for (const QChar c : std::as_const(part.text)) {
            if (escaped)
                escaped = false;
            else if (inString && c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = !inString;
        }
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(probe.toUtf8(), &error);
    m_json = error.error == QJsonParseError::NoError && (document.isObject() || document.isArray());
}

QString ReplyTemplate::fill(const InboundMessage &message, const Matcher::Outcome &outcome) const
{
    QString out;
    std::optional<std::optional<QJsonValue>> json; // parsed once, on the first ${/pointer}
    for (const Part &part : m_parts) {
        const bool asJsonValue = m_json && !part.inJsonString;
        QString value;
        switch (part.kind) {
        case Part::Kind::Literal:
            out += part.text;
            continue;
        case Part::Kind::Group:
            value = outcome.captures.value(part.group);
            if (asJsonValue) {
                out += groupAsJsonValue(value);
                continue;
            }
            break;
        case Part::Kind::Pointer: {
            if (!json)
                json = messageJson(message, outcome);
            QJsonValue found;
            const bool present = *json && resolveJsonPointer(**json, part.text, &found);
            if (asJsonValue) {
                out += present ? compactJson(found) : QStringLiteral("null");
                continue;
            }
            if (present)
                value = found.isString() ? found.toString() : compactJson(found);
            break;
        }
        }
        out += m_json ? jsonStringContent(value) : value;
    }
    return out;
}

QString MockRule::actionSummary() const
{
    if (ignore)
        return QStringLiteral("ignore");
    QStringList parts;
    if (reply)
        parts << QStringLiteral("reply");
    if (broadcast)
        parts << QStringLiteral("broadcast");
    if (closeCode)
        parts << QStringLiteral("close %1").arg(*closeCode);
    QString summary = parts.join(QStringLiteral(", "));
    if (delay.count() > 0)
        summary += QStringLiteral(" after %1 ms").arg(delay.count());
    return summary;
}

QJsonObject MockRule::toJson() const
{
    QJsonObject out{{QStringLiteral("match"), match.toJson()}};
    if (!name.isEmpty())
        out.insert(QStringLiteral("name"), name);
    if (reply)
        out.insert(QStringLiteral("reply"), reply->text());
    if (broadcast)
        out.insert(QStringLiteral("broadcast"), broadcast->text());
    if (closeCode) {
        if (closeReason.isEmpty())
            out.insert(QStringLiteral("close"), *closeCode);
        else
            out.insert(QStringLiteral("close"), QJsonObject{{QStringLiteral("code"), *closeCode}, {QStringLiteral("reason"), closeReason}});
    }
    if (delay.count() > 0)
        out.insert(QStringLiteral("delay_ms"), qint64(delay.count()));
    if (ignore)
        out.insert(QStringLiteral("ignore"), true);
    return out;
}

QByteArray MockRules::toJson() const
{
    QJsonArray array;
    for (const MockRule &rule : rules)
        array.append(rule.toJson());
    QJsonObject root{{QStringLiteral("version"), kVersion}, {QStringLiteral("rules"), array}};
    if (!description.isEmpty())
        root.insert(QStringLiteral("description"), description);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<MockRules> MockRules::fromJson(const QByteArray &json, QString *error)
{
    MockRules out;
    try {
        const QJsonObject root = parseJsonFile(json);
        allowOnlyKeys(root, QString(), {QStringLiteral("version"), QStringLiteral("description"), QStringLiteral("rules")});
        requireVersion(root, kVersion);
        if (root.contains(u"description"))
            out.description = requireString(root.value(u"description"), QStringLiteral("/description"));
        const QJsonValue rules = root.value(u"rules");
        if (!rules.isArray() || rules.toArray().isEmpty())
            throwJsonFault(QStringLiteral("/rules"), QStringLiteral("expected a non-empty array of rules, got ") +
                                                         (rules.isArray() ? QStringLiteral("an empty one") : jsonTypeName(rules)));
        const QJsonArray array = rules.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = QStringLiteral("/rules/%1").arg(i);
            if (!array.at(i).isObject())
                throwJsonFault(path, QStringLiteral("expected a rule object, got ") + jsonTypeName(array.at(i)));
            const QJsonObject object = array.at(i).toObject();
            allowOnlyKeys(object, path,
                          {QStringLiteral("name"), QStringLiteral("match"), QStringLiteral("reply"), QStringLiteral("broadcast"),
                           QStringLiteral("close"), QStringLiteral("delay_ms"), QStringLiteral("ignore")});
            if (!object.contains(u"match"))
                throwJsonFault(path, QStringLiteral("no \"match\" (use {\"regex\": \"\"} to match every text message)"));
            QString matchError;
            std::optional<Matcher> match = Matcher::fromJson(object.value(u"match"), path + QStringLiteral("/match"), &matchError);
            if (!match)
                throw JsonFault{matchError};
            MockRule rule{object.contains(u"name") ? requireString(object.value(u"name"), path + QStringLiteral("/name")) : QString(),
                          path,
                          std::move(*match),
                          {},
                          {},
                          {},
                          {},
                          {},
                          false};
            const int groups = rule.match.regexGroups();
            rule.reply = templateAt(object, QStringLiteral("reply"), groups, path);
            rule.broadcast = templateAt(object, QStringLiteral("broadcast"), groups, path);
            if (object.contains(u"close")) {
                const QString at = path + QStringLiteral("/close");
                const QJsonValue close = object.value(u"close");
                QJsonObject closeObject = close.isDouble() ? QJsonObject{{QStringLiteral("code"), close}} : close.toObject();
                if (!close.isDouble() && !close.isObject())
                    throwJsonFault(at, QStringLiteral("expected a close code or {\"code\", \"reason\"}, got ") + jsonTypeName(close));
                allowOnlyKeys(closeObject, at, {QStringLiteral("code"), QStringLiteral("reason")});
                const QString codePath = close.isDouble() ? at : at + QStringLiteral("/code");
                rule.closeCode = int(requireWhole(closeObject.value(u"code"), codePath, 1000, 4999));
                if (closeObject.contains(u"reason"))
                    rule.closeReason = requireString(closeObject.value(u"reason"), at + QStringLiteral("/reason"));
                QString whyNot;
                if (!CloseCode::isSendableClose(*rule.closeCode, rule.closeReason, &whyNot))
                    throwJsonFault(codePath, whyNot);
            }
            if (object.contains(u"delay_ms"))
                rule.delay = requireMillis(object.value(u"delay_ms"), path + QStringLiteral("/delay_ms"), 0);
            if (object.contains(u"ignore"))
                rule.ignore = requireBool(object.value(u"ignore"), path + QStringLiteral("/ignore"));
            const bool acts = rule.reply || rule.broadcast || rule.closeCode;
            if (rule.ignore && (acts || rule.delay.count() > 0))
                throwJsonFault(path + QStringLiteral("/ignore"), QStringLiteral("an ignoring rule does nothing else"));
            if (!rule.ignore && !acts)
                throwJsonFault(path, QStringLiteral("no action (reply, broadcast, close or \"ignore\": true)"));
            out.rules.push_back(std::move(rule));
        }
    } catch (const JsonFault &f) {
        *error = f.message;
        return std::nullopt;
    }
    return out;
}

const MockRule *MockRules::firstMatch(const InboundMessage &message, Matcher::Outcome *outcome) const
{
    for (const MockRule &rule : rules) {
        Matcher::Outcome o = rule.match.match(message);
        if (o.matched) {
            *outcome = std::move(o);
            return &rule;
        }
    }
    return nullptr;
}

std::optional<MockAnswer> MockRules::answer(const InboundMessage &message) const
{
    Matcher::Outcome outcome;
    const MockRule *rule = firstMatch(message, &outcome);
    if (!rule)
        return std::nullopt;
    MockAnswer out;
    out.rule = rule;
    if (rule->reply)
        out.reply = rule->reply->fill(message, outcome);
    if (rule->broadcast)
        out.broadcast = rule->broadcast->fill(message, outcome);
    out.closeCode = rule->closeCode;
    out.closeReason = rule->closeReason;
    return out;
}

} // namespace wslab
