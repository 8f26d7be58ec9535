#include "ui/lesson/LessonPane.h"

#include "ui/lesson/LessonRunner.h"
#include "ui/style/LabColors.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wslab {

namespace {

QString stepMark(LessonRunner::StepState state)
{
    switch (state) {
    case LessonRunner::StepState::Done:
        return QStringLiteral("✓");
    case LessonRunner::StepState::Failed:
        return QStringLiteral("✗");
    case LessonRunner::StepState::Watching:
        return QStringLiteral("…");
    case LessonRunner::StepState::Pending:
        break;
    }
    return QStringLiteral("  ");
}

} // namespace

LessonPane::LessonPane(MainWindow *window, QWidget *parent)
    : QWidget(parent)
    , m_runner(new LessonRunner(window, this))
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_steps(new QListWidget(this))
    , m_narration(new QTextBrowser(this))
    , m_status(new QLabel(this))
    , m_back(new QPushButton(tr("Back"), this))
    , m_doIt(new QPushButton(tr("Do it"), this))
    , m_next(new QPushButton(tr("Next"), this))
{
    setObjectName(QStringLiteral("lessonPane"));
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText); // a heading relative to the font, so it grows with presentation mode
    m_summary->setObjectName(QStringLiteral("lessonSummary"));
    m_summary->setWordWrap(true);
    m_steps->setObjectName(QStringLiteral("lessonSteps"));
    m_steps->setAccessibleName(tr("Steps of the lesson"));
    m_steps->setToolTip(tr("✓ its events were seen · ✗ something did not happen · … waiting. Click a step to go to it."));
    m_narration->setObjectName(QStringLiteral("lessonNarration"));
    m_narration->setOpenExternalLinks(true);
    m_narration->setAccessibleName(tr("What this step shows"));
    m_status->setObjectName(QStringLiteral("lessonStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_doIt->setObjectName(QStringLiteral("lessonDoIt"));
    m_doIt->setToolTip(tr("Perform this step in the window, as the panels' own buttons would"));
    m_doIt->setDefault(true);
    m_back->setObjectName(QStringLiteral("lessonBack"));
    m_next->setObjectName(QStringLiteral("lessonNext"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_doIt);
    buttons->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_narration, 3);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    connect(m_doIt, &QPushButton::clicked, m_runner, &LessonRunner::doCurrentStep);
    connect(m_next, &QPushButton::clicked, m_runner, &LessonRunner::next);
    connect(m_back, &QPushButton::clicked, m_runner, &LessonRunner::back);
    connect(m_steps, &QListWidget::currentRowChanged, m_runner, &LessonRunner::goTo);
    connect(m_runner, &LessonRunner::changed, this, &LessonPane::refresh);
    refresh();
}

QList<BuiltInLesson> LessonPane::builtInLessons()
{
    QList<BuiltInLesson> out;
    const QDir dir(QStringLiteral(":/lessons"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        Lesson lesson;
        QString ignored;
        // Every built-in lesson is checked by tst_Lessons; one that does not parse is left out of the list.
        if (file.open(QIODevice::ReadOnly) && parseLesson(file.readAll(), &lesson, &ignored))
            out.append({file.fileName(), lesson.title, lesson.summary});
    }
    return out;
}

QString LessonPane::chooseBuiltIn(QWidget *parent)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Lessons"));
    auto *list = new QListWidget(&dialog);
    list->setObjectName(QStringLiteral("lessonChooser"));
    list->setWordWrap(true);
    const QList<BuiltInLesson> lessons = builtInLessons();
    for (const BuiltInLesson &lesson : lessons) {
        auto *item = new QListWidgetItem(lesson.title + u'\n' + lesson.summary, list);
        item->setData(Qt::UserRole, lesson.path);
        item->setToolTip(lesson.summary);
    }
    list->setCurrentRow(0);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start lesson"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(list, &QListWidget::itemActivated, &dialog, &QDialog::accept);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(
        new QLabel(tr("Each lesson sets the window up step by step: read the narration, press Do it, watch the logs."), &dialog));
    layout->addWidget(list);
    layout->addWidget(buttons);
    dialog.resize(560, 480);
    if (dialog.exec() != QDialog::Accepted || !list->currentItem())
        return {};
    return list->currentItem()->data(Qt::UserRole).toString();
}

bool LessonPane::openFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    Lesson lesson;
    QString why;
    if (!parseLesson(file.readAll(), &lesson, &why)) {
        *error = tr("%1 is not a lesson WsLab can run:\n%2").arg(QDir::toNativeSeparators(path), why);
        return false;
    }
    m_runner->setLesson(lesson);
    Q_EMIT lessonOpened(lesson.title);
    return true;
}

QString LessonPane::statusText() const
{
    return m_status->text();
}

QString LessonPane::narrationText() const
{
    return m_narration->toPlainText();
}

void LessonPane::refresh()
{
    const Lesson &lesson = m_runner->lesson();
    const int current = m_runner->currentStep();
    const bool has = m_runner->hasLesson();
    m_title->setText(QStringLiteral("<h2>%1</h2>").arg((has ? lesson.title : tr("No lesson open")).toHtmlEscaped()));
    m_summary->setText(has ? lesson.summary : tr("Help → Lessons chooses one; File → Open lesson… opens your own."));
    m_summary->setVisible(!m_summary->text().isEmpty());
    {
        const QSignalBlocker quiet(m_steps);
        if (m_steps->count() != lesson.steps.size()) {
            m_steps->clear();
            for (qsizetype i = 0; i < lesson.steps.size(); ++i)
                m_steps->addItem(QString());
        }
        for (int i = 0; i < m_steps->count(); ++i)
            m_steps->item(i)->setText(
                QStringLiteral("%1  %2. %3").arg(stepMark(m_runner->state(i))).arg(i + 1).arg(lesson.steps.at(i).title));
        m_steps->setCurrentRow(has ? current : -1);
    }
    m_back->setEnabled(has && current > 0);
    m_next->setEnabled(has && current + 1 < lesson.steps.size());
    if (!has) {
        m_narration->clear();
        m_status->clear();
        m_doIt->setEnabled(false);
        return;
    }
    const LessonStep &step = lesson.steps.at(current);
    m_doIt->setEnabled(!step.action.isEmpty());
    m_narration->setHtml(tr("<h3>Step %1 of %2: %3</h3>").arg(current + 1).arg(lesson.steps.size()).arg(step.title.toHtmlEscaped()) +
                         m_runner->substitute(step.narration));
    QStringList expected;
    for (const LessonExpectation &expectation : step.expect)
        expected << expectation.describe();
    switch (m_runner->state(current)) {
    case LessonRunner::StepState::Done:
        m_status->setText(expected.isEmpty() ? tr("✓ Done.") : tr("✓ Seen: %1").arg(expected.join(QStringLiteral("; "))));
        setTone(m_status, Tone::Success, true);
        break;
    case LessonRunner::StepState::Failed:
        m_status->setText(tr("✗ %1").arg(m_runner->problem()));
        setTone(m_status, Tone::Error, true);
        break;
    case LessonRunner::StepState::Watching:
        m_status->setText(
            (step.action.isEmpty() || m_runner->actionDone() ? tr("Watching for: %1") : tr("Press Do it, or do it by hand. Then: %1"))
                .arg(m_runner->awaited().join(QStringLiteral("; "))));
        setTone(m_status, Tone::Waiting);
        break;
    case LessonRunner::StepState::Pending:
        m_status->setText(step.action.isEmpty() ? QString() : tr("Press Do it."));
        setTone(m_status, Tone::Muted);
        break;
    }
}

} // namespace wslab
