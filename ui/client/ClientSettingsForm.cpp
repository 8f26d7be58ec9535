#include "ui/client/ClientSettingsForm.h"

#include "core/settings/SettingsTable.h"
#include "ui/client/HeadersEditor.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>

namespace wslab {

ClientSettingsForm::ClientSettingsForm(QWidget *parent)
    : QGroupBox(tr("Connection settings"), parent)
    , m_fields(clientSettings())
    , m_headers(new HeadersEditor(this))
    , m_subprotocols(new QLineEdit(this))
    , m_origin(new QLineEdit(this))
    , m_caFile(new QLineEdit(this))
{
    setObjectName(QStringLiteral("clientSettings"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Headers"), m_headers);

    m_subprotocols->setObjectName(QStringLiteral("clientSubprotocols"));
    m_subprotocols->setPlaceholderText(tr("chat, json (in order of preference)"));
    m_subprotocols->setToolTip(tr("Subprotocols offered in Sec-WebSocket-Protocol; the server picks at most one"));
    form->addRow(tr("Subprotocols"), m_subprotocols);

    m_origin->setObjectName(QStringLiteral("clientOrigin"));
    m_origin->setPlaceholderText(tr("http://example.org (browsers always send one)"));
    form->addRow(tr("Origin"), m_origin);

    form->addRow(QString(), m_fields.checkBox(QStringLiteral("reconnect"), tr("Reconnect after a drop (exponential backoff with jitter)"),
                                              QStringLiteral("clientReconnect"), this));
    auto *backoff = new QHBoxLayout;
    backoff->addWidget(new QLabel(tr("base"), this));
    backoff->addWidget(m_fields.spinBox(QStringLiteral("reconnectBase"), QStringLiteral("clientReconnectBase"), this));
    backoff->addWidget(new QLabel(tr("cap"), this));
    backoff->addWidget(m_fields.spinBox(QStringLiteral("reconnectCap"), QStringLiteral("clientReconnectCap"), this));
    backoff->addWidget(new QLabel(tr("attempts"), this));
    backoff->addWidget(m_fields.spinBox(QStringLiteral("maxAttempts"), QStringLiteral("clientMaxAttempts"), this));
    form->addRow(tr("Backoff"), backoff);

    auto *heartbeat = new QHBoxLayout;
    heartbeat->addWidget(new QLabel(tr("ping every"), this));
    heartbeat->addWidget(m_fields.spinBox(QStringLiteral("pingInterval"), QStringLiteral("clientPingInterval"), this));
    heartbeat->addWidget(new QLabel(tr("pong within"), this));
    heartbeat->addWidget(m_fields.spinBox(QStringLiteral("pongTimeout"), QStringLiteral("clientPongTimeout"), this));
    auto *heartbeatLabel = new QLabel(tr("Heartbeat"), this);
    heartbeatLabel->setToolTip(tr("Pings are control frames; a peer that sends no pong (nor any data) in time is declared dead (1006)"));
    form->addRow(heartbeatLabel, heartbeat);
    form->addRow(tr("Connect timeout"), m_fields.spinBox(QStringLiteral("connectTimeout"), QStringLiteral("clientConnectTimeout"), this));
    form->addRow(tr("Close linger"), m_fields.spinBox(QStringLiteral("closeLinger"), QStringLiteral("clientCloseLinger"), this));

    m_caFile->setObjectName(QStringLiteral("clientCaFile"));
    m_caFile->setPlaceholderText(tr("ca.pem to trust for wss:// (besides the system's)"));
    auto *browse = new QToolButton(this);
    browse->setText(QStringLiteral("…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Trust this CA or certificate"), {}, tr("PEM (*.pem *.crt);;All files (*)"));
        if (!path.isEmpty())
            m_caFile->setText(path);
    });
    auto *ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    form->addRow(tr("TLS trust"), ca);
    form->addRow(QString(),
                 m_fields.checkBox(QStringLiteral("insecure"), tr("Ignore certificate errors (the server is then NOT authenticated)"),
                                   QStringLiteral("clientInsecure"), this));
}

bool ClientSettingsForm::fill(ClientConfig *c, QString *error) const
{
    if (!m_headers->headers(&c->headers, error))
        return false;
    for (const QString &p : m_subprotocols->text().split(u',', Qt::SkipEmptyParts))
        c->subprotocols << p.trimmed();
    c->origin = m_origin->text().trimmed();
    m_fields.writeInto(c);
    c->caFile = m_caFile->text().trimmed();
    return true;
}

QString ClientSettingsForm::setPolicies(const ReconnectPolicy &reconnect, const HeartbeatPolicy &heartbeat)
{
    ClientConfig c;
    c.reconnect = reconnect;
    c.heartbeat = heartbeat;
    return m_fields.showValues(c, {QStringLiteral("reconnect"), QStringLiteral("reconnectBase"), QStringLiteral("reconnectCap"),
                                   QStringLiteral("maxAttempts"), QStringLiteral("pingInterval"), QStringLiteral("pongTimeout")});
}

bool ClientSettingsForm::setValue(const QString &key, qint64 value, QString *error)
{
    return m_fields.setValue(key, value, error);
}

void ClientSettingsForm::saveSettings(QSettings &s) const
{
    s.setValue(QStringLiteral("headers"), m_headers->toText());
    s.setValue(QStringLiteral("subprotocols"), m_subprotocols->text());
    s.setValue(QStringLiteral("origin"), m_origin->text());
    s.setValue(QStringLiteral("caFile"), m_caFile->text());
    m_fields.save(s);
}

void ClientSettingsForm::restoreSettings(const QSettings &s)
{
    m_headers->setText(s.value(QStringLiteral("headers")).toString());
    m_subprotocols->setText(s.value(QStringLiteral("subprotocols")).toString());
    m_origin->setText(s.value(QStringLiteral("origin")).toString());
    m_caFile->setText(s.value(QStringLiteral("caFile")).toString());
    m_fields.restore(s);
}

} // namespace wslab
