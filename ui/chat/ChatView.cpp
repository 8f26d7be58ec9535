#include "ui/chat/ChatView.h"

#include "core/chat/ChatClient.h"
#include "core/client/Client.h"
#include "ui/style/LabColors.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace wslab {

ChatView::ChatView(Client *client, QWidget *parent)
    : QWidget(parent)
    , m_chat(new ChatClient(client, this))
    , m_nick(new QLineEdit(this))
    , m_join(new QPushButton(tr("Join"), this))
    , m_status(new QLabel(this))
    , m_messages(new QPlainTextEdit(this))
    , m_members(new QListWidget(this))
    , m_input(new QLineEdit(this))
    , m_send(new QPushButton(tr("Say"), this))
{
    setObjectName(QStringLiteral("chatView"));
    m_nick->setObjectName(QStringLiteral("chatNick"));
    m_nick->setPlaceholderText(tr("Nickname"));
    m_nick->setAccessibleName(tr("Chat nickname"));
    m_nick->setMaxLength(32);
    m_join->setObjectName(QStringLiteral("chatJoin"));
    m_join->setToolTip(tr("Join the server's chat room (its mode must be chat), or take this nickname once joined"));
    m_status->setObjectName(QStringLiteral("chatStatus"));
    m_messages->setObjectName(QStringLiteral("chatMessages"));
    m_messages->setReadOnly(true);
    m_messages->setAccessibleName(tr("Chat messages"));
    m_members->setObjectName(QStringLiteral("chatMembers"));
    m_members->setAccessibleName(tr("Chat members"));
    m_input->setObjectName(QStringLiteral("chatInput"));
    m_input->setPlaceholderText(tr("Message… (Enter sends)"));
    m_input->setAccessibleName(tr("Chat message to send"));
    m_send->setObjectName(QStringLiteral("chatSay"));

    connect(m_join, &QPushButton::clicked, this, &ChatView::joinOrRename);
    connect(m_nick, &QLineEdit::returnPressed, this, &ChatView::joinOrRename);
    connect(m_send, &QPushButton::clicked, this, &ChatView::send);
    connect(m_input, &QLineEdit::returnPressed, this, &ChatView::send);
    connect(m_chat, &ChatClient::messageAdded, this, [this](const ChatClient::Message &m) {
        const QDateTime when = QDateTime::fromString(m.time, Qt::ISODateWithMs).toLocalTime();
        // appendPlainText: a message is data; "<b>" stays four characters.
        m_messages->appendPlainText(QStringLiteral("%1  %2: %3").arg(when.toString(QStringLiteral("HH:mm")), m.nick, m.text));
        if (!isVisible()) {
            ++m_unread;
            Q_EMIT unreadChanged(m_unread);
        }
    });
    connect(m_chat, &ChatClient::membersChanged, this, [this](const QStringList &members) {
        m_members->clear();
        m_members->addItems(members);
        updateStatus();
    });
    connect(m_chat, &ChatClient::joined, this, [this](const QString &nick, bool resumed) {
        m_nick->setText(nick);
        if (!resumed && !m_messages->document()->isEmpty() && m_chat->messages().isEmpty())
            m_messages->clear();
        updateStatus();
    });
    connect(m_chat, &ChatClient::historyReset, this, [this](const QString &reason) {
        m_messages->clear();
        m_messages->appendPlainText(tr("— the server's history changed (%1): shown again from what it keeps —").arg(reason));
    });
    connect(m_chat, &ChatClient::errorReceived, this, [this](const QString &code, const QString &message) {
        m_status->setText(tr("Chat error %1: %2").arg(code, message));
        setTone(m_status, Tone::Error);
    });
    connect(client, &Client::stateChanged, this, &ChatView::updateStatus);

    auto *top = new QHBoxLayout;
    top->addWidget(m_nick, 1);
    top->addWidget(m_join);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_messages);
    split->addWidget(m_members);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_input, 1);
    bottom->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);
    updateStatus();
}

void ChatView::setNick(const QString &nick)
{
    m_nick->setText(nick);
}

QString ChatView::nick() const
{
    return m_nick->text().trimmed();
}

void ChatView::joinOrRename()
{
    if (nick().isEmpty()) {
        m_status->setText(tr("Choose a nickname first"));
        setTone(m_status, Tone::Error);
        return;
    }
    if (m_chat->isJoined())
        m_chat->rename(nick());
    else
        m_chat->join(nick());
    updateStatus();
}

bool ChatView::send()
{
    QString error;
    if (!m_chat->say(m_input->text(), &error)) {
        m_status->setText(tr("Not sent: %1").arg(error));
        setTone(m_status, Tone::Error);
        return false;
    }
    m_input->clear();
    updateStatus();
    return true;
}

QString ChatView::transcript() const
{
    return m_messages->toPlainText();
}

void ChatView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadChanged(0);
    }
}

void ChatView::updateStatus()
{
    QString text;
    if (m_chat->isJoined())
        text = tr("Joined as %1 · %n member(s)", nullptr, int(m_chat->members().size())).arg(m_chat->nick());
    else if (!m_chat->nick().isEmpty())
        text = tr("Joins as %1 when the connection opens").arg(m_chat->nick());
    else
        text = tr("For a server in chat mode: choose a nickname and Join");
    if (m_chat->pendingCount() > 0)
        text += tr(" · %n waiting to be sent", nullptr, m_chat->pendingCount());
    m_status->setText(text);
    setTone(m_status, m_chat->isJoined() ? Tone::Success : Tone::Muted);
    m_join->setText(m_chat->isJoined() ? tr("Rename") : tr("Join"));
}

} // namespace wslab
