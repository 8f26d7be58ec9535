#include "core/scenario/Scenario.h"

#include "core/client/WebSocketUrl.h"
#include "core/match/JsonFields.h"
#include "core/protocol/CloseCode.h"

#include <QJsonArray>
#include <QJsonObject>

#include <functional>

namespace wslab {

namespace {

QUrl resolveUrl(const QString &written, const QUrl &base, const QString &path)
{
    if (written.startsWith(u'/')) {
        if (!base.isValid())
            throwJsonFault(path, QStringLiteral("a relative URL needs the scenario's \"url\" or --url"));
        return base.resolved(QUrl(written));
    }
    QString error;
    const QUrl url = webSocketUrlFromUserInput(written, &error);
    if (!error.isEmpty())
        throwJsonFault(path, error);
    return url;
}

class Parser
{
public:
    explicit Parser(Scenario &scenario)
        : m_scenario(scenario)
    {
    }

    std::vector<ScenarioStep> steps(const QJsonValue &value, const QString &path, qint64 multiplier)
    {
        if (!value.isArray() || value.toArray().isEmpty())
            throwJsonFault(path, QStringLiteral("expected a non-empty array of steps, got ") +
                                     (value.isArray() ? QStringLiteral("an empty one") : jsonTypeName(value)));
        std::vector<ScenarioStep> out;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            out.push_back(step(array.at(i), path + u'/' + QString::number(i), multiplier));
        return out;
    }

private:
    ScenarioStep step(const QJsonValue &value, const QString &path, qint64 multiplier)
    {
        if (!value.isObject())
            throwJsonFault(path, QStringLiteral("expected a step object, got ") + jsonTypeName(value));
        const QJsonObject object = value.toObject();
        static const QStringList actions{QStringLiteral("connect"),      QStringLiteral("send"), QStringLiteral("expect"),
                                         QStringLiteral("expect_close"), QStringLiteral("wait"), QStringLiteral("repeat"),
                                         QStringLiteral("close")};
        QStringList found;
        for (const QString &action : actions) {
            if (object.contains(action))
                found << action;
        }
        if (found.size() != 1)
            throwJsonFault(path, found.isEmpty() ? QStringLiteral("no action (one of %1)").arg(actions.join(QStringLiteral(", ")))
                                                 : QStringLiteral("one action per step, got %1").arg(found.join(QStringLiteral(" and "))));
        const QString action = found.first();
        const QString at = path + u'/' + action;
        const QJsonValue body = object.value(action);

        ScenarioStep s;
        s.path = path;
        s.name = object.contains(u"name") ? requireString(object.value(u"name"), path + QStringLiteral("/name")) : QString();
        s.connection = object.contains(u"connection") ? requireString(object.value(u"connection"), path + QStringLiteral("/connection"))
                                                      : Scenario::kDefaultConnection;
        if (s.connection.isEmpty())
            throwJsonFault(path + QStringLiteral("/connection"), QStringLiteral("a connection needs a name"));
        s.timeout = object.contains(u"timeout_ms") ? requireMillis(object.value(u"timeout_ms"), path + QStringLiteral("/timeout_ms"), 1)
                                                   : m_scenario.timeout;
        QStringList allowed{action, QStringLiteral("name"), QStringLiteral("connection"), QStringLiteral("timeout_ms")};
        if (action == u"expect" || action == u"expect_close")
            allowed << QStringLiteral("skip_unmatched");
        allowOnlyKeys(object, path, allowed);
        if (object.contains(u"skip_unmatched"))
            s.skipUnmatched = requireBool(object.value(u"skip_unmatched"), path + QStringLiteral("/skip_unmatched"));

        if (action == u"connect")
            connect(s, body, at);
        else if (action == u"send")
            send(s, body, at);
        else if (action == u"expect")
            expect(s, body, at);
        else if (action == u"expect_close")
            close(s, ScenarioStep::Action::ExpectClose, body, at);
        else if (action == u"close")
            close(s, ScenarioStep::Action::Close, body, at);
        else if (action == u"wait")
            wait(s, body, at);
        else
            repeat(s, body, at, multiplier);
        if (s.action != ScenarioStep::Action::Repeat && (m_planned += multiplier) > Scenario::kMaxPlannedSteps)
            throwJsonFault(path, QStringLiteral("the scenario would run more than %1 steps").arg(Scenario::kMaxPlannedSteps));
        return s;
    }

