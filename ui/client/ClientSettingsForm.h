#pragma once

#include "core/client/ClientConfig.h"
#include "ui/settings/SettingFields.h"

#include <QGroupBox>

class QLineEdit;
class QSettings;

namespace wslab {

class HeadersEditor;

// How a client connects, as widgets: headers, subprotocols, origin, reconnect, heartbeat, connect
// timeout and TLS trust. ClientConfig in, ClientConfig out, saved and restored; nothing else. Ranges,
// tooltips and defaults of the numbers come from the settings table (core/settings), so the window
// refuses what wslab-cli refuses.
class ClientSettingsForm : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientSettingsForm)
public:
    explicit ClientSettingsForm(QWidget *parent = nullptr);

    // Everything but the URL into `config`; false with the reason when a field is not usable.
    bool fill(ClientConfig *config, QString *error) const;
    // The backoff and heartbeat fields; the first value the table refuses is left as it was and returned.
    QString setPolicies(const ReconnectPolicy &reconnect, const HeartbeatPolicy &heartbeat);
    // One numeric setting by its settings key, in the table's unit; refused with the table's words,
    // the same wslab-cli prints, when out of range.
    bool setValue(const QString &key, qint64 value, QString *error);

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

private:
    SettingFields<ClientConfig> m_fields;
    HeadersEditor *m_headers;
    QLineEdit *m_subprotocols;
    QLineEdit *m_origin;
    QLineEdit *m_caFile;
};

} // namespace wslab
