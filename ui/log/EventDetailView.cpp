#include "ui/log/EventDetailView.h"

#include "ui/style/TextScale.h"

#include "core/log/EventFormat.h"
#include "core/log/LogEvent.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Handshake.h"
#include "core/protocol/HttpRequest.h"
#include "core/protocol/HttpResponse.h"

#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wslab {

namespace {

QPlainTextEdit *makePane(const QString &objectName, QWidget *parent)
{
    auto *pane = new QPlainTextEdit(parent);
    pane->setObjectName(objectName);
    pane->setReadOnly(true);
    TextScale::useMonospace(pane);
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    return pane;
}

} // namespace

EventDetailView::EventDetailView(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("eventDetail"));
    m_header->setObjectName(QStringLiteral("eventDetailHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_text = makePane(QStringLiteral("eventDetailText"), this);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_json = makePane(QStringLiteral("eventDetailJson"), this);
    m_hex = makePane(QStringLiteral("eventDetailHex"), this);
    m_close = makePane(QStringLiteral("eventDetailClose"), this);
    m_close->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_json, tr("JSON"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_tabs->addTab(m_close, tr("Close"));
    m_handshake = new QWidget(this);
    m_handshakeHeaders = new QTreeWidget(m_handshake);
    m_handshakeHeaders->setObjectName(QStringLiteral("eventDetailHandshakeHeaders"));
    m_handshakeHeaders->setHeaderLabels({tr("Header"), tr("Value"), tr("Defined in")});
    m_handshakeHeaders->setRootIsDecorated(false);
    m_handshakeHeaders->setAccessibleName(tr("Handshake headers; hover one for its role"));
    m_handshakeAccept = makePane(QStringLiteral("eventDetailHandshakeAccept"), m_handshake);
    m_handshakeAccept->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto *handshakeLayout = new QVBoxLayout(m_handshake);
    handshakeLayout->setContentsMargins(0, 0, 0, 0);
    handshakeLayout->addWidget(m_handshakeHeaders, 3);
    handshakeLayout->addWidget(m_handshakeAccept, 2);
    m_tabs->addTab(m_handshake, tr("Handshake"));
    m_tabs->setTabToolTip(2, tr("offset, bytes in hexadecimal, and the same bytes as ASCII"));
    m_tabs->setTabToolTip(3, tr("a close frame carries a 2-byte code and an optional UTF-8 reason"));
    m_tabs->setTabToolTip(4, tr("the opening handshake worked out: what each header is for, and Sec-WebSocket-Accept step by step"));
    m_tabs->setAccessibleName(tr("Selected event"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    setEvent(nullptr);
}

void EventDetailView::setEvent(const LogEvent *e)
{
    for (QPlainTextEdit *pane : {m_text, m_json, m_hex, m_close, m_handshakeAccept})
        pane->clear();
    m_handshakeHeaders->clear();
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabEnabled(i, false);
    if (!e) {
        m_header->setText(tr("Select an event to see it whole."));
        m_tabs->setCurrentIndex(0);
        return;
    }
    QString header = QStringLiteral("<b>%1</b> %2 · %3 %4")
                         .arg(kindName(e->kind), EventFormat::timeOfDay(*e), e->endpoint.toHtmlEscaped(), EventFormat::arrow(e->direction));
    if (e->peer >= 0)
        header += tr(" · peer %1").arg(e->peer);
    if (e->kind == EventKind::Text || e->kind == EventKind::Binary)
        header += tr(" · %1 bytes").arg(QLocale().toString(e->size));
    if (e->isTruncated())
        header += tr(" · <i>the log keeps the first %1 bytes</i>").arg(QLocale().toString(e->payload.size()));
    m_header->setText(header);

    int preferred = 0;
    const bool isData = e->kind == EventKind::Text || e->kind == EventKind::Binary;
    const bool hasText = e->kind == EventKind::Text || e->kind == EventKind::Handshake || e->kind == EventKind::Refused ||
                         e->kind == EventKind::Ping || e->kind == EventKind::Pong;
    QString text = hasText ? QString::fromUtf8(e->payload) : QString();
    if (!e->detail.isEmpty() && !isData)
        text = text.isEmpty() ? e->detail : e->detail + QStringLiteral("\n\n") + text;
    if (!isData && text.isEmpty())
        text = EventFormat::summary(*e, 1000);
    if (e->kind != EventKind::Binary) {
        m_text->setPlainText(text);
        m_tabs->setTabEnabled(0, true);
    }
    if (e->kind == EventKind::Text) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(e->payload, &error);
        if (error.error == QJsonParseError::NoError && !doc.isNull()) {
            m_json->setPlainText(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
            m_tabs->setTabEnabled(1, true);
            preferred = 1;
        }
    }
    if (!e->payload.isEmpty() && (isData || e->kind == EventKind::Ping || e->kind == EventKind::Pong)) {
        m_hex->setPlainText(EventFormat::hexDump(e->payload));
        m_tabs->setTabEnabled(2, true);
        if (e->kind == EventKind::Binary)
            preferred = 2;
    }
    if (e->kind == EventKind::Close) {
        m_close->setPlainText(tr("Code: %1\nName: %2\nMeaning: %3\nReason: %4\nSent by: %5")
                                  .arg(e->closeCode)
                                  .arg(CloseCode::name(e->closeCode), CloseCode::meaning(e->closeCode),
                                       e->detail.isEmpty() ? tr("(none)") : e->detail,
                                       e->direction == Direction::In    ? tr("the peer")
                                       : e->direction == Direction::Out ? tr("this endpoint")
                                                                        : tr("nobody: the connection dropped")));
        m_tabs->setTabEnabled(3, true);
        preferred = 3;
    }
    if (e->kind == EventKind::Handshake && !e->payload.isEmpty()) {
        showHandshake(*e);
        m_tabs->setTabEnabled(4, true);
        preferred = 4;
    }
    m_tabs->setCurrentIndex(preferred);
}

void EventDetailView::showHandshake(const LogEvent &e)
{
    // By its first line, not its direction: the server logs requests coming in, the inspector going out.
    const bool isRequest = !e.payload.startsWith("HTTP/");
    const QByteArray head = e.payload + "\r\n";
    const QString firstLine = QString::fromLatin1(e.payload.left(e.payload.indexOf('\r')));
    HttpHeaderList headers;
    QByteArray key;
    QByteArray accept;
    if (isRequest) {
        const HttpRequest request = HttpRequestParse::parse(head).request;
        headers = request.headers;
        key = request.header("Sec-WebSocket-Key");
    } else {
        const HttpResponse response = HttpResponseParse::parse(head).response;
        headers = response.headers;
        accept = response.header("Sec-WebSocket-Accept");
    }
    auto *line = new QTreeWidgetItem(m_handshakeHeaders, {firstLine});
    line->setFirstColumnSpanned(true);
    line->setToolTip(
        0, isRequest ? tr("The request line: a GET of the WebSocket's path (RFC 6455 §4.1)")
                     : tr("The status line: 101 Switching Protocols accepts the upgrade; any other status refuses it (RFC 6455 §4.2.2)"));
    for (const auto &[name, value] : headers) {
        const Handshake::HeaderRole role = Handshake::headerRole(name, isRequest);
        auto *item = new QTreeWidgetItem(m_handshakeHeaders, {QString::fromLatin1(name), QString::fromLatin1(value), role.section});
        const QString tip = role.role + QStringLiteral(" (") + role.section + u')';
        for (int column = 0; column < 3; ++column)
            item->setToolTip(column, tip);
    }
    m_handshakeHeaders->resizeColumnToContents(0);

    QString worked;
    if (isRequest && !key.isEmpty()) {
        const Handshake::AcceptSteps steps = Handshake::acceptSteps(key);
        worked = tr("Sec-WebSocket-Accept, worked out from this request's key (RFC 6455 §4.2.2):\n"
                    "1. the key:             %1\n"
                    "2. append the GUID:     %2\n"
                    "3. SHA-1 of that (hex): %3\n"
                    "4. Base64 of the hash:  %4\n"
                    "The server must answer with 4; the client fails the connection otherwise.")
                     .arg(QString::fromLatin1(steps.key), QString::fromLatin1(steps.keyAndGuid), QString::fromLatin1(steps.sha1.toHex(' ')),
                          QString::fromLatin1(steps.accept));
    } else if (!isRequest) {
        worked = tr("Sec-WebSocket-Accept: %1\n%2").arg(QString::fromLatin1(accept), e.detail);
    }
    m_handshakeAccept->setPlainText(worked);
}

QString EventDetailView::currentTabName() const
{
    return m_tabs->tabText(m_tabs->currentIndex()).remove(u'&');
}

QString EventDetailView::textOf(const QString &tabName) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i).remove(u'&') != tabName)
            continue;
        if (m_tabs->widget(i) == m_handshake)
            return m_handshakeAccept->toPlainText();
        return static_cast<QPlainTextEdit *>(m_tabs->widget(i))->toPlainText();
    }
    return {};
}

} // namespace wslab
