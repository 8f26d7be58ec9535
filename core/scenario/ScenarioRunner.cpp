#include "core/scenario/ScenarioRunner.h"

#include "core/client/Client.h"

#include <algorithm>

namespace wslab {

namespace {

const QString kFinishedReason = QStringLiteral("scenario finished");

} // namespace

ScenarioRunner::ScenarioRunner(const Scenario &scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
{
    // The plan points into m_scenario's steps, so it is made from the copy this runner keeps.
    for (const PlannedStep &planned : planSteps(m_scenario))
        m_results.push_back({planned, Status::NotRun, {}, {}});
    m_deadline.setSingleShot(true);
    // A coarse timer may fire up to 5% early; a check that says "nothing within 150 ms" must have waited 150 ms.
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &ScenarioRunner::onDeadline);
}

ScenarioRunner::~ScenarioRunner()
{
    // A client going away says so; nobody here is listening any more.
    for (auto &[name, c] : m_connections)
        c.client->disconnect(this);
}

void ScenarioRunner::start()
{
    m_clock.start();
    advance();
}

bool ScenarioRunner::passed() const
{
    return m_finished && failure() == nullptr &&
           std::all_of(m_results.begin(), m_results.end(), [](const StepResult &r) { return r.status == Status::Passed; });
}

const ScenarioRunner::StepResult *ScenarioRunner::failure() const
{
    for (const StepResult &r : m_results) {
        if (r.status == Status::Failed)
            return &r;
    }
    return nullptr;
}

ScenarioRunner::Connection &ScenarioRunner::connection(const QString &name)
{
    Connection &c = m_connections[name];
    if (c.client)
        return c;
    c.client = new Client(name, this);
    connect(c.client, &Client::opened, this, [this, name] {
        m_connections[name].opened = true;
        recheck();
    });
    connect(c.client, &Client::textReceived, this, [this, name](const QString &text, const QByteArray &) {
        m_connections[name].inbox.push_back(InboundMessage::fromText(text));
        recheck();
    });
    connect(c.client, &Client::binaryReceived, this, [this, name](const QByteArray &data) {
        m_connections[name].inbox.push_back(InboundMessage::fromBinary(data));
        recheck();
    });
    connect(c.client, &Client::stateChanged, this, [this, name](Client::State state) {
        if (state != Client::State::Idle)
            return;
        Connection &gone = m_connections[name];
        gone.ended = true;
        gone.closeCode = gone.opened ? gone.client->lastCloseCode() : 0;
        gone.closeReason = gone.opened ? gone.client->lastCloseReason() : QString();
        gone.endedBecause = gone.client->errorString();
        if (m_closingDown)
            finishIfAllClosed();
        else
            recheck();
    });
    return c;
}

ScenarioRunner::Connection *ScenarioRunner::existing(const QString &name)
{
    const auto it = m_connections.find(name);
    return it == m_connections.end() ? nullptr : &it->second;
}

QString ScenarioRunner::howItEnded(const Connection &c) const
{
    if (c.closeCode == 0)
        return c.endedBecause.isEmpty() ? QStringLiteral("the connection ended") : c.endedBecause;
    QString how = QStringLiteral("the connection closed with %1").arg(c.closeCode);
    if (!c.closeReason.isEmpty())
        how += u' ' + compactJson(c.closeReason);
    return how;
}

void ScenarioRunner::advance()
{
    if (m_advancing)
        return;
    m_advancing = true;
    // Steps that finish at once (send) run in this loop rather than recursing one call per step.
    while (!m_waiting && !m_closingDown && m_index < m_results.size())
        begin();
    m_advancing = false;
    if (!m_waiting && !m_closingDown && m_index >= m_results.size())
        closeEverything();
}

void ScenarioRunner::begin()
{
    const ScenarioStep &s = current();
    m_stepClock.start();
    m_waiting = true;
    m_skipped = 0;
    if (s.action == ScenarioStep::Action::Wait) {
        m_deadline.start(s.wait);
        return;
    }
    if (s.action == ScenarioStep::Action::Connect) {
        Connection &c = connection(s.connection);
        if (c.client->state() != Client::State::Idle) {
            fail(QStringLiteral("connection \"%1\" is open already").arg(s.connection));
            return;
        }
        c.inbox.clear();
        c.opened = false;
        c.ended = false;
        c.closeCode = 0;
        c.closeReason.clear();
        c.endedBecause.clear();
        c.client->setConfig(s.client);
        if (!c.client->open()) {
            fail(c.client->errorString());
            return;
        }
        waitForEvents(s);
        return;
    }
    Connection *c = existing(s.connection);
    if (!c) {
        fail(QStringLiteral("no connection \"%1\": connect it first").arg(s.connection));
        return;
    }
    switch (s.action) {
    case ScenarioStep::Action::Send: {
        if (c->client->state() != Client::State::Open) {
            fail(QStringLiteral("cannot send: ") + (c->ended ? howItEnded(*c) : QStringLiteral("the connection is not open")));
            return;
        }
        const bool sent = s.message.binary ? c->client->sendBinary(s.message.data) : c->client->sendText(s.message.text);
        if (sent)
            pass();
        else
            fail(c->client->errorString());
        return;
    }
    case ScenarioStep::Action::Close:
        if (c->client->state() != Client::State::Open) {
            fail(QStringLiteral("cannot close: ") + (c->ended ? howItEnded(*c) : QStringLiteral("the connection is not open")));
            return;
        }
        if (!c->client->close(s.closeCode.value_or(1000), s.closeReason.value_or(QString()))) {
            fail(c->client->errorString());
            return;
        }
        break;
    default:
        break;
    }
    waitForEvents(s);
}

void ScenarioRunner::waitForEvents(const ScenarioStep &s)
{
    // open() and close() may have ended the step already, reporting a state change on the spot.
    if (!m_waiting)
        return;
    m_deadline.start(s.timeout);
    recheck();
}

void ScenarioRunner::recheck()
{
    if (!m_waiting || m_closingDown)
        return;
    const ScenarioStep &s = current();
    Connection *c = existing(s.connection);
    if (!c)
        return;
    switch (s.action) {
    case ScenarioStep::Action::Connect:
        if (c->client->state() == Client::State::Open)
            pass();
        else if (c->ended)
            fail(QStringLiteral("could not connect: ") + howItEnded(*c));
        return;
    case ScenarioStep::Action::Expect:
        while (!c->inbox.empty()) {
            const InboundMessage message = std::move(c->inbox.front());
            c->inbox.pop_front();
            const Matcher::Outcome outcome = s.matcher->match(message);
            if (outcome.matched) {
                pass();
                return;
            }
            if (!s.skipUnmatched) {
                fail(QStringLiteral("%1; got %2").arg(outcome.mismatch, message.describe()));
                return;
            }
            ++m_skipped;
        }
        if (c->ended)
            fail(QStringLiteral("no matching message: %1 first").arg(howItEnded(*c)));
        return;
    case ScenarioStep::Action::ExpectClose:
        while (!c->inbox.empty()) {
            if (!s.skipUnmatched) {
                fail(QStringLiteral("expected the connection to close; got ") + c->inbox.front().describe());
                return;
            }
            c->inbox.pop_front();
            ++m_skipped;
        }
        if (!c->ended)
            return;
        if (c->closeCode == 0 || (s.closeCode && *s.closeCode != c->closeCode) || (s.closeReason && *s.closeReason != c->closeReason)) {
            QString wanted = s.closeCode ? QString::number(*s.closeCode) : QStringLiteral("a close");
            if (s.closeReason)
                wanted += u' ' + compactJson(*s.closeReason);
            fail(QStringLiteral("expected %1; %2").arg(wanted, howItEnded(*c)));
            return;
        }
        pass();
        return;
    case ScenarioStep::Action::Close:
        if (c->ended)
            pass();
        return;
    case ScenarioStep::Action::Send:
    case ScenarioStep::Action::Wait:
    case ScenarioStep::Action::Repeat:
        return;
    }
}

void ScenarioRunner::onDeadline()
{
    if (!m_waiting || m_closingDown)
        return;
    const ScenarioStep &s = current();
    const qint64 ms = s.timeout.count();
    switch (s.action) {
    case ScenarioStep::Action::Wait:
        pass();
        return;
    case ScenarioStep::Action::Connect:
        fail(QStringLiteral("not open within %1 ms").arg(ms));
        return;
    case ScenarioStep::Action::Expect:
        fail(m_skipped == 0 ? QStringLiteral("nothing arrived within %1 ms").arg(ms)
                            : QStringLiteral("no matching message within %1 ms (%2 others passed over)").arg(ms).arg(m_skipped));
        return;
    case ScenarioStep::Action::ExpectClose:
        fail(QStringLiteral("still open after %1 ms").arg(ms));
        return;
    case ScenarioStep::Action::Close:
        fail(QStringLiteral("the close handshake did not finish within %1 ms").arg(ms));
        return;
    case ScenarioStep::Action::Send:
    case ScenarioStep::Action::Repeat:
        return;
    }
}

void ScenarioRunner::pass()
{
    finishStep(Status::Passed, {});
}

void ScenarioRunner::fail(const QString &why)
{
    finishStep(Status::Failed, why);
}

void ScenarioRunner::finishStep(Status status, const QString &message)
{
    m_deadline.stop();
    m_waiting = false;
    StepResult &r = m_results[m_index];
    r.status = status;
    r.message = message;
    r.duration = std::chrono::milliseconds(m_stepClock.elapsed());
    Q_EMIT stepFinished(int(m_index));
    ++m_index;
    if (status == Status::Failed)
        closeEverything();
    else
        advance();
}

void ScenarioRunner::closeEverything()
{
    if (m_closingDown)
        return;
    m_closingDown = true;
    m_deadline.stop();
    for (auto &[name, c] : m_connections) {
        if (c.client->state() != Client::State::Idle)
            c.client->close(1000, kFinishedReason);
    }
    finishIfAllClosed();
}

void ScenarioRunner::finishIfAllClosed()
{
    if (m_finished)
        return;
    for (const auto &[name, c] : m_connections) {
        if (c.client->state() != Client::State::Idle)
            return;
    }
    m_finished = true;
    Q_EMIT finished(passed());
}

} // namespace wslab