    void connect(ScenarioStep &s, const QJsonValue &body, const QString &at)
    {
        s.action = ScenarioStep::Action::Connect;
        ClientConfig &c = s.client;
        // A check reports a drop; it never hides one behind a reconnect or a heartbeat of its own.
        c.reconnect.enabled = false;
        c.heartbeat.interval = std::chrono::milliseconds(0);
        c.connectTimeout = s.timeout;
        QJsonObject object;
        if (body.isString())
            object.insert(QStringLiteral("url"), body);
        else if (body.isObject())
            object = body.toObject();
        else if (!body.isNull() && body != QJsonValue(true))
            throwJsonFault(at, QStringLiteral("expected a URL, an object or {}, got ") + jsonTypeName(body));
        allowOnlyKeys(object, at,
                      {QStringLiteral("url"), QStringLiteral("headers"), QStringLiteral("subprotocols"), QStringLiteral("origin"),
                       QStringLiteral("ca"), QStringLiteral("insecure")});
        if (object.contains(u"url"))
            c.url =
                resolveUrl(requireString(object.value(u"url"), at + QStringLiteral("/url")), m_scenario.url, at + QStringLiteral("/url"));
        else if (m_scenario.url.isValid())
            c.url = m_scenario.url;
        else
            throwJsonFault(at, QStringLiteral("no URL: give \"url\" here, in the scenario, or --url"));
        const QJsonValue headers = object.value(u"headers");
        if (!headers.isUndefined() && !headers.isObject())
            throwJsonFault(at + QStringLiteral("/headers"),
                           QStringLiteral("expected an object of \"Name\": \"value\", got ") + jsonTypeName(headers));
        const QJsonObject headerObject = headers.toObject();
        for (auto it = headerObject.constBegin(); it != headerObject.constEnd(); ++it)
            c.headers.append({it.key().toUtf8(), requireString(it.value(), at + QStringLiteral("/headers/") + it.key()).toUtf8()});
        const QJsonValue protocols = object.value(u"subprotocols");
        if (!protocols.isUndefined() && !protocols.isArray())
            throwJsonFault(at + QStringLiteral("/subprotocols"),
                           QStringLiteral("expected an array of strings, got ") + jsonTypeName(protocols));
        const QJsonArray protocolArray = protocols.toArray();
        for (qsizetype i = 0; i < protocolArray.size(); ++i)
            c.subprotocols << requireString(protocolArray.at(i), at + QStringLiteral("/subprotocols/") + QString::number(i));
        if (object.contains(u"origin"))
            c.origin = requireString(object.value(u"origin"), at + QStringLiteral("/origin"));
        if (object.contains(u"ca"))
            c.caFile = requireString(object.value(u"ca"), at + QStringLiteral("/ca"));
        if (object.contains(u"insecure"))
            c.ignoreCertificateErrors = requireBool(object.value(u"insecure"), at + QStringLiteral("/insecure"));
        if (const QString problem = c.validate(); !problem.isEmpty())
            throwJsonFault(at, problem);
    }

    static void send(ScenarioStep &s, const QJsonValue &body, const QString &at)
    {
        s.action = ScenarioStep::Action::Send;
        if (body.isString()) {
            s.message = InboundMessage::fromText(body.toString());
            return;
        }
        if (!body.isObject() || body.toObject().size() != 1)
            throwJsonFault(at, QStringLiteral("expected a string, or an object with one of text, json, hex, base64"));
        const QJsonObject object = body.toObject();
        const QString key = object.constBegin().key();
        const QString keyPath = at + u'/' + key;
        const QJsonValue value = object.constBegin().value();
        if (key == u"text") {
            s.message = InboundMessage::fromText(requireString(value, keyPath));
        } else if (key == u"json") {
            s.message = InboundMessage::fromText(compactJson(value));
        } else if (key == u"hex" || key == u"base64") {
            QByteArray bytes;
            if (!decodeBytes(key, requireString(value, keyPath), &bytes))
                throwJsonFault(keyPath, QStringLiteral("not valid ") + key);
            s.message = InboundMessage::fromBinary(bytes);
        } else {
            throwJsonFault(keyPath, QStringLiteral("unknown key (expected text, json, hex or base64)"));
        }
    }

    static void expect(ScenarioStep &s, const QJsonValue &body, const QString &at)
    {
        s.action = ScenarioStep::Action::Expect;
        QString error;
        s.matcher = Matcher::fromJson(body, at, &error);
        if (!s.matcher)
            throw JsonFault{error};
    }

    static void close(ScenarioStep &s, ScenarioStep::Action action, const QJsonValue &body, const QString &at)
    {
        s.action = action;
        QJsonObject object;
        if (body.isDouble())
            object.insert(QStringLiteral("code"), body);
        else if (body.isObject())
            object = body.toObject();
        else if (!body.isNull() && body != QJsonValue(true))
            throwJsonFault(at, QStringLiteral("expected a close code, an object or {}, got ") + jsonTypeName(body));
        allowOnlyKeys(object, at, {QStringLiteral("code"), QStringLiteral("reason")});
        const QString codePath = body.isDouble() ? at : at + QStringLiteral("/code");
        if (object.contains(u"code"))
            s.closeCode = int(requireWhole(object.value(u"code"), codePath, 1000, 4999));
        if (object.contains(u"reason"))
            s.closeReason = requireString(object.value(u"reason"), at + QStringLiteral("/reason"));
        if (action == ScenarioStep::Action::Close) {
            QString whyNot;
            if (!CloseCode::isSendableClose(s.closeCode.value_or(1000), s.closeReason.value_or(QString()), &whyNot))
                throwJsonFault(codePath, whyNot);
        }
    }

