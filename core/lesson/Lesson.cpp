#include "core/lesson/Lesson.h"

#include "core/protocol/CloseCode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace wslab {

namespace {

using Type = LessonParameter::Type;

constexpr qint64 kMaxMillis = 3600000;
// Qt's own default for the largest frame a QWebSocket sends, and so the largest a lesson may ask for.
constexpr qint64 kMaxFrameSize = 512 * 1024;

LessonParameter integer(const char *name, qint64 min, qint64 max)
{
    return {QString::fromLatin1(name), Type::Integer, false, min, max, {}};
}

LessonParameter of(const char *name, Type type, bool required = false)
{
    return {QString::fromLatin1(name), type, required, 0, 0, {}};
}

LessonParameter choice(const char *name, QStringList choices, bool required = false)
{
    return {QString::fromLatin1(name), Type::Choice, required, 0, 0, std::move(choices)};
}

// What a checker reports: the JSON path of the fault, then what is wrong there.
bool fail(QString *error, const QString &path, const QString &what)
{
    *error = path.isEmpty() ? what : path + QStringLiteral(": ") + what;
    return false;
}

QString member(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

bool checkKnownKeys(const QJsonObject &object, const QStringList &known, const QString &path, QString *error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(error, member(path, it.key()),
                        QStringLiteral("unknown field (expected one of %1)").arg(known.join(QStringLiteral(", "))));
    }
    return true;
}

bool readString(const QJsonObject &object, const QString &key, bool required, const QString &path, QString *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        if (required)
            return fail(error, member(path, key), QStringLiteral("missing field"));
        return true;
    }
    if (!value.isString())
        return fail(error, member(path, key), QStringLiteral("must be a string"));
    *out = value.toString();
    if (required && out->trimmed().isEmpty())
        return fail(error, member(path, key), QStringLiteral("must not be empty"));
    return true;
}

bool readInteger(const QJsonValue &value, qint64 min, qint64 max, const QString &path, qint64 *out, QString *error)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::floor(number) != number)
        return fail(error, path, QStringLiteral("must be a whole number"));
    if (number < double(min) || number > double(max))
        return fail(error, path, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
    *out = qint64(number);
    return true;
}

bool checkParameter(const LessonParameter &parameter, const QJsonValue &value, const QString &path, QString *error)
{
    switch (parameter.type) {
    case Type::String:
        if (!value.isString())
            return fail(error, path, QStringLiteral("must be a string"));
        return true;
    case Type::Integer: {
        qint64 ignored = 0;
        return readInteger(value, parameter.min, parameter.max, path, &ignored, error);
    }
    case Type::Boolean:
        if (!value.isBool())
            return fail(error, path, QStringLiteral("must be true or false"));
        return true;
    case Type::CloseCode: {
        qint64 code = 0;
        if (!readInteger(value, 0, 65535, path, &code, error))
            return false;
        QString why;
        if (!CloseCode::isSendable(int(code), &why))
            return fail(error, path, QStringLiteral("bad close code %1: %2").arg(code).arg(why));
        return true;
    }
    case Type::Endpoint: {
        LessonEndpoint endpoint;
        if (!value.isString() || !LessonEndpoint::fromName(value.toString(), &endpoint) || endpoint.role == LessonEndpoint::Role::Inspector)
            return fail(error, path, QStringLiteral("must be \"server\" or \"client N\""));
        return true;
    }
    case Type::Choice:
        if (!value.isString() || !parameter.choices.contains(value.toString()))
            return fail(error, path, QStringLiteral("must be one of %1").arg(parameter.choices.join(QStringLiteral(", "))));
        return true;
    }
    return true;
}

// Rules across an action's parameters, which one parameter's type cannot say.
bool checkActionRules(const LessonAction &action, const QString &path, QString *error)
{
    const QJsonObject &p = action.params;
    if (action.name == u"send") {
        if (p.contains(QStringLiteral("text")) == p.contains(QStringLiteral("hex")))
            return fail(error, path, QStringLiteral("give exactly one of \"text\" and \"hex\""));
        if (p.contains(QStringLiteral("hex"))) {
            static const QRegularExpression hex(QStringLiteral("^([0-9A-Fa-f]{2}\\s*)+$"));
            if (!hex.match(p.value(QStringLiteral("hex")).toString()).hasMatch())
                return fail(error, member(path, QStringLiteral("hex")), QStringLiteral("must be bytes in hex, two digits each"));
        }
    }
    if (p.contains(QStringLiteral("code")) || p.contains(QStringLiteral("reason"))) {
        QString why;
        const int code = p.value(QStringLiteral("code")).toInt(1000);
        if (!CloseCode::isSendableClose(code, p.value(QStringLiteral("reason")).toString(), &why))
            return fail(error, member(path, QStringLiteral("reason")), why);
    }
    return true;
}

