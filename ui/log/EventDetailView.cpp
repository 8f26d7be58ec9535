#include "EventDetailView.h"

#include "style/TextScale.h"

#include "log/EventFormat.h"
#include "log/LogEvent.h"
#include "protocol/CloseCode.h"

#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTabWidget>
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
    m_tabs->setTabToolTip(2, tr("offset, bytes in hexadecimal, and the same bytes as ASCII"));
    m_tabs->setTabToolTip(3, tr("a close frame carries a 2-byte code and an optional UTF-8 reason"));
    m_tabs->setAccessibleName(tr("Selected event"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    setEvent(nullptr);
}

void EventDetailView::setEvent(const LogEvent *e)
{
    for (QPlainTextEdit *pane : {m_text, m_json, m_hex, m_close})
        pane->clear();
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabEnabled(i, false);
    if (!e) {
        m_header->setText(tr("Select an event to see it whole."));
        m_tabs->setCurrentIndex(0);
        return;
    }
    QString header = QStringLiteral("<b>%1</b> %2 · %3 %4")
                         .arg(kindName(e->kind), EventFormat::timeOfDay(*e), e->endpoint.toHtmlEscaped(),
                              EventFormat::arrow(e->direction));
    if (e->peer >= 0)
        header += tr(" · peer %1").arg(e->peer);
    if (e->kind == EventKind::Text || e->kind == EventKind::Binary)
        header += tr(" · %1 bytes").arg(QLocale().toString(e->size));
    if (e->isTruncated())
        header += tr(" · <i>the log keeps the first %1 bytes</i>").arg(QLocale().toString(e->payload.size()));
    m_header->setText(header);

    int preferred = 0;
    const bool isData = e->kind == EventKind::Text || e->kind == EventKind::Binary;
    const bool hasText = e->kind == EventKind::Text || e->kind == EventKind::Handshake || e->kind == EventKind::Refused
                         || e->kind == EventKind::Ping || e->kind == EventKind::Pong;
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
    m_tabs->setCurrentIndex(preferred);
}

QString EventDetailView::currentTabName() const
{
    return m_tabs->tabText(m_tabs->currentIndex()).remove(u'&');
}

QString EventDetailView::textOf(const QString &tabName) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i).remove(u'&') == tabName)
            return static_cast<QPlainTextEdit *>(m_tabs->widget(i))->toPlainText();
    }
    return {};
}

} // namespace wslab
