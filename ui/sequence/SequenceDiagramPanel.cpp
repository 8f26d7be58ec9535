#include "ui/sequence/SequenceDiagramPanel.h"

#include "ui/sequence/SequenceDiagramView.h"

#include <QAction>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

SequenceDiagramPanel::SequenceDiagramPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new SequenceModel(this))
    , m_view(new SequenceDiagramView(m_model, this))
    , m_zoom(new QLabel(this))
    , m_follow(new QAction(tr("Follow live"), this))
    , m_pause(new QAction(tr("Pause"), this))
{
    setObjectName(QStringLiteral("sequencePanel"));
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("sequenceBar"));
    auto *zoomOut = new QAction(QStringLiteral("−"), this);
    connect(zoomOut, &QAction::triggered, m_view, &SequenceDiagramView::zoomOut);
    bar->addAction(zoomOut);
    zoomOut->setObjectName(QStringLiteral("sequenceZoomOut"));
    zoomOut->setToolTip(tr("Zoom out: more time per pixel (Ctrl+wheel)"));
    m_zoom->setObjectName(QStringLiteral("sequenceZoom"));
    m_zoom->setToolTip(tr("Time per pixel of height"));
    bar->addWidget(m_zoom);
    auto *zoomIn = new QAction(QStringLiteral("+"), this);
    connect(zoomIn, &QAction::triggered, m_view, &SequenceDiagramView::zoomIn);
    bar->addAction(zoomIn);
    zoomIn->setObjectName(QStringLiteral("sequenceZoomIn"));
    zoomIn->setToolTip(tr("Zoom in: less time per pixel (Ctrl+wheel)"));
    bar->addSeparator();
    m_follow->setObjectName(QStringLiteral("sequenceFollow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(m_view->followsLive());
    m_follow->setToolTip(tr("Keep the newest arrows in sight; scrolling up turns it off"));
    bar->addAction(m_follow);
    connect(m_follow, &QAction::toggled, m_view, &SequenceDiagramView::setFollowLive);
    connect(m_view, &SequenceDiagramView::followLiveChanged, m_follow, &QAction::setChecked);
    m_pause->setObjectName(QStringLiteral("sequencePause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop taking new events; resuming catches up with what the logs still hold"));
    bar->addAction(m_pause);
    connect(m_pause, &QAction::toggled, m_view, &SequenceDiagramView::setPaused);
    bar->addSeparator();
    auto *exportButton = new QToolButton(bar);
    exportButton->setObjectName(QStringLiteral("sequenceExport"));
    exportButton->setText(tr("Export PNG"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("The part in sight…"), this, [this] { exportPng(false); });
    exportMenu->addAction(tr("Everything held (newest %1 pixels)…").arg(QLocale().toString(SequenceDiagramView::kMaxExportHeight)), this,
                          [this] { exportPng(true); });
    exportButton->setMenu(exportMenu);
    bar->addWidget(exportButton);

    connect(m_view, &SequenceDiagramView::usPerPixelChanged, this, &SequenceDiagramPanel::showZoom);
    connect(m_view, &SequenceDiagramView::eventSelected, this, &SequenceDiagramPanel::eventSelected);
    showZoom(m_view->usPerPixel());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_view, 1);
}

void SequenceDiagramPanel::setLanes(const QList<SequenceLane> &lanes)
{
    m_model->setLanes(lanes);
}

void SequenceDiagramPanel::showZoom(double usPerPixel)
{
    const QLocale locale;
    m_zoom->setText(usPerPixel < 1000 ? tr("%1 µs/px").arg(locale.toString(usPerPixel, 'f', 0))
                                      : tr("%1 ms/px").arg(locale.toString(usPerPixel / 1000.0, 'g', 3)));
}

void SequenceDiagramPanel::exportPng(bool wholeRange)
{
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export the sequence diagram"), QStringLiteral("sequence.png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive))
        path += QStringLiteral(".png");
    QString error;
    if (!m_view->exportPng(path, wholeRange, &error))
        QMessageBox::warning(this, tr("Export PNG"), error);
}

} // namespace wslab
