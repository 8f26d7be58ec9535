#pragma once

#include "core/client/ClientConfig.h"
#include "core/match/Matcher.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>
#include <vector>

namespace wslab {

// One step of a scenario file (docs/scenarios.md), checked and ready to run.
struct ScenarioStep
{
    enum class Action { Connect, Send, Expect, ExpectClose, Wait, Repeat, Close };

    Action action = Action::Wait;
    QString path; // where it is in the file, as a JSON pointer: "/steps/3/repeat/steps/0"
    QString name; // the author's, may be empty
    QString connection; // which named connection it acts on
    std::chrono::milliseconds timeout{0}; // how long a waiting step may wait

    ClientConfig client; // Connect: its URL already resolved
    InboundMessage message; // Send: what goes out
    std::optional<Matcher> matcher; // Expect
    bool skipUnmatched = false; // Expect, ExpectClose: pass over messages that do not match
    std::optional<int> closeCode; // ExpectClose: the code wanted (any when empty); Close: the code sent
    std::optional<QString> closeReason; // ExpectClose: the reason wanted; Close: the reason sent
    std::chrono::milliseconds wait{0}; // Wait
    int count = 0; // Repeat
    std::vector<ScenarioStep> steps; // Repeat

    static QString actionName(Action action);
    // "expect text \"hi\"", "send text \"hi\"", "connect ws://…": what a report line shows.
    QString summary() const;
};

// A scenario file: a version, defaults, and the steps run in order.
struct Scenario
{
    static constexpr int kVersion = 1;
    static constexpr int kMaxPlannedSteps = 100000; // repeats included, so a typo cannot run for hours
    static constexpr std::chrono::milliseconds kDefaultTimeout{5000};
    static inline const QString kDefaultConnection = QStringLiteral("main");

    QString name;
    QUrl url; // for connect steps that give none (or a relative one)
    std::chrono::milliseconds timeout = kDefaultTimeout;
    std::vector<ScenarioStep> steps;

    // Parses a scenario file's bytes. `urlOverride`, when valid, replaces the file's "url". On a fault:
    // nullopt and *error, one line starting with the JSON path of the fault ("/steps/2/send: …").
    static std::optional<Scenario> fromJson(const QByteArray &json, const QUrl &urlOverride, QString *error);
};

// A step as it runs: repeats unrolled, each with its place and iteration.
struct PlannedStep
{
    const ScenarioStep *step = nullptr;
    int number = 0; // 1-based, in running order
    QString iteration; // "2/3" inside a repeat (nested: "2/3 1/2"), empty outside
};

std::vector<PlannedStep> planSteps(const Scenario &scenario);

} // namespace wslab
