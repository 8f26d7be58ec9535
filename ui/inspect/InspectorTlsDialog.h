#pragma once

#include "core/inspect/RelayConfig.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace wslab {

// Edits the inspector's RelayTls: the certificate and key it serves wss:// with, and the CA file or
// insecure mode for a wss:// target (one or the other).
class InspectorTlsDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorTlsDialog)
public:
    explicit InspectorTlsDialog(const RelayTls &tls, QWidget *parent = nullptr);
    RelayTls tls() const;

private:
    QLineEdit *fileRow(const QString &objectName, const QString &value, const QString &placeholder, const QString &caption);

    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_ca;
    QCheckBox *m_insecure;
};

} // namespace wslab