bool parseAction(const QJsonValue &value, const QString &path, LessonAction *action, QString *error)
{
    if (!value.isObject())
        return fail(error, path, QStringLiteral("must be an object with an \"action\""));
    QJsonObject object = value.toObject();
    QString name;
    if (!readString(object, QStringLiteral("action"), true, path, &name, error))
        return false;
    const QList<LessonActionSpec> &actions = lessonActions();
    const auto spec = std::find_if(actions.begin(), actions.end(), [&name](const LessonActionSpec &s) { return s.name == name; });
    if (spec == actions.end()) {
        QStringList names;
        for (const LessonActionSpec &s : actions)
            names << s.name;
        return fail(error, member(path, QStringLiteral("action")),
                    QStringLiteral("unknown action \"%1\" (known: %2)").arg(name, names.join(QStringLiteral(", "))));
    }
    object.remove(QStringLiteral("action"));
    QStringList known;
    for (const LessonParameter &parameter : spec->parameters)
        known << parameter.name;
    if (!checkKnownKeys(object, known, path, error))
        return false;
    for (const LessonParameter &parameter : spec->parameters) {
        const QJsonValue given = object.value(parameter.name);
        if (given.isUndefined()) {
            if (parameter.required)
                return fail(error, member(path, parameter.name), QStringLiteral("missing field"));
            continue;
        }
        if (!checkParameter(parameter, given, member(path, parameter.name), error))
            return false;
    }
    action->name = name;
    action->params = object;
    return checkActionRules(*action, path, error);
}

bool parseExpectation(const QJsonValue &value, const QString &path, LessonExpectation *expectation, QString *error)
{
    if (!value.isObject())
        return fail(error, path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (!checkKnownKeys(object,
                        {QStringLiteral("at"), QStringLiteral("kind"), QStringLiteral("direction"), QStringLiteral("closeCode"),
                         QStringLiteral("httpStatus"), QStringLiteral("opcode"), QStringLiteral("fin"), QStringLiteral("detail"),
                         QStringLiteral("count")},
                        path, error))
        return false;
    QString text;
    if (!readString(object, QStringLiteral("at"), true, path, &text, error))
        return false;
    if (!LessonEndpoint::fromName(text, &expectation->at))
        return fail(error, member(path, QStringLiteral("at")), QStringLiteral("must be \"server\", \"client N\" or \"inspector\""));
    if (!readString(object, QStringLiteral("kind"), true, path, &text, error))
        return false;
    if (!kindFromName(text, &expectation->kind))
        return fail(error, member(path, QStringLiteral("kind")), QStringLiteral("unknown event kind \"%1\"").arg(text));
    if (object.contains(QStringLiteral("direction"))) {
        Direction direction = Direction::Local;
        if (!directionFromName(object.value(QStringLiteral("direction")).toString(), &direction))
            return fail(error, member(path, QStringLiteral("direction")), QStringLiteral("must be \"in\", \"out\" or \"local\""));
        expectation->direction = direction;
    }
    struct Bounded
    {
        const char *key;
        qint64 min;
        qint64 max;
        int *out;
    };
    const Bounded numbers[] = {{"closeCode", 1000, 4999, &expectation->closeCode},
                               {"httpStatus", 100, 599, &expectation->httpStatus},
                               {"opcode", 0, 15, &expectation->opcode},
                               {"count", 1, 100000, &expectation->count}};
    for (const Bounded &n : numbers) {
        const QString key = QString::fromLatin1(n.key);
        if (!object.contains(key))
            continue;
        qint64 number = 0;
        if (!readInteger(object.value(key), n.min, n.max, member(path, key), &number, error))
            return false;
        *n.out = int(number);
    }
    if (object.contains(QStringLiteral("fin"))) {
        if (!object.value(QStringLiteral("fin")).isBool())
            return fail(error, member(path, QStringLiteral("fin")), QStringLiteral("must be true or false"));
        expectation->fin = object.value(QStringLiteral("fin")).toBool();
    }
    if (expectation->kind != EventKind::Frame && (expectation->opcode >= 0 || expectation->fin))
        return fail(error, path, QStringLiteral("\"opcode\" and \"fin\" apply only to kind \"frame\""));
    return readString(object, QStringLiteral("detail"), false, path, &expectation->detail, error);
}

bool parseStep(const QJsonValue &value, const QString &path, LessonStep *step, QString *error)
{
    if (!value.isObject())
        return fail(error, path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (!checkKnownKeys(object,
                        {QStringLiteral("title"), QStringLiteral("narration"), QStringLiteral("do"), QStringLiteral("expect"),
                         QStringLiteral("timeoutMs")},
                        path, error))
        return false;
    if (!readString(object, QStringLiteral("title"), true, path, &step->title, error) ||
        !readString(object, QStringLiteral("narration"), true, path, &step->narration, error))
        return false;
    if (object.contains(QStringLiteral("do")) &&
        !parseAction(object.value(QStringLiteral("do")), member(path, QStringLiteral("do")), &step->action, error))
        return false;
    if (object.contains(QStringLiteral("timeoutMs"))) {
        qint64 ms = 0;
        if (!readInteger(object.value(QStringLiteral("timeoutMs")), 1, 600000, member(path, QStringLiteral("timeoutMs")), &ms, error))
            return false;
        step->timeout = std::chrono::milliseconds(ms);
    }
    const QJsonValue expect = object.value(QStringLiteral("expect"));
    if (expect.isUndefined())
        return true;
    if (!expect.isArray())
        return fail(error, member(path, QStringLiteral("expect")), QStringLiteral("must be a list of events"));
    const QJsonArray list = expect.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        LessonExpectation expectation;
        if (!parseExpectation(list.at(i), member(path, QStringLiteral("expect[%1]").arg(i)), &expectation, error))
            return false;
        step->expect.append(expectation);
    }
    return true;
}

QString directionPhrase(const std::optional<Direction> &direction, const QString &at)
{
    if (!direction)
        return QStringLiteral("at ") + at;
    switch (*direction) {
    case Direction::In:
        return QStringLiteral("received by ") + at;
    case Direction::Out:
        return QStringLiteral("sent by ") + at;
    case Direction::Local:
        break;
    }
    return QStringLiteral("at ") + at;
}

} // namespace

