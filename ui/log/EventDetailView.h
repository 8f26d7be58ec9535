#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QTabWidget;

namespace wslab {

struct LogEvent;

// Everything about one event: the header line, the full text, the text as pretty-printed JSON when it
// parses, a hex dump (offset, hex, ASCII) of binary data, and for a close its code, name and meaning.
class EventDetailView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventDetailView)
public:
    explicit EventDetailView(QWidget *parent = nullptr);

    void setEvent(const LogEvent *event); // nullptr clears
    // Which tab shows what, for tests: "Text", "JSON", "Hex", "Close", "Handshake".
    QString currentTabName() const;
    QString textOf(const QString &tabName) const;

private:
    void showHandshake(const LogEvent &event);
    QLabel *m_header;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_text;
    QPlainTextEdit *m_json;
    QPlainTextEdit *m_hex;
    QPlainTextEdit *m_close;
    // The handshake worked out: each header with its role (on hover) and the accept computation.
    QWidget *m_handshake;
    QTreeWidget *m_handshakeHeaders;
    QPlainTextEdit *m_handshakeAccept;
};

} // namespace wslab
