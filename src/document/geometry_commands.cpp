#include "document/geometry_commands.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstddef>
#include <fmt/format.h>

namespace densito {
namespace {

constexpr const char* kContext = "densito::GeometryCommands";

/// The command's text for the Edit menu ("Undo Move Lane"), translated; the literals are
/// marked with QT_TRANSLATE_NOOP so that lupdate finds them.
QString commandText(const char* text) {
    return QCoreApplication::translate(kContext, text);
}

std::size_t at(int index) {
    return static_cast<std::size_t>(index);
}

std::ptrdiff_t offset(std::size_t index) {
    return static_cast<std::ptrdiff_t>(index);
}

} // namespace

MoveLaneCommand::MoveLaneCommand(CommandTarget& target, int image, int lane, Lane moved,
                                 int dragSerial)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Move Lane"))),
      m_target(target), m_image(image), m_lane(lane), m_old(target.geometry(image).lanes[at(lane)]),
      m_new(std::move(moved)), m_dragSerial(dragSerial) {
    m_new.strip = m_old.strip;
    m_new.index = m_old.index;
    m_new.isManual = true;
}

void MoveLaneCommand::apply(const Lane& lane) {
    m_target.geometry(m_image).lanes[at(m_lane)] = lane;
    m_target.imageEdited(m_image);
}

void MoveLaneCommand::undo() {
    apply(m_old);
}

void MoveLaneCommand::redo() {
    apply(m_new);
}

bool MoveLaneCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const MoveLaneCommand*>(other);
    if (next->m_image != m_image || next->m_lane != m_lane || next->m_dragSerial != m_dragSerial) {
        return false;
    }
    m_new = next->m_new;
    // A lane dragged back to where it was is no step at all.
    setObsolete(m_new == m_old);
    return true;
}

MoveBandCommand::MoveBandCommand(CommandTarget& target, int image, int band, int topPx,
                                 int bottomPx, int dragSerial)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Move Band"))),
      m_target(target), m_image(image), m_band(band), m_old(target.geometry(image).bands[at(band)]),
      m_new(m_old), m_dragSerial(dragSerial) {
    BandCandidate& moved = m_new.candidate;
    const BandCandidate& was = m_old.candidate;
    moved.topPx = std::min(topPx, bottomPx);
    moved.bottomPx = std::max(topPx, bottomPx);
    // The peak keeps its place relative to the band's middle, so moving a band moves its peak
    // and resizing it keeps the peak where the signal is.
    const double shift = 0.5 * ((moved.topPx + moved.bottomPx) - (was.topPx + was.bottomPx));
    const bool isMove = moved.bottomPx - moved.topPx == was.bottomPx - was.topPx;
    moved.peakYPx =
        std::clamp(was.peakYPx + (isMove ? shift : 0.0), static_cast<double>(moved.topPx),
                   static_cast<double>(moved.bottomPx));
    m_new.isManual = true;
}

void MoveBandCommand::apply(const BandGeometry& band) {
    m_target.geometry(m_image).bands[at(m_band)] = band;
    m_target.imageEdited(m_image);
}

void MoveBandCommand::undo() {
    apply(m_old);
}

void MoveBandCommand::redo() {
    apply(m_new);
}

bool MoveBandCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const MoveBandCommand*>(other);
    if (next->m_image != m_image || next->m_band != m_band || next->m_dragSerial != m_dragSerial) {
        return false;
    }
    m_new = next->m_new;
    setObsolete(m_new == m_old);
    return true;
}

AddLaneCommand::AddLaneCommand(CommandTarget& target, int image, Lane lane)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Add Lane"))),
      m_target(target), m_image(image), m_lane(std::move(lane)) {
    m_lane.isManual = true;
}

void AddLaneCommand::undo() {
    removeLane(m_target.geometry(m_image), m_position);
    m_target.imageEdited(m_image);
}

void AddLaneCommand::redo() {
    m_position = insertLane(m_target.geometry(m_image), m_lane);
    m_added = describeLane(m_target.geometry(m_image).lanes[m_position]);
    m_target.imageEdited(m_image);
}

RemoveLaneCommand::RemoveLaneCommand(CommandTarget& target, int image, int lane)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Delete Lane"))),
      m_target(target), m_image(image), m_position(at(lane)),
      m_lane(target.geometry(image).lanes[at(lane)]) {
    const std::vector<BandGeometry>& bands = target.geometry(image).bands;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (bands[i].candidate.strip == m_lane.strip && bands[i].candidate.lane == m_lane.index) {
            m_bands.emplace_back(i, bands[i]);
        }
    }
}

