#include "core/io/project_file.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "project_fixtures.h"
#include "support/file_io.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QUndoStack>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;

const fs::path kSampleExperiment = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

/// The files a layout run writes, compared byte for byte with the command line's.
const std::vector<std::string> kExperimentFiles = {
    "lanes.csv",     "bands.csv", "quantification.csv",   "summary.csv",
    "contrasts.csv", "units.csv", "fold_change_wide.csv", "results.xlsx"};

using test::OneImage;
using test::widened;

TEST(ProjectDocument, AddedImagesAreMeasuredAsTheCommandLineMeasuresThem) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const auto direct = analyzeImage(toPath(fixture.file), AnalysisSettings{});
    ASSERT_TRUE(direct.has_value());
    EXPECT_EQ(test::bandsCsvOf(document, 0), bandsCsv({{"x", &direct->analysis}}));
    EXPECT_EQ(document.image(0).geometry, direct->geometry);
    EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
    EXPECT_EQ(document.currentImage(), 0);
    ASSERT_NE(document.loadedImage(0), nullptr);
    EXPECT_EQ(document.loadedImage(0)->raw.cols, 480);
    ASSERT_NE(document.signal(0), nullptr);
    EXPECT_EQ(document.signal(0)->type(), CV_32FC1);
    EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    // Adding is one undoable step.
    EXPECT_TRUE(document.isModified());
    document.undoStack()->undo();
    EXPECT_EQ(document.imageCount(), 0);
    EXPECT_EQ(document.currentImage(), -1);
    document.undoStack()->redo();
    ASSERT_EQ(document.imageCount(), 1);
    EXPECT_EQ(test::bandsCsvOf(document, 0), bandsCsv({{"x", &direct->analysis}}));
}

TEST(ProjectDocument, MovingALaneRemeasuresItsBandsAndUndoRestoresThemExactly) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const std::string before = test::bandsCsvOf(document, 0);
    const ImageGeometry geometryBefore = fixture.geometry();
    const std::vector<double> lane2Before = fixture.volumesOfLane(2);
    ASSERT_FALSE(lane2Before.empty());
    QSignalSpy changed(&document, &ProjectDocument::imageChanged);

    document.moveLane({0, 1}, widened(fixture.geometry().lanes[1], 6.0));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed.front().front().toInt(), 0);
    EXPECT_TRUE(fixture.geometry().lanes[1].isManual);
    const std::vector<double> lane2After = fixture.volumesOfLane(2);
    ASSERT_EQ(lane2After.size(), lane2Before.size());
    for (std::size_t i = 0; i < lane2After.size(); ++i) {
        EXPECT_NE(lane2After[i], lane2Before[i]) << "band " << i;
    }
    const std::string after = test::bandsCsvOf(document, 0);

    document.undoStack()->undo();
    EXPECT_EQ(test::bandsCsvOf(document, 0), before);
    EXPECT_EQ(fixture.geometry(), geometryBefore);
    document.undoStack()->redo();
    EXPECT_EQ(test::bandsCsvOf(document, 0), after);
    EXPECT_EQ(changed.count(), 3);
}

TEST(ProjectDocument, MovesOfOneLaneMergeIntoOneStepUntilTheDragEnds) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    QUndoStack& stack = *document.undoStack();
    const int steps = stack.count();
    const Lane original = fixture.geometry().lanes[2];
    const std::string before = test::bandsCsvOf(document, 0);

    for (int k = 1; k <= 3; ++k) {
        document.moveLane({0, 2}, widened(original, 2.0 * k));
    }
    EXPECT_EQ(stack.count(), steps + 1);
    const std::string afterDrag = test::bandsCsvOf(document, 0);
    const Lane dragged = fixture.geometry().lanes[2];
    EXPECT_EQ(dragged.rightPx, original.rightPx + 6.0);
    document.endDrag();
    document.moveLane({0, 2}, widened(dragged, 4.0));
    EXPECT_EQ(stack.count(), steps + 2);
    // Another lane never merges into this lane's drag.
    document.moveLane({0, 3}, widened(fixture.geometry().lanes[3], 1.0));
    EXPECT_EQ(stack.count(), steps + 3);

    stack.undo();
    stack.undo();
    EXPECT_EQ(fixture.geometry().lanes[2], dragged);
    EXPECT_EQ(test::bandsCsvOf(document, 0), afterDrag);
    stack.undo();
    EXPECT_EQ(test::bandsCsvOf(document, 0), before);
    EXPECT_EQ(fixture.geometry().lanes[2], original);
}

