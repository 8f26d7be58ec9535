#include "core/protocol/HttpGrammar.h"

namespace wslab::HttpGrammar {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

} // namespace

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

QString headerProblem(QByteArrayView name, QByteArrayView value)
{
    if (name.isEmpty())
        return QStringLiteral("a header needs a name");
    if (!isToken(name))
        return QStringLiteral("\"%1\" is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)").arg(QString::fromUtf8(name));
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return QStringLiteral("header \"%1\": a value cannot contain a line break or a NUL").arg(QString::fromUtf8(name));
    }
    return {};
}

QString subprotocolProblem(QByteArrayView name)
{
    if (!isToken(name))
        return QStringLiteral("invalid subprotocol \"%1\": a token (letters, digits and !#$%&'*+-.^_`|~, no spaces or commas)")
            .arg(QString::fromUtf8(name));
    return {};
}

} // namespace wslab::HttpGrammar