void RemoveLaneCommand::undo() {
    ImageGeometry& geometry = m_target.geometry(m_image);
    insertLane(geometry, m_lane, m_position);
    for (const auto& [position, band] : m_bands) {
        geometry.bands.insert(geometry.bands.begin() + offset(position), band);
    }
    m_target.imageEdited(m_image);
}

void RemoveLaneCommand::redo() {
    removeLane(m_target.geometry(m_image), m_position);
    m_target.imageEdited(m_image);
}

AddBandCommand::AddBandCommand(CommandTarget& target, int image, int lane, int topPx, int bottomPx)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Add Band"))),
      m_target(target), m_image(image), m_strip(target.geometry(image).lanes[at(lane)].strip),
      m_lane(target.geometry(image).lanes[at(lane)].index), m_topPx(topPx), m_bottomPx(bottomPx) {}

void AddBandCommand::undo() {
    std::vector<BandGeometry>& bands = m_target.geometry(m_image).bands;
    const BandCandidate added = bands[m_position].candidate;
    bands.erase(bands.begin() + offset(m_position));
    // addManualBand started a row of its own exactly when no other band shares its row; the
    // rows it pushed down move back up.
    const bool isRowLeft = std::any_of(bands.begin(), bands.end(), [&](const BandGeometry& b) {
        return b.candidate.strip == added.strip && b.candidate.row == added.row;
    });
    if (!isRowLeft) {
        for (BandGeometry& band : bands) {
            if (band.candidate.strip == added.strip && band.candidate.row > added.row) {
                --band.candidate.row;
            }
        }
    }
    m_target.imageEdited(m_image);
}

void AddBandCommand::redo() {
    m_position = addManualBand(m_target.geometry(m_image), m_strip, m_lane, m_topPx, m_bottomPx);
    m_added = describeBand(m_target.geometry(m_image).bands[m_position].candidate);
    m_target.imageEdited(m_image);
}

RemoveBandCommand::RemoveBandCommand(CommandTarget& target, int image, int band)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::GeometryCommands", "Delete Band"))),
      m_target(target), m_image(image), m_position(at(band)),
      m_band(target.geometry(image).bands[at(band)]) {}

void RemoveBandCommand::undo() {
    std::vector<BandGeometry>& bands = m_target.geometry(m_image).bands;
    bands.insert(bands.begin() + offset(m_position), m_band);
    m_target.imageEdited(m_image);
}

void RemoveBandCommand::redo() {
    std::vector<BandGeometry>& bands = m_target.geometry(m_image).bands;
    bands.erase(bands.begin() + offset(m_position));
    m_target.imageEdited(m_image);
}

ReplaceDetectionCommand::ReplaceDetectionCommand(CommandTarget& target, int image,
                                                 const QString& text, ImageSetup before,
                                                 ImageSetup after)
    : QUndoCommand(text), m_target(target), m_image(image), m_before(std::move(before)),
      m_after(std::move(after)) {}

void ReplaceDetectionCommand::apply(const ImageSetup& setup) {
    m_target.settings(m_image) = setup.settings;
    m_target.geometry(m_image) = setup.geometry;
    m_target.pixels(m_image) = setup.pixels;
    m_target.imageEdited(m_image);
}

void ReplaceDetectionCommand::undo() {
    apply(m_before);
}

void ReplaceDetectionCommand::redo() {
    apply(m_after);
}

EditValues MoveLaneCommand::editValues() const {
    return {m_image, describeLane(m_old), describeLane(m_new)};
}

EditValues MoveBandCommand::editValues() const {
    return {m_image, describeBand(m_old.candidate), describeBand(m_new.candidate)};
}

EditValues AddLaneCommand::editValues() const {
    return {m_image, {}, m_added};
}

EditValues RemoveLaneCommand::editValues() const {
    return {m_image, fmt::format("{} with {} bands", describeLane(m_lane), m_bands.size()), {}};
}

EditValues AddBandCommand::editValues() const {
    return {m_image, {}, m_added};
}

EditValues RemoveBandCommand::editValues() const {
    return {m_image, describeBand(m_band.candidate), {}};
}

/// The geometry, and the settings too when they changed (a new lane count, page or polarity).
EditValues ReplaceDetectionCommand::editValues() const {
    const auto describe = [this](const ImageSetup& setup) {
        std::string text = describeGeometry(setup.geometry);
        if (m_before.settings != m_after.settings) {
            text += "; " + describeSettings(setup.settings);
        }
        return text;
    };
    return {m_image, describe(m_before), describe(m_after)};
}

} // namespace densito