TEST(ProjectDocument, MovesOfOneBandMergeAndUndoRestoresTheBand) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    QUndoStack& stack = *document.undoStack();
    const int steps = stack.count();
    const std::string before = test::bandsCsvOf(document, 0);
    const BandGeometry original = fixture.geometry().bands[4];
    const BandCandidate c = original.candidate;
    const double volumeBefore = document.analysis(0).bands[4].volume;

    document.moveBand({0, 4}, c.topPx + 1, c.bottomPx + 1);
    document.moveBand({0, 4}, c.topPx + 2, c.bottomPx + 2);
    EXPECT_EQ(stack.count(), steps + 1);
    const BandGeometry& moved = fixture.geometry().bands[4];
    EXPECT_EQ(moved.candidate.topPx, c.topPx + 2);
    EXPECT_EQ(moved.candidate.bottomPx, c.bottomPx + 2);
    EXPECT_EQ(moved.candidate.peakYPx, c.peakYPx + 2.0);
    EXPECT_TRUE(moved.isManual);
    EXPECT_EQ(document.analysis(0).bands[4].box.y, c.topPx + 2);
    EXPECT_NE(document.analysis(0).bands[4].volume, volumeBefore);
    document.endDrag();
    document.moveBand({0, 4}, c.topPx, c.bottomPx + 5);
    EXPECT_EQ(stack.count(), steps + 2);

    stack.undo();
    EXPECT_EQ(fixture.geometry().bands[4].candidate.topPx, c.topPx + 2);
    stack.undo();
    EXPECT_EQ(fixture.geometry().bands[4], original);
    EXPECT_EQ(test::bandsCsvOf(document, 0), before);
}

TEST(ProjectDocument, AddingAndRemovingALaneRenumbersAndUndoes) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry before = fixture.geometry();
    const std::string csvBefore = test::bandsCsvOf(document, 0);
    const Lane& second = before.lanes[1];
    const Lane& third = before.lanes[2];

    const LaneRef added = document.addLane(0, 1, 0.5 * (second.xCenterPx + third.xCenterPx), 8.0);
    EXPECT_EQ(added, (LaneRef{0, 2}));
    ASSERT_EQ(fixture.geometry().lanes.size(), 7u);
    EXPECT_EQ(fixture.geometry().lanes[2].index, 3);
    EXPECT_EQ(fixture.geometry().lanes[3].index, 4);
    EXPECT_TRUE(fixture.geometry().lanes[2].isManual);
    EXPECT_EQ(document.analysis(0).lanes.size(), 7u);
    // The bands of the old lane 3 are now lane 4's.
    const auto& bands = document.analysis(0).bands;
    EXPECT_EQ(std::count_if(bands.begin(), bands.end(), [](const Band& b) { return b.lane == 3; }),
              0);
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvBefore);

    const std::size_t lane2Bands = fixture.volumesOfLane(2).size();
    ASSERT_GT(lane2Bands, 0u);
    document.removeLane({0, 1});
    ASSERT_EQ(fixture.geometry().lanes.size(), 5u);
    EXPECT_EQ(document.analysis(0).bands.size(), before.bands.size() - lane2Bands);
    EXPECT_EQ(fixture.geometry().lanes[1].index, 2);
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvBefore);
    document.undoStack()->redo();
    EXPECT_EQ(fixture.geometry().lanes.size(), 5u);
}

TEST(ProjectDocument, AddingAndRemovingABandIsUndoable) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry before = fixture.geometry();
    const std::string csvBefore = test::bandsCsvOf(document, 0);

    // A new row between rows 1 and 2: the rows below are renumbered, and back on undo.
    const BandRef added = document.addBand({0, 0}, 104, 120);
    ASSERT_EQ(added.image, 0);
    ASSERT_GE(added.band, 0);
    EXPECT_EQ(fixture.geometry().bands.size(), before.bands.size() + 1);
    const Band& band = document.analysis(0).bands[static_cast<std::size_t>(added.band)];
    EXPECT_EQ(band.lane, 1);
    EXPECT_EQ(band.row, 2);
    EXPECT_TRUE(band.isManual);
    EXPECT_GT(band.areaPx, 0);
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvBefore);
    document.undoStack()->redo();
    EXPECT_EQ(fixture.geometry().bands[static_cast<std::size_t>(added.band)].candidate.topPx, 104);
    document.undoStack()->undo();

    document.removeBand({0, 3});
    EXPECT_EQ(document.analysis(0).bands.size(), before.bands.size() - 1);
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvBefore);
}

