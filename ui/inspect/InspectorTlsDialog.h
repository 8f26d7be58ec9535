#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QLineEdit;

namespace wslab {

// The inspector's TLS, both ways: the certificate and key it serves wss:// to clients with (a lab
// certificate from `wslab-cli cert` will do), and how it checks a wss:// target: against a CA file
// besides the system's, or not at all.
struct InspectorTls
{
    QString certFile;
    QString keyFile;
    QString caFile;
    bool insecure = false;
    bool operator==(const InspectorTls &) const = default;
};

class InspectorTlsDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorTlsDialog)
public:
    explicit InspectorTlsDialog(const InspectorTls &tls, QWidget *parent = nullptr);
    InspectorTls tls() const;

private:
    QLineEdit *fileRow(const QString &objectName, const QString &value, const QString &placeholder, const QString &caption);

    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_ca;
    QCheckBox *m_insecure;
};

} // namespace wslab
