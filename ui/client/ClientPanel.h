#pragma once

#include "core/client/ClientConfig.h"
#include "ui/settings/SecretFields.h"

#include <QStringView>
#include <QWidget>

#include <functional>

class QComboBox;
class QPushButton;
class QSettings;
class QSplitter;
class QToolButton;
class QTimer;

namespace wslab {

class Client;
class Composer;
class ClientSettingsForm;
class Discovery;
class ChatView;
class LogView;
class StateIndicator;

// One live client endpoint: the URL (recent ones, servers heard on the LAN), Connect/Disconnect with
// the settings of its ClientSettingsForm (how to connect), a state line that tells the truth at a
// glance, the composer, the chat and the log. It hands a ClientConfig to the Client, which does the protocol.
class ClientPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientPanel)
public:
    explicit ClientPanel(const QString &name, QWidget *parent = nullptr);
    ~ClientPanel() override;

    Client *client() const { return m_client; }
    LogView *logView() const { return m_log; }
    ChatView *chatView() const { return m_chatView; }
    Composer *composer() const { return m_composer; }
    ClientSettingsForm *settingsForm() const { return m_form; }
    QString name() const;

    void setUrl(const QString &url);
    QString url() const;
    void setRecentUrls(const QStringList &urls);
    QStringList recentUrls() const;
    // The URL box lists the servers this Discovery hears under "Servers on this LAN", after the recent
    // URLs; choosing one fills in its URL.
    void setLanDiscovery(Discovery *discovery);
    // The URLs listed under "Servers on this LAN", in the box's order.
    QList<QUrl> lanServerUrls() const;
    // The form as a config; empty error when it is usable.
    ClientConfig configFromForm(QString *error) const;
    // The form's backoff and heartbeat fields (a lesson sets them before it connects); a value the
    // settings table refuses leaves its field as it was.
    void setPolicies(const ReconnectPolicy &reconnect, const HeartbeatPolicy &heartbeat);
    // Qt cuts each message this client sends into frames of at most this many bytes (512 KiB until
    // set): how a lesson shows a fragmented message. Not a form field; it lasts until set again.
    void setOutgoingFrameSize(quint64 bytes);
    // Connects with the form's settings; false with the reason shown when the form is not valid.
    bool connectToServer();
    // AfterReplies: what Disconnect does, the messages still on their way are received first
    // (Client::closeAfterDrain); AtOnce: the close frame goes now (Close…, a lesson's close step).
    enum class CloseWhen { AfterReplies, AtOnce };
    // The reason the window's own closes give (Disconnect, and what Close… offers).
    static constexpr QStringView kWindowCloseReason = u"closed from the lab window";
    // Closes with 1000, or with the code and reason given (validated by the Client); cancels a pending
    // retry. A close while the client waits for replies closes at once.
    bool disconnectFromServer(int code = 1000, const QString &reason = kWindowCloseReason.toString(),
                              CloseWhen when = CloseWhen::AfterReplies);
    QString stateText() const;
    StateIndicator *stateIndicator() const { return m_indicator; }

    // How this client goes through the window's inspector: given the server's URL, the address to
    // connect to instead, or an empty URL and the reason. Connect may start the inspector (mayStart);
    // a retry only asks where the running inspector listens now. Until one is set, "Via inspector" is hidden.
    using InspectorRoute = std::function<QUrl(const QUrl &target, bool mayStart, QString *error)>;
    void setInspectorRoute(InspectorRoute route);
    // "Via inspector": connect through the inspector's relay (at once when connected, reconnecting),
    // or directly again when unticked.
    void setRoutedThroughInspector(bool on);
    bool isRoutedThroughInspector() const;
    // Where the client connects: the inspector's address while routed, else the URL box's.
    QUrl connectedUrl() const;

    // Whether the URL or the headers hold a secret (a token= in the URL, an Authorization or Cookie
    // header), which a session saved without secrets reads as "<redacted>".
    bool holdsSecrets() const;
    // The URL, "Via inspector", the form and the composer (in its own group); the secrets as `secrets` says.
    void saveSettings(QSettings &settings, SecretsInSave secrets) const;
    void restoreSettings(QSettings &settings);

Q_SIGNALS:
    void urlUsed(const QString &url);
    void summaryChanged(); // state or counters changed: the window's tab title and status bar follow

private:
    void updateState();
    void askClose();
    void updateLanServers();
    void reconnectForRoute();
    // Before a retry of a routed connection: the inspector may have restarted on another port.
    void followInspector();
    void note(const QString &text);
    // The fields that may hold a secret: the one list holdsSecrets() and saveSettings() read.
    SecretFields secretFields() const;

    Client *m_client;
    QComboBox *m_url;
    QPushButton *m_connect;
    StateIndicator *m_indicator;
    ClientSettingsForm *m_form;
    Composer *m_composer;
    LogView *m_log;
    QSplitter *m_views;
    QToolButton *m_chatToggle;
    ChatView *m_chatView;
    QTimer *m_coalesce;
    Discovery *m_lan = nullptr;
    QToolButton *m_viaInspector;
    InspectorRoute m_route;
    bool m_reconnectWhenIdle = false; // rerouting: connect again once the old connection has closed
    QUrl m_routedTarget; // the server a routed connection goes to through the inspector; empty when direct
};

} // namespace wslab
