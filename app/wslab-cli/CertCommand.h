#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli cert: writes a lab CA and a server certificate for wss://. Returns the exit code.
int runCert(const QStringList &arguments);

} // namespace wslab::cli
