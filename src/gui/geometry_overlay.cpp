#include "gui/geometry_overlay.h"

#include "core/io/project_file.h"
#include "core/pipeline/experiment_analysis.h"
#include "document/qt_strings.h"
#include "gui/band_item.h"
#include "gui/blot_view.h"
#include "gui/kda_axis_item.h"
#include "gui/lane_item.h"

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QMenu>
#include <QScrollBar>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

namespace densito {
namespace {

constexpr int kDefaultBandHeightPx = 15;

template <typename T> double median(std::vector<T> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : static_cast<double>(values[values.size() / 2]);
}

const Strip* stripOf(const BlotAnalysis& analysis, int index) {
    for (const Strip& strip : analysis.strips) {
        if (strip.index == index) {
            return &strip;
        }
    }
    return nullptr;
}

} // namespace

double scenePerScreenPixel(const QGraphicsItem& item) {
    if (item.scene() == nullptr || item.scene()->views().isEmpty()) {
        return 1.0;
    }
    const double scale = item.scene()->views().first()->transform().m11();
    return scale > 0 ? 1.0 / scale : 1.0;
}

GeometryOverlay::GeometryOverlay(ProjectDocument& document, BlotView& view)
    : QObject(&view), m_document(document), m_view(view) {
    connect(&document, &ProjectDocument::imageChanged, this, [this](int image) {
        if (image == m_document.currentImage()) {
            sync();
        }
    });
    connect(&document, &ProjectDocument::currentImageChanged, this, [this] {
        selectLane(std::nullopt);
        sync();
    });
    connect(&document, &ProjectDocument::imagesChanged, this, [this] {
        parseLayout(); // a project opened or cleared brings its own layout
        selectLane(std::nullopt);
        sync();
    });
    // The layout is parsed once per change, not on every redraw of a drag.
    connect(&document, &ProjectDocument::experimentChanged, this, [this] {
        parseLayout();
        sync();
    });
    parseLayout();
    // While suspended, clicks on the image are another tool's.
    connect(&view, &BlotView::imageClicked, this, [this](QPointF scenePos) {
        if (!m_isSuspended) {
            selectLane(laneAt(scenePos));
        }
    });
    connect(&view, &BlotView::imageDoubleClicked, this, [this](QPointF scenePos) {
        if (!m_isSuspended) {
            addBandAt(scenePos);
        }
    });
    connect(&view, &BlotView::contextMenuRequested, this, &GeometryOverlay::showImageMenu);
    // The kDa labels keep their screen size and stay in view: zoom and scrolling move them.
    const auto viewMoved = [this] {
        for (KdaAxisItem* axis : m_kdaAxisItems) {
            axis->viewMoved();
        }
    };
    connect(&view, &BlotView::zoomChanged, this, viewMoved);
    for (const QScrollBar* bar : {view.horizontalScrollBar(), view.verticalScrollBar()}) {
        connect(bar, &QScrollBar::valueChanged, this, viewMoved);
        connect(bar, &QScrollBar::rangeChanged, this, viewMoved);
    }
}

GeometryOverlay::~GeometryOverlay() = default;

void GeometryOverlay::setVisible(bool visible) {
    m_isVisible = visible;
    sync();
}

void GeometryOverlay::setSuspended(bool suspended) {
    m_isSuspended = suspended;
    sync();
}

void GeometryOverlay::selectLane(std::optional<LaneRef> lane) {
    m_selectedBand.reset();
    if (lane == m_selectedLane) {
        sync();
        return;
    }
    m_selectedLane = lane;
    sync();
    emit laneSelected(lane);
}

void GeometryOverlay::selectBand(std::optional<BandRef> band) {
    m_selectedBand = band;
    std::optional<LaneRef> lane;
    if (band) {
        const ImageGeometry& geometry = m_document.image(band->image).geometry;
        const BandCandidate& candidate =
            geometry.bands[static_cast<std::size_t>(band->band)].candidate;
        for (std::size_t i = 0; i < geometry.lanes.size(); ++i) {
            if (geometry.lanes[i].strip == candidate.strip &&
                geometry.lanes[i].index == candidate.lane) {
                lane = LaneRef{band->image, static_cast<int>(i)};
            }
        }
    }
    const bool isNewLane = lane != m_selectedLane;
    m_selectedLane = lane;
    sync();
    if (isNewLane) {
        emit laneSelected(lane);
    }
    emit bandSelected(band);
}

bool GeometryOverlay::removeSelection() {
    if (m_selectedBand) {
        const BandRef band = *m_selectedBand;
        m_selectedBand.reset();
        m_document.removeBand(band);
        emit bandSelected(std::nullopt);
        return true;
    }
    if (m_selectedLane) {
        const LaneRef lane = *m_selectedLane;
        m_selectedLane.reset();
        m_document.removeLane(lane);
        emit laneSelected(std::nullopt);
        return true;
    }
    return false;
}

std::optional<LaneRef> GeometryOverlay::laneAt(QPointF scenePos) const {
    const int image = m_document.currentImage();
    if (image < 0) {
        return std::nullopt;
    }
    const ImageGeometry& geometry = m_document.image(image).geometry;
    for (std::size_t i = 0; i < geometry.lanes.size(); ++i) {
        const Lane& lane = geometry.lanes[i];
        const auto strip = std::find_if(geometry.strips.begin(), geometry.strips.end(),
                                        [&](const Strip& s) { return s.index == lane.strip; });
        if (strip == geometry.strips.end() || scenePos.y() < strip->region.y ||
            scenePos.y() >= strip->region.y + strip->region.height) {
            continue;
        }
        // Pixel centres (core) to scene coordinates: half a pixel.
        const double centre = lane.centreAt(scenePos.y() - 0.5) + 0.5;
        if (scenePos.x() >= centre + lane.leftPx - lane.xCenterPx &&
            scenePos.x() <= centre + lane.rightPx - lane.xCenterPx) {
            return LaneRef{image, static_cast<int>(i)};
        }
    }
    return std::nullopt;
}

bool GeometryOverlay::addBandAt(QPointF scenePos) {
    const std::optional<LaneRef> lane = laneAt(scenePos);
    if (!lane) {
        return false;
    }
    const ImageGeometry& geometry = m_document.image(lane->image).geometry;
    const int strip = geometry.lanes[static_cast<std::size_t>(lane->lane)].strip;
    std::vector<int> heights;
    for (const BandGeometry& band : geometry.bands) {
        if (band.candidate.strip == strip) {
            heights.push_back(band.candidate.bottomPx - band.candidate.topPx + 1);
        }
    }
    const int height =
        heights.empty() ? kDefaultBandHeightPx : static_cast<int>(std::lround(median(heights)));
    const int top = static_cast<int>(std::floor(scenePos.y())) - height / 2;
    const BandRef band = m_document.addBand(*lane, top, top + height - 1);
    selectBand(band);
    return true;
}

bool GeometryOverlay::addLaneAt(QPointF scenePos) {
    const int image = m_document.currentImage();
    if (image < 0) {
        return false;
    }
    const ImageGeometry& geometry = m_document.image(image).geometry;
    for (const Strip& strip : geometry.strips) {
        const QRectF region(strip.region.x, strip.region.y, strip.region.width,
                            strip.region.height);
        if (!region.contains(scenePos)) {
            continue;
        }
        std::vector<double> widths;
        for (const Lane& lane : geometry.lanes) {
            if (lane.strip == strip.index) {
                widths.push_back(lane.widthPx());
            }
        }
        const double width = widths.empty() ? 0.1 * strip.region.width : median(widths);
        const LaneRef lane =
            m_document.addLane(image, strip.index, std::round(scenePos.x() - 0.5), width);
        selectLane(lane);
        return true;
    }
    return false;
}

void GeometryOverlay::parseLayout() {
    m_parsedLayout.reset();
    if (const auto& layout = m_document.layout()) {
        if (auto parsed = parseProjectLayout(*layout)) {
            m_parsedLayout = std::move(*parsed);
        }
    }
}

QString GeometryOverlay::laneLabel(int image, const Lane& lane) const {
    // Samples from the layout when it names this image's membrane; else the lane number.
    {
        const std::optional<Layout>& parsed = m_parsedLayout;
        if (parsed) {
            const std::string name = m_document.imageName(image).toStdString();
            for (const BlotRow& row : parsed->blots) {
                if (std::filesystem::path(row.image).filename().string() != name ||
                    stripOfRow(*parsed, row, m_document.analysis(image)) != lane.strip) {
                    continue;
                }
                for (const SampleRow& sample : parsed->samples) {
                    if (sample.membrane == row.membrane && sample.lane == lane.index) {
                        return QStringLiteral("%1 %2")
                            .arg(lane.index)
                            .arg(toQString(sample.sample));
                    }
                }
            }
        }
    }
    return QString::number(lane.index);
}

void GeometryOverlay::sync() {
    const int image = m_document.currentImage();
    const bool isShown = m_isVisible && !m_isSuspended && image >= 0 &&
                         image < m_document.imageCount() &&
                         m_document.loadedImage(image) != nullptr;
    const std::size_t laneCount =
        isShown ? m_document.image(image).geometry.lanes.size() : std::size_t{0};
    const std::size_t bandCount =
        isShown ? m_document.analysis(image).bands.size() : std::size_t{0};
    QGraphicsScene* scene = m_view.scene();
    // Items are kept while their count stays (a drag re-syncs the item being dragged).
    while (m_laneItems.size() > laneCount) {
        delete m_laneItems.back();
        m_laneItems.pop_back();
    }
    while (m_bandItems.size() > bandCount) {
        delete m_bandItems.back();
        m_bandItems.pop_back();
    }
    while (m_laneItems.size() < laneCount) {
        auto* item = new LaneItem(*this, {image, static_cast<int>(m_laneItems.size())});
        scene->addItem(item);
        m_laneItems.push_back(item);
    }
    while (m_bandItems.size() < bandCount) {
        auto* item = new BandItem(*this, {image, static_cast<int>(m_bandItems.size())});
        scene->addItem(item);
        m_bandItems.push_back(item);
    }
    syncKdaAxes(image, isShown);
    if (!isShown) {
        return;
    }
    const ImageGeometry& geometry = m_document.image(image).geometry;
    const BlotAnalysis& analysis = m_document.analysis(image);
    for (std::size_t i = 0; i < laneCount; ++i) {
        const Lane& lane = geometry.lanes[i];
        const Strip* strip = stripOf(analysis, lane.strip);
        const LaneRef ref{image, static_cast<int>(i)};
        m_laneItems[i]->setRef(ref);
        m_laneItems[i]->sync(lane, strip != nullptr ? *strip : Strip{}, laneLabel(image, lane),
                             m_selectedLane == ref && !m_selectedBand);
    }
    for (std::size_t i = 0; i < bandCount; ++i) {
        const BandRef ref{image, static_cast<int>(i)};
        m_bandItems[i]->setRef(ref);
        m_bandItems[i]->sync(analysis.bands[i], m_selectedBand == ref);
    }
}

void GeometryOverlay::syncKdaAxes(int image, bool isShown) {
    for (KdaAxisItem* axis : m_kdaAxisItems) {
        delete axis;
    }
    m_kdaAxisItems.clear();
    if (!isShown) {
        return;
    }
    for (const Strip& strip : m_document.analysis(image).strips) {
        const StripCalibration* calibration = m_document.stripCalibration(image, strip.index);
        if (calibration == nullptr) {
            continue;
        }
        // An axis on each side of the strip that has a ladder in its half: the masses are read
        // where the ladder is, and a second ladder shows the other side's tilt.
        const double middle = strip.region.x + 0.5 * strip.region.width;
        const bool hasLeft = std::ranges::any_of(
            calibration->ladders, [&](const LadderCalibration& l) { return l.xPx < middle; });
        const bool hasRight = std::ranges::any_of(
            calibration->ladders, [&](const LadderCalibration& l) { return l.xPx >= middle; });
        const double top = strip.region.y;
        const double bottom = strip.region.y + strip.region.height - 1.0;
        for (const auto& [side, isWanted] : {std::pair(KdaAxisItem::Side::Left, hasLeft),
                                             std::pair(KdaAxisItem::Side::Right, hasRight)}) {
            if (!isWanted) {
                continue;
            }
            const bool isLeft = side == KdaAxisItem::Side::Left;
            const double edgeX =
                isLeft ? strip.region.x : strip.region.x + strip.region.width - 1.0;
            auto* axis =
                new KdaAxisItem(massTicksAlong(
                                    *calibration, [edgeX](double) { return edgeX; }, top, bottom),
                                side, edgeX);
            m_view.scene()->addItem(axis);
            m_kdaAxisItems.push_back(axis);
        }
    }
}

void GeometryOverlay::showLaneMenu(LaneRef lane, QPoint globalPos) {
    QMenu menu;
    // Queued: removing the lane deletes the item whose event handler shows this menu.
    menu.addAction(tr("Delete Lane"), this, [this, lane] {
        QMetaObject::invokeMethod(
            this,
            [this, lane] {
                m_selectedLane.reset();
                m_document.removeLane(lane);
                emit laneSelected(std::nullopt);
            },
            Qt::QueuedConnection);
    });
    menu.exec(globalPos);
}

void GeometryOverlay::showBandMenu(BandRef band, QPoint globalPos) {
    QMenu menu;
    menu.addAction(tr("Delete Band"), this, [this, band] {
        QMetaObject::invokeMethod(
            this,
            [this, band] {
                m_selectedBand.reset();
                m_document.removeBand(band);
                emit bandSelected(std::nullopt);
            },
            Qt::QueuedConnection);
    });
    menu.exec(globalPos);
}

void GeometryOverlay::showImageMenu(QPointF scenePos, QPoint globalPos) {
    if (m_document.currentImage() < 0 || m_isSuspended) {
        return;
    }
    QMenu menu;
    if (laneAt(scenePos)) {
        menu.addAction(tr("Add Band Here"), this, [this, scenePos] { addBandAt(scenePos); });
    }
    menu.addAction(tr("Add Lane Here"), this, [this, scenePos] { addLaneAt(scenePos); });
    menu.exec(globalPos);
}

} // namespace densito
