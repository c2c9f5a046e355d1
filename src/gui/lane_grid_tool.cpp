#include "gui/lane_grid_tool.h"

#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/blot_view.h"
#include "gui/geometry_overlay.h"
#include "gui/lane_grid_bar.h"
#include "gui/lane_grid_item.h"

#include <QAction>
#include <QGraphicsScene>
#include <QMainWindow>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

constexpr int kStatusMessageMs = 5000;

const Strip* findStrip(const ImageGeometry& geometry, int index) {
    const auto found = std::find_if(geometry.strips.begin(), geometry.strips.end(),
                                    [&](const Strip& s) { return s.index == index; });
    return found == geometry.strips.end() ? nullptr : &*found;
}

/// The grid the strip's lanes suggest: its first and last lane and their count; with fewer
/// than two lanes, two lanes a tenth of the strip's width in from either side.
ManualLaneGrid suggestedGrid(const ImageGeometry& geometry, const Strip& strip) {
    std::vector<double> centres;
    for (const Lane& lane : geometry.lanes) {
        if (lane.strip == strip.index) {
            centres.push_back(lane.xCenterPx);
        }
    }
    std::sort(centres.begin(), centres.end());
    if (centres.size() >= 2) {
        return {strip.index, centres.front(), centres.back(), static_cast<int>(centres.size())};
    }
    const double inset = std::round(0.1 * strip.region.width);
    return {strip.index, strip.region.x + inset, strip.region.x + strip.region.width - 1 - inset,
            2};
}

} // namespace

LaneGridTool::LaneGridTool(ProjectDocument& document, BlotView& view, GeometryOverlay& overlay,
                           QMainWindow& window)
    : QObject(&window), m_document(document), m_view(view), m_overlay(overlay), m_window(window) {
    m_bar = new LaneGridBar(&window);
    m_bar->hide();
    connect(m_bar, &LaneGridBar::countEdited, this, [this](int count) {
        if (!setLaneCount(count)) {
            m_bar->setCount(m_grid.laneCount);
        }
    });
    connect(m_bar, &LaneGridBar::applyClicked, this, &LaneGridTool::apply);
    connect(m_bar, &LaneGridBar::cancelClicked, this, &LaneGridTool::cancel);

    m_applyAction = new QAction(tr("Apply Lane Grid"), this);
    m_applyAction->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_applyAction->setEnabled(false);
    connect(m_applyAction, &QAction::triggered, this, &LaneGridTool::apply);
    m_cancelAction = new QAction(tr("Cancel Lane Grid"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, this, &LaneGridTool::cancel);
    window.addAction(m_applyAction);
    window.addAction(m_cancelAction);

    // The grid was placed on the image as it was: any other change to it ends placing.
    connect(&document, &ProjectDocument::imageChanged, this, [this](int image) {
        if (m_isActive && !m_isApplying && image == m_image) {
            finish(tr("Lane grid cancelled: the image changed"));
        }
    });
    connect(&document, &ProjectDocument::currentImageChanged, this, [this] {
        if (m_isActive) {
            finish(tr("Lane grid cancelled"));
        }
    });
    connect(&document, &ProjectDocument::imagesChanged, this, [this] {
        if (m_isActive) {
            finish(tr("Lane grid cancelled"));
        }
    });
}

LaneGridTool::~LaneGridTool() {
    // The scene belongs to the view, which may go first.
    delete m_item;
}

bool LaneGridTool::start(int strip) {
    const int image = m_document.currentImage();
    if (m_isActive || image < 0 || m_document.loadedImage(image) == nullptr) {
        return false;
    }
    const ImageGeometry& geometry = m_document.image(image).geometry;
    const Strip* found = findStrip(geometry, strip);
    if (found == nullptr) {
        m_window.statusBar()->showMessage(tr("No strip %1 to set lanes in").arg(strip),
                                          kStatusMessageMs);
        return false;
    }
    const ManualLaneGrid suggested = suggestedGrid(geometry, *found);
    auto lanes = m_document.laneGridLanes(image, suggested);
    if (!lanes) {
        m_window.statusBar()->showMessage(toQString(lanes.error().describe()), kStatusMessageMs);
        return false;
    }
    m_image = image;
    m_grid = suggested;
    m_lanes = std::move(*lanes);
    m_isActive = true;
    m_item = new LaneGridItem(*this);
    m_view.scene()->addItem(m_item);
    m_item->sync(m_lanes, found->region);
    m_overlay.setSuspended(true);
    m_window.statusBar()->clearMessage();
    m_window.statusBar()->addWidget(m_bar, 1);
    m_bar->show();
    m_bar->begin(strip, m_grid.laneCount);
    m_applyAction->setEnabled(true);
    m_cancelAction->setEnabled(true);
    emit activeChanged(true);
    return true;
}

bool LaneGridTool::tryGrid(const ManualLaneGrid& grid) {
    auto lanes = m_document.laneGridLanes(m_image, grid);
    if (!lanes) {
        m_bar->showProblem(toQString(lanes.error().reason));
        return false;
    }
    m_grid = grid;
    m_lanes = std::move(*lanes);
    const Strip* strip = findStrip(m_document.image(m_image).geometry, grid.strip);
    m_item->sync(m_lanes, strip->region);
    m_bar->showHint();
    return true;
}

bool LaneGridTool::moveEnd(GridEnd end, double centrePx) {
    if (!m_isActive) {
        return false;
    }
    ManualLaneGrid moved = m_grid;
    (end == GridEnd::First ? moved.firstCentrePx : moved.lastCentrePx) = centrePx;
    return tryGrid(moved);
}

bool LaneGridTool::setLaneCount(int count) {
    if (!m_isActive) {
        return false;
    }
    ManualLaneGrid counted = m_grid;
    counted.laneCount = count;
    if (!tryGrid(counted)) {
        return false;
    }
    m_bar->setCount(count);
    return true;
}

bool LaneGridTool::apply() {
    if (!m_isActive) {
        return false;
    }
    m_isApplying = true;
    const auto set = m_document.setLaneGrid(m_image, m_grid);
    m_isApplying = false;
    if (!set) {
        m_bar->showProblem(toQString(set.error().describe()));
        return false;
    }
    finish(tr("Strip %1: %2 lanes set as a grid; their bands were detected again")
               .arg(m_grid.strip)
               .arg(m_grid.laneCount));
    return true;
}

void LaneGridTool::cancel() {
    if (m_isActive) {
        finish(tr("Lane grid cancelled"));
    }
}

void LaneGridTool::finish(const QString& message) {
    m_isActive = false;
    m_image = -1;
    m_lanes.clear();
    delete m_item;
    m_item = nullptr;
    m_applyAction->setEnabled(false);
    m_cancelAction->setEnabled(false);
    m_window.statusBar()->removeWidget(m_bar);
    m_bar->hide();
    m_overlay.setSuspended(false);
    m_window.statusBar()->showMessage(message, kStatusMessageMs);
    m_view.setFocus(Qt::OtherFocusReason);
    emit activeChanged(false);
}

} // namespace densito
