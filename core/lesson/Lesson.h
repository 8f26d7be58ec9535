#pragma once

#include "core/log/LogEvent.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace wslab {

// The lesson file format (docs/lessons.md). A file names the version it was written for; a reader
// refuses versions it does not know rather than guessing what their fields mean.
inline constexpr int kLessonFormatVersion = 1;

// Who an expectation watches, or an action acts as: "server", "client 1", "client 2", "inspector".
struct LessonEndpoint
{
    enum class Role { Server, Client, Inspector };
    Role role = Role::Server;
    int client = 0; // Client: 1 for "client 1"

    static bool fromName(const QString &name, LessonEndpoint *endpoint);
    QString name() const;
    bool operator==(const LessonEndpoint &other) const = default;
};

// One event a step expects to see in an endpoint's log: the kind, and optionally more of its fields.
// `count` such events must appear after the step began.
struct LessonExpectation
{
    LessonEndpoint at;
    EventKind kind = EventKind::Info;
    std::optional<Direction> direction;
    int closeCode = 0; // 0: any
    int httpStatus = 0; // 0: any
    int opcode = -1; // Frame: the opcode, -1: any
    std::optional<bool> fin; // Frame: FIN set or not
    QString detail; // found in the event's detail, case-insensitively; empty: any
    int count = 1;

    bool matches(const LogEvent &event) const;
    // What a person waits for, in words: "close 1009 (Message Too Big) received at client 1".
    QString describe() const;
};

// What "Do it" performs: an action name from lessonActions() and its parameters as written.
struct LessonAction
{
    QString name; // empty: the step only narrates, or waits for what the user does by hand
    QJsonObject params;
    bool isEmpty() const { return name.isEmpty(); }
};

struct LessonStep
{
    QString title;
    QString narration; // rich text, short enough for a projector
    LessonAction action;
    QList<LessonExpectation> expect;
    std::chrono::milliseconds timeout{5000}; // for every expected event, from "Do it" (or from the step's start)
};

struct Lesson
{
    int version = kLessonFormatVersion;
    QString title;
    QString summary;
    QList<LessonStep> steps;
};

// One parameter an action takes, for validation and for docs/lessons.md.
struct LessonParameter
{
    enum class Type { String, Integer, Boolean, CloseCode, Endpoint, Choice };
    QString name;
    Type type = Type::String;
    bool required = false;
    qint64 min = 0; // Integer
    qint64 max = 0;
    QStringList choices; // Choice
};

struct LessonActionSpec
{
    QString name;
    QList<LessonParameter> parameters;
    QString summary;
};

// Every action a lesson may ask for. The runner in the window performs exactly these.
const QList<LessonActionSpec> &lessonActions();

// Parses and checks a lesson file. On failure, false and `error` names the JSON path of the fault and
// what is wrong with it ("steps[2].do.action: unknown action \"jump\"").
bool parseLesson(const QByteArray &json, Lesson *lesson, QString *error);

} // namespace wslab
