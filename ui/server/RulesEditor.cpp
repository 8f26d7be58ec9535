#include "ui/server/RulesEditor.h"

#include "core/server/MockResponder.h"
#include "ui/keyboard/FocusChain.h"
#include "ui/server/RulesTableModel.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace wslab {

namespace {

constexpr qsizetype kShownAnswer = 200;

// The Match column edited as a list of the kinds, each change committed at once so the row is
// judged again while the list is still open.
class MatchKindDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override
    {
        auto *combo = new QComboBox(parent);
        combo->setObjectName(QStringLiteral("rulesMatchKind"));
        for (RuleRow::MatchKind kind : allMatchKinds())
            combo->addItem(matchKindName(kind), int(kind));
        QObject::connect(combo, &QComboBox::activated, combo,
                         [this, combo] { Q_EMIT const_cast<MatchKindDelegate *>(this)->commitData(combo); });
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *combo = static_cast<QComboBox *>(editor);
        combo->setCurrentIndex(combo->findData(index.data(Qt::EditRole)));
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        model->setData(index, static_cast<QComboBox *>(editor)->currentData(), Qt::EditRole);
    }
};

QString cut(const QString &text)
{
    return text.size() <= kShownAnswer ? text : text.left(kShownAnswer) + QStringLiteral("…");
}

QPushButton *toolButton(const QString &text, const QString &objectName, const QString &tip, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setToolTip(tip);
    return button;
}

} // namespace

RulesEditor::RulesEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new RulesTableModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_try(new QLineEdit(this))
    , m_tryResult(new QLabel(this))
{
    setObjectName(QStringLiteral("rulesEditor"));
    setWindowTitle(tr("Mock rules"));
    auto *hint = new QLabel(tr("In rules mode the server answers each message by the first rule it meets, top to bottom; "
                               "a message no rule meets gets no answer. Edits apply at once, also while the server runs."),
                            this);
    hint->setWordWrap(true);

    auto *add = toolButton(tr("Add"), QStringLiteral("rulesAdd"), tr("A new rule below the selected one"), this);
    auto *remove = toolButton(tr("Remove"), QStringLiteral("rulesRemove"), tr("Remove the selected rule"), this);
    auto *up = toolButton(tr("Up"), QStringLiteral("rulesUp"), tr("Move the selected rule up: it is tried earlier"), this);
    auto *down = toolButton(tr("Down"), QStringLiteral("rulesDown"), tr("Move the selected rule down: it is tried later"), this);
    auto *duplicate = toolButton(tr("Duplicate"), QStringLiteral("rulesDuplicate"), tr("A copy of the selected rule below it"), this);
    auto *load =
        toolButton(tr("Load…"), QStringLiteral("rulesLoad"), tr("Replace the rules with a rules file (wslab-cli serve --rules)"), this);
    auto *save = toolButton(tr("Save…"), QStringLiteral("rulesSave"), tr("Save the rules as a file for wslab-cli serve --rules"), this);
    connect(add, &QPushButton::clicked, this, &RulesEditor::addRule);
    connect(remove, &QPushButton::clicked, this, &RulesEditor::removeSelected);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(duplicate, &QPushButton::clicked, this, &RulesEditor::duplicateSelected);
    connect(load, &QPushButton::clicked, this, &RulesEditor::askLoad);
    connect(save, &QPushButton::clicked, this, &RulesEditor::askSave);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down, duplicate})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(load);
    buttons->addWidget(save);

    m_table->setObjectName(QStringLiteral("rulesTable"));
    m_table->setAccessibleName(tr("Mock rules"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(RulesTableModel::Match, new MatchKindDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(RulesTableModel::Pattern, QHeaderView::Stretch);
    header->setSectionResizeMode(RulesTableModel::Reply, QHeaderView::Stretch);
    // Short numbers and a check box: as wide as their headers.
    header->setSectionResizeMode(RulesTableModel::Delay, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RulesTableModel::Ignore, QHeaderView::ResizeToContents);
    TextScale::follow(m_table, [this] {
        m_table->verticalHeader()->setDefaultSectionSize(TextScale::rowHeight(m_table));
        const int em = m_table->fontMetrics().horizontalAdvance(u'M');
        m_table->setColumnWidth(RulesTableModel::Name, 7 * em);
        m_table->setColumnWidth(RulesTableModel::Match, 12 * em);
        m_table->setColumnWidth(RulesTableModel::Value, 6 * em);
        m_table->setColumnWidth(RulesTableModel::Broadcast, 8 * em);
        m_table->setColumnWidth(RulesTableModel::Close, 8 * em);
        m_table->setMinimumHeight(m_table->fontMetrics().height() * 8);
    });

    m_status->setObjectName(QStringLiteral("rulesStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_try->setObjectName(QStringLiteral("rulesTry"));
    m_try->setPlaceholderText(tr("Type a message to see which rule it meets and what the server would answer"));
    m_try->setAccessibleName(tr("Try a message"));
    m_tryResult->setObjectName(QStringLiteral("rulesTryResult"));
    m_tryResult->setWordWrap(true);
    m_tryResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const auto updateTry = [this] { m_tryResult->setText(m_try->text().isEmpty() ? QString() : tryMessage(m_try->text())); };
    connect(m_try, &QLineEdit::textChanged, this, updateTry);
    auto *tryRow = new QHBoxLayout;
    tryRow->addWidget(new QLabel(tr("Try it:"), this));
    tryRow->addWidget(m_try, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addLayout(tryRow);
    layout->addWidget(m_tryResult);
    chainFocus({add, remove, up, down, duplicate, load, save, m_table, m_try});

    connect(m_model, &RulesTableModel::rulesChanged, this, [this, updateTry] {
        m_fileError.clear();
        updateStatus();
        updateTry();
        if (m_responder) {
            QString ignored;
            if (std::optional<MockRules> good = rules(&ignored))
                m_responder->setRules(std::move(*good));
        }
        Q_EMIT rulesChanged();
    });
    updateStatus();
}

void RulesEditor::attachTo(Server *server)
{
    if (m_responder)
        return;
    m_responder = new MockResponder(server, this);
    QString ignored;
    if (std::optional<MockRules> good = rules(&ignored))
        m_responder->setRules(std::move(*good));
}

std::optional<MockRules> RulesEditor::rules(QString *error) const
{
    return m_model->rules(error);
}

QByteArray RulesEditor::rulesJson() const
{
    return m_model->fileJson();
}

void RulesEditor::restoreRulesJson(const QByteArray &json)
{
    m_model->restoreFileJson(json);
}

bool RulesEditor::loadFile(const QString &path)
{
    QFile file(path);
    QString error;
    if (!file.open(QIODevice::ReadOnly))
        error = file.errorString();
    else
        m_model->loadFileJson(file.readAll(), &error);
    if (!error.isEmpty()) {
        m_fileError = tr("Not loaded: %1: %2").arg(path, error);
        updateStatus();
        return false;
    }
    return true;
}

bool RulesEditor::saveFile(const QString &path)
{
    QString error;
    if (rules(&error)) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(rulesJson()) < 0 || !file.commit())
            error = file.errorString();
    }
    if (!error.isEmpty()) {
        m_fileError = tr("Not saved: %1").arg(error);
        updateStatus();
        return false;
    }
    return true;
}

void RulesEditor::addRule()
{
    RuleRow row;
    row.kind = RuleRow::MatchKind::Regex;
    row.reply = QStringLiteral("${0}");
    const int at = selectedRow() < 0 ? m_model->rowCount() : selectedRow() + 1;
    m_model->insertRule(at, row);
    selectRow(at);
}

void RulesEditor::removeSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_model->removeRule(row);
    selectRow(std::min(row, m_model->rowCount() - 1));
}

void RulesEditor::duplicateSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    m_model->insertRule(row + 1, m_model->rows().at(size_t(row)));
    selectRow(row + 1);
}

void RulesEditor::moveSelected(int by)
{
    const int row = selectedRow();
    if (m_model->moveRule(row, by))
        selectRow(row + by);
}

void RulesEditor::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_model->index(row, RulesTableModel::Pattern));
}

