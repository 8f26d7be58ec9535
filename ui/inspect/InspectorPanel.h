#pragma once

#include "ui/inspect/InspectorTlsDialog.h"
#include "ui/settings/SecretFields.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QSettings;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace wslab {

class EventDetailView;
class ExplainFrameDialog;
class FaultBar;
class FrameTableModel;
class FrameTree;
class HexView;
class Relay;

// The inspector in the window (issue 10): where the relay listens and what it relays to, Start/Stop,
// the address to give clients (with Copy), the fault switches, and every frame the relay saw: a table
// like Wireshark's packet list, the selected frame decoded field by field beside its bytes in
// colour. "Explain this frame" draws it as RFC 6455 §5.2 does (issue 11). The panel owns its Relay;
// the relay does the protocol.
class InspectorPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorPanel)
public:
    explicit InspectorPanel(QWidget *parent = nullptr);
    ~InspectorPanel() override;

    Relay *relay() const { return m_relay; }
    FrameTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    FrameTree *tree() const { return m_tree; }
    EventDetailView *eventDetail() const { return m_eventDetail; }
    HexView *hexView() const { return m_hex; }
    FaultBar *faultBar() const { return m_faults; }

    void setTarget(const QString &url);
    QString target() const;
    void setPort(quint16 port);
    // TLS both ways (see RelayTls); takes effect at the next start. The CA file and insecure mode
    // apply only to a wss:// target.
    void setTls(const RelayTls &tls);
    const RelayTls &tls() const { return m_tlsSettings; }
    // Starts relaying with the form's settings; false with the reason shown when it cannot.
    bool start();
    void stop();
    bool isRunning() const;
    QString statusText() const;

    // For a client routed through the inspector: the address it should connect to instead of `target`.
    // Starts the relay towards `target` unless it already relays there; refuses (empty URL, reason in
    // error) when it cannot start, or when it relays elsewhere with connections open, which a restart
    // would cut. With mayStart false it only answers while it already relays to `target`.
    QUrl routeTo(const QUrl &target, QString *error, bool mayStart = true);

    // The port and target are remembered between runs; the faults are not, so a window never starts
    // with a black hole nobody remembers setting.
    // The target as `secrets` says: a token= in it reads "<redacted>" in a session saved without secrets.
    void saveSettings(QSettings &settings, SecretsInSave secrets) const;
    void restoreSettings(const QSettings &settings);
    // Whether the target holds a secret (a token= or access_token= in its URL).
    bool holdsSecrets() const;

    // Opens "Explain this frame" for the selected row; nullptr when the selection is not a frame.
    ExplainFrameDialog *explainSelected();
    QList<QWidget *> focusOrder() const;

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void onCurrentRowChanged();
    // The fields that may hold a secret: the one list holdsSecrets() and saveSettings() read.
    SecretFields secretFields() const;
    void updateState(const QString &problem = {});

    Relay *m_relay;
    FrameTableModel *m_model;
    QSpinBox *m_port;
    QLineEdit *m_target;
    QPushButton *m_start;
    QLineEdit *m_url;
    QToolButton *m_copy;
    QToolButton *m_tls;
    RelayTls m_tlsSettings;
    QLabel *m_status;
    FaultBar *m_faults;
    QTableView *m_table;
    FrameTree *m_tree;
    HexView *m_hex;
    QPushButton *m_explain;
    QSplitter *m_splitter;
    QStackedWidget *m_detailStack; // the frame's tree and bytes, or the detail of any other event
    EventDetailView *m_eventDetail;
};

} // namespace wslab
