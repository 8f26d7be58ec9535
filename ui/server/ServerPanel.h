#pragma once

#include "core/server/ServerConfig.h"
#include "ui/settings/SecretFields.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QTableView;
class QToolButton;

namespace wslab {

class ChatRoom;
class Composer;
class LogView;
class PeerTableModel;
class RulesEditor;
class Server;
class ServerSettingsForm;

// The live server endpoint: Start/Stop with the settings of its ServerSettingsForm (where and how to
// listen), the address to share, the connected peers with send and kick, the composer and the log.
// It hands the form's ServerConfig to the Server and shows what the Server does; nothing more.
class ServerPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerPanel)
public:
    explicit ServerPanel(QWidget *parent = nullptr);
    ~ServerPanel() override;

    Server *server() const { return m_server; }
    LogView *logView() const { return m_log; }
    Composer *composer() const { return m_composer; }
    PeerTableModel *peerModel() const { return m_peers; }
    QTableView *peerTable() const { return m_peerTable; }
    // The mock rules of rules mode, in their own window (Rules… beside the mode).
    RulesEditor *rulesEditor() const { return m_rules; }
    // Opens the rules window, raised.
    void showRules();
    ServerSettingsForm *settingsForm() const { return m_form; }

    void setHost(const QString &host);
    void setPort(quint16 port);
    void setMode(ServerMode mode);
    ServerConfig configFromForm(QString *error) const;
    // The form's message size, rate limit, slow reader and heartbeat fields from `limits` (a lesson
    // sets them before it starts the server); like every setting but the mode, they apply at the next Start.
    // A value the settings table refuses leaves its field as it was.
    void setLimits(const ServerConfig &limits);
    // Starts with the form's settings; false with the reason shown.
    bool start();
    void stop();
    // ws://LAN-address:port that other machines can use (or 127.0.0.1 when bound there).
    QString shareAddress() const;
    // http(s)://LAN-address:port/ where a browser finds the chat page: empty unless listening in chat mode.
    QString pageAddress() const;
    // Shows the QR code of pageAddress() for phones to scan (the QR button beside Share).
    void showQrCode();
    // Kicks the selected peer with the code and reason given (no dialog); false with the reason shown.
    bool kickSelected(int code, const QString &reason);
    int selectedPeerId() const;
    // Writes a lab CA and a certificate for this machine into dir and fills the TLS fields with it;
    // false with the reason shown. "Make certificate…" asks for the folder, then calls this.
    bool makeCertificateIn(const QString &dir);
    QString certificateInfo() const;
    QString statusText() const;

    // Whether the token is set: a session saved without secrets leaves it out.
    bool holdsSecrets() const;
    // The form, the rules, the panes and the composer (in its own group); the token as `secrets` says.
    void saveSettings(QSettings &settings, SecretsInSave secrets) const;
    void restoreSettings(QSettings &settings);

Q_SIGNALS:
    void summaryChanged();

private:
    // Where the composer's messages go; kept in the target box's item data.
    enum class SendTarget { All, Selected };

    void updateState();
    void updateSendLabel();
    void askKick();
    void makeCertificate();
    SendTarget sendTarget() const;
    // The fields that may hold a secret: the one list holdsSecrets() and saveSettings() read.
    SecretFields secretFields() const;

    Server *m_server;
    ServerSettingsForm *m_form;
    QPushButton *m_startStop;
    QLabel *m_status;
    QLineEdit *m_share;
    QToolButton *m_showQr;
    // The last Start failed: the status line keeps saying why until the next Start.
    bool m_startFailed = false;
    PeerTableModel *m_peers;
    QLabel *m_peersTitle;
    QTableView *m_peerTable;
    QComboBox *m_target;
    Composer *m_composer;
    LogView *m_log;
    // Answers only while the mode is chat, so switching to chat mid-session needs nothing else.
    ChatRoom *m_chat;
    // Answers by its rules only while the mode is rules, like the chat room.
    RulesEditor *m_rules;
    QPushButton *m_showRules;
};

} // namespace wslab
