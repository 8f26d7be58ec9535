#pragma once

#include <QStringList>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSettings;

namespace wslab {

// Writes one message for an endpoint: text, JSON (validated, with the error's line and column),
// or binary typed as hex or Base64 or loaded from a file. Ctrl+Enter sends; Up/Down walk the history.
// It knows nothing of sockets: the panel gives it functions that hand the message to the core and
// say why the core refused it, and the refusal is shown, never swallowed.
class Composer : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)
public:
    enum class Mode { Text, Json, Hex, Base64 };
    Q_ENUM(Mode)

    // Returns false and fills error when the message was not accepted.
    using SendFunction = std::function<bool(bool binary, const QByteArray &data, QString *error)>;
    using PingFunction = std::function<bool(QString *error)>;

    explicit Composer(QWidget *parent = nullptr);

    void setSendFunction(SendFunction send) { m_send = std::move(send); }
    void setPingFunction(PingFunction ping) { m_ping = std::move(ping); }
    void setSendLabel(const QString &label);

    void setMode(Mode mode);
    Mode mode() const;
    QPlainTextEdit *editor() const { return m_editor; }
    // Its controls in the order Tab visits them, for the panel that holds it to chain.
    QList<QWidget *> focusOrder() const;
    QString statusText() const;
    bool statusIsError() const { return m_statusIsError; }

    // Validates and sends what the editor holds; false (with the reason shown) when it was not sent.
    bool send();
    bool ping();
    // The bytes the editor's content stands for in the current mode; false with error when invalid.
    bool encode(QByteArray *data, QString *error) const;

    // What was sent, oldest first: Up walks back through it.
    QStringList history() const { return m_history; }
    // The newest kKeptHistory entries: what saveSettings keeps.
    QStringList keptHistory() const;
    void setHistory(const QStringList &history);
    // The mode and the newest kKeptHistory entries, kept between runs and in sessions; a message typed
    // but not sent is not.
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);
    static constexpr int kKeptHistory = 50;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showStatus(const QString &text, bool error);
    void loadFile();
    void recall(int step);

    QComboBox *m_mode;
    QPlainTextEdit *m_editor;
    QPushButton *m_sendButton;
    QLabel *m_status;
    SendFunction m_send;
    PingFunction m_ping;
    QStringList m_history;
    int m_historyIndex = 0;
    bool m_statusIsError = false;
};

} // namespace wslab
