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

} // namespace wslab
