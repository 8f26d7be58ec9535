#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli serve: runs a Server until SIGINT/SIGTERM. Returns the process exit code.
int runServe(const QStringList &arguments);

} // namespace wslab::cli
