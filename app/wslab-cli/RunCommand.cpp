#include "app/wslab-cli/RunCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/client/WebSocketUrl.h"
#include "core/scenario/JUnitReport.h"
#include "core/scenario/ScenarioRunner.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

Scenario loadScenario(const QString &file, const QUrl &urlOverride)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw UsageError(QStringLiteral("run: cannot read %1: %2").arg(file, in.errorString()));
    QString error;
    std::optional<Scenario> scenario = Scenario::fromJson(in.readAll(), urlOverride, &error);
    if (!scenario)
        throw UsageError(QStringLiteral("run: %1: %2").arg(file, error));
    return std::move(*scenario);
}

// "step 3 (/steps/2 expect, "greeting")": the index, the JSON path, the action and the author's name.
QString stepTitle(const ScenarioRunner::StepResult &r)
{
    const ScenarioStep &s = *r.planned.step;
    QString title = QStringLiteral("step %1 (%2 %3").arg(r.planned.number).arg(s.path, ScenarioStep::actionName(s.action));
    if (!s.name.isEmpty())
        title += QStringLiteral(", \"%1\"").arg(s.name);
    if (!r.planned.iteration.isEmpty())
        title += QStringLiteral(", iteration ") + r.planned.iteration;
    return title + u')';
}

void printStep(const ScenarioRunner::StepResult &r)
{
    const bool ok = r.status == ScenarioRunner::Status::Passed;
    const QString iteration = r.planned.iteration.isEmpty() ? QString() : QStringLiteral(" #") + r.planned.iteration;
    std::printf("%-4s %3d %s%s (%s%s, %lld ms)\n", ok ? "ok" : "FAIL", r.planned.number, qPrintable(r.planned.step->summary()),
                ok ? "" : qPrintable(QStringLiteral(": ") + r.message), qPrintable(r.planned.step->path), qPrintable(iteration),
                static_cast<long long>(r.duration.count()));
    std::fflush(stdout);
}

} // namespace

int runScenario(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("run"),
                 QStringLiteral("Run a scripted check (docs/scenarios.md): connect, send, expect replies and closes, step by step. Exit 0 "
                                "when every step passed, 1 when one failed (the step and what arrived instead on stderr), 2 for a bad "
                                "scenario file or bad flags."));
    QCommandLineParser &p = args.parser();
    p.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("the scenario file (JSON)"));
    p.addOptions({
        O(QStringLiteral("junit"), QStringLiteral("Also write the result as JUnit XML, one testcase per step, for CI."),
          QStringLiteral("FILE.xml")),
        O(QStringLiteral("url"), QStringLiteral("Connect here instead of the scenario's \"url\" (relative step URLs resolve against it)."),
          QStringLiteral("URL")),
    });
    if (!args.parse(arguments))
        return 0;
    const QStringList positional = args.positional();
    if (positional.size() != 1)
        throw UsageError(positional.isEmpty() ? QStringLiteral("run: missing SCENARIO.json")
                                              : QStringLiteral("run: one scenario file expected, got %1 arguments").arg(positional.size()));
    QUrl urlOverride;
    if (args.isSet(QStringLiteral("url"))) {
        QString urlError;
        urlOverride = webSocketUrlFromUserInput(args.value(QStringLiteral("url")), &urlError);
        if (!urlError.isEmpty())
            throw UsageError(QStringLiteral("run: --url: ") + urlError);
    }
    const QString junitFile = args.value(QStringLiteral("junit"));
    if (args.isSet(QStringLiteral("junit")) && (junitFile.isEmpty() || !QFileInfo(QFileInfo(junitFile).absolutePath()).isDir()))
        throw UsageError(QStringLiteral("run: --junit: no folder to write \"%1\" in").arg(junitFile));
    const QString file = positional.first();
    const Scenario scenario = loadScenario(file, urlOverride);
    const QString suiteName = scenario.name.isEmpty() ? QFileInfo(file).completeBaseName() : scenario.name;

    ScenarioRunner runner(scenario);
    QObject::connect(&runner, &ScenarioRunner::stepFinished, &runner,
                     [&runner](int index) { printStep(runner.results()[std::size_t(index)]); });
    QObject::connect(&runner, &ScenarioRunner::finished, &runner, [](bool passed) { QCoreApplication::exit(passed ? 0 : 1); });
    runner.start();
    if (!runner.isFinished())
        QCoreApplication::exec();

    int passed = 0;
    int notRun = 0;
    for (const ScenarioRunner::StepResult &r : runner.results()) {
        passed += r.status == ScenarioRunner::Status::Passed;
        notRun += r.status == ScenarioRunner::Status::NotRun;
    }
    const ScenarioRunner::StepResult *failed = runner.failure();
    std::printf("%s: %d passed, %d failed, %d not run in %.3f s\n", qPrintable(suiteName), passed, failed ? 1 : 0, notRun,
                double(runner.elapsed().count()) / 1000.0);
    std::fflush(stdout);
    if (failed)
        std::fprintf(stderr, "wslab-cli: run: %s failed: %s\n", qPrintable(stepTitle(*failed)), qPrintable(failed->message));

    if (!junitFile.isEmpty()) {
        QSaveFile out(junitFile);
        if (!out.open(QIODevice::WriteOnly) || out.write(junitReport(runner, suiteName)) < 0 || !out.commit()) {
            std::fprintf(stderr, "wslab-cli: run: cannot write %s: %s\n", qPrintable(junitFile), qPrintable(out.errorString()));
            return 2;
        }
    }
    return runner.passed() ? 0 : 1;
}

} // namespace wslab::cli
