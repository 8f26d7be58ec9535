#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace wslab {

class LessonRunner;
class MainWindow;

// A built-in lesson: where it is (a Qt resource path) and its title.
struct BuiltInLesson
{
    QString path;
    QString title;
    QString summary;
};

// The lesson in a side dock: its title, its steps (a tick on each step whose expected events were
// seen), the current step's narration, "Do it", Back and Next, and a line saying what the step waits
// for, or what did not arrive in time. It owns the LessonRunner that does the work.
class LessonPane : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LessonPane)
public:
    explicit LessonPane(MainWindow *window, QWidget *parent = nullptr);

    // Reads and checks a lesson file and starts it; on failure nothing changes and `error` says
    // what is wrong and where (the JSON path of the fault).
    bool openFile(const QString &path, QString *error);
    // The lessons compiled into WsLab (resources/lessons), in their files' order.
    static QList<BuiltInLesson> builtInLessons();
    // Help → Lessons: a list of the built-in lessons with their summaries; the chosen one's path, or
    // empty when cancelled.
    static QString chooseBuiltIn(QWidget *parent);

    LessonRunner *runner() const { return m_runner; }
    QPushButton *doItButton() const { return m_doIt; }
    QPushButton *nextButton() const { return m_next; }
    QPushButton *backButton() const { return m_back; }
    QString statusText() const;
    QString narrationText() const;

Q_SIGNALS:
    void lessonOpened(const QString &title);

private:
    void refresh();

    LessonRunner *m_runner;
    QLabel *m_title;
    QLabel *m_summary;
    QListWidget *m_steps;
    QTextBrowser *m_narration;
    QLabel *m_status;
    QPushButton *m_back;
    QPushButton *m_doIt;
    QPushButton *m_next;
};

} // namespace wslab
