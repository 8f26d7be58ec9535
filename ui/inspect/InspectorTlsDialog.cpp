#include "ui/inspect/InspectorTlsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace wslab {

InspectorTlsDialog::InspectorTlsDialog(const RelayTls &tls, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Inspector TLS"));
    auto *form = new QFormLayout(this);
    auto *towardsClients = new QLabel(tr("Towards clients: serve wss:// with this certificate and key (empty: ws://)."), this);
    towardsClients->setWordWrap(true);
    form->addRow(towardsClients);
    m_cert = fileRow(QStringLiteral("inspectorTlsCert"), tls.certFile, tr("cert.pem"), tr("Certificate"));
    form->addRow(tr("Certificate"), m_cert->parentWidget());
    m_key = fileRow(QStringLiteral("inspectorTlsKey"), tls.keyFile, tr("key.pem"), tr("Private key"));
    form->addRow(tr("Key"), m_key->parentWidget());
    auto *towardsTarget = new QLabel(tr("Towards a wss:// target: trust this CA besides the system's, or verify nothing."), this);
    towardsTarget->setWordWrap(true);
    form->addRow(towardsTarget);
    m_ca = fileRow(QStringLiteral("inspectorTlsCa"), tls.caFile, tr("ca.pem"), tr("Trust this CA or certificate"));
    form->addRow(tr("CA file"), m_ca->parentWidget());
    m_insecure =
        new QCheckBox(tr("Do not verify the target's certificate (anyone on the path can then read and change the traffic)"), this);
    m_insecure->setObjectName(QStringLiteral("inspectorTlsInsecure"));
    m_insecure->setChecked(tls.insecure);
    form->addRow(m_insecure);
    // Either trust or none: the relay refuses both at once, so the dialog does not offer it.
    const auto exclusive = [this] {
        m_insecure->setEnabled(m_ca->text().trimmed().isEmpty());
        m_ca->setEnabled(!m_insecure->isChecked());
    };
    connect(m_insecure, &QCheckBox::toggled, this, exclusive);
    connect(m_ca, &QLineEdit::textChanged, this, exclusive);
    exclusive();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QLineEdit *InspectorTlsDialog::fileRow(const QString &objectName, const QString &value, const QString &placeholder, const QString &caption)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(value, row);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setMinimumWidth(fontMetrics().averageCharWidth() * 40);
    auto *browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(caption);
    connect(browse, &QToolButton::clicked, this, [this, edit, caption] {
        const QString path = QFileDialog::getOpenFileName(this, caption, edit->text(), tr("PEM (*.pem *.crt *.key);;All files (*)"));
        if (!path.isEmpty())
            edit->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return edit;
}

RelayTls InspectorTlsDialog::tls() const
{
    return {m_cert->text().trimmed(), m_key->text().trimmed(), m_ca->isEnabled() ? m_ca->text().trimmed() : QString(),
            m_insecure->isEnabled() && m_insecure->isChecked()};
}

} // namespace wslab
