#include "ui/settings/SecretFields.h"

#include "core/protocol/Redaction.h"

#include <QSettings>

#include <algorithm>

namespace wslab {

SecretFields &SecretFields::secretValue(const QString &key, const QString &value)
{
    m_fields.append({key, Kind::WholeValue, value, {}});
    return *this;
}

SecretFields &SecretFields::textWithSecrets(const QString &key, const QString &text)
{
    m_fields.append({key, Kind::Text, text, {}});
    return *this;
}

SecretFields &SecretFields::messagesWithSecrets(const QString &key, const QStringList &messages)
{
    m_fields.append({key, Kind::Messages, {}, messages});
    return *this;
}

QVariant SecretFields::asTyped(const Field &field)
{
    return field.kind == Kind::Messages ? QVariant(field.messages) : QVariant(field.value);
}

QVariant SecretFields::redacted(const Field &field)
{
    switch (field.kind) {
    case Kind::WholeValue:
        return {};
    case Kind::Text:
        return redactSecrets(field.value);
    case Kind::Messages: {
        QStringList out;
        out.reserve(field.messages.size());
        for (const QString &message : field.messages)
            out << redactSecretsInMessage(message);
        return out;
    }
    }
    return {};
}

bool SecretFields::holdsSecrets() const
{
    return std::any_of(m_fields.cbegin(), m_fields.cend(), [](const Field &field) {
        return field.kind == Kind::WholeValue ? !field.value.isEmpty() : redacted(field) != asTyped(field);
    });
}

void SecretFields::save(QSettings &settings, SecretsInSave secrets) const
{
    for (const Field &field : m_fields) {
        const bool typed =
            secrets == SecretsInSave::Included || (secrets == SecretsInSave::SecretValuesLeftOut && field.kind != Kind::WholeValue);
        const QVariant value = typed ? asTyped(field) : redacted(field);
        if (value.isValid())
            settings.setValue(field.key, value);
        else
            settings.remove(field.key);
    }
}

} // namespace wslab
