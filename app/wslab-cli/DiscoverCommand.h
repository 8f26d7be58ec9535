#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli discover [--timeout S]: lists the WsLab servers announcing themselves on the LAN.
int runDiscover(const QStringList &arguments);

} // namespace wslab::cli