    static void wait(ScenarioStep &s, const QJsonValue &body, const QString &at)
    {
        s.action = ScenarioStep::Action::Wait;
        s.wait = requireMillis(body, at, 0);
    }

    void repeat(ScenarioStep &s, const QJsonValue &body, const QString &at, qint64 multiplier)
    {
        s.action = ScenarioStep::Action::Repeat;
        if (!body.isObject())
            throwJsonFault(at, QStringLiteral("expected {\"count\": N, \"steps\": [...]}, got ") + jsonTypeName(body));
        const QJsonObject object = body.toObject();
        allowOnlyKeys(object, at, {QStringLiteral("count"), QStringLiteral("steps")});
        s.count = int(requireWhole(object.value(u"count"), at + QStringLiteral("/count"), 1, Scenario::kMaxPlannedSteps));
        s.steps = steps(object.value(u"steps"), at + QStringLiteral("/steps"), multiplier * s.count);
    }

    Scenario &m_scenario;
    qint64 m_planned = 0;
};

void plan(const std::vector<ScenarioStep> &steps, const QString &iteration, std::vector<PlannedStep> *out)
{
    for (const ScenarioStep &s : steps) {
        if (s.action != ScenarioStep::Action::Repeat) {
            out->push_back({&s, int(out->size()) + 1, iteration});
            continue;
        }
        for (int i = 1; i <= s.count; ++i) {
            const QString here = QStringLiteral("%1/%2").arg(i).arg(s.count);
            plan(s.steps, iteration.isEmpty() ? here : iteration + u' ' + here, out);
        }
    }
}

} // namespace

QString ScenarioStep::actionName(Action action)
{
    switch (action) {
    case Action::Connect:
        return QStringLiteral("connect");
    case Action::Send:
        return QStringLiteral("send");
    case Action::Expect:
        return QStringLiteral("expect");
    case Action::ExpectClose:
        return QStringLiteral("expect_close");
    case Action::Wait:
        return QStringLiteral("wait");
    case Action::Repeat:
        return QStringLiteral("repeat");
    case Action::Close:
        return QStringLiteral("close");
    }
    return {};
}

QString ScenarioStep::summary() const
{
    QString detail;
    switch (action) {
    case Action::Connect:
        detail = client.url.toString();
        break;
    case Action::Send:
        detail = message.describe();
        break;
    case Action::Expect:
        detail = matcher ? matcher->describe() : QString();
        break;
    case Action::ExpectClose:
    case Action::Close:
        if (closeCode || action == Action::Close)
            detail = QString::number(closeCode.value_or(1000));
        else
            detail = QStringLiteral("any code");
        if (closeReason)
            detail += u' ' + compactJson(*closeReason);
        break;
    case Action::Wait:
        detail = QStringLiteral("%1 ms").arg(wait.count());
        break;
    case Action::Repeat:
        detail = QStringLiteral("%1 times").arg(count);
        break;
    }
    const QString on = connection == Scenario::kDefaultConnection ? QString() : QStringLiteral(" [%1]").arg(connection);
    return actionName(action) + on + u' ' + detail;
}

std::optional<Scenario> Scenario::fromJson(const QByteArray &json, const QUrl &urlOverride, QString *error)
{
    Scenario scenario;
    try {
        const QJsonObject root = parseJsonFile(json);
        allowOnlyKeys(root, QString(),
                      {QStringLiteral("version"), QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("url"),
                       QStringLiteral("timeout_ms"), QStringLiteral("steps")});
        requireVersion(root, kVersion);
        if (root.contains(u"name"))
            scenario.name = requireString(root.value(u"name"), QStringLiteral("/name"));
        if (root.contains(u"description"))
            requireString(root.value(u"description"), QStringLiteral("/description"));
        if (urlOverride.isValid())
            scenario.url = urlOverride;
        else if (root.contains(u"url"))
            scenario.url = resolveUrl(requireString(root.value(u"url"), QStringLiteral("/url")), QUrl(), QStringLiteral("/url"));
        if (root.contains(u"timeout_ms"))
            scenario.timeout = requireMillis(root.value(u"timeout_ms"), QStringLiteral("/timeout_ms"), 1);
        Parser parser(scenario);
        scenario.steps = parser.steps(root.value(u"steps"), QStringLiteral("/steps"), 1);
    } catch (const JsonFault &f) {
        *error = f.message;
        return std::nullopt;
    }
    return scenario;
}

std::vector<PlannedStep> planSteps(const Scenario &scenario)
{
    std::vector<PlannedStep> out;
    plan(scenario.steps, QString(), &out);
    return out;
}

} // namespace wslab