TEST(ProjectDocument, SetLaneCountDetectsTheStripAgainWithThatCount) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry before = fixture.geometry();
    const AnalysisSettings settingsBefore = document.image(0).settings;
    const int steps = document.undoStack()->count();

    document.setLaneCount(0, 1, 5);
    EXPECT_TRUE(document.isBusy());
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(document.undoStack()->count(), steps + 1);
    EXPECT_EQ(document.image(0).settings.expectedLanesByStrip.at(1), 5);
    AnalysisSettings expected = settingsBefore;
    expected.expectedLanesByStrip[1] = 5;
    EXPECT_EQ(fixture.geometry(),
              detectGeometry(*document.signal(0), *document.loadedImage(0), expected));
    // The image shows 6 lanes with signal: none is dropped, and the image asks for review.
    EXPECT_EQ(fixture.geometry().lanes.size(), 6u);
    EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    EXPECT_TRUE(document.analysis(0).needsReview);
    EXPECT_EQ(document.analysis(0).reviewReasons,
              std::vector<std::string>{"strip 1: 5 lanes requested but the image shows 6 lanes "
                                       "with signal; all 6 kept (ladder lanes count as lanes)"});

    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(document.image(0).settings, settingsBefore);
}

/// The lanes of `geometry` in strip 1.
std::vector<Lane> lanesOfStrip1(const ImageGeometry& geometry) {
    std::vector<Lane> lanes;
    std::copy_if(geometry.lanes.begin(), geometry.lanes.end(), std::back_inserter(lanes),
                 [](const Lane& lane) { return lane.strip == 1; });
    return lanes;
}

TEST(ProjectDocument, ALaneGridPlacesManualLanesMeasuresTheirBandsAndUndoesInOneStep) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry before = fixture.geometry();
    const AnalysisSettings settingsBefore = document.image(0).settings;
    const std::string csvBefore = test::bandsCsvOf(document, 0);
    const int steps = document.undoStack()->count();
    QSignalSpy changed(&document, &ProjectDocument::imageChanged);
    // The blot's lanes are centred at 40, 120, ..., 440; the person puts the ends 4 px in.
    const ManualLaneGrid grid{1, 44.0, 436.0, 6};
    const auto preview = document.laneGridLanes(0, grid);
    ASSERT_TRUE(preview.has_value()) << preview.error().describe();

    ASSERT_TRUE(document.setLaneGrid(0, grid).has_value());
    EXPECT_FALSE(document.isBusy());
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(document.undoStack()->count(), steps + 1);
    EXPECT_EQ(document.undoStack()->undoText(), QStringLiteral("Set Lane Grid"));
    // The lanes shown while placing are the lanes placed.
    EXPECT_EQ(lanesOfStrip1(fixture.geometry()), *preview);
    ASSERT_EQ(fixture.geometry().lanes.size(), 6u);
    for (std::size_t k = 0; k < 6; ++k) {
        const Lane& lane = fixture.geometry().lanes[k];
        EXPECT_DOUBLE_EQ(lane.xCenterPx, 44.0 + 78.4 * static_cast<double>(k));
        EXPECT_TRUE(lane.isManual);
    }
    EXPECT_EQ(document.image(0).settings.expectedLanesByStrip.at(1), 6);
    // Bands detected again in the new lanes: three rows in each, measured where they are now.
    const BlotAnalysis& analysis = document.analysis(0);
    EXPECT_EQ(analysis.lanes, fixture.geometry().lanes);
    ASSERT_EQ(analysis.bands.size(), 18u);
    for (std::size_t i = 0; i < analysis.bands.size(); ++i) {
        EXPECT_EQ(analysis.bands[i].lane, static_cast<int>(i / 3) + 1);
        EXPECT_EQ(analysis.bands[i].row, static_cast<int>(i % 3) + 1);
        EXPECT_GT(analysis.bands[i].volume, 0.0);
    }
    const std::string csvAfter = test::bandsCsvOf(document, 0);
    EXPECT_NE(csvAfter, csvBefore);

    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_EQ(document.image(0).settings, settingsBefore);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvBefore);
    document.undoStack()->redo();
    EXPECT_EQ(lanesOfStrip1(fixture.geometry()), *preview);
    EXPECT_EQ(test::bandsCsvOf(document, 0), csvAfter);
}

