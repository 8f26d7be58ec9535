#pragma once

// Programs the tests run as separate processes (wslab-cli, the interop peers) and the --log files
// wslab-cli writes: what the cli and interop suites share about them.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

namespace wslab::test {

// The built wslab-cli, as ctest passes it.
inline QString cli()
{
    return qEnvironmentVariable("WSLAB_CLI");
}

// A child process whose stdout is read as lines. Every wait runs the event loop, so a server or client
// in the test's own process keeps working meanwhile. A child still running at the end is killed.
class Child
{
public:
    Child(const QString &program, const QStringList &args)
    {
        m_process.setProgram(program);
        m_process.setArguments(args);
        m_process.start();
    }
    // wslab-cli with these arguments.
    explicit Child(const QStringList &cliArgs)
        : Child(cli(), cliArgs)
    {
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    QProcess &process() { return m_process; }

    QStringList lines() { return stdoutText().split(u'\n', Qt::SkipEmptyParts); }
    QString stdoutText()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out);
    }
    QString stderrText()
    {
        m_err += m_process.readAllStandardError();
        return QString::fromUtf8(m_err);
    }
    // The first stdout line starting with prefix, waiting for it up to timeoutMs; empty if the child
    // ended (with all its output read) or the time ran out first.
    QString waitLine(const QString &prefix, int timeoutMs = 15000)
    {
        QString found;
        [[maybe_unused]] const bool seen = QTest::qWaitFor(
            [&] {
                for (const QString &line : lines()) {
                    if (line.startsWith(prefix)) {
                        found = line;
                        return true;
                    }
                }
                return m_process.state() == QProcess::NotRunning && !m_process.bytesAvailable();
            },
            timeoutMs);
        return found;
    }
    // Waits for the child to end; true when it exited normally (not killed, not crashed).
    bool finish(int timeoutMs = 30000)
    {
        const bool ended = QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        return ended && m_process.exitStatus() == QProcess::NormalExit;
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// The events of a wslab-cli --log file written so far, of one kind, as the JSON objects a script
// reads; a line still being written is not one yet.
inline QList<QJsonObject> logEvents(const QString &path, const QString &kind)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> events;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(u"kind").toString() == kind)
            events << event;
    }
    return events;
}

// A `wslab-cli serve` on a free loopback port; url() once it listens.
class Serve
{
public:
    explicit Serve(const QStringList &extra = {})
        : m_child(QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")} + extra)
    {
        const QString line = m_child.waitLine(QStringLiteral("listening on "));
        if (!line.isEmpty())
            m_url = line.mid(QStringLiteral("listening on ").size()) + u'/';
    }
    ~Serve()
    {
        m_child.process().terminate();
        m_child.finish(10000);
    }
    QString url() const { return m_url; }

private:
    Child m_child;
    QString m_url;
};

// A file for wslab-cli to read, in dir; the test stops when it cannot be written.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// A file's bytes, or none when it cannot be read (the comparison that follows then fails).
inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace wslab::test
