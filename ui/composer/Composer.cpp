#include "ui/composer/Composer.h"

#include "ui/style/TextScale.h"

#include "ui/style/LabColors.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QTextBlock>
#include <QVBoxLayout>

#include <algorithm>

namespace wslab {

namespace {
constexpr int kHistoryLimit = 100;

// The last `count` entries of `list` (all of them when it holds fewer).
QStringList newest(const QStringList &list, qsizetype count)
{
    return list.mid(std::max<qsizetype>(0, list.size() - count));
}
} // namespace

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_mode(new QComboBox(this))
    , m_editor(new QPlainTextEdit(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("composer"));
    m_mode->setObjectName(QStringLiteral("composerMode"));
    m_mode->addItem(tr("Text"), int(Mode::Text));
    m_mode->addItem(tr("JSON"), int(Mode::Json));
    m_mode->addItem(tr("Binary (hex)"), int(Mode::Hex));
    m_mode->addItem(tr("Binary (Base64)"), int(Mode::Base64));
    m_mode->setToolTip(tr("Text and JSON go out as text frames (opcode 0x1, UTF-8); hex and Base64 as binary frames (opcode 0x2)"));

    m_editor->setObjectName(QStringLiteral("composerEditor"));
    m_editor->setPlaceholderText(tr("Message… (Ctrl+Enter sends, Up/Down recall earlier ones)"));
    TextScale::useMonospace(m_editor);
    m_editor->setTabChangesFocus(true);
    m_editor->setMaximumHeight(m_editor->fontMetrics().lineSpacing() * 5 + 12);
    m_editor->installEventFilter(this);
    m_editor->setAccessibleName(tr("Message to send"));

    m_sendButton->setObjectName(QStringLiteral("composerSend"));
    m_sendButton->setToolTip(tr("Send the message (Ctrl+Enter)"));
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::send);
    auto *pingButton = new QPushButton(tr("Ping"), this);
    pingButton->setObjectName(QStringLiteral("composerPing"));
    pingButton->setToolTip(tr("Send a ping control frame (opcode 0x9); the peer must answer with a pong, and its round trip is timed"));
    connect(pingButton, &QPushButton::clicked, this, &Composer::ping);
    auto *fileButton = new QPushButton(tr("Load file…"), this);
    fileButton->setObjectName(QStringLiteral("composerFile"));
    fileButton->setToolTip(tr("Load a file's bytes as a binary message (shown as hex)"));
    connect(fileButton, &QPushButton::clicked, this, &Composer::loadFile);

    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setWordWrap(true);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (m_statusIsError)
            showStatus({}, false);
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_mode);
    buttons->addWidget(fileButton);
    buttons->addStretch(1);
    buttons->addWidget(pingButton);
    buttons->addWidget(m_sendButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
}

void Composer::setSendLabel(const QString &label)
{
    m_sendButton->setText(label);
}

void Composer::setMode(Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

Composer::Mode Composer::mode() const
{
    return Mode(m_mode->currentData().toInt());
}

QString Composer::statusText() const
{
    return m_status->text();
}

bool Composer::encode(QByteArray *data, QString *error) const
{
    const QString text = m_editor->toPlainText();
    switch (mode()) {
    case Mode::Text:
        *data = text.toUtf8();
        return true;
    case Mode::Json: {
        QJsonParseError parse;
        const QByteArray utf8 = text.toUtf8();
        QJsonDocument::fromJson(utf8, &parse);
        if (parse.error != QJsonParseError::NoError) {
            // QJsonParseError counts bytes; people count lines and columns.
            const QString before = QString::fromUtf8(utf8.left(parse.offset));
            const int line = int(before.count(u'\n')) + 1;
            const int column = int(before.size() - before.lastIndexOf(u'\n'));
            *error = tr("Invalid JSON at line %1, column %2: %3").arg(line).arg(column).arg(parse.errorString());
            return false;
        }
        *data = utf8;
        return true;
    }
    case Mode::Hex: {
        QString digits = text;
        digits.remove(QRegularExpression(QStringLiteral("\\s|0x|,")));
        static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]*$"));
        if (!hex.match(digits).hasMatch() || digits.size() % 2) {
            *error = tr("Hex input needs pairs of the digits 0-9 and a-f (spaces allowed)");
            return false;
        }
        *data = QByteArray::fromHex(digits.toLatin1());
        return true;
    }
    case Mode::Base64: {
        const auto result = QByteArray::fromBase64Encoding(text.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!result) {
            *error = tr("Not valid Base64");
            return false;
        }
        *data = *result;
        return true;
    }
    }
    return false;
}