int RulesEditor::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

QString RulesEditor::tryMessage(const QString &message) const
{
    QString error;
    const std::optional<MockRules> good = rules(&error);
    if (!good)
        return tr("Fix the rules first: %1").arg(error);
    const std::optional<MockAnswer> answer = good->answer(InboundMessage::fromText(message));
    if (!answer)
        return tr("No rule meets it: no answer.");
    const MockRule *rule = answer->rule;
    const auto number = rule - good->rules.data() + 1;
    const QString which = rule->name.isEmpty() ? tr("Rule %1").arg(number) : tr("Rule %1 \"%2\"").arg(number).arg(rule->name);
    if (rule->ignore)
        return tr("%1: ignore (no answer, no further rule).").arg(which);
    QStringList does;
    if (answer->reply)
        does << tr("reply %1").arg(cut(*answer->reply));
    if (answer->broadcast)
        does << tr("broadcast %1").arg(cut(*answer->broadcast));
    if (answer->closeCode)
        does << tr("close %1 %2").arg(*answer->closeCode).arg(answer->closeReason).trimmed();
    if (rule->delay.count() > 0)
        does << tr("after %1 ms").arg(rule->delay.count());
    return which + QStringLiteral(": ") + does.join(QStringLiteral(" · "));
}

QString RulesEditor::statusText() const
{
    return m_status->text();
}

void RulesEditor::updateStatus()
{
    QString error;
    if (!m_fileError.isEmpty()) {
        m_status->setText(m_fileError);
        setTone(m_status, Tone::Error);
    } else if (!rules(&error)) {
        m_status->setText(error.left(1).toUpper() + error.mid(1));
        setTone(m_status, m_model->rowCount() == 0 ? Tone::Muted : Tone::Error);
    } else {
        m_status->setText(tr("%n rule(s), all good.", nullptr, m_model->rowCount()));
        setTone(m_status, Tone::Success);
    }
}

void RulesEditor::askLoad()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load rules"), {}, tr("Rules (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void RulesEditor::askSave()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save rules"), {}, tr("Rules (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveFile(path);
}

} // namespace wslab
