#include "ui/server/RulesTableModel.h"

#include "ui/style/LabColors.h"

#include <QJsonDocument>

#include <algorithm>

namespace wslab {

namespace {

QString rulePath(int row)
{
    return QStringLiteral("/rules/%1").arg(row);
}

// The rules file around an array of rule objects.
QByteArray fileAround(const QJsonArray &rules, const QString &description = {})
{
    QJsonObject root{{QStringLiteral("version"), MockRules::kVersion}, {QStringLiteral("rules"), rules}};
    if (!description.isEmpty())
        root.insert(QStringLiteral("description"), description);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

// A value cell: JSON when it reads as one JSON value, else the text as a string, so `ping` and
// `"ping"` both mean the string.
QJsonValue valueFromCell(const QString &cell)
{
    QJsonParseError error{};
    const QJsonArray wrapped = QJsonDocument::fromJson(QByteArray("[") + cell.toUtf8() + ']', &error).array();
    if (error.error == QJsonParseError::NoError && wrapped.size() == 1)
        return wrapped.at(0);
    return QJsonValue(cell);
}

} // namespace

QString matchKindName(RuleRow::MatchKind kind)
{
    switch (kind) {
    case RuleRow::MatchKind::Text:
        return QObject::tr("exact text");
    case RuleRow::MatchKind::Contains:
        return QObject::tr("contains");
    case RuleRow::MatchKind::Regex:
        return QObject::tr("regex");
    case RuleRow::MatchKind::PointerEquals:
        return QObject::tr("JSON pointer equals");
    case RuleRow::MatchKind::PointerExists:
        return QObject::tr("JSON pointer exists");
    case RuleRow::MatchKind::Hex:
        return QObject::tr("binary (hex)");
    case RuleRow::MatchKind::Conditions:
        return QObject::tr("conditions (JSON)");
    }
    return {};
}

QList<RuleRow::MatchKind> allMatchKinds()
{
    using K = RuleRow::MatchKind;
    return {K::Text, K::Contains, K::Regex, K::PointerEquals, K::PointerExists, K::Hex, K::Conditions};
}

QJsonObject RuleRow::toJson(QString *error) const
{
    QJsonObject out;
    if (!name.isEmpty())
        out.insert(QStringLiteral("name"), name);
    QJsonValue match;
    switch (kind) {
    case MatchKind::Text:
        match = QJsonObject{{QStringLiteral("text"), pattern}};
        break;
    case MatchKind::Contains:
        match = QJsonObject{{QStringLiteral("contains"), pattern}};
        break;
    case MatchKind::Regex:
        match = QJsonObject{{QStringLiteral("regex"), pattern}};
        break;
    case MatchKind::PointerEquals:
        match = QJsonObject{{QStringLiteral("json"), QJsonObject{{pattern, valueFromCell(value)}}}};
        break;
    case MatchKind::PointerExists:
        match = QJsonObject{{QStringLiteral("exists"), pattern}};
        break;
    case MatchKind::Hex:
        match = QJsonObject{{QStringLiteral("hex"), pattern}};
        break;
    case MatchKind::Conditions: {
        QJsonParseError parseError{};
        const QJsonDocument conditions = QJsonDocument::fromJson(pattern.toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !conditions.isObject()) {
            *error = QStringLiteral("/match: the conditions are not a JSON object like {\"regex\": \"^a\", \"exists\": \"/id\"}");
            // Kept as typed, so settings give the text back to finish.
            match = pattern;
        } else {
            match = conditions.object();
        }
        break;
    }
    }
    out.insert(QStringLiteral("match"), match);
    if (!reply.isEmpty())
        out.insert(QStringLiteral("reply"), reply);
    if (!broadcast.isEmpty())
        out.insert(QStringLiteral("broadcast"), broadcast);
    const QString closeText = close.trimmed();
    if (!closeText.isEmpty()) {
        const qsizetype space = closeText.indexOf(u' ');
        bool isNumber = false;
        const int code = closeText.left(space).toInt(&isNumber);
        const QString reason = space < 0 ? QString() : closeText.mid(space + 1).trimmed();
        if (!isNumber) {
            *error = QStringLiteral("/close: a close code first, then the reason if any (4000 bye)");
            out.insert(QStringLiteral("close"), closeText);
        } else if (reason.isEmpty()) {
            out.insert(QStringLiteral("close"), code);
        } else {
            out.insert(QStringLiteral("close"), QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("reason"), reason}});
        }
    }
    if (delayMs > 0)
        out.insert(QStringLiteral("delay_ms"), delayMs);
    if (ignore)
        out.insert(QStringLiteral("ignore"), true);
    return out;
}

