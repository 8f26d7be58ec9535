#include "ui/inspect/InspectorPanel.h"

#include "core/client/WebSocketUrl.h"
#include "core/inspect/Relay.h"
#include "ui/inspect/ExplainFrameDialog.h"
#include "ui/inspect/FaultBar.h"
#include "ui/inspect/FieldTones.h"
#include "ui/inspect/FrameTableModel.h"
#include "ui/inspect/FrameTree.h"
#include "ui/inspect/HexView.h"
#include "ui/keyboard/FocusChain.h"
#include "ui/log/EventDetailView.h"
#include "ui/log/EventTable.h"
#include "ui/style/TextScale.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

// The relay connects to the target's host and port and forwards the client's request line as sent, so
// two URLs name the same relay target when those agree.
bool sameTarget(const QUrl &a, const QUrl &b)
{
    const int port = a.scheme() == u"wss" ? 443 : 80;
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && a.port(port) == b.port(port);
}

QWidget *legend(QWidget *parent)
{
    auto *box = new QWidget(parent);
    box->setObjectName(QStringLiteral("inspectorLegend"));
    // Three a line, so it fits beside the table even with presentation-size text.
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    const QList<FieldLegendEntry> entries = fieldLegend();
    for (int i = 0; i < entries.size(); ++i) {
        auto *label = new QLabel(QStringLiteral("■ ") + entries.at(i).label, box);
        setTone(label, entries.at(i).tone, true);
        grid->addWidget(label, i / 3, i % 3);
    }
    grid->setColumnStretch(3, 1);
    return box;
}

} // namespace