TEST(ProjectDocument, ALaneGridThatCannotBePlacedChangesNothing) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry before = fixture.geometry();
    const int steps = document.undoStack()->count();
    const auto refused = document.setLaneGrid(0, {1, 40.0, 440.0, 1});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().describe(), "blot.tif: a lane grid needs at least 2 lanes (1 given)");
    EXPECT_FALSE(document.laneGridLanes(0, {1, 40.0, 440.0, 1}).has_value());
    EXPECT_EQ(document.undoStack()->count(), steps);
    EXPECT_EQ(fixture.geometry(), before);
    EXPECT_FALSE(document.setLaneGrid(3, {1, 40.0, 440.0, 6}).has_value());
}

TEST(ProjectDocument, ALaneGridIsSavedAsManualLanesAndExportsWhatTheCorePipelineGives) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    ASSERT_TRUE(document.setLaneGrid(0, {1, 44.0, 436.0, 6}).has_value());
    const std::vector<OutputFile> exported = document.resultFiles().value();

    // The command line's pipeline (analyzeImage) measuring the same geometry with the same
    // settings writes the same bytes. densito-cli itself takes no geometry.
    const auto direct =
        analyzeImage(toPath(fixture.file), document.image(0).settings, fixture.geometry());
    ASSERT_TRUE(direct.has_value());
    const std::vector<NamedAnalysis> named{{"blot.tif", &direct->analysis}};
    EXPECT_EQ(exported, analysisOutputFiles(named, nullptr).value());

    // Saved with the lanes marked manual; reopened, it measures them without detecting.
    const QString project = toQString(fixture.dir / "grid.densito");
    ASSERT_TRUE(document.saveProject(project).has_value());
    const nlohmann::json saved = nlohmann::json::parse(test::readText(toPath(project)));
    const nlohmann::json& lanes = saved["images"][0]["geometry"]["lanes"];
    ASSERT_EQ(lanes.size(), 6u);
    for (const nlohmann::json& lane : lanes) {
        EXPECT_EQ(lane["manual"], true);
    }
    ProjectDocument reopened;
    reopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(reopened));
    ASSERT_EQ(reopened.imageCount(), 1);
    EXPECT_EQ(reopened.image(0), document.image(0));
    EXPECT_EQ(reopened.resultFiles().value(), exported);
}

TEST(ProjectDocument, ADrawnMembraneRegionIsDetectedAsALayoutRegionAndUndoes) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry detected = fixture.geometry();
    ASSERT_EQ(detected.strips.size(), 1u);
    ASSERT_TRUE(document.removeStrip(0, 1).has_value());
    EXPECT_EQ(document.undoStack()->undoText(), QStringLiteral("Delete Membrane Region"));
    EXPECT_TRUE(fixture.geometry().strips.empty());
    EXPECT_TRUE(fixture.geometry().lanes.empty());
    EXPECT_TRUE(document.analysis(0).bands.empty());

    // The left half of the blot: lanes centred at 40, 120 and 200.
    const cv::Rect left(0, 0, 240, 300);
    ASSERT_TRUE(document.addStrip(0, left).has_value());
    EXPECT_TRUE(document.isBusy());
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(document.undoStack()->undoText(), QStringLiteral("Draw Membrane Region"));
    const ImageGeometry& drawn = fixture.geometry();
    EXPECT_EQ(drawn.strips, (std::vector<Strip>{{1, left, true}}));
    // What the command line finds with this region in blots.csv.
    AnalysisSettings withRegion = document.image(0).settings;
    withRegion.stripRegions = {left};
    const ImageGeometry expected =
        detectGeometry(*document.signal(0), *document.loadedImage(0), withRegion);
    EXPECT_EQ(drawn.lanes, expected.lanes);
    EXPECT_EQ(drawn.bands, expected.bands);
    EXPECT_EQ(drawn.lanes.size(), 3u);
    EXPECT_EQ(document.analysis(0).bands.size(), 9u);

    document.undoStack()->undo();
    EXPECT_TRUE(fixture.geometry().strips.empty());
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), detected);
}

