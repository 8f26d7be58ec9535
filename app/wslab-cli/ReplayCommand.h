#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli replay FILE --url URL: sends a recorded connection's outgoing messages again, with their
// original gaps (or N times shorter), and prints the replies. Returns the exit code.
int runReplay(const QStringList &arguments);

} // namespace wslab::cli