InspectorPanel::InspectorPanel(QWidget *parent)
    : QWidget(parent)
    , m_relay(new Relay(this))
    , m_model(new FrameTableModel(m_relay->log(), this))
    , m_port(new QSpinBox(this))
    , m_target(new QLineEdit(this))
    , m_start(new QPushButton(tr("Start"), this))
    , m_url(new QLineEdit(this))
    , m_copy(new QToolButton(this))
    , m_tls(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_faults(new FaultBar(m_relay, this))
    , m_table(new QTableView(this))
    , m_tree(new FrameTree(this))
    , m_hex(new HexView(this))
    , m_explain(new QPushButton(tr("Explain this frame…"), this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_detailStack(new QStackedWidget(this))
    , m_eventDetail(new EventDetailView(this))
{
    setObjectName(QStringLiteral("inspectorPanel"));

    m_port->setObjectName(QStringLiteral("inspectorPort"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setToolTip(tr("The port the inspector listens on (on 127.0.0.1); clients connect here instead of to the server"));
    m_target->setObjectName(QStringLiteral("inspectorTarget"));
    m_target->setPlaceholderText(QStringLiteral("ws://127.0.0.1:8080/"));
    m_target->setToolTip(tr("The server every connection is relayed to, ws:// or wss://"));
    m_target->setAccessibleName(tr("Target server URL"));
    connect(m_target, &QLineEdit::returnPressed, this, [this] {
        if (!isRunning())
            start();
    });
    m_start->setObjectName(QStringLiteral("inspectorStart"));
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (isRunning())
            stop();
        else
            start();
    });
    m_url->setObjectName(QStringLiteral("inspectorUrl"));
    m_url->setReadOnly(true);
    m_url->setPlaceholderText(tr("not relaying"));
    m_url->setAccessibleName(tr("The inspector's address for clients"));
    m_copy->setObjectName(QStringLiteral("inspectorCopyUrl"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the address clients connect to (with the target's path)"));
    connect(m_copy, &QToolButton::clicked, this, [this] { QApplication::clipboard()->setText(m_url->text()); });
    m_tls->setObjectName(QStringLiteral("inspectorTls"));
    m_tls->setText(tr("TLS…"));
    m_tls->setToolTip(tr("Serve wss:// to clients with a certificate, and choose how a wss:// target is verified"));
    connect(m_tls, &QToolButton::clicked, this, [this] {
        InspectorTlsDialog dialog(m_tlsSettings, this);
        if (dialog.exec() == QDialog::Accepted)
            setTls(dialog.tls());
    });
    m_status->setObjectName(QStringLiteral("inspectorStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // One line for where: the form, then the address it gives clients.
    auto *where = new QHBoxLayout;
    where->addWidget(new QLabel(tr("Listen on"), this));
    where->addWidget(m_port);
    where->addWidget(new QLabel(tr("relay to"), this));
    where->addWidget(m_target, 3);
    where->addWidget(m_tls);
    where->addWidget(m_start);
    where->addSpacing(12);
    where->addWidget(new QLabel(tr("Clients connect to"), this));
    where->addWidget(m_url, 2);
    where->addWidget(m_copy);

    auto *faultsBox = new QGroupBox(tr("Faults (live)"), this);
    faultsBox->setObjectName(QStringLiteral("inspectorFaultsBox"));
    auto *faultsLayout = new QVBoxLayout(faultsBox);
    faultsLayout->setContentsMargins(6, 2, 6, 4);
    faultsLayout->addWidget(m_faults);

    m_table->setObjectName(QStringLiteral("inspectorFrames"));
    m_table->setAccessibleName(tr("Frames the inspector saw"));
    m_table->setModel(m_model);
    setUpEventTable(m_table);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *rows = m_table->verticalHeader();
    TextScale::follow(m_table, [this, rows] {
        const QFontMetrics metrics = m_table->fontMetrics();
        rows->setDefaultSectionSize(TextScale::rowHeight(m_table));
        const int padding = 2 * metrics.horizontalAdvance(u'0');
        auto width = [&](int column, const QString &sample) {
            m_table->setColumnWidth(column, metrics.horizontalAdvance(sample) + padding);
        };
        width(FrameTableModel::TimeColumn, QStringLiteral("88:88:88.888"));
        width(FrameTableModel::FromColumn, QStringLiteral("← server"));
        width(FrameTableModel::ConnectionColumn, QStringLiteral("Conn"));
        width(FrameTableModel::FinColumn, QStringLiteral("FIN"));
        width(FrameTableModel::RsvColumn, QStringLiteral("RSV"));
        width(FrameTableModel::OpcodeColumn, QStringLiteral("Continuation"));
        width(FrameTableModel::MaskColumn, QStringLiteral("Mask"));
        width(FrameTableModel::LengthColumn, QStringLiteral("888,888"));
    });
    new RowFollower(m_table, m_model); // new rows scroll into view while the user is at the bottom
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InspectorPanel::onCurrentRowChanged);
    connect(m_table, &QTableView::doubleClicked, this, [this] { explainSelected(); });
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_table->indexAt(pos);
        if (!index.isValid())
            return;
        m_table->setCurrentIndex(index);
        QMenu menu(this);
        QAction *explain = menu.addAction(tr("Explain this frame…"), this, [this] { explainSelected(); });
        explain->setEnabled(m_explain->isEnabled());
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });

    connect(m_tree, &FrameTree::fieldChosen, m_hex, &HexView::setHighlight);
    connect(m_hex, &HexView::byteClicked, m_tree, &FrameTree::selectByte);

    m_explain->setObjectName(QStringLiteral("inspectorExplain"));
    m_explain->setToolTip(tr("The selected frame drawn as RFC 6455 §5.2 draws a frame, and its payload unmasked byte by byte "
                             "(also on double-click)"));
    m_explain->setEnabled(false);
    connect(m_explain, &QPushButton::clicked, this, [this] { explainSelected(); });
    auto *clear = new QToolButton(this);
    clear->setObjectName(QStringLiteral("inspectorClear"));
    clear->setText(tr("Clear"));
    clear->setToolTip(tr("Forget the frames seen so far"));
    connect(clear, &QToolButton::clicked, m_relay->log(), &EventLog::clear);

    // The frames on the left, as long as the pane is tall; the chosen one on the right, the tree above
    // its bytes, as Wireshark stacks them.
    auto *framesBox = new QWidget(this);
    auto *framesLayout = new QVBoxLayout(framesBox);
    framesLayout->setContentsMargins(0, 0, 0, 0);
    auto *framesBar = new QHBoxLayout;
    framesBar->addWidget(m_explain);
    framesBar->addStretch(1);
    framesBar->addWidget(clear);
    framesLayout->addLayout(framesBar);
    framesLayout->addWidget(m_table, 1);
    auto *hexSide = new QWidget(this);
    auto *hexLayout = new QVBoxLayout(hexSide);
    hexLayout->setContentsMargins(0, 0, 0, 0);
    hexLayout->addWidget(m_hex, 1);
    hexLayout->addWidget(legend(hexSide));
    auto *detail = new QSplitter(Qt::Vertical, this);
    detail->setObjectName(QStringLiteral("inspectorDetail"));
    detail->addWidget(m_tree);
    detail->addWidget(hexSide);
    detail->setChildrenCollapsible(false);

    // A handshake or a note is not a frame: it gets the log's own detail view, whose Handshake tab
    // names each header's role and works out the accept key (RFC 6455 §4.2.2), as on the server side.
    m_eventDetail->setObjectName(QStringLiteral("inspectorEventDetail"));
    m_detailStack->addWidget(detail);
    m_detailStack->addWidget(m_eventDetail);

    m_splitter->setObjectName(QStringLiteral("inspectorSplitter"));
    m_splitter->addWidget(framesBox);
    m_splitter->addWidget(m_detailStack);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({3000, 2000}); // scaled to the width the pane gets: three fifths for the table
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(where);
    layout->addWidget(m_status);
    layout->addWidget(faultsBox);
    layout->addWidget(m_splitter, 1);

    chainFocus(QList<QWidget *>{m_port, m_target, m_tls, m_start, m_url, m_copy} + m_faults->focusOrder() +
               QList<QWidget *>{m_table, m_explain, clear, m_tree, m_hex});
    updateState();
}

InspectorPanel::~InspectorPanel()
{
    // The relay logs as it stops: the views of its log go first.
    delete m_table;
    delete m_model;
    m_relay->stop();
}

void InspectorPanel::setTarget(const QString &url)
{
    m_target->setText(url);
}

QString InspectorPanel::target() const
{
    return m_target->text().trimmed();
}

void InspectorPanel::setPort(quint16 port)
{
    m_port->setValue(port);
}

bool InspectorPanel::isRunning() const
{
    return m_relay->state() == Relay::State::Listening;
}

bool InspectorPanel::start()
{
    if (isRunning())
        return true;
    QString error;
    RelayConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = quint16(m_port->value());
    config.target = webSocketUrlFromUserInput(target(), &error);
    config.tls = m_tlsSettings;
    if (config.target.scheme() != u"wss") { // kept for the next wss:// target, but meaningless for ws://
        config.tls.caFile.clear();
        config.tls.insecure = false;
    }
    if (error.isEmpty()) {
        m_relay->setConfig(config);
        if (!m_relay->start())
            error = m_relay->errorString();
    }
    if (!error.isEmpty()) {
        updateState(tr("Not relaying: %1").arg(error));
        return false;
    }
    m_target->setText(config.target.toString());
    updateState();
    Q_EMIT runningChanged(true);
    return true;
}

void InspectorPanel::setTls(const RelayTls &tls)
{
    m_tlsSettings = tls;
    const bool any = !tls.certFile.isEmpty() || !tls.caFile.isEmpty() || tls.insecure;
    m_tls->setText(any ? tr("TLS ✓…") : tr("TLS…"));
}

void InspectorPanel::stop()
{
    if (!isRunning())
        return;
    m_relay->stop();
    updateState();
    Q_EMIT runningChanged(false);
}

QString InspectorPanel::statusText() const
{
    return m_status->text();
}

QUrl InspectorPanel::routeTo(const QUrl &target, QString *error, bool mayStart)
{
    if (!mayStart && !(isRunning() && sameTarget(m_relay->config().target, target))) {
        *error = tr("the inspector does not relay to %1 now").arg(target.toString());
        return {};
    }
    if (isRunning() && !sameTarget(m_relay->config().target, target)) {
        if (m_relay->connectionCount() > 0) {
            *error = tr("the inspector relays %n connection(s) to %1; stop it or route a client of that server", nullptr,
                        m_relay->connectionCount())
                         .arg(m_relay->config().target.toString());
            return {};
        }
        stop();
    }
    if (!isRunning()) {
        setTarget(target.toString());
        if (!start()) {
            *error = m_relay->errorString().isEmpty() ? statusText() : m_relay->errorString();
            return {};
        }
    }
    // The relay forwards the request line as the client sends it: the path and query go to the relay.
    QUrl routed = m_relay->url();
    routed.setPath(target.path());
    routed.setQuery(target.query());
    return routed;
}

void InspectorPanel::updateState(const QString &problem)
{
    const bool running = isRunning();
    m_start->setText(running ? tr("Stop") : tr("Start"));
    m_port->setEnabled(!running);
    m_tls->setEnabled(!running);
    m_target->setReadOnly(running);
    if (running) {
        QUrl url = m_relay->url();
        url.setPath(m_relay->config().target.path());
        m_url->setText(url.toString());
    } else {
        m_url->clear();
    }
    m_copy->setEnabled(running);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        setTone(m_status, Tone::Error);
    } else if (running) {
        m_status->setText(tr("Relaying %1 → %2. Connect a client to the address above, or tick \"Via inspector\" on a client.")
                              .arg(m_relay->url().toString(), m_relay->config().target.toString()));
        setTone(m_status, Tone::Success);
    } else {
        m_status->setText(tr("Not relaying. Give the server to watch and press Start, or tick \"Via inspector\" on a client."));
        setTone(m_status, Tone::Muted);
    }
}

void InspectorPanel::onCurrentRowChanged()
{
    const QModelIndex index = m_table->currentIndex();
    const LogEvent *event = index.isValid() ? m_model->eventAt(index.row()) : nullptr;
    const FrameLayout layout = event ? FrameLayout::fromEvent(*event) : FrameLayout();
    m_hex->setFrame(layout);
    m_tree->setEvent(event, layout);
    m_explain->setEnabled(layout.isValid());
    const bool isFrame = !event || event->kind == EventKind::Frame;
    m_eventDetail->setEvent(isFrame ? nullptr : event);
    m_detailStack->setCurrentIndex(isFrame ? 0 : 1);
}

SecretFields InspectorPanel::secretFields() const
{
    return SecretFields().textWithSecrets(QStringLiteral("target"), target());
}

bool InspectorPanel::holdsSecrets() const
{
    return secretFields().holdsSecrets();
}

void InspectorPanel::saveSettings(QSettings &settings, SecretsInSave secrets) const
{
    settings.setValue(QStringLiteral("port"), m_port->value());
    secretFields().save(settings, secrets);
    settings.setValue(QStringLiteral("tlsCert"), m_tlsSettings.certFile);
    settings.setValue(QStringLiteral("tlsKey"), m_tlsSettings.keyFile);
    settings.setValue(QStringLiteral("caFile"), m_tlsSettings.caFile);
    settings.setValue(QStringLiteral("insecure"), m_tlsSettings.insecure);
}

void InspectorPanel::restoreSettings(const QSettings &settings)
{
    m_port->setValue(settings.value(QStringLiteral("port"), 0).toInt());
    setTarget(settings.value(QStringLiteral("target")).toString());
    setTls({settings.value(QStringLiteral("tlsCert")).toString(), settings.value(QStringLiteral("tlsKey")).toString(),
            settings.value(QStringLiteral("caFile")).toString(), settings.value(QStringLiteral("insecure"), false).toBool()});
}

ExplainFrameDialog *InspectorPanel::explainSelected()
{
    const QModelIndex index = m_table->currentIndex();
    const LogEvent *event = index.isValid() ? m_model->eventAt(index.row()) : nullptr;
    if (!event || event->kind != EventKind::Frame)
        return nullptr;
    auto *dialog = new ExplainFrameDialog(*event, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

QList<QWidget *> InspectorPanel::focusOrder() const
{
    return tabStopsIn(this);
}

} // namespace wslab
