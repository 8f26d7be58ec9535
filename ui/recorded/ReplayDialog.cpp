#include "ui/recorded/ReplayDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace wslab {

ReplayDialog::ReplayDialog(const QList<RecordedConnection> &connections, const QString &defaultUrl, QWidget *parent)
    : QDialog(parent)
    , m_connection(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_speed(new QComboBox(this))
{
    setObjectName(QStringLiteral("replayDialog"));
    setWindowTitle(tr("Replay to…"));
    m_connection->setObjectName(QStringLiteral("replayConnection"));
    for (int i = 0; i < connections.size(); ++i) {
        if (!connections.at(i).outgoingMessages().isEmpty())
            m_connection->addItem(connectionLine(connections.at(i), i), i);
    }
    m_url->setObjectName(QStringLiteral("replayUrl"));
    m_url->setPlaceholderText(QStringLiteral("ws://127.0.0.1:8080/"));
    m_url->setToolTip(tr("The server the messages go to (ws:// or wss://)"));
    auto showDefaultUrl = [this, connections, defaultUrl] {
        m_url->setText(defaultUrl.isEmpty() ? connections.value(connectionIndex()).url() : defaultUrl);
    };
    showDefaultUrl();
    // Without a server of our own, the recorded connection's own server is the likeliest target.
    if (defaultUrl.isEmpty())
        connect(m_connection, &QComboBox::currentIndexChanged, this, showDefaultUrl);
    m_speed->setObjectName(QStringLiteral("replaySpeed"));
    m_speed->addItem(tr("1× (the recorded gaps)"), 1.0);
    m_speed->addItem(tr("2×"), 2.0);
    m_speed->addItem(tr("4×"), 4.0);
    m_speed->addItem(tr("10×"), 10.0);
    m_speed->addItem(tr("max (no waiting)"), 0.0);
    m_speed->setToolTip(tr("How many times shorter the gaps between the messages are than when they were recorded"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Replay"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Connection:"), m_connection);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Speed:"), m_speed);
    form->addRow(buttons);
}

int ReplayDialog::connectionIndex() const
{
    return m_connection->currentData().toInt();
}

QString ReplayDialog::url() const
{
    return m_url->text().trimmed();
}

double ReplayDialog::speed() const
{
    return m_speed->currentData().toDouble();
}

QString ReplayDialog::connectionName(int index)
{
    return tr("connection %1").arg(index + 1);
}

QString ReplayDialog::connectionLine(const RecordedConnection &connection, int index)
{
    const QString who = connection.peer >= 0 ? tr("%1, peer %2").arg(connection.endpoint).arg(connection.peer) : connection.endpoint;
    const qsizetype sent = connection.outgoingMessages().size();
    return tr("%1 · %2 · %3").arg(connectionName(index), who, sent == 1 ? tr("1 message sent") : tr("%1 messages sent").arg(sent));
}

} // namespace wslab
