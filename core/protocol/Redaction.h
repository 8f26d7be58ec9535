#pragma once

#include "core/protocol/HttpRequest.h"

#include <QByteArray>
#include <QString>

namespace wslab {

// Secrets never reach a log, a view or an export: Authorization and Cookie values and any
// token=/access_token= query parameter are replaced by "<redacted>" in request heads and URLs.
QByteArray redactSecrets(const QByteArray &text);
QString redactSecrets(const QString &text);
HttpRequest redactSecrets(const HttpRequest &request);
// A message someone typed (a composer's history): redactSecrets, and when it is JSON, the value of
// every member whose name says it holds a secret (token, accessToken, refresh_token, password,
// secret, apiKey, authorization, cookie, credentials, …; "tokens" is not one) becomes "<redacted>".
// JSON that changed is written again, indented when it was on several lines; other text as it was.
QString redactSecretsInMessage(const QString &message);

} // namespace wslab
