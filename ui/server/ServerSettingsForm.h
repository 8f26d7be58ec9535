#pragma once

#include "core/server/ServerConfig.h"
#include "ui/settings/SettingFields.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace wslab {

// Where and how a server listens, as widgets: the address, port and mode (which the panel places in
// its top row) and the group of limits, heartbeat, front-door checks, TLS and discovery. ServerConfig
// in, ServerConfig out, saved and restored; nothing else. Ranges, tooltips and defaults of the numbers
// come from the settings table (core/settings), so the window refuses what wslab-cli refuses.
class ServerSettingsForm : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSettingsForm)
public:
    explicit ServerSettingsForm(QWidget *parent = nullptr);

    QComboBox *hostField() const { return m_host; }
    QSpinBox *portField() const { return m_port; }
    QComboBox *modeField() const { return m_mode; }

    // The IPv4 addresses of this machine's LAN interfaces.
    static QStringList lanAddresses();

    void setHost(const QString &host);
    void setPort(quint16 port);
    void setMode(ServerMode mode);
    ServerMode mode() const;
    // The form as a config; `error` is empty when it is usable.
    ServerConfig config(QString *error) const;
    // The message size, rate limit, slow reader and heartbeat fields from `limits`; the first value
    // the table refuses is left as it was and returned.
    QString setLimits(const ServerConfig &limits);
    // One numeric setting by its settings key, in the table's unit (bytes, ms); refused with the
    // table's words, the same wslab-cli prints, when out of range.
    bool setValue(const QString &key, qint64 value, QString *error);

    void setTlsFiles(const QString &certFile, const QString &keyFile);
    void setCertificateInfo(const QString &text, bool isError);
    QString certificateInfo() const;

    // While the server runs every field but the mode is locked, saying why: they apply at the next Start.
    void setLocked(bool locked);

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

Q_SIGNALS:
    void modeChanged(ServerMode mode);
    void makeCertificateRequested();

private:
    SettingFields<ServerConfig> m_fields;
    QComboBox *m_host;
    QSpinBox *m_port;
    QComboBox *m_mode;
    QLabel *m_note;
    QLineEdit *m_path;
    QLineEdit *m_token;
    QLineEdit *m_origins;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLabel *m_certInfo;
    QLineEdit *m_name;
};

} // namespace wslab
