#pragma once

#include "core/client/ClientConfig.h"
#include "core/server/ServerConfig.h"
#include "core/settings/Setting.h"

#include <QList>

namespace wslab {

// The numeric and on/off settings of a server and of a client that wslab-cli and the window both
// offer. wslab-cli builds its options, help and range checks from these lists; the window builds its
// fields, tooltips and saved settings from them.
const QList<Setting<ServerConfig>> &serverSettings();
const QList<Setting<ClientConfig>> &clientSettings();

} // namespace wslab
