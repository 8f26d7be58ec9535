#include "ui/settings/SecretFields.h"

#include "core/protocol/Redaction.h"

#include <QSettings>

#include <algorithm>

namespace wslab {

SecretFields &SecretFields::secretValue(const QString &key, const QString &value)
{
    m_fields.append({key, value, true});
    return *this;
}

SecretFields &SecretFields::textWithSecrets(const QString &key, const QString &text)
{
    m_fields.append({key, text, false});
    return *this;
}

bool SecretFields::holdsSecrets() const
{
    return std::any_of(m_fields.cbegin(), m_fields.cend(), [](const Field &field) {
        return field.wholeValueIsSecret ? !field.value.isEmpty() : redactSecrets(field.value) != field.value;
    });
}

void SecretFields::save(QSettings &settings, SecretsInSave secrets) const
{
    for (const Field &field : m_fields) {
        if (field.wholeValueIsSecret) {
            if (secrets == SecretsInSave::Included)
                settings.setValue(field.key, field.value);
            else
                settings.remove(field.key);
        } else {
            settings.setValue(field.key, secrets == SecretsInSave::Redacted ? redactSecrets(field.value) : field.value);
        }
    }
}

} // namespace wslab
