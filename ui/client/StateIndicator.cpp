#include "ui/client/StateIndicator.h"

#include "core/client/Client.h"
#include "core/protocol/CloseCode.h"
#include "core/tls/TlsFiles.h"
#include "ui/style/LabColors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

StateIndicator::StateIndicator(Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_state(new QLabel(this))
    , m_outbox(new QLabel(this))
    , m_certificate(new QLabel(this))
    , m_retryNow(new QPushButton(tr("Retry now"), this))
    , m_discard(new QToolButton(this))
    , m_countdown(new QTimer(this))
{
    setObjectName(QStringLiteral("clientStateIndicator"));
    m_state->setObjectName(QStringLiteral("clientState"));
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setWordWrap(true);
    m_state->setToolTip(tr("Backoff: after a drop the client waits a random delay that doubles with each failed retry "
                           "(up to the cap), so many clients do not all hammer a recovering server at once"));
    m_outbox->setObjectName(QStringLiteral("clientOutbox"));
    m_outbox->setToolTip(tr("Messages sent while the connection is down wait here and go out, in order, on the next open"));
    m_certificate->setObjectName(QStringLiteral("clientCertificate"));
    m_certificate->setWordWrap(true);
    m_certificate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_certificate->hide();
    m_retryNow->setObjectName(QStringLiteral("clientRetryNow"));
    m_retryNow->setToolTip(tr("Skip the rest of the backoff delay and try again now"));
    m_retryNow->hide();
    connect(m_retryNow, &QPushButton::clicked, m_client, &Client::retryNow);
    m_discard->setObjectName(QStringLiteral("clientDiscardQueued"));
    m_discard->setText(tr("Discard"));
    m_discard->setToolTip(tr("Forget the messages waiting in the outbox instead of sending them on the next open"));
    m_discard->hide();
    connect(m_discard, &QToolButton::clicked, m_client, &Client::discardQueued);
    m_countdown->setInterval(100); // the countdown shows tenths of a second
    connect(m_countdown, &QTimer::timeout, this, &StateIndicator::refresh);

    auto *row = new QHBoxLayout;
    row->addWidget(m_state, 1);
    row->addWidget(m_outbox);
    row->addWidget(m_discard);
    row->addWidget(m_retryNow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_certificate);
    refresh();
}

QString StateIndicator::text() const
{
    return m_state->text();
}

void StateIndicator::showProblem(const QString &problem)
{
    m_state->setText(problem);
    setTone(m_state, Tone::Error, true);
}

void StateIndicator::refresh()
{
    const Client::State state = m_client->state();
    QString text;
    Tone colour = Tone::Muted;
    // Only then is errorString about the connection (it may also hold a refused send).
    const bool failedToOpen = m_client->lastCause().isFailureToOpen();
    switch (state) {
    case Client::State::Idle: {
        if (failedToOpen && !m_client->errorString().isEmpty()) {
            text = tr("Failed: %1").arg(m_client->errorString());
            colour = Tone::Error;
        } else if (m_client->lastCloseCode() != 0) {
            text = tr("Closed: %1%2")
                       .arg(CloseCode::describe(m_client->lastCloseCode()),
                            m_client->lastCloseReason().isEmpty() ? QString() : QStringLiteral(" — ") + m_client->lastCloseReason());
            colour = Tone::Muted;
        } else {
            text = tr("Not connected");
            colour = Tone::Muted;
        }
        break;
    }
    case Client::State::Connecting:
        text = m_client->attempt() > 0 ? tr("Connecting (retry %1)…").arg(m_client->attempt()) : tr("Connecting…");
        colour = Tone::Waiting;
        break;
    case Client::State::Open: {
        const RttStats &rtt = m_client->counters().rtt;
        text = tr("Open");
        if (rtt.samples > 0)
            text += tr(" · RTT %1 ms").arg(double(rtt.last.count()) / 1000.0, 0, 'f', 2);
        if (!m_client->subprotocol().isEmpty())
            text += tr(" · subprotocol %1").arg(m_client->subprotocol());
        text += tr(" · %1 in, %2 out").arg(m_client->counters().messagesIn).arg(m_client->counters().messagesOut);
        colour = Tone::Success;
        break;
    }
    case Client::State::Closing:
        text = m_client->isDraining() ? tr("Closing: waiting for the replies on their way…") : tr("Closing…");
        colour = Tone::Closing;
        break;
    case Client::State::Backoff:
        text = tr("Retry %1 in %2 s").arg(m_client->attempt()).arg(double(m_client->backoffRemaining().count()) / 1000.0, 0, 'f', 1);
        if (m_client->lastCloseCode() != 0)
            text += tr(" (closed %1)").arg(CloseCode::describe(m_client->lastCloseCode()));
        else if (failedToOpen && !m_client->errorString().isEmpty())
            text += tr(" (%1)").arg(m_client->errorString());
        colour = Tone::Waiting;
        break;
    }
    m_state->setText(text);
    setTone(m_state, colour, true);
    m_retryNow->setVisible(state == Client::State::Backoff);
    if (state == Client::State::Backoff) {
        if (!m_countdown->isActive())
            m_countdown->start();
    } else {
        m_countdown->stop();
    }
    m_outbox->setText(m_client->outboxSize() > 0 ? tr("Outbox: %n waiting", nullptr, int(m_client->outboxSize())) : QString());
    m_discard->setVisible(m_client->outboxSize() > 0);

    const bool tls = state == Client::State::Open && m_client->config().url.scheme() == u"wss";
    m_certificate->setVisible(tls);
    if (tls) {
        const QString described = TlsFiles::describe(m_client->peerCertificate());
        const bool ignored = m_client->certificateErrorsIgnored();
        m_certificate->setText(ignored ? tr("⚠ Certificate NOT verified (errors ignored): anyone in the middle could read "
                                            "and change this traffic. %1")
                                             .arg(described)
                                       : tr("🔒 %1").arg(described));
        if (ignored)
            setTone(m_certificate, Tone::Error, true);
        else
            clearTone(m_certificate);
    }
}

} // namespace wslab
