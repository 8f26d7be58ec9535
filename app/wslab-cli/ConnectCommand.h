#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli connect: stdin lines out as messages, received messages on stdout. Returns the exit code.
int runConnect(const QStringList &arguments);

} // namespace wslab::cli
