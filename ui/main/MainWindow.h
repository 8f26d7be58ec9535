#pragma once

#include <QKeySequence>
#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSettings;
class QSplitter;

namespace wslab {

class ChartsPanel;
class ClientArea;
class ClientPanel;
class Discovery;
class EventLog;
class InspectorPanel;
class LessonPane;
class LogBudget;
class RecordedLogs;
class SequenceDiagramPanel;
class ServerPanel;

// The lab window: the server panel on the left, client panels as tabs or columns on the right. It assembles
// panels, menus and the status bar, and remembers them between runs; the panels do the rest.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    struct Options
    {
        // Read and write QSettings (geometry, splitter, recent URLs, last settings).
        bool persist = true;
        // With no saved state: start a server on 127.0.0.1:8080 (or the next free port) in echo
        // mode and connect one client to it, so traffic shows within seconds.
        bool firstStartDemo = true;
        // The demo server's port: -1 tries 8080..8099, then any free port; tests pass 0.
        int firstStartPort = -1;
        // Listen for WsLab servers on the LAN while the window is open, for the clients' URL boxes.
        // Off unless asked (app/wslab asks): joining a multicast group sends a membership report onto
        // the network, which tests must not do outside a private network namespace.
        bool discoverLan = false;
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerPanel *serverPanel() const { return m_server; }
    QList<ClientPanel *> clientPanels() const;
    ClientPanel *addClient();
    void closeClient(ClientPanel *panel);
    // View → Dark colours: a dark palette at once, remembered between runs.
    void setDarkColours(bool dark);
    bool darkColours() const;
    // View → Presentation mode: text at least TextScale::kPresentation, high-contrast colours, taller
    // rows; off again, the text size from before. Remembered between runs, like the text size.
    void setPresenting(bool on);
    bool presenting() const;
    // View → Bigger / Smaller / Normal text, in percent of the platform's size.
    void setTextScale(int percent);
    // Every key the window answers to, as Help → Keyboard shortcuts lists them.
    QList<QPair<QString, QKeySequence>> shortcuts() const;
    ClientArea *clientArea() const { return m_clients; }
    // View → Inspector: the relay that shows every frame, in a dock below the panels.
    InspectorPanel *inspectorPanel() const { return m_inspector; }
    QDockWidget *inspectorDock() const { return m_inspectorDock; }
    // Writes every endpoint's log into dir as <endpoint>.jsonl; false with error at the first failure.
    bool exportLogsTo(const QString &dir, QStringList *written, QString *error) const;
    // True when there was no saved state and the demo ran.
    bool ranFirstStart() const { return m_ranFirstStart; }
    // The one memory budget every endpoint's log shares (setting "log/budgetMiB").
    LogBudget *logBudget() const { return m_logBudget; }
    // The servers heard on the LAN, which every client's URL box lists (heard only with
    // Options::discoverLan; tests may hand it beacons directly).
    Discovery *lanDiscovery() const { return m_lanDiscovery; }
    void setLogBudgetMiB(int mib);
    // View → Sequence diagram: a dock, hidden until asked for; its lanes are the server and every client.
    QDockWidget *sequenceDock() const { return m_sequenceDock; }
    SequenceDiagramPanel *sequenceDiagram() const { return m_sequence; }
    // View → Live charts: a dock, hidden until asked for; its endpoints are the sequence diagram's lanes.
    QDockWidget *chartsDock() const { return m_chartsDock; }
    ChartsPanel *charts() const { return m_charts; }
    // Help → Lessons and File → Open lesson…: the lesson pane, in a dock hidden until a lesson opens.
    QDockWidget *lessonDock() const { return m_lessonDock; }
    LessonPane *lessonPane() const { return m_lessonPane; }
    // Opens a lesson file (a built-in one is ":/lessons/NAME.json") in the lesson dock; on failure
    // nothing changes and `error` says what is wrong and where.
    bool openLesson(const QString &path, QString *error);
    // File → Save session…: the window's setup into a .wslab file (docs/sessions.md). With secrets it
    // also holds the server's token, and the clients' Authorization and Cookie headers and ?token= in
    // URLs as typed; without, those read "<redacted>". False with error when it was not written.
    bool saveSession(const QString &path, bool withSecrets, QString *error);
    // Whether a panel holds a secret that a session saved without secrets leaves out or redacts: the
    // server's token, a client's URL or headers, the inspector's target. Save session… asks only then.
    bool holdsSecrets() const;
    // File → Open session…: the file's setup replaces the window's. The server and the inspector stop,
    // every client closes, the rest is restored, and nothing starts by itself. A file that cannot be
    // opened leaves the window untouched, and error says why.
    bool openSession(const QString &path, QString *error);
    // The session last opened or saved; empty before any.
    QString sessionPath() const { return m_sessionPath; }

    // File → Open log…: the logs opened from files and their replays, each in a dock of its own.
    RecordedLogs *recordedLogs() const { return m_recordedLogs; }

    static constexpr int kDefaultLogBudgetMiB = 512;
    static constexpr int kMinLogBudgetMiB = 16;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void runFirstStartDemo();
    void updateStatusBar();
    void saveState() const;
    // Where a setup is kept: the app's own settings (with the preferences: colours, text size, recent
    // URLs, but never the faults nor the token), or a session file (the setup with the faults, and its
    // secrets or not). One pair of functions for both, so a session holds what a restart restores.
    // Each panel saves and restores its own settings, its composer and its secrets included.
    enum class SetupStore { AppSettings, Session, SessionWithSecrets };
    void writeSetup(QSettings &settings, SetupStore store) const;
    void readSetup(QSettings &settings, SetupStore store);
    void restoreClients(QSettings &settings);
    void setUpSessions(QMenu *file);
    void askToSaveSession();
    void askToOpenSession();
    void showCloseCodes();
    void showShortcuts();
    void applyColours();
    void showGlossary();
    void showAbout();
    void exportLogs();
    void setUpLogMemory();
    void updateLogMemory();
    void chooseLogBudget();
    void setUpSequenceDiagram(QMenu *view);
    void updateSequenceLanes();
    // Every endpoint's name and log, in the order the teaching views show them: the server, the
    // inspector while it relays (it sits between them on the wire), each client.
    QList<std::pair<QString, const EventLog *>> endpointLogs() const;
    void setUpCharts(QMenu *view);
    void updateChartEndpoints();
    void setUpLessons(QMenu *file, QMenu *help);
    void setUpRecordedLogs(QMenu *file);

    Options m_options;
    ServerPanel *m_server;
    ClientArea *m_clients;
    QAction *m_sideBySide;
    QAction *m_serverAboveClients = nullptr;
    QAction *m_darkColours = nullptr;
    QAction *m_presentation = nullptr;
    int m_scaleBeforePresentation = 100; // TextScale::kNormal
    QSplitter *m_splitter;
    QLabel *m_statusLabel;
    QStringList m_recentUrls;
    int m_nextClientNumber = 1;
    bool m_ranFirstStart = false;
    LogBudget *m_logBudget = nullptr;
    QLabel *m_logMemoryLabel = nullptr;
    Discovery *m_lanDiscovery;
    InspectorPanel *m_inspector;
    QDockWidget *m_inspectorDock;
    QDockWidget *m_sequenceDock = nullptr;
    SequenceDiagramPanel *m_sequence = nullptr;
    QDockWidget *m_chartsDock = nullptr;
    ChartsPanel *m_charts = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    LessonPane *m_lessonPane = nullptr;
    RecordedLogs *m_recordedLogs = nullptr;
    QString m_sessionPath;
};

} // namespace wslab
