#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli convert IN OUT: a log between JSON Lines and HAR, the format of each by its extension.
int runConvert(const QStringList &arguments);

} // namespace wslab::cli
