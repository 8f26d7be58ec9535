#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

class QSettings;

namespace wslab {

// What a panel's saveSettings does with the secrets it holds: the server's token, an Authorization or
// Cookie header, a token= or access_token= in a URL (core/protocol/Redaction says which).
enum class SecretsInSave {
    // Every secret as typed: a session saved with its secrets.
    Included,
    // A session saved without them: a secret inside text reads "<redacted>", so the file shows where it
    // was, and a field that is nothing but a secret (a token) is left out.
    Redacted,
    // The window's own settings between runs: text as typed, so the window comes back as it was, but a
    // field that is nothing but a secret is never written behind the user's back.
    SecretValuesLeftOut,
};

// The fields of one panel that may hold a secret, each under its key in the panel's settings. A panel
// lists them in one place and answers both holdsSecrets() and its save from that list, so a secret
// field added to a panel is asked about before a session is saved and kept out of it alike.
class SecretFields
{
public:
    // A field whose whole value is a secret (a token): written only when secrets are included.
    SecretFields &secretValue(const QString &key, const QString &value);
    // Text a secret may sit in (a URL, request headers): redactSecrets() finds it and hides it.
    SecretFields &textWithSecrets(const QString &key, const QString &text);
    // Messages someone typed (a composer's history): redactSecretsInMessage() hides a secret in each,
    // a JSON member named like one (token, password, apiKey, …) included.
    SecretFields &messagesWithSecrets(const QString &key, const QStringList &messages);

    // Whether any field holds a secret that a save without secrets would leave out or redact.
    bool holdsSecrets() const;
    // Writes every field as `secrets` says, replacing what the panel's own save wrote under its key.
    void save(QSettings &settings, SecretsInSave secrets) const;

private:
    enum class Kind { WholeValue, Text, Messages };
    struct Field
    {
        QString key;
        Kind kind;
        QString value;
        QStringList messages;
    };
    // The field as a save without secrets writes it (a whole value: not at all).
    static QVariant redacted(const Field &field);
    static QVariant asTyped(const Field &field);
    QList<Field> m_fields;
};

} // namespace wslab