bool LessonEndpoint::fromName(const QString &name, LessonEndpoint *endpoint)
{
    const QString n = name.trimmed().toLower();
    if (n == u"server" || n == u"inspector") {
        *endpoint = {n == u"server" ? Role::Server : Role::Inspector, 0};
        return true;
    }
    static const QRegularExpression client(QStringLiteral("^client\\s+([1-9][0-9]?)$"));
    const QRegularExpressionMatch match = client.match(n);
    if (!match.hasMatch())
        return false;
    *endpoint = {Role::Client, match.captured(1).toInt()};
    return true;
}

QString LessonEndpoint::name() const
{
    switch (role) {
    case Role::Server:
        return QStringLiteral("server");
    case Role::Inspector:
        return QStringLiteral("inspector");
    case Role::Client:
        break;
    }
    return QStringLiteral("client %1").arg(client);
}

bool LessonExpectation::matches(const LogEvent &event) const
{
    if (event.kind != kind || (direction && event.direction != *direction))
        return false;
    if ((closeCode != 0 && event.closeCode != closeCode) || (httpStatus != 0 && event.httpStatus != httpStatus))
        return false;
    if (kind == EventKind::Frame && ((opcode >= 0 && event.frame.opcode != opcode) || (fin && event.frame.fin != *fin)))
        return false;
    return detail.isEmpty() || event.detail.contains(detail, Qt::CaseInsensitive);
}

QString LessonExpectation::describe() const
{
    QString what = kindName(kind);
    if (kind == EventKind::Frame && opcode >= 0)
        what += QStringLiteral(" with opcode 0x%1").arg(opcode, 0, 16);
    if (fin)
        what += *fin ? QStringLiteral(" (FIN set)") : QStringLiteral(" (FIN clear)");
    if (closeCode != 0)
        what += u' ' + CloseCode::describe(closeCode);
    if (httpStatus != 0)
        what += QStringLiteral(" HTTP %1").arg(httpStatus);
    if (!detail.isEmpty())
        what += QStringLiteral(" saying \"%1\"").arg(detail);
    if (count > 1)
        what = QStringLiteral("%1 × ").arg(count) + what;
    return what + u' ' + directionPhrase(direction, at.name());
}