TEST(ProjectDocument, AMovedMembraneRegionIsDetectedAgainWithItsLaneCount) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry detected = fixture.geometry();
    AnalysisSettings settings = document.image(0).settings;
    settings.expectedLanesByStrip[1] = 3;
    document.setImageSettings(0, settings);
    ASSERT_TRUE(test::waitUntilIdle(document));

    const cv::Rect left(0, 10, 240, 280);
    ASSERT_TRUE(document.moveStrip(0, 1, left).has_value());
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(document.undoStack()->undoText(), QStringLiteral("Move Membrane Region"));
    EXPECT_EQ(fixture.geometry().strips, (std::vector<Strip>{{1, left, true}}));
    EXPECT_EQ(fixture.geometry().lanes.size(), 3u);
    for (const Lane& lane : fixture.geometry().lanes) {
        EXPECT_GE(lane.leftPx, 0.0);
        EXPECT_LE(lane.rightPx, 239.0);
    }
    EXPECT_EQ(document.image(0).settings.expectedLanesByStrip.at(1), 3);

    // A lane count on an image with a placed region detects that strip alone: it stays.
    document.setLaneCount(0, 1, 2);
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(fixture.geometry().strips, (std::vector<Strip>{{1, left, true}}));
    EXPECT_EQ(document.image(0).settings.expectedLanesByStrip.at(1), 2);
    document.undoStack()->undo();
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry().strips, detected.strips);
}

TEST(ProjectDocument, MembraneRegionEditsTheImageCannotTakeAreRefusedWithReasons) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const int steps = document.undoStack()->count();
    const auto overlapping = document.addStrip(0, cv::Rect(100, 100, 50, 50));
    ASSERT_FALSE(overlapping.has_value());
    EXPECT_EQ(overlapping.error().describe(), "blot.tif: the region overlaps strip 1");
    const auto outside = document.addStrip(0, cv::Rect(500, 0, 50, 50));
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().describe(),
              "blot.tif: the region 500;0;50;50 lies outside the 480x300 image");
    EXPECT_EQ(document.moveStrip(0, 2, cv::Rect(0, 0, 10, 10)).error().describe(),
              "blot.tif: there is no strip 2");
    EXPECT_FALSE(document.isBusy());
    EXPECT_EQ(document.undoStack()->count(), steps);

    // Regions a layout gives are changed in the layout.
    AnalysisSettings settings = document.image(0).settings;
    settings.stripRegions = {cv::Rect(0, 0, 480, 300)};
    document.setImageSettings(0, settings);
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(document.removeStrip(0, 1).error().describe(),
              "blot.tif: its membrane regions come from the layout (blots.csv region); change "
              "them there");
}

TEST(ProjectDocument, APlacedMembraneRegionIsSavedAsManualAndReopens) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    ASSERT_TRUE(document.moveStrip(0, 1, cv::Rect(0, 0, 240, 300)).has_value());
    ASSERT_TRUE(test::waitUntilIdle(document));
    const QString project = toQString(fixture.dir / "strips.densito");
    ASSERT_TRUE(document.saveProject(project).has_value());
    const nlohmann::json saved = nlohmann::json::parse(test::readText(toPath(project)));
    EXPECT_EQ(saved["images"][0]["geometry"]["strips"][0]["manual"], true);
    ProjectDocument reopened;
    reopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(reopened));
    ASSERT_EQ(reopened.imageCount(), 1);
    EXPECT_EQ(reopened.image(0), document.image(0));
    EXPECT_EQ(reopened.resultFiles().value(), document.resultFiles().value());
}

TEST(ProjectDocument, RedetectReplacesManualEditsInOneUndoableStep) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    const ImageGeometry detected = fixture.geometry();
    document.moveLane({0, 0}, widened(detected.lanes[0], 5.0));
    document.endDrag();
    document.removeBand({0, 0});
    const ImageGeometry edited = fixture.geometry();
    const std::string editedCsv = test::bandsCsvOf(document, 0);

    document.redetect(0);
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(fixture.geometry(), detected);
    document.undoStack()->undo();
    EXPECT_EQ(fixture.geometry(), edited);
    EXPECT_EQ(test::bandsCsvOf(document, 0), editedCsv);
}

