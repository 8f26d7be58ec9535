#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli run SCENARIO.json [--junit FILE.xml]: runs a scripted check (docs/scenarios.md).
// Exit 0 when every step passed, 1 when one failed, 2 for a bad scenario file or bad flags.
int runScenario(const QStringList &arguments);

} // namespace wslab::cli