bool Composer::send()
{
    QByteArray data;
    QString error;
    if (!encode(&data, &error)) {
        showStatus(error, true);
        return false;
    }
    const bool binary = mode() == Mode::Hex || mode() == Mode::Base64;
    if (!m_send || !m_send(binary, data, &error)) {
        showStatus(tr("Not sent: %1").arg(error.isEmpty() ? tr("nothing to send it with") : error), true);
        return false;
    }
    const QString text = m_editor->toPlainText();
    if (m_history.isEmpty() || m_history.last() != text)
        m_history.append(text);
    while (m_history.size() > kHistoryLimit)
        m_history.removeFirst();
    m_historyIndex = int(m_history.size());
    m_editor->clear();
    showStatus(binary ? tr("Sent %1 bytes").arg(data.size()) : tr("Sent"), false);
    return true;
}

bool Composer::ping()
{
    QString error;
    if (!m_ping || !m_ping(&error)) {
        showStatus(tr("No ping: %1").arg(error), true);
        return false;
    }
    showStatus(tr("Ping sent; the pong's round trip appears in the log"), false);
    return true;
}

QList<QWidget *> Composer::focusOrder() const
{
    return {m_editor, m_mode, findChild<QWidget *>(QStringLiteral("composerFile")), findChild<QWidget *>(QStringLiteral("composerPing")),
            m_sendButton};
}

void Composer::showStatus(const QString &text, bool error)
{
    m_statusIsError = error && !text.isEmpty();
    m_status->setText(text);
    if (m_statusIsError)
        setTone(m_status, Tone::Error);
    else
        clearTone(m_status);
}

void Composer::loadFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Send a file as a binary message"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showStatus(tr("Cannot read %1: %2").arg(path, file.errorString()), true);
        return;
    }
    setMode(Mode::Hex);
    m_editor->setPlainText(QString::fromLatin1(file.readAll().toHex(' ')));
}

void Composer::setHistory(const QStringList &history)
{
    m_history = newest(history, kHistoryLimit);
    m_historyIndex = int(m_history.size());
}

QStringList Composer::keptHistory() const
{
    return newest(m_history, kKeptHistory);
}

void Composer::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("mode"), QString::fromLatin1(QMetaEnum::fromType<Mode>().valueToKey(int(mode()))));
    settings.setValue(QStringLiteral("history"), keptHistory());
}

void Composer::restoreSettings(const QSettings &settings)
{
    bool known = false;
    const int mode =
        QMetaEnum::fromType<Mode>().keyToValue(settings.value(QStringLiteral("mode")).toString().toLatin1().constData(), &known);
    setMode(known ? Mode(mode) : Mode::Text);
    setHistory(settings.value(QStringLiteral("history")).toStringList());
}

void Composer::recall(int step)
{
    const int next = m_historyIndex + step;
    if (next < 0 || next > m_history.size())
        return;
    m_historyIndex = next;
    m_editor->setPlainText(next == m_history.size() ? QString() : m_history.at(next));
    m_editor->moveCursor(QTextCursor::End);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            send();
            return true;
        }
        const QTextCursor cursor = m_editor->textCursor();
        // Up on the first line and Down on the last line walk the history; elsewhere they move the cursor.
        if (key->key() == Qt::Key_Up && cursor.blockNumber() == 0) {
            recall(-1);
            return true;
        }
        if (key->key() == Qt::Key_Down && cursor.blockNumber() == m_editor->document()->blockCount() - 1) {
            recall(+1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace wslab
