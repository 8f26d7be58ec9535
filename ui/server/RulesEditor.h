#pragma once

#include "core/server/MockRules.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace wslab {

class MockResponder;
class RulesTableModel;
class Server;

// The server's mock rules as an ordered table (docs/mock-rules.md): add, remove, move, duplicate,
// Load… and Save… the file `wslab-cli serve --rules` reads. Each row is judged by the core parser as it
// is typed, a bad one red with the parser's message; "Try it" shows which rule a message meets and what
// it would answer, with the core matcher and no network. Attached to a Server, it answers that server's
// peers while its mode is rules, by the rules as they stand after every edit that leaves them all good.
class RulesEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RulesEditor)
public:
    explicit RulesEditor(QWidget *parent = nullptr);

    // Makes the MockResponder that answers `server`'s peers by these rules (once).
    void attachTo(Server *server);

    RulesTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The rules as the server uses them; nullopt with *error ("rule 2: /rules/1/match/regex: …").
    std::optional<MockRules> rules(QString *error) const;
    // The rules file of every row, bad ones too: what the server panel's settings keep.
    QByteArray rulesJson() const;
    void restoreRulesJson(const QByteArray &json);

    // Load… and Save… without their file dialogs; false with the reason in the status line.
    bool loadFile(const QString &path);
    bool saveFile(const QString &path);

    // A new rule below the selected one (every text message, echoed back), selected for editing.
    void addRule();
    void removeSelected();
    void duplicateSelected();
    // One place up (-1) or down (+1), staying selected.
    void moveSelected(int by);
    void selectRow(int row);

    // What the rules would do with the text message `message`, in one line: the Try it answer.
    QString tryMessage(const QString &message) const;
    QString statusText() const;

Q_SIGNALS:
    // After every edit, load or restore.
    void rulesChanged();

private:
    int selectedRow() const;
    void updateStatus();
    void askLoad();
    void askSave();

    RulesTableModel *m_model;
    QTableView *m_table;
    QLabel *m_status;
    QLineEdit *m_try;
    QLabel *m_tryResult;
    MockResponder *m_responder = nullptr;
    // A Load… or Save… that failed: the status line says why until the next edit.
    QString m_fileError;
};

} // namespace wslab
