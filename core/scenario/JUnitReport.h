#pragma once

#include "core/scenario/ScenarioRunner.h"

#include <QByteArray>
#include <QString>

namespace wslab {

// A finished run as JUnit XML, the format CI servers read (GitLab, Jenkins, GitHub test reporters):
// one <testsuite> named after the scenario, one <testcase> per planned step in running order, a
// <failure> with the runner's message on the failed one and <skipped> on the steps it never reached.
QByteArray junitReport(const ScenarioRunner &runner, const QString &suiteName);

} // namespace wslab
