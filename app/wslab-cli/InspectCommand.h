#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli inspect: runs an inspecting Relay until SIGINT/SIGTERM. Returns the process exit code.
int runInspect(const QStringList &arguments);

} // namespace wslab::cli
