#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

class QHBoxLayout;
class QSplitter;
class QStackedLayout;
class QTabWidget;

namespace wslab {

class ClientPanel;

// Where the client panels live: as tabs (one at a time, the most room each), or side by side in
// columns, so a teacher can show a three-way chat with every client's log in sight at once. It only
// arranges panels; closing one is asked of the window through closeRequested.
class ClientArea : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientArea)
public:
    explicit ClientArea(QWidget *parent = nullptr);

    // The panel becomes current; the area takes ownership.
    void addPanel(ClientPanel *panel, const QString &title);
    // Takes the panel out at once and deletes it at the next turn of the event loop.
    void closePanel(ClientPanel *panel);
    // In the order the user sees them (tabs may have been dragged).
    QList<ClientPanel *> panels() const;
    int count() const;
    // The visible tab, or in columns the one holding the focus (else the last).
    ClientPanel *currentPanel() const;
    void setCurrentPanel(ClientPanel *panel);
    void setTitle(ClientPanel *panel, const QString &title);
    QString title(ClientPanel *panel) const { return m_titles.value(panel); }

    void setSideBySide(bool sideBySide);
    bool isSideBySide() const { return m_sideBySide; }
    // Buttons shown beside the tabs, or above the columns.
    void setCornerWidget(QWidget *widget);

Q_SIGNALS:
    void closeRequested(wslab::ClientPanel *panel);
    // A panel was added or taken out (emitted before a closed panel is deleted).
    void panelsChanged();

private:
    QWidget *makeColumn(ClientPanel *panel);
    static ClientPanel *panelOfColumn(QWidget *column);

    QStackedLayout *m_stack;
    QTabWidget *m_tabs;
    QWidget *m_columnsPage;
    QHBoxLayout *m_columnsBar;
    QSplitter *m_columns;
    QWidget *m_corner = nullptr;
    QHash<ClientPanel *, QString> m_titles;
    QPointer<QWidget> m_lastFocused;
    bool m_sideBySide = false;
};

} // namespace wslab
