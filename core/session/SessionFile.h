#pragma once

#include <QSettings>
#include <QString>

namespace wslab {

// A `.wslab` session file: the window's setup as JSON a person can read, written and read through
// QSettings, so the code that keeps the window between runs writes sessions too (docs/sessions.md).
//
// The flat "group/key" map QSettings works with becomes nested objects: a group is an object, a
// QSettings array ("clients/size", "clients/1/url", …) is a JSON array of objects, a QStringList an
// array of strings, a QByteArray {"base64": "…"}, numbers, booleans and strings themselves, an invalid
// value null, any other type {"qvariant": "…"} (its QDataStream bytes in Base64). A key that is both a
// value and a group keeps its value under "@value". The file opens with three fields of its own:
//   {"format": "wslab-session", "version": 1, "savedBy": "WsLab 0.1.0", …}
// Version 1 is read for ever; a newer version or another format is refused, never half read.
namespace SessionFile {

inline constexpr int kVersion = 1;
inline constexpr char kFormatName[] = "wslab-session";
inline constexpr char kExtension[] = "wslab";

// The QSettings format of session files, registered with Qt on first use:
// QSettings settings(path, SessionFile::format()).
QSettings::Format format();

// The settings in `json`; false with the reason in error (not JSON, another format, a newer version,
// a value of a shape this version does not write: with its path).
bool fromJson(const QByteArray &json, QSettings::SettingsMap *settings, QString *error);
// The file's text for `settings`: the three header fields first, then the settings, indented.
QByteArray toJson(const QSettings::SettingsMap &settings);

// Empty when `path` holds a session this WsLab can open; else why not, in one sentence. QSettings'
// status only says "format error", so a caller checks the file with this before opening it.
QString check(const QString &path);

} // namespace SessionFile

} // namespace wslab
