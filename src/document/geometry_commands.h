#pragma once

#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"
#include "document/command_target.h"
#include "document/edit_description.h"

#include <QString>
#include <QUndoCommand>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace densito {

/// Merge ids of the undo commands that merge (QUndoCommand::id()); the others keep -1.
enum class CommandId : int {
    MoveLane = 1,
    MoveBand = 2,
};

/// Replaces one lane's position and width (a drag of its centre or an edge); marks it manual.
/// Successive moves of the same lane merge while `dragSerial` stays the same (one drag).
class MoveLaneCommand : public QUndoCommand, public DescribesEdit {
public:
    /// `lane` indexes the image's ImageGeometry::lanes; `moved` keeps the lane's strip and
    /// number whatever it says.
    MoveLaneCommand(CommandTarget& target, int image, int lane, Lane moved, int dragSerial);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;
    int id() const override { return static_cast<int>(CommandId::MoveLane); }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void apply(const Lane& lane);

    CommandTarget& m_target;
    int m_image;
    int m_lane;
    Lane m_old;
    Lane m_new;
    int m_dragSerial;
};

/// Replaces one band's rows (top, bottom, peak); marks it manual. Merges like MoveLaneCommand.
class MoveBandCommand : public QUndoCommand, public DescribesEdit {
public:
    /// `band` indexes the image's ImageGeometry::bands; rows are inclusive image rows (either
    /// order). The peak moves with the band's middle and stays inside it.
    MoveBandCommand(CommandTarget& target, int image, int band, int topPx, int bottomPx,
                    int dragSerial);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;
    int id() const override { return static_cast<int>(CommandId::MoveBand); }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void apply(const BandGeometry& band);

    CommandTarget& m_target;
    int m_image;
    int m_band;
    BandGeometry m_old;
    BandGeometry m_new;
    int m_dragSerial;
};

/// Adds a lane to a strip (core insertLane); the strip's lanes right of it are renumbered.
class AddLaneCommand : public QUndoCommand, public DescribesEdit {
public:
    AddLaneCommand(CommandTarget& target, int image, Lane lane);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;
    /// The lane's index in the image's ImageGeometry::lanes once done.
    int laneIndex() const { return static_cast<int>(m_position); }

private:
    CommandTarget& m_target;
    int m_image;
    Lane m_lane;
    std::size_t m_position = 0;
    std::string m_added; ///< the lane as inserted (its number known once done)
};

/// Removes a lane and its bands (core removeLane); undo puts both back where they were.
class RemoveLaneCommand : public QUndoCommand, public DescribesEdit {
public:
    RemoveLaneCommand(CommandTarget& target, int image, int lane);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    CommandTarget& m_target;
    int m_image;
    std::size_t m_position;
    Lane m_lane;
    /// The lane's bands with their indices in ImageGeometry::bands, ascending.
    std::vector<std::pair<std::size_t, BandGeometry>> m_bands;
};

/// Adds a band the user drew in a lane (core addManualBand).
class AddBandCommand : public QUndoCommand, public DescribesEdit {
public:
    /// `lane` indexes the image's ImageGeometry::lanes; rows are inclusive image rows.
    AddBandCommand(CommandTarget& target, int image, int lane, int topPx, int bottomPx);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;
    /// The band's index in the image's ImageGeometry::bands once done.
    int bandIndex() const { return static_cast<int>(m_position); }

private:
    CommandTarget& m_target;
    int m_image;
    int m_strip;
    int m_lane; ///< Lane::index
    int m_topPx;
    int m_bottomPx;
    std::size_t m_position = 0;
    std::string m_added; ///< the band as added (its row known once done)
};

/// Removes one band; the other bands keep their rows (a row may be left with a gap).
class RemoveBandCommand : public QUndoCommand, public DescribesEdit {
public:
    RemoveBandCommand(CommandTarget& target, int image, int band);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    CommandTarget& m_target;
    int m_image;
    std::size_t m_position;
    BandGeometry m_band;
};

/// What detecting an image again replaces: its settings, its whole geometry and, when a new
/// page or polarity was loaded, its pixels.
struct ImageSetup {
    AnalysisSettings settings;
    ImageGeometry geometry;
    std::shared_ptr<const ImagePixels> pixels;
};

/// Detection ran again (redetect, a new lane count, a lane grid a person set, a setting that
/// needs detection): swaps the image's whole setup, which is what really changed.
class ReplaceDetectionCommand : public QUndoCommand, public DescribesEdit {
public:
    ReplaceDetectionCommand(CommandTarget& target, int image, const QString& text,
                            ImageSetup before, ImageSetup after);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    void apply(const ImageSetup& setup);

    CommandTarget& m_target;
    int m_image;
    ImageSetup m_before;
    ImageSetup m_after;
};

} // namespace densito