const QList<LessonActionSpec> &lessonActions()
{
    static const QList<LessonActionSpec> actions{
        {QStringLiteral("startServer"),
         {choice("mode", {QStringLiteral("echo"), QStringLiteral("broadcast"), QStringLiteral("silent")}),
          integer("maxMessageKiB", 1, 2 * 1024 * 1024), integer("rateLimit", 0, 1000000), integer("slowReaderKiB", 1, 4 * 1024 * 1024),
          integer("pingIntervalMs", 0, kMaxMillis), integer("pongTimeoutMs", 1, kMaxMillis)},
         QStringLiteral("(Re)starts the server on 127.0.0.1 and a free port, the same port again within a lesson; "
                        "settings not given take their defaults")},
        {QStringLiteral("stopServer"), {}, QStringLiteral("Stops the server; its peers are closed with 1001")},
        {QStringLiteral("connect"),
         {integer("client", 1, 99), of("url", Type::String), of("viaInspector", Type::Boolean), of("reconnect", Type::Boolean),
          integer("backoffBaseMs", 1, kMaxMillis), integer("backoffCapMs", 1, kMaxMillis), integer("maxAttempts", 0, 1000000),
          integer("pingIntervalMs", 0, kMaxMillis), integer("pongTimeoutMs", 1, kMaxMillis), integer("frameSize", 1, kMaxFrameSize)},
         QStringLiteral("Connects client N (added when missing) to url, \"${server}/\" by default; a connected client "
                        "closes first. Settings not given take their defaults")},
        {QStringLiteral("disconnect"),
         {integer("client", 1, 99), of("code", Type::CloseCode), of("reason", Type::String)},
         QStringLiteral("Client N closes with the code (1000 by default) and reason")},
        {QStringLiteral("send"),
         {of("from", Type::Endpoint), of("text", Type::String), of("hex", Type::String), integer("padTo", 0, 16 * 1024 * 1024),
          integer("times", 1, 1000), integer("intervalMs", 0, 10000)},
         QStringLiteral("The endpoint's composer sends text, or bytes in hex, repeated up to padTo bytes, `times` times, "
                        "intervalMs apart (0: one per turn of the event loop)")},
        {QStringLiteral("ping"), {of("from", Type::Endpoint)}, QStringLiteral("The endpoint pings (the server: every peer)")},
        {QStringLiteral("kick"),
         {of("code", Type::CloseCode, true), of("reason", Type::String)},
         QStringLiteral("The server closes its newest peer with the code and reason")},
        {QStringLiteral("inspector"),
         {choice("withholdPongsFrom", {QStringLiteral("none"), QStringLiteral("client"), QStringLiteral("server")}),
          integer("fragmentCount", 0, 100), integer("bandwidthFromServer", 0, 1000000000), integer("latencyMs", 0, 60000)},
         QStringLiteral("Sets the inspector's faults: those given, every other one off")},
        {QStringLiteral("show"),
         {choice("view", {QStringLiteral("inspector"), QStringLiteral("sequence")}, true)},
         QStringLiteral("Shows the inspector or the sequence diagram")},
    };
    return actions;
}

bool parseLesson(const QByteArray &json, Lesson *lesson, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, {}, QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return fail(error, {}, QStringLiteral("a lesson is a JSON object"));
    const QJsonObject object = document.object();
    Lesson parsed;
    if (!checkKnownKeys(object, {QStringLiteral("version"), QStringLiteral("title"), QStringLiteral("summary"), QStringLiteral("steps")},
                        {}, error))
        return false;
    if (!object.contains(QStringLiteral("version")))
        return fail(error, QStringLiteral("version"), QStringLiteral("missing field"));
    qint64 version = 0;
    if (!readInteger(object.value(QStringLiteral("version")), 1, 1000, QStringLiteral("version"), &version, error))
        return false;
    if (version != kLessonFormatVersion)
        return fail(error, QStringLiteral("version"),
                    QStringLiteral("version %1 is not known to this WsLab (it reads version %2)").arg(version).arg(kLessonFormatVersion));
    parsed.version = int(version);
    if (!readString(object, QStringLiteral("title"), true, {}, &parsed.title, error) ||
        !readString(object, QStringLiteral("summary"), false, {}, &parsed.summary, error))
        return false;
    const QJsonValue steps = object.value(QStringLiteral("steps"));
    if (!steps.isArray() || steps.toArray().isEmpty())
        return fail(error, QStringLiteral("steps"),
                    steps.isUndefined() ? QStringLiteral("missing field") : QStringLiteral("must be a non-empty list"));
    const QJsonArray list = steps.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        LessonStep step;
        if (!parseStep(list.at(i), QStringLiteral("steps[%1]").arg(i), &step, error))
            return false;
        parsed.steps.append(step);
    }
    *lesson = parsed;
    return true;
}

} // namespace wslab