TEST(ProjectDocument, ABackgroundChangeRemeasuresWithoutDetecting) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    document.moveLane({0, 0}, widened(fixture.geometry().lanes[0], 5.0));
    const ImageGeometry edited = fixture.geometry();
    const std::string before = test::bandsCsvOf(document, 0);
    AnalysisSettings settings = document.image(0).settings;
    settings.background = *parseBackgroundMethod("rolling-ball:30");

    document.setImageSettings(0, settings);
    EXPECT_FALSE(document.isBusy());
    EXPECT_EQ(fixture.geometry(), edited);
    EXPECT_EQ(document.analysis(0).backgroundMethod, "rolling-ball:30");
    EXPECT_NE(test::bandsCsvOf(document, 0), before);
    document.undoStack()->undo();
    EXPECT_EQ(test::bandsCsvOf(document, 0), before);
}

TEST(ProjectDocument, ModifiedFollowsTheUndoStackAndSavingMarksItClean) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    QSignalSpy modified(&document, &ProjectDocument::modifiedChanged);
    QSignalSpy fileName(&document, &ProjectDocument::fileNameChanged);
    EXPECT_TRUE(document.isModified());
    const QString file = toQString(fixture.dir / "blot.densito");

    ASSERT_TRUE(document.saveProject(file).has_value());
    EXPECT_FALSE(document.isModified());
    EXPECT_EQ(document.fileName(), file);
    ASSERT_EQ(fileName.count(), 1);
    ASSERT_EQ(modified.count(), 1);
    EXPECT_FALSE(modified.back().front().toBool());
    const auto saved = readProject(toPath(file));
    ASSERT_TRUE(saved.has_value()) << saved.error().describe();
    ASSERT_EQ(saved->images.size(), 1u);
    EXPECT_EQ(saved->images[0].geometry, fixture.geometry());

    document.removeBand({0, 0});
    EXPECT_TRUE(document.isModified());
    EXPECT_TRUE(modified.back().front().toBool());
    document.undoStack()->undo();
    EXPECT_FALSE(document.isModified());
}

TEST(ProjectDocument, AddsTheChosenPageOfAMultiPageTiff) {
    test::TempDir dir;
    test::SyntheticBlotSpec second = test::sixLaneSpec();
    second.seed = 99;
    second.lanes = 4;
    const cv::Mat page2 = test::makeSyntheticBlot(second);
    test::writeTiff(dir / "two.tif", {test::makeSyntheticBlot(test::sixLaneSpec()), page2});
    ProjectDocument document;
    document.addImages({toQString(dir / "two.tif")}, 1);
    ASSERT_TRUE(test::waitUntilIdle(document));
    ASSERT_EQ(document.imageCount(), 1);
    EXPECT_EQ(document.image(0).settings.inspection.load.pageIndex, 1);
    ASSERT_NE(document.loadedImage(0), nullptr);
    EXPECT_EQ(document.loadedImage(0)->metadata.pageIndex, 1);
    EXPECT_EQ(cv::norm(document.loadedImage(0)->raw, page2, cv::NORM_INF), 0.0);
    EXPECT_EQ(document.analysis(0).lanes.size(), 4u);
    // Adding the same file again adds nothing.
    QSignalSpy warnings(&document, &ProjectDocument::warningsReported);
    document.addImages({toQString(dir / "two.tif")});
    ASSERT_TRUE(test::waitUntilIdle(document));
    EXPECT_EQ(document.imageCount(), 1);
    ASSERT_EQ(warnings.count(), 1);
    EXPECT_TRUE(
        warnings.front().front().toStringList().front().contains(QStringLiteral("two.tif")));
}

