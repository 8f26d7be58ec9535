#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace wslab {

class ChatClient;
class Client;

// A client's chat, for a server in chat mode (docs/chat-protocol.md): a nickname, the messages with
// nick and time, the members, and a line to type in. Text is always shown as text, never as markup.
// The raw frames stay in the log beside it; this view only speaks through its ChatClient.
class ChatView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatView)
public:
    explicit ChatView(Client *client, QWidget *parent = nullptr);

    ChatClient *chat() const { return m_chat; }
    void setNick(const QString &nick);
    QString nick() const;
    // Joins (or renames once joined) with the nickname in the box.
    void joinOrRename();
    // Sends what the input line holds; false with the reason shown.
    bool send();
    // Messages that arrived while the view was hidden; showing it resets the count.
    int unread() const { return m_unread; }
    QString transcript() const;

Q_SIGNALS:
    void unreadChanged(int unread);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateStatus();

    ChatClient *m_chat;
    QLineEdit *m_nick;
    QPushButton *m_join;
    QLabel *m_status;
    QPlainTextEdit *m_messages;
    QListWidget *m_members;
    QLineEdit *m_input;
    QPushButton *m_send;
    int m_unread = 0;
};

} // namespace wslab
