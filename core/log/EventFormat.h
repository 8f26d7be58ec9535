#pragma once

#include "core/log/LogEvent.h"

#include <QString>

namespace wslab::EventFormat {

// "12:34:56.789" local wall time of the event.
QString timeOfDay(const LogEvent &event);
// "→", "←" or "·" for out, in and local.
QString arrow(Direction direction);
// One line saying what happened, without time or endpoint: "close 1008 Policy Violation: too many messages".
// Message payloads are previewed up to `previewChars` characters (binary as hex).
QString summary(const LogEvent &event, int previewChars = 120);
// Everything on one line, as wslab-cli prints it on stderr.
QString line(const LogEvent &event);
// UTF-8 text on one line (line breaks shown as ⏎), at most previewChars characters, "…" when cut.
QString textPreview(const QByteArray &utf8, int previewChars);
// The payload as "48 65 6c 6c 6f", at most maxBytes of it.
QString hexPreview(const QByteArray &data, int maxBytes);
// A classic dump, 16 bytes a line: "00000010  48 65 6c 6c 6f 20 ...  |Hello ...|".
QString hexDump(const QByteArray &data);

} // namespace wslab::EventFormat