RuleRow RuleRow::fromJson(const QJsonObject &rule)
{
    RuleRow row;
    row.name = rule.value(u"name").toString();
    const QJsonValue match = rule.value(u"match");
    const QJsonObject conditions = match.toObject();
    const QString only = conditions.size() == 1 ? conditions.constBegin().key() : QString();
    const QJsonValue onlyValue = conditions.value(only);
    row.kind = MatchKind::Conditions;
    if (match.isString()) {
        row.kind = MatchKind::Text;
        row.pattern = match.toString();
    } else if (only == u"text" || only == u"contains" || only == u"regex" || only == u"hex") {
        row.kind = only == u"text"       ? MatchKind::Text
                   : only == u"contains" ? MatchKind::Contains
                   : only == u"regex"    ? MatchKind::Regex
                                         : MatchKind::Hex;
        row.pattern = onlyValue.toString();
    } else if (only == u"json" && onlyValue.toObject().size() == 1) {
        row.kind = MatchKind::PointerEquals;
        row.pattern = onlyValue.toObject().constBegin().key();
        row.value = compactJson(onlyValue.toObject().constBegin().value());
    } else if (only == u"exists" && (onlyValue.isString() || onlyValue.toArray().size() == 1)) {
        row.kind = MatchKind::PointerExists;
        row.pattern = onlyValue.isString() ? onlyValue.toString() : onlyValue.toArray().at(0).toString();
    }
    if (row.kind == MatchKind::Conditions)
        row.pattern = QString::fromUtf8(QJsonDocument(conditions).toJson(QJsonDocument::Compact));
    row.reply = rule.value(u"reply").toString();
    row.broadcast = rule.value(u"broadcast").toString();
    const QJsonValue close = rule.value(u"close");
    if (close.isDouble())
        row.close = QString::number(close.toInt());
    else if (close.isObject())
        row.close = QString(QString::number(close[u"code"].toInt()) + u' ' + close[u"reason"].toString()).trimmed();
    else
        row.close = close.toString();
    row.delayMs = rule.value(u"delay_ms").toInt();
    row.ignore = rule.value(u"ignore").toBool();
    return row;
}

RulesTableModel::RulesTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int RulesTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RulesTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RulesTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const RuleRow &r = m_rows.at(size_t(index.row()));
    const bool valueUnused = index.column() == Value && r.kind != RuleRow::MatchKind::PointerEquals;
    if (role == Qt::ForegroundRole) {
        if (!m_errors.value(index.row()).isEmpty())
            return toneColor(Tone::Error);
        return valueUnused ? QVariant(toneColor(Tone::Muted)) : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        if (!m_errors.value(index.row()).isEmpty())
            return m_errors.value(index.row());
        if (index.column() == Reply || index.column() == Broadcast)
            return tr("${1} a regex group, ${/field} a JSON field, $$ a dollar; empty: none (docs/mock-rules.md)");
        if (index.column() == Close)
            return tr("A close code and a reason, like 4000 bye; empty: no close");
        return {};
    }
    if (role == Qt::CheckStateRole && index.column() == Ignore)
        return r.ignore ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return r.name;
    case Match:
        return role == Qt::EditRole ? QVariant(int(r.kind)) : QVariant(matchKindName(r.kind));
    case Pattern:
        return r.pattern;
    case Value:
        return valueUnused && role == Qt::DisplayRole ? QStringLiteral("—") : r.value;
    case Reply:
        return r.reply;
    case Broadcast:
        return r.broadcast;
    case Close:
        return r.close;
    case Delay:
        return role == Qt::EditRole ? QVariant(r.delayMs) : QVariant(r.delayMs > 0 ? QString::number(r.delayMs) : QString());
    case Ignore:
    case ColumnCount:
        break;
    }
    return {};
}

bool RulesTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid())
        return false;
    RuleRow &r = m_rows.at(size_t(index.row()));
    if (index.column() == Ignore) {
        if (role != Qt::CheckStateRole)
            return false;
        r.ignore = Qt::CheckState(value.toInt()) == Qt::Checked;
    } else if (role != Qt::EditRole) {
        return false;
    }
    switch (Column(index.column())) {
    case Name:
        r.name = value.toString();
        break;
    case Match:
        r.kind = RuleRow::MatchKind(value.toInt());
        break;
    case Pattern:
        r.pattern = value.toString();
        break;
    case Value:
        r.value = value.toString();
        break;
    case Reply:
        r.reply = value.toString();
        break;
    case Broadcast:
        r.broadcast = value.toString();
        break;
    case Close:
        r.close = value.toString();
        break;
    case Delay:
        r.delayMs = std::max(0, value.toInt());
        break;
    case Ignore:
    case ColumnCount:
        break;
    }
    revalidate();
    return true;
}

