#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli bench: loads an echo server and reports throughput and round-trip times. Returns the exit code.
int runBench(const QStringList &arguments);

} // namespace wslab::cli
