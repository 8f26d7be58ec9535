#include "core/match/JsonPointer.h"

#include <QJsonArray>
#include <QJsonObject>

namespace wslab {

namespace {

QString unescapeToken(QString token)
{
    // "~1" first: "~01" is the token "~1", not "/".
    token.replace(QStringLiteral("~1"), QStringLiteral("/"));
    token.replace(QStringLiteral("~0"), QStringLiteral("~"));
    return token;
}

// An array index: "0" or digits without a leading zero (RFC 6901 §4).
bool arrayIndex(const QString &token, qsizetype *index)
{
    if (token.isEmpty() || (token.size() > 1 && token.front() == u'0'))
        return false;
    for (const QChar c : token) {
        if (!c.isDigit() || c.unicode() > u'9')
            return false;
    }
    bool ok = false;
    *index = token.toLongLong(&ok);
    return ok;
}

} // namespace

bool isValidJsonPointer(const QString &pointer)
{
    if (pointer.isEmpty())
        return true;
    if (pointer.front() != u'/')
        return false;
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == u'~' && (i + 1 >= pointer.size() || (pointer[i + 1] != u'0' && pointer[i + 1] != u'1')))
            return false;
    }
    return true;
}

bool resolveJsonPointer(const QJsonValue &root, const QString &pointer, QJsonValue *found)
{
    if (!isValidJsonPointer(pointer))
        return false;
    QJsonValue current = root;
    if (!pointer.isEmpty()) {
        const QStringList tokens = pointer.mid(1).split(u'/');
        for (const QString &raw : tokens) {
            const QString token = unescapeToken(raw);
            if (current.isObject()) {
                const QJsonObject object = current.toObject();
                const auto it = object.constFind(token);
                if (it == object.constEnd())
                    return false;
                current = it.value();
            } else if (current.isArray()) {
                const QJsonArray array = current.toArray();
                qsizetype index = 0;
                if (!arrayIndex(token, &index) || index >= array.size())
                    return false;
                current = array.at(index);
            } else {
                return false;
            }
        }
    }
    *found = current;
    return true;
}

} // namespace wslab