TEST(ProjectDocument, AnImageThatCannotBeReadIsReportedByNameAndTheOthersLoad) {
    test::TempDir dir;
    const QString good = test::writeBlot(dir, "good.tif");
    {
        std::ofstream broken(dir / "broken.tif", std::ios::binary);
        broken << "II*this is not a TIFF";
    }
    ProjectDocument document;
    QSignalSpy failed(&document, &ProjectDocument::imageFailed);
    document.addImages({toQString(dir / "broken.tif"), good});
    ASSERT_TRUE(test::waitUntilIdle(document));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.front().front().toString().contains(QStringLiteral("broken.tif")))
        << failed.front().front().toString().toStdString();
    ASSERT_EQ(document.imageCount(), 1);
    EXPECT_EQ(document.imageName(0), QStringLiteral("good.tif"));
    EXPECT_FALSE(document.analysis(0).bands.empty());
}

TEST(ProjectDocument, AProjectThatCannotBeReadLeavesTheCurrentOne) {
    OneImage fixture;
    ProjectDocument& document = fixture.document;
    QSignalSpy failed(&document, &ProjectDocument::projectFailed);
    document.openProject(toQString(fixture.dir / "missing.densito"));
    ASSERT_TRUE(test::waitUntilIdle(document));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.front().front().toString().contains(QStringLiteral("missing.densito")));
    EXPECT_EQ(document.imageCount(), 1);
    EXPECT_FALSE(document.analysis(0).bands.empty());
}

TEST(ProjectDocument, ANewerOpenSupersedesOneStillRunning) {
    OneImage fixture;
    const QString project = toQString(fixture.dir / "one.densito");
    ASSERT_TRUE(fixture.document.saveProject(project).has_value());

    ProjectDocument document;
    document.openExperimentFolder(toQString(kSampleExperiment));
    EXPECT_TRUE(document.isBusy());
    document.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(document));
    // Anything the folder's workers still deliver must be dropped: let every worker finish,
    // then deliver what they queued.
    ASSERT_TRUE(QThreadPool::globalInstance()->waitForDone(120000));
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    ASSERT_EQ(document.imageCount(), 1);
    EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
    EXPECT_FALSE(document.layout().has_value());
    EXPECT_EQ(document.fileName(), project);
    EXPECT_EQ(test::bandsCsvOf(document, 0), test::bandsCsvOf(fixture.document, 0));
    EXPECT_FALSE(document.isModified());
}

// A stain row is measured over whole lanes from the pixels: the document (which keeps every
// image's pixels) and the command line (which keeps only the stain image's) give the same
// bytes, and so does the project saved and opened again.
TEST(ProjectDocument, AStainExperimentExportsTheCommandLinesBytes) {
    const test::TempDir dir;
    fs::create_directories(dir / "in");
    test::writeBlot(dir, "in/irs1.tif");
    test::SyntheticBlotSpec stainSpec = test::sixLaneSpec();
    stainSpec.bandRows = 5; // another picture of the same membrane: same size and lanes
    stainSpec.seed = 11;
    test::writeBlot(dir, "in/ponceau.tif", stainSpec);
    test::writeText(dir / "in" / "blots.csv", "image,membrane,target,measure,rows\n"
                                              "irs1.tif,M1,IRS-1,total,\n"
                                              "ponceau.tif,M1,Ponceau S,stain,20;280\n");
    test::writeText(dir / "in" / "samples.csv",
                    "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n"
                    "M1,2,b,control,2\nM1,3,c,control,3\nM1,4,d,treated,1\n"
                    "M1,5,e,treated,2\nM1,6,f,treated,3\n");
    const test::ProcessResult run =
        test::runProcess({DENSITO_CLI_PATH, "analyze", (dir / "in").string(), "--out",
                          (dir / "cli").string(), "--blots", (dir / "in" / "blots.csv").string(),
                          "--samples", (dir / "in" / "samples.csv").string(), "--no-overlays"});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const std::string quantification = test::readText(dir / "cli" / "quantification.csv");
    EXPECT_NE(quantification.find(",stain,"), std::string::npos) << quantification;

    ProjectDocument document;
    document.openExperimentFolder(toQString(dir / "in"));
    ASSERT_TRUE(test::waitUntilIdle(document));
    for (const Error& problem : document.layoutProblems()) {
        ADD_FAILURE() << problem.describe();
    }
    ASSERT_TRUE(document.experiment().has_value());
    for (const std::string& name : kExperimentFiles) {
        EXPECT_EQ(test::readText(dir / "cli" / name), [&] {
            const std::vector<OutputFile> files = document.resultFiles().value();
            for (const OutputFile& file : files) {
                if (file.name == name) {
                    return file.contents;
                }
            }
            return std::string();
        }()) << name;
    }
    const QString project = toQString(dir / "stain.densito");
    ASSERT_TRUE(document.saveProject(project).has_value());
    ProjectDocument reopened;
    reopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(reopened));
    EXPECT_EQ(reopened.resultFiles().value(), document.resultFiles().value());
}

