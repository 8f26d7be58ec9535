#include "core/protocol/ExtensionHeader.h"

namespace wslab {

const WebSocketExtension::Param *WebSocketExtension::param(QByteArrayView name) const
{
    for (const Param &p : params) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return &p;
    }
    return nullptr;
}

namespace {

// Splits at `separator` outside double quotes; false on an unterminated quote.
bool splitOutsideQuotes(QByteArrayView text, char separator, QList<QByteArrayView> *parts)
{
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted && c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == separator) {
            parts->append(text.sliced(start, i - start));
            start = i + 1;
        }
    }
    if (quoted)
        return false;
    parts->append(text.sliced(start));
    return true;
}

QByteArray unquote(QByteArrayView value)
{
    if (value.size() < 2 || value.front() != '"' || value.back() != '"')
        return value.toByteArray();
    QByteArray out;
    const QByteArrayView inner = value.sliced(1, value.size() - 2);
    for (qsizetype i = 0; i < inner.size(); ++i) {
        if (inner[i] == '\\' && i + 1 < inner.size())
            ++i;
        out += inner[i];
    }
    return out;
}

} // namespace

bool parseExtensionHeader(QByteArrayView value, QList<WebSocketExtension> *out)
{
    QList<QByteArrayView> entries;
    if (!splitOutsideQuotes(value, ',', &entries))
        return false;
    for (QByteArrayView entry : entries) {
        entry = entry.trimmed();
        if (entry.isEmpty())
            continue; // "a, , b": empty list elements are allowed by HTTP's list syntax
        QList<QByteArrayView> parts;
        if (!splitOutsideQuotes(entry, ';', &parts))
            return false;
        WebSocketExtension extension;
        extension.name = parts.front().trimmed().toByteArray();
        if (extension.name.isEmpty())
            return false;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArrayView part = parts[i].trimmed();
            const qsizetype eq = part.indexOf('=');
            WebSocketExtension::Param param;
            if (eq < 0) {
                param.name = part.toByteArray();
            } else {
                param.name = part.first(eq).trimmed().toByteArray();
                param.value = unquote(part.sliced(eq + 1).trimmed());
                param.hasValue = true;
            }
            if (param.name.isEmpty())
                return false;
            extension.params.append(param);
        }
        out->append(extension);
    }
    return true;
}

} // namespace wslab
