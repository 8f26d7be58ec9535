#pragma once

#include "core/server/MockRules.h"

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace wslab {

// One row of the rules table: a mock rule as the cells show it, kept as typed (a bad regex stays as
// written until it is fixed) and judged by the core parser after every edit.
struct RuleRow
{
    // How the Pattern cell is read. Conditions is what a file may combine in one match (a pointer
    // and a regex, say): the cell holds that match object as JSON.
    enum class MatchKind { Text, Contains, Regex, PointerEquals, PointerExists, Hex, Conditions };

    QString name;
    MatchKind kind = MatchKind::Regex;
    QString pattern; // the text, substring, regex, pointer, hex bytes or conditions object
    QString value; // PointerEquals: the value as JSON (text that is not JSON is a string)
    QString reply; // a template; empty: no reply
    QString broadcast; // a template; empty: no broadcast
    QString close; // "4000 reason"; empty: no close
    int delayMs = 0;
    bool ignore = false;

    // The rule object of the file format; *error for what the cells cannot say at all (a conditions
    // cell that is not a JSON object, a close cell without a code), else left alone.
    QJsonObject toJson(QString *error) const;
    // A rule object of the file format (as MockRule::toJson writes it) as cells.
    static RuleRow fromJson(const QJsonObject &rule);
};

QString matchKindName(RuleRow::MatchKind kind);
QList<RuleRow::MatchKind> allMatchKinds();

// The ordered rules as a table: every row is checked by MockRules::fromJson after each change, and a
// bad row carries the parser's one-line fault (its JSON path first) in red.
class RulesTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RulesTableModel)
public:
    enum Column { Name, Match, Pattern, Value, Reply, Broadcast, Close, Delay, Ignore, ColumnCount };

    explicit RulesTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const std::vector<RuleRow> &rows() const { return m_rows; }
    void setRows(std::vector<RuleRow> rows);
    void insertRule(int at, const RuleRow &row);
    void removeRule(int row);
    // Moves a rule one place up (-1) or down (+1); false at either end.
    bool moveRule(int row, int by);

    // The parser's fault for a row ("/rules/1/match/regex: invalid regular expression: …"); empty when good.
    QString rowError(int row) const { return m_errors.value(row); }
    int firstBadRow() const;
    // The rules as the server uses them; nullopt with *error naming the first bad row, or no rows.
    std::optional<MockRules> rules(QString *error) const;
    // The rules file (`serve --rules`) of every row, good or bad, with the description it was loaded with.
    QByteArray fileJson() const;
    // Replaces the rows with a rules file checked whole by the core parser; false with *error, rows kept.
    bool loadFileJson(const QByteArray &json, QString *error);
    // Replaces the rows with what fileJson() wrote, bad rows included (settings keep work in progress);
    // text that is not such a file gives no rows.
    void restoreFileJson(const QByteArray &json);

Q_SIGNALS:
    // After any edit, once every row has been judged again.
    void rulesChanged();

private:
    void revalidate();

    std::vector<RuleRow> m_rows;
    QStringList m_errors;
    QString m_description;
};

} // namespace wslab
