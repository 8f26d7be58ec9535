#pragma once

#include <QJsonValue>
#include <QString>

namespace wslab {

// RFC 6901 JSON pointers ("/members/0/nick"), as scenarios and mock rules name a field of a JSON message.
// The empty pointer is the whole document.

// Whether `pointer` is well formed: empty, or "/"-separated tokens whose "~" is followed by 0 or 1.
bool isValidJsonPointer(const QString &pointer);
// The value `pointer` names in `root`; false when a token names no member or element.
bool resolveJsonPointer(const QJsonValue &root, const QString &pointer, QJsonValue *found);

} // namespace wslab