/// The command line's outputs for the sample experiment, made once for the suite.
class SampleExperiment : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_cliOut = std::make_unique<test::TempDir>();
        const test::ProcessResult run =
            test::runProcess({DENSITO_CLI_PATH, "analyze", kSampleExperiment.string(), "--out",
                              (s_cliOut->path() / "out").string(), "--blots",
                              (kSampleExperiment / "blots.csv").string(), "--samples",
                              (kSampleExperiment / "samples.csv").string(), "--no-overlays"});
        ASSERT_EQ(run.exitCode, 0) << run.err;
    }
    static void TearDownTestSuite() { s_cliOut.reset(); }

    static std::string cliFile(const std::string& name) {
        return test::readText(s_cliOut->path() / "out" / name);
    }

    /// Every result file of the document is the command line's file, byte for byte.
    static void expectCliFiles(const ProjectDocument& document) {
        const test::TempDir out;
        ASSERT_TRUE(document.exportResults(toQString(out.path())).has_value());
        for (const std::string& name : kExperimentFiles) {
            const std::string expected = cliFile(name);
            EXPECT_FALSE(expected.empty()) << name;
            EXPECT_EQ(test::readText(out / name), expected) << name;
        }
        const std::vector<OutputFile> files = document.resultFiles().value();
        for (const OutputFile& file : files) {
            EXPECT_EQ(file.contents, cliFile(file.name)) << file.name;
        }
    }

    static void openSample(ProjectDocument& document) {
        document.openExperimentFolder(toQString(kSampleExperiment));
        ASSERT_TRUE(test::waitUntilIdle(document));
        ASSERT_EQ(document.imageCount(), 27);
        for (const Error& problem : document.layoutProblems()) {
            ADD_FAILURE() << problem.describe();
        }
        ASSERT_TRUE(document.experiment().has_value());
    }

    static std::unique_ptr<test::TempDir> s_cliOut;
};

std::unique_ptr<test::TempDir> SampleExperiment::s_cliOut;

TEST_F(SampleExperiment, ExportIsByteIdenticalToTheCommandLine) {
    ProjectDocument document;
    QSignalSpy experimentChanged(&document, &ProjectDocument::experimentChanged);
    openSample(document);
    EXPECT_GE(experimentChanged.count(), 1);
    EXPECT_FALSE(document.isModified());
    EXPECT_TRUE(document.fileName().isEmpty());
    expectCliFiles(document);
}

TEST_F(SampleExperiment, ASavedProjectOpensToTheSameBytesWithoutDetectingAgain) {
    const test::TempDir dir;
    ProjectDocument original;
    openSample(original);
    const QString project = toQString(dir / "sample.densito");
    ASSERT_TRUE(original.saveProject(project).has_value());

    ProjectDocument reopened;
    QSignalSpy warnings(&reopened, &ProjectDocument::warningsReported);
    QSignalSpy failed(&reopened, &ProjectDocument::imageFailed);
    reopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(reopened));
    EXPECT_EQ(warnings.count(), 0); // every image file as it was saved
    EXPECT_EQ(failed.count(), 0);
    EXPECT_EQ(reopened.fileName(), project);
    EXPECT_FALSE(reopened.isModified());
    ASSERT_EQ(reopened.imageCount(), 27);
    ASSERT_TRUE(reopened.experiment().has_value());
    expectCliFiles(reopened);

    // An edited lane is measured where it was saved, not where detection would put it.
    const Lane& lane = original.image(0).geometry.lanes[1];
    original.moveLane({0, 1}, widened(lane, 7.0));
    const std::vector<OutputFile> edited = original.resultFiles().value();
    ASSERT_NE(edited[1].contents, cliFile("bands.csv"));
    ASSERT_TRUE(original.saveProject(project).has_value());
    ProjectDocument editedReopened;
    editedReopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(editedReopened));
    EXPECT_EQ(editedReopened.resultFiles().value(), edited);
}

} // namespace
} // namespace densito
