#include "ui/main/ClientArea.h"

#include "ui/client/ClientPanel.h"
#include "ui/composer/Composer.h"

#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedLayout>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

ClientArea::ClientArea(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_tabs(new QTabWidget(this))
    , m_columnsPage(new QWidget(this))
    , m_columnsBar(new QHBoxLayout)
    , m_columns(new QSplitter(Qt::Horizontal, m_columnsPage))
{
    setObjectName(QStringLiteral("clientArea"));
    m_tabs->setObjectName(QStringLiteral("clientTabs"));
    m_tabs->setAccessibleName(tr("Clients"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *panel = qobject_cast<ClientPanel *>(m_tabs->widget(index)))
            Q_EMIT closeRequested(panel);
    });

    m_columns->setObjectName(QStringLiteral("clientColumns"));
    m_columns->setChildrenCollapsible(false);
    auto *columnsLayout = new QVBoxLayout(m_columnsPage);
    columnsLayout->setContentsMargins(0, 0, 0, 0);
    columnsLayout->setSpacing(2);
    m_columnsBar->addStretch(1);
    columnsLayout->addLayout(m_columnsBar);
    columnsLayout->addWidget(m_columns, 1);

    m_stack->addWidget(m_tabs);
    m_stack->addWidget(m_columnsPage);
}

QWidget *ClientArea::makeColumn(ClientPanel *panel)
{
    auto *column = new QFrame(m_columns);
    column->setObjectName(QStringLiteral("clientColumn"));
    column->setFrameShape(QFrame::StyledPanel);
    auto *title = new QLabel(m_titles.value(panel), column);
    title->setObjectName(QStringLiteral("clientColumnTitle"));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto *close = new QToolButton(column);
    close->setObjectName(QStringLiteral("clientColumnClose"));
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this client (an open connection ends with 1001 Going Away)"));
    connect(close, &QToolButton::clicked, this, [this, panel] { Q_EMIT closeRequested(panel); });
    auto *header = new QHBoxLayout;
    header->setContentsMargins(6, 2, 2, 0);
    header->addWidget(title, 1);
    header->addWidget(close);
    auto *layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(panel, 1);
    // A tab that was not current was hidden by the tab widget; in a column every panel shows.
    panel->show();
    return column;
}

ClientPanel *ClientArea::panelOfColumn(QWidget *column)
{
    return column ? column->findChild<ClientPanel *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ClientArea::addPanel(ClientPanel *panel, const QString &title)
{
    m_titles.insert(panel, title);
    if (m_sideBySide)
        m_columns->addWidget(makeColumn(panel));
    else
        m_tabs->addTab(panel, title);
    setCurrentPanel(panel);
    Q_EMIT panelsChanged();
}

void ClientArea::closePanel(ClientPanel *panel)
{
    if (!m_titles.remove(panel))
        return;
    if (m_sideBySide) {
        // Out of the splitter now, so panels() no longer lists it; deleted once the click that asked is over.
        QWidget *column = panel->parentWidget();
        column->hide();
        column->setParent(nullptr);
        column->deleteLater();
    } else {
        m_tabs->removeTab(m_tabs->indexOf(panel));
        panel->deleteLater();
    }
    Q_EMIT panelsChanged();
}

QList<ClientPanel *> ClientArea::panels() const
{
    QList<ClientPanel *> out;
    if (m_sideBySide) {
        for (int i = 0; i < m_columns->count(); ++i) {
            if (ClientPanel *panel = panelOfColumn(m_columns->widget(i)))
                out << panel;
        }
    } else {
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto *panel = qobject_cast<ClientPanel *>(m_tabs->widget(i)))
                out << panel;
        }
    }
    return out;
}

int ClientArea::count() const
{
    return int(m_titles.size());
}

ClientPanel *ClientArea::currentPanel() const
{
    if (!m_sideBySide)
        return qobject_cast<ClientPanel *>(m_tabs->currentWidget());
    const QList<ClientPanel *> all = panels();
    const QWidget *focus = QApplication::focusWidget();
    for (ClientPanel *panel : all) {
        if (focus && panel->isAncestorOf(focus))
            return panel;
    }
    for (ClientPanel *panel : all) {
        if (panel->composer()->editor() == m_lastFocused)
            return panel;
    }
    return all.isEmpty() ? nullptr : all.last();
}

void ClientArea::setCurrentPanel(ClientPanel *panel)
{
    if (!panel)
        return;
    if (m_sideBySide) {
        // Without an active window (offscreen, or the window in the background) focus is not given,
        // so the choice is remembered too.
        m_lastFocused = panel->composer()->editor();
        panel->composer()->editor()->setFocus();
    } else {
        m_tabs->setCurrentWidget(panel);
    }
}

void ClientArea::setTitle(ClientPanel *panel, const QString &title)
{
    if (!m_titles.contains(panel))
        return;
    m_titles.insert(panel, title);
    if (!m_sideBySide) {
        m_tabs->setTabText(m_tabs->indexOf(panel), title);
    } else if (auto *label = panel->parentWidget()->findChild<QLabel *>(QStringLiteral("clientColumnTitle"), Qt::FindDirectChildrenOnly)) {
        label->setText(title);
    }
}

void ClientArea::setCornerWidget(QWidget *widget)
{
    m_corner = widget;
    if (m_sideBySide)
        m_columnsBar->addWidget(widget);
    else
        m_tabs->setCornerWidget(widget, Qt::TopRightCorner);
}

void ClientArea::setSideBySide(bool sideBySide)
{
    if (sideBySide == m_sideBySide)
        return;
    const QList<ClientPanel *> order = panels();
    ClientPanel *current = currentPanel();
    m_sideBySide = sideBySide;
    if (sideBySide) {
        for (ClientPanel *panel : order) {
            m_tabs->removeTab(m_tabs->indexOf(panel));
            m_columns->addWidget(makeColumn(panel));
        }
        if (m_corner) {
            m_tabs->setCornerWidget(nullptr, Qt::TopRightCorner);
            m_columnsBar->addWidget(m_corner);
            m_corner->show();
        }
        // Equal shares: the splitter would otherwise size columns by their contents' hints.
        m_columns->setSizes(QList<int>(order.size(), 1000));
        m_stack->setCurrentWidget(m_columnsPage);
    } else {
        for (ClientPanel *panel : order) {
            QWidget *column = panel->parentWidget();
            m_tabs->addTab(panel, m_titles.value(panel));
            delete column;
        }
        if (m_corner) {
            m_columnsBar->removeWidget(m_corner);
            m_tabs->setCornerWidget(m_corner, Qt::TopRightCorner);
            m_corner->show();
        }
        m_stack->setCurrentWidget(m_tabs);
    }
    setCurrentPanel(current);
}

} // namespace wslab