Qt::ItemFlags RulesTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Ignore)
        return base | Qt::ItemIsUserCheckable;
    if (index.column() == Value && m_rows.at(size_t(index.row())).kind != RuleRow::MatchKind::PointerEquals)
        return base;
    return base | Qt::ItemIsEditable;
}

QVariant RulesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        if (role == Qt::ForegroundRole && !m_errors.value(section).isEmpty())
            return toneColor(Tone::Error);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Match:
            return tr("How the pattern is read: the first rule whose match a message meets acts");
        case Pattern:
            return tr("The text, substring, regex, JSON pointer (/type), hex bytes, or a JSON object of conditions");
        case Value:
            return tr("For JSON pointer equals: the value as JSON (text that is not JSON is a string)");
        case Delay:
            return tr("Wait this long before acting");
        case Ignore:
            return tr("Do nothing, and try no further rule");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Match:
        return tr("Match");
    case Pattern:
        return tr("Pattern / pointer");
    case Value:
        return tr("Value");
    case Reply:
        return tr("Reply");
    case Broadcast:
        return tr("Broadcast");
    case Close:
        return tr("Close");
    case Delay:
        return tr("Delay ms");
    case Ignore:
        return tr("Ignore");
    case ColumnCount:
        break;
    }
    return {};
}

void RulesTableModel::setRows(std::vector<RuleRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    revalidate();
}

void RulesTableModel::insertRule(int at, const RuleRow &row)
{
    at = std::clamp(at, 0, rowCount());
    beginInsertRows({}, at, at);
    m_rows.insert(m_rows.begin() + at, row);
    endInsertRows();
    revalidate();
}

void RulesTableModel::removeRule(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    revalidate();
}

bool RulesTableModel::moveRule(int row, int by)
{
    const int to = row + by;
    if (row < 0 || row >= rowCount() || to < 0 || to >= rowCount() || by == 0)
        return false;
    // beginMoveRows names the row the moved one goes before, counted before the move.
    beginMoveRows({}, row, row, {}, by > 0 ? to + 1 : to);
    std::swap(m_rows.at(size_t(row)), m_rows.at(size_t(to)));
    endMoveRows();
    revalidate();
    return true;
}

int RulesTableModel::firstBadRow() const
{
    for (int i = 0; i < m_errors.size(); ++i) {
        if (!m_errors.at(i).isEmpty())
            return i;
    }
    return -1;
}

std::optional<MockRules> RulesTableModel::rules(QString *error) const
{
    if (m_rows.empty()) {
        *error = tr("no rules yet: add one");
        return std::nullopt;
    }
    if (const int bad = firstBadRow(); bad >= 0) {
        *error = tr("rule %1: %2").arg(bad + 1).arg(m_errors.at(bad));
        return std::nullopt;
    }
    return MockRules::fromJson(fileJson(), error);
}

QByteArray RulesTableModel::fileJson() const
{
    QJsonArray array;
    for (const RuleRow &row : m_rows) {
        QString ignored;
        array.append(row.toJson(&ignored));
    }
    return fileAround(array, m_description);
}

bool RulesTableModel::loadFileJson(const QByteArray &json, QString *error)
{
    const std::optional<MockRules> rules = MockRules::fromJson(json, error);
    if (!rules)
        return false;
    std::vector<RuleRow> rows;
    for (const MockRule &rule : rules->rules)
        rows.push_back(RuleRow::fromJson(rule.toJson()));
    m_description = rules->description;
    setRows(std::move(rows));
    return true;
}

void RulesTableModel::restoreFileJson(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    std::vector<RuleRow> rows;
    const QJsonArray array = root.value(u"rules").toArray();
    for (const QJsonValue &rule : array)
        rows.push_back(RuleRow::fromJson(rule.toObject()));
    m_description = root.value(u"description").toString();
    setRows(std::move(rows));
}

void RulesTableModel::revalidate()
{
    m_errors.clear();
    for (int i = 0; i < rowCount(); ++i) {
        QString error;
        const QJsonObject rule = m_rows.at(size_t(i)).toJson(&error);
        if (error.isEmpty() && !MockRules::fromJson(fileAround(QJsonArray{rule}), &error)) {
            // The parser saw the row alone, as rule 0.
            if (error.startsWith(rulePath(0)))
                error = error.mid(rulePath(0).size());
        }
        m_errors << (error.isEmpty() ? QString() : rulePath(i) + error);
    }
    if (rowCount() > 0) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        Q_EMIT headerDataChanged(Qt::Vertical, 0, rowCount() - 1);
    }
    Q_EMIT rulesChanged();
}

} // namespace wslab
