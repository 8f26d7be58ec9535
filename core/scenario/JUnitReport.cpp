#include "core/scenario/JUnitReport.h"

#include <QDateTime>
#include <QXmlStreamWriter>

namespace wslab {

namespace {

QString seconds(std::chrono::milliseconds duration)
{
    return QString::number(double(duration.count()) / 1000.0, 'f', 3);
}

QString testcaseName(const ScenarioRunner::StepResult &r)
{
    const ScenarioStep &s = *r.planned.step;
    QString name = QStringLiteral("%1 %2").arg(r.planned.number, 3, 10, QChar(u'0')).arg(s.name.isEmpty() ? s.summary() : s.name);
    name += QStringLiteral(" (") + s.path;
    if (!r.planned.iteration.isEmpty())
        name += QStringLiteral(", iteration ") + r.planned.iteration;
    return name + u')';
}

} // namespace

QByteArray junitReport(const ScenarioRunner &runner, const QString &suiteName)
{
    int failures = 0;
    int skipped = 0;
    for (const ScenarioRunner::StepResult &r : runner.results()) {
        failures += r.status == ScenarioRunner::Status::Failed;
        skipped += r.status == ScenarioRunner::Status::NotRun;
    }
    const QString tests = QString::number(runner.results().size());
    const QString time = seconds(runner.elapsed());

    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    // CI readers take the counts from either element, so both carry them.
    const auto writeSuiteAttributes = [&] {
        w.writeAttribute(QStringLiteral("name"), suiteName);
        w.writeAttribute(QStringLiteral("tests"), tests);
        w.writeAttribute(QStringLiteral("failures"), QString::number(failures));
        w.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
        w.writeAttribute(QStringLiteral("skipped"), QString::number(skipped));
        w.writeAttribute(QStringLiteral("time"), time);
    };
    w.writeStartElement(QStringLiteral("testsuites"));
    writeSuiteAttributes();
    w.writeStartElement(QStringLiteral("testsuite"));
    writeSuiteAttributes();
    w.writeAttribute(QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    for (const ScenarioRunner::StepResult &r : runner.results()) {
        w.writeStartElement(QStringLiteral("testcase"));
        w.writeAttribute(QStringLiteral("classname"), suiteName);
        w.writeAttribute(QStringLiteral("name"), testcaseName(r));
        w.writeAttribute(QStringLiteral("time"), seconds(r.duration));
        if (r.status == ScenarioRunner::Status::Failed) {
            w.writeStartElement(QStringLiteral("failure"));
            w.writeAttribute(QStringLiteral("message"), r.message);
            w.writeAttribute(QStringLiteral("type"), ScenarioStep::actionName(r.planned.step->action));
            w.writeCharacters(QStringLiteral("step %1 at %2: %3\n%4")
                                  .arg(r.planned.number)
                                  .arg(r.planned.step->path, r.planned.step->summary(), r.message));
            w.writeEndElement();
        } else if (r.status == ScenarioRunner::Status::NotRun) {
            w.writeEmptyElement(QStringLiteral("skipped"));
            w.writeAttribute(QStringLiteral("message"), QStringLiteral("not run: an earlier step failed"));
        }
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndDocument();
    return xml;
}

} // namespace wslab
