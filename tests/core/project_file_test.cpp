// The .densito project file: exact round trip, relative paths, the same CSV from a re-opened
// project as from the analysis it was saved from, image files missing or changed, bad files,
// the backup of the previous version.
#include "core/io/project_file.h"
#include "core/io/results_csv.h"
#include "core/io/sha256.h"
#include "core/pipeline/remeasure.h"
#include "core/version.h"

#include "file_bytes.h"
#include "support/file_io.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>

namespace densito {
namespace {

namespace fs = std::filesystem;

const fs::path kSampleBlots = fs::path(DENSITO_SOURCE_DIR) / "sample_blots" / "real";

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// Doubles that a writer with too few digits, or one that loses the sign of zero or
/// subnormals, would change.
const std::vector<double> kHardDoubles = {
    0.1,
    1.0 / 3.0,
    -0.0,
    5e-324,
    1e-310,
    std::numeric_limits<double>::max(),
    std::nextafter(1.0, 2.0),
    123.45678901234567,
    -2.5e-7,
    1e21,
};

/// A project with every field set to something other than its default.
Project richProject(const fs::path& folder) {
    Project project;
    project.settings.inspection.polarity = PolarityMode::DarkBands;
    project.settings.inspection.load.pageIndex = 2;
    project.settings.inspection.load.maxPixels = 1234567;
    project.settings.expectedLanes = 9;
    project.settings.background = *parseBackgroundMethod("rolling-ball:12.5");

    ProjectImage image;
    image.path = folder / "images" / "blot one.tif";
    image.sha256 = std::string(64, 'a');
    image.sizeBytes = 987654321;
    image.settings.expectedLanesByStrip = {{1, 6}, {2, 7}};
    image.settings.laneKindsByStrip = {{1, {{1, LaneKind::Ladder}, {2, LaneKind::Sample}}},
                                       {2, {{7, LaneKind::Ladder}}}};
    image.settings.expectedStrips = 2;
    image.settings.stripRegions = {cv::Rect(0, 0, 420, 150), cv::Rect(0, 150, 420, 151)};
    image.settings.background = *parseBackgroundMethod("border-median:0.30000000000000004");
    image.geometry.strips = {{1, cv::Rect(0, 0, 420, 150)}, {2, cv::Rect(3, 150, 417, 151), true}};
    for (std::size_t i = 0; i < kHardDoubles.size(); ++i) {
        Lane lane;
        lane.strip = 1 + static_cast<int>(i % 2);
        lane.index = 1 + static_cast<int>(i);
        lane.xCenterPx = kHardDoubles[i];
        lane.leftPx = kHardDoubles[(i + 1) % kHardDoubles.size()];
        lane.rightPx = kHardDoubles[(i + 2) % kHardDoubles.size()];
        lane.yMiddlePx = kHardDoubles[(i + 3) % kHardDoubles.size()];
        lane.slope = kHardDoubles[(i + 4) % kHardDoubles.size()];
        lane.bend = {{kHardDoubles[i], kHardDoubles[(i + 5) % kHardDoubles.size()]}, {1e3, 0.7}};
        lane.isManual = i % 3 == 0;
        image.geometry.lanes.push_back(lane);
        BandGeometry band;
        band.candidate = {lane.strip, lane.index, 2,          kHardDoubles[i],
                          -3,         40,         i % 2 == 0, i % 3 == 1};
        band.isManual = i % 4 == 0;
        image.geometry.bands.push_back(band);
    }
    image.geometry.automaticRollingBallRadiusPx = 0.1;
    image.geometry.warnings = {"strip 2: 7 lanes expected, 6 found", "ünïcode ✓"};
    project.images.push_back(image);

    ProjectImage other;
    other.path = folder.parent_path() / "elsewhere" / "b.png";
    other.sha256 = std::string(64, '0');
    other.geometry.automaticBorderMedianWidthPx = 3.0;
    project.images.push_back(other);

    ProjectLayout layout;
    layout.blotsFileName = "my blots.csv";
    layout.blotsCsv = "image,membrane,target,measure\r\n\"a,b.tif\",M1,Akt,total\r\n";
    // Excel in a Windows code page: "µg" in Latin-1 is not UTF-8, and must survive anyway.
    layout.samplesCsv = "membrane,lane,sample,condition,replicate\nM1,1,5 \xB5g,control,1\n";
    layout.control = "Control";
    layout.panelPath = folder / "panels" / "my panel.json";
    layout.exclude = ExclusionPolicy{.saturated = false, .weak = true, .outsideLinearRange = true};
    layout.normalizerOrder = {Normalizer::Loading, Normalizer::Total, Normalizer::Stain};
    project.layout = layout;
    project.history = {
        {"2026-12-07T19:52:03Z", "ana", "blot one.tif", "Move Lane",
         "strip 1 lane 3: x 120.0 to 160.0 px", "strip 1 lane 3: x 120.0 to 166.0 px"},
        {"2026-12-07T19:52:09Z", "ana", "", "Change Layout", "none", "my blots.csv (1 rows)"},
    };
    return project;
}

bool isSameBits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

TEST(ProjectFile, RoundTripsEveryFieldAndEveryDoubleExactly) {
    test::TempDir dir;
    const Project project = richProject(dir.path());
    const fs::path file = dir / "experiment.densito";
    ASSERT_TRUE(writeProject(project, file).has_value());
    const auto read = readProject(file);
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    Project withoutIssues = *read;
    withoutIssues.imageIssues.clear();
    EXPECT_EQ(withoutIssues, project);
    // == takes -0.0 for 0.0; the bits must match too.
    const auto& lanes = read->images[0].geometry.lanes;
    const auto& written = project.images[0].geometry.lanes;
    ASSERT_EQ(lanes.size(), written.size());
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        EXPECT_TRUE(isSameBits(lanes[i].xCenterPx, written[i].xCenterPx)) << i;
        EXPECT_TRUE(isSameBits(lanes[i].slope, written[i].slope)) << i;
        EXPECT_TRUE(isSameBits(lanes[i].bend[0].dxPx, written[i].bend[0].dxPx)) << i;
        EXPECT_TRUE(isSameBits(read->images[0].geometry.bands[i].candidate.peakYPx,
                               project.images[0].geometry.bands[i].candidate.peakYPx))
            << i;
    }
    EXPECT_EQ(read->layout->samplesCsv, project.layout->samplesCsv);
    // Neither image file exists.
    ASSERT_EQ(read->imageIssues.size(), 2u);
    EXPECT_EQ(read->imageIssues[1].image, 1u);
    EXPECT_EQ(read->imageIssues[1].problem, ImageFileProblem::Missing);
}

TEST(ProjectFile, WritesTheFormatTagVersionAndPathsRelativeToTheProjectWithSlashes) {
    test::TempDir dir;
    const fs::path file = dir / "project" / "experiment.densito";
    fs::create_directories(file.parent_path());
    ASSERT_TRUE(writeProject(richProject(dir / "project"), file).has_value());
    const nlohmann::json json = test::readJson(file);
    EXPECT_EQ(json["format"], "densito-project");
    EXPECT_TRUE(json["version"].is_number_integer());
    EXPECT_EQ(json["version"], 3);
    EXPECT_EQ(json["layout"]["exclude"], (nlohmann::json::array({"weak", "outside_linear_range"})));
    EXPECT_EQ(json["layout"]["normalizer_order"], "loading,total,stain");
    EXPECT_FALSE(json["layout"].contains("keep_flagged"));
    EXPECT_EQ(json["images"][0]["path"], "images/blot one.tif");
    EXPECT_EQ(json["images"][1]["path"], "../elsewhere/b.png");
    EXPECT_EQ(json["layout"]["panel"], "panels/my panel.json");
    EXPECT_EQ(json["images"][0]["settings"]["page"], 1);
    EXPECT_EQ(json["settings"]["page"], 3);
    EXPECT_EQ(json["settings"]["background"], "rolling-ball:12.5");
    EXPECT_EQ(json["layout"]["blots_csv"],
              "image,membrane,target,measure\r\n\"a,b.tif\",M1,Akt,total\r\n");
    EXPECT_TRUE(json["layout"].contains("samples_csv_base64"));
}

/// Image files analysed into a project folder: two real blots and a synthetic two-membrane
/// image whose strips a layout gives, each with its own background method.
struct AnalysedFolder {
    Project project;
    std::vector<std::string> names;
    std::string lanes;
    std::string bands;
};

AnalysedFolder analyseInto(const fs::path& folder) {
    AnalysedFolder analysed;
    fs::create_directories(folder / "images");
    fs::copy_file(kSampleBlots / "a1at_standard_dilution_gelblotanalyzer" /
                      "TEST_GEL_AK_original.png",
                  folder / "images" / "a1at.png");
    fs::copy_file(kSampleBlots / "amersham_iq800_actin_csitron" /
                      "antiActin_20240710_131425_Ch_Chemi.tif",
                  folder / "images" / "actin.tif");
    test::SyntheticBlotSpec spec;
    spec.width = 420;
    spec.height = 150;
    cv::Mat raw(300, 420, CV_16UC1);
    test::makeSyntheticBlot(spec).copyTo(raw(cv::Rect(0, 0, 420, 150)));
    spec.lanes = 7;
    spec.seed = 3;
    test::makeSyntheticBlot(spec).copyTo(raw(cv::Rect(0, 150, 420, 150)));
    test::writeTiff(folder / "images" / "two membranes.tif", {raw});

    AnalysisSettings lanesGiven;
    lanesGiven.expectedLanes = 8;
    lanesGiven.background = *parseBackgroundMethod("rolling-ball");
    AnalysisSettings fromLayout;
    fromLayout.stripRegions = {cv::Rect(0, 0, 420, 150), cv::Rect(0, 150, 420, 150)};
    fromLayout.expectedLanesByStrip = {{1, 6}, {2, 7}};
    fromLayout.background = *parseBackgroundMethod("lane-baseline");
    const std::vector<std::pair<std::string, AnalysisSettings>> inputs = {
        {"a1at.png", AnalysisSettings{}},
        {"actin.tif", lanesGiven},
        {"two membranes.tif", fromLayout}};
    std::vector<ImageResult> results;
    for (const auto& [name, settings] : inputs) {
        auto result = analyzeImage(folder / "images" / name, settings);
        EXPECT_TRUE(result.has_value()) << result.error().describe();
        analysed.project.images.push_back(projectImageOf(*result, settings));
        analysed.names.push_back(name);
        results.push_back(std::move(*result));
    }
    std::vector<NamedAnalysis> named;
    for (std::size_t i = 0; i < results.size(); ++i) {
        named.push_back({analysed.names[i], &results[i].analysis});
    }
    analysed.lanes = lanesCsv(named);
    analysed.bands = bandsCsv(named);
    return analysed;
}

/// lanes.csv and bands.csv of a project opened from `file`, each image measured again from
/// its saved geometry.
std::pair<std::string, std::string> csvOfReopened(const fs::path& file,
                                                  const std::vector<std::string>& names) {
    const auto project = readProject(file);
    EXPECT_TRUE(project.has_value()) << project.error().describe();
    if (!project) {
        return {};
    }
    EXPECT_TRUE(project->imageIssues.empty()) << project->imageIssues.front().message;
    std::vector<ImageResult> results;
    for (const ProjectImage& image : project->images) {
        auto result = remeasureImage(image.path, image.settings, image.geometry);
        EXPECT_TRUE(result.has_value()) << result.error().describe();
        results.push_back(std::move(*result));
    }
    std::vector<NamedAnalysis> named;
    for (std::size_t i = 0; i < results.size(); ++i) {
        named.push_back({names[i], &results[i].analysis});
    }
    return {lanesCsv(named), bandsCsv(named)};
}

TEST(ProjectFile, AReopenedProjectGivesByteIdenticalCsv) {
    test::TempDir dir;
    const fs::path folder = dir / "experiment";
    const AnalysedFolder analysed = analyseInto(folder);
    ASSERT_GT(std::count(analysed.bands.begin(), analysed.bands.end(), '\n'), 20);
    const fs::path file = folder / "experiment.densito";
    ASSERT_TRUE(writeProject(analysed.project, file).has_value());

    const auto [lanes, bands] = csvOfReopened(file, analysed.names);
    EXPECT_EQ(lanes, analysed.lanes);
    EXPECT_EQ(bands, analysed.bands);

    // The whole folder moved elsewhere: the images are found next to the project again.
    const fs::path moved = dir / "moved" / "renamed experiment";
    fs::create_directories(moved.parent_path());
    fs::rename(folder, moved);
    const auto reopened = readProject(moved / "experiment.densito");
    ASSERT_TRUE(reopened.has_value()) << reopened.error().describe();
    EXPECT_EQ(reopened->images[2].path, moved / "images" / "two membranes.tif");
    const auto [movedLanes, movedBands] =
        csvOfReopened(moved / "experiment.densito", analysed.names);
    EXPECT_EQ(movedLanes, analysed.lanes);
    EXPECT_EQ(movedBands, analysed.bands);
}

TEST(ProjectFile, ReportsImageFilesMissingOrChangedPerImage) {
    test::TempDir dir;
    Project project;
    const std::vector<std::uint8_t> bytes = {1, 2, 3, 4, 5};
    for (const char* name : {"same.tif", "gone.tif", "longer.tif", "edited.tif"}) {
        test::writeFileBytes(dir / name, bytes);
        ProjectImage image;
        image.path = dir / name;
        image.sha256 = sha256Hex(bytes);
        image.sizeBytes = bytes.size();
        project.images.push_back(image);
    }
    const fs::path file = dir / "p.densito";
    ASSERT_TRUE(writeProject(project, file).has_value());
    fs::remove(dir / "gone.tif");
    test::writeFileBytes(dir / "longer.tif", {1, 2, 3, 4, 5, 6});
    const std::vector<std::uint8_t> edited = {1, 2, 9, 4, 5};
    test::writeFileBytes(dir / "edited.tif", edited);

    const auto read = readProject(file);
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    ASSERT_EQ(read->imageIssues.size(), 3u);
    EXPECT_EQ(read->imageIssues[0],
              (ImageFileIssue{1, ImageFileProblem::Missing,
                              fmt::format("p.densito: images[1]: {}: not found",
                                          (dir / "gone.tif").string())}));
    EXPECT_EQ(read->imageIssues[1],
              (ImageFileIssue{2, ImageFileProblem::Changed,
                              fmt::format("p.densito: images[2]: {}: changed since the project "
                                          "was saved (6 bytes, saved with 5)",
                                          (dir / "longer.tif").string())}));
    EXPECT_EQ(read->imageIssues[2],
              (ImageFileIssue{3, ImageFileProblem::Changed,
                              fmt::format("p.densito: images[3]: {}: changed since the project "
                                          "was saved (SHA-256 {}, saved with {})",
                                          (dir / "edited.tif").string(), sha256Hex(edited),
                                          sha256Hex(bytes))}));
}

/// The error text of reading a project file holding `text`.
std::string errorReading(const test::TempDir& dir, const std::string& text) {
    const fs::path file = dir / "bad.densito";
    writeText(file, text);
    const auto read = readProject(file);
    return read ? std::string("(read)") : read.error().describe();
}

/// A valid project document with three images, each with a lane and a band.
nlohmann::json validDocument(const fs::path& folder) {
    Project project;
    for (int i = 0; i < 3; ++i) {
        ProjectImage image;
        image.path = folder / fmt::format("{}.tif", i);
        image.sha256 = std::string(64, 'f');
        Lane lane;
        lane.leftPx = 10.0;
        image.geometry.lanes.push_back(lane);
        image.geometry.bands.push_back({});
        project.images.push_back(image);
    }
    return toJson(project, folder);
}

TEST(ProjectFile, BadFilesGiveMessagesThatSayWhatIsWrongAndWhere) {
    test::TempDir dir;
    EXPECT_EQ(errorReading(dir, "hello"),
              "bad.densito: not a Densito project: not valid JSON: parse error at line 1, "
              "column 1: syntax error while parsing value - invalid literal; last read: 'h'");
    EXPECT_EQ(errorReading(dir, "[1, 2]"),
              "bad.densito: not a Densito project (not a JSON object)");
    EXPECT_EQ(errorReading(dir, R"({"version": 1})"),
              "bad.densito: not a Densito project (no \"format\": \"densito-project\")");
    EXPECT_EQ(errorReading(dir, R"({"format": "tiled-map", "version": 1})"),
              "bad.densito: not a Densito project (format \"tiled-map\", expected "
              "\"densito-project\")");

    nlohmann::json document = validDocument(dir.path());
    ASSERT_EQ(errorReading(dir, document.dump()), "(read)");
    document["version"] = kProjectVersion + 1;
    EXPECT_EQ(errorReading(dir, document.dump()),
              fmt::format("bad.densito: written in project format version {}, but this Densito "
                          "({}) reads versions up to {}: open it with a newer Densito",
                          kProjectVersion + 1, kVersion, kProjectVersion));
    document["version"] = 1.0;
    EXPECT_EQ(errorReading(dir, document.dump()), "bad.densito: version: expected a whole number");
    document["version"] = 0;
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: version: 0 is not a project format version (the first is 1)");

    document = validDocument(dir.path());
    document["images"][2]["geometry"]["lanes"][0].erase("left");
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[2].geometry.lanes[0].left: missing");
    document["images"][2]["geometry"]["lanes"][0]["left"] = "10";
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[2].geometry.lanes[0].left: expected a number");

    document = validDocument(dir.path());
    document["images"][1]["geometry"]["bands"][0]["top"] = 2.5;
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[1].geometry.bands[0].top: expected a whole number");

    document = validDocument(dir.path());
    document["images"][0]["settings"]["background"] = "gaussian";
    EXPECT_EQ(errorReading(dir, document.dump()), "bad.densito: images[0].settings.background: " +
                                                      parseBackgroundMethod("gaussian").error());

    document = validDocument(dir.path());
    document["images"][0]["settings"]["lane_kinds"] = {
        {{"strip", 1}, {"lane", 2}, {"kind", "marker"}}};
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[0].settings.lane_kinds[0].kind: expected sample or ladder");
    document["images"][0]["settings"]["lane_kinds"] = {
        {{"strip", 1}, {"lane", 2}, {"kind", "ladder"}},
        {{"strip", 1}, {"lane", 2}, {"kind", "sample"}}};
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[0].settings.lane_kinds[1].lane: strip 1 lane 2 is listed twice");

    document = validDocument(dir.path());
    document["images"][0]["sha256"] = "ABC";
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[0].sha256: expected 64 lowercase hexadecimal digits");

    document = validDocument(dir.path());
    document.erase("layout");
    EXPECT_EQ(errorReading(dir, document.dump()), "bad.densito: layout: missing");

    const auto missing = readProject(dir / "nothere.densito");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().describe(), "nothere.densito: not found");
}

TEST(ProjectFile, StripsWrittenBeforeTheyCouldBePlacedByHandReadAsDetected) {
    test::TempDir dir;
    Project project;
    ProjectImage image;
    image.path = dir / "a.tif";
    image.sha256 = std::string(64, 'f');
    image.geometry.strips = {{1, cv::Rect(0, 0, 10, 10), true}, {2, cv::Rect(0, 20, 10, 10)}};
    project.images.push_back(image);
    nlohmann::json document = toJson(project, dir.path());
    EXPECT_EQ(document["images"][0]["geometry"]["strips"][0]["manual"], true);
    EXPECT_EQ(document["images"][0]["geometry"]["strips"][1]["manual"], false);
    document["images"][0]["geometry"]["strips"][0].erase("manual");
    const auto read = fromJson(document, dir.path(), "old.densito");
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    EXPECT_FALSE(read->images[0].geometry.strips[0].isManual);
    document["images"][0]["geometry"]["strips"][0]["manual"] = "yes";
    EXPECT_EQ(errorReading(dir, document.dump()),
              "bad.densito: images[0].geometry.strips[0].manual: expected true or false");
}

TEST(ProjectFile, KeepsThePreviousVersionAsBak) {
    test::TempDir dir;
    const fs::path file = dir / "experiment.densito";
    const fs::path backup = dir / "experiment.densito.bak";
    Project first;
    first.settings.expectedLanes = 4;
    ASSERT_TRUE(writeProject(first, file).has_value());
    EXPECT_FALSE(fs::exists(backup));
    const std::string firstText = test::readText(file);

    Project second = first;
    second.settings.expectedLanes = 5;
    ASSERT_TRUE(writeProject(second, file).has_value());
    EXPECT_EQ(test::readText(backup), firstText);
    const auto read = readProject(file);
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    EXPECT_EQ(read->settings.expectedLanes, 5);
    // No temporary files are left beside them.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 2);
}

TEST(ProjectFile, ANumberThatWouldNotReadBackIsNotSaved) {
    test::TempDir dir;
    const fs::path file = dir / "experiment.densito";
    Project project;
    ProjectImage image;
    image.path = dir / "a.tif";
    image.sha256 = std::string(64, 'f');
    image.geometry.lanes.push_back({});
    image.geometry.lanes[0].slope = std::numeric_limits<double>::quiet_NaN();
    project.images.push_back(image);
    const auto written = writeProject(project, file);
    ASSERT_FALSE(written.has_value());
    EXPECT_EQ(written.error().describe(),
              "experiment.densito: not saved: images[0].geometry.lanes[0].slope: expected a "
              "number");
    EXPECT_FALSE(fs::exists(file));
}

TEST(ProjectFile, TheLayoutIsParsedAgainWithTheSameCodeAsItsFiles) {
    test::TempDir dir;
    const std::string blots = "image,membrane,target,measure,band\n"
                              "m1.tif,M1,p-Akt,phospho,auto\n"
                              "m1.tif,M1,Akt,total,2\n";
    const std::string samples = "membrane,lane,sample,condition,replicate\n"
                                "M1,1,a,Vehicle,1\n"
                                "M1,2,b,insulin,1\n";
    writeText(dir / "blots.csv", blots);
    writeText(dir / "samples.csv", samples);
    LayoutSettings settings;
    settings.control = "vehicle";
    const auto fromFiles = readLayout(dir / "blots.csv", dir / "samples.csv", settings);
    ASSERT_TRUE(fromFiles.has_value());

    Project project;
    project.layout =
        ProjectLayout{"blots.csv", blots, "samples.csv", samples, "vehicle", {}, kKeepFlagged, {}};
    ASSERT_TRUE(writeProject(project, dir / "p.densito").has_value());
    const auto read = readProject(dir / "p.densito");
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    ASSERT_TRUE(read->layout.has_value());
    const auto parsed = parseProjectLayout(*read->layout);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().front().describe();
    EXPECT_EQ(parsed->control, fromFiles->control);
    EXPECT_EQ(parsed->conditions, fromFiles->conditions);
    ASSERT_EQ(parsed->blots.size(), fromFiles->blots.size());
    for (std::size_t i = 0; i < parsed->blots.size(); ++i) {
        EXPECT_EQ(parsed->blots[i].target, fromFiles->blots[i].target);
        EXPECT_EQ(parsed->blots[i].band, fromFiles->blots[i].band);
        EXPECT_EQ(parsed->blots[i].line, fromFiles->blots[i].line);
    }

    ProjectLayout broken = *read->layout;
    broken.samplesCsv = "membrane,lane\nM1,\"x\n"; // an unclosed quote
    broken.panelPath = dir / "no panel.json";
    const auto problems = parseProjectLayout(broken);
    ASSERT_FALSE(problems.has_value());
    EXPECT_GE(problems.error().size(), 2u);
}

TEST(ProjectFile, FactorsAreKeptAndAbsentWithoutThem) {
    test::TempDir dir;
    Project project;
    project.layout = ProjectLayout{};
    project.layout->blotsCsv = "image,membrane,target,measure\nm1.tif,M1,Akt,phospho\n"
                               "m1.tif,M1,GAPDH,loading\n";
    project.layout->samplesCsv = "membrane,lane,sample,condition,replicate,insulin,leucine\n"
                                 "M1,1,a,control,1,no,no\nM1,2,b,ins,1,yes,no\n"
                                 "M1,3,c,leu,1,no,yes\nM1,4,d,both,1,yes,yes\n";
    ASSERT_TRUE(writeProject(project, dir / "plain.densito").has_value());
    // As projects were written before factors existed.
    EXPECT_FALSE(test::readJson(dir / "plain.densito")["layout"].contains("factors"));
    const auto plain = readProject(dir / "plain.densito");
    ASSERT_TRUE(plain.has_value()) << plain.error().describe();
    EXPECT_TRUE(plain->layout->factors.empty());

    project.layout->factors = {"insulin", "leucine"};
    ASSERT_TRUE(writeProject(project, dir / "factors.densito").has_value());
    const auto read = readProject(dir / "factors.densito");
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    EXPECT_EQ(read->layout, project.layout);
    const auto parsed = parseProjectLayout(*read->layout);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().front().describe();
    ASSERT_TRUE(parsed->factorial.has_value());
    EXPECT_EQ(parsed->factorial->both, "both");
}

// Version 1 had one switch, keep_flagged: false left saturated, weak and out-of-range bands
// out, true kept them all. Read as exactly that; written again as version 2.
TEST(ProjectFile, VersionOneKeepFlaggedBecomesTheExclusionPolicy) {
    test::TempDir dir;
    Project project;
    project.layout = ProjectLayout{};
    project.layout->blotsCsv = "image,membrane,target,measure\nm1.tif,M1,Akt,phospho\n";
    project.layout->samplesCsv = "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n";
    ASSERT_TRUE(writeProject(project, dir / "p.densito").has_value());
    nlohmann::json json = test::readJson(dir / "p.densito");
    EXPECT_EQ(json["layout"]["exclude"],
              (nlohmann::json::array({"saturated", "outside_linear_range"}))); // the default
    json["version"] = 1;
    json["layout"].erase("exclude");
    for (const bool keepFlagged : {false, true}) {
        json["layout"]["keep_flagged"] = keepFlagged;
        writeText(dir / "old.densito", json.dump());
        const auto read = readProject(dir / "old.densito");
        ASSERT_TRUE(read.has_value()) << read.error().describe();
        EXPECT_EQ(read->layout->exclude,
                  keepFlagged ? kKeepFlagged
                              : (ExclusionPolicy{
                                    .saturated = true, .weak = true, .outsideLinearRange = true}));
    }
    json["version"] = 2;
    json["layout"]["exclude"] = nlohmann::json::array({"saturated", "faint"});
    writeText(dir / "bad.densito", json.dump());
    const auto bad = readProject(dir / "bad.densito");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().describe().find("layout.exclude: \"faint\" is not a flag kind"),
              std::string::npos)
        << bad.error().describe();
}

// Before version 3 ratios preferred a loading control over a stain; such projects keep
// computing what they were saved with. From version 3 the order is stored and checked.
TEST(ProjectFile, NormalizerOrderIsStoredAndOlderProjectsKeepTheirOrder) {
    test::TempDir dir;
    Project project;
    project.layout = ProjectLayout{};
    project.layout->blotsCsv = "image,membrane,target,measure\nm1.tif,M1,Akt,phospho\n";
    project.layout->samplesCsv = "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n";
    ASSERT_TRUE(writeProject(project, dir / "p.densito").has_value());
    nlohmann::json json = test::readJson(dir / "p.densito");
    EXPECT_EQ(json["layout"]["normalizer_order"], "total,stain,loading");
    EXPECT_EQ(readProject(dir / "p.densito")->layout->normalizerOrder, kDefaultNormalizerOrder);
    json["version"] = 2;
    json["layout"].erase("normalizer_order");
    writeText(dir / "old.densito", json.dump());
    const auto old = readProject(dir / "old.densito");
    ASSERT_TRUE(old.has_value()) << old.error().describe();
    EXPECT_EQ(old->layout->normalizerOrder, kLegacyNormalizerOrder);
    json["version"] = 3;
    json["layout"]["normalizer_order"] = "total,stain";
    writeText(dir / "bad.densito", json.dump());
    const auto bad = readProject(dir / "bad.densito");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().describe().find("layout.normalizer_order: \"total,stain\" is not a "
                                          "normaliser order"),
              std::string::npos)
        << bad.error().describe();
}

TEST(EditHistory, HistoryCsvQuotesWhatNeedsItAndHasAHeaderWhenEmpty) {
    EXPECT_EQ(historyCsv({}), "time,user,image,action,old,new\n");
    const std::vector<EditRecord> history = {
        {"2026-12-07T19:52:03Z", "ana", "blot, one.tif", "Undo: Move Band",
         "strip 1 lane 2 row 1: y 40 to 52 px", "strip 1 lane 2 row 1: y \"38\" to 52 px"},
        {"2026-12-07T19:53:00Z", "bo", "", "Change Layout", "none", "blots.csv (3 rows)"},
    };
    EXPECT_EQ(historyCsv(history),
              "time,user,image,action,old,new\n"
              "2026-12-07T19:52:03Z,ana,\"blot, one.tif\",Undo: Move Band,strip 1 lane 2 row 1: "
              "y 40 to 52 px,\"strip 1 lane 2 row 1: y \"\"38\"\" to 52 px\"\n"
              "2026-12-07T19:53:00Z,bo,,Change Layout,none,blots.csv (3 rows)\n");
}

TEST(EditHistory, TheTimeIsUtcToTheSecond) {
    const std::string time = editTimeNow();
    ASSERT_EQ(time.size(), 20u) << time;
    EXPECT_EQ(time[4], '-');
    EXPECT_EQ(time[10], 'T');
    EXPECT_EQ(time[13], ':');
    EXPECT_EQ(time.back(), 'Z');
}

TEST(EditHistory, AProjectWithoutHistoryReadsAsNoEditsAndABadRecordIsNamed) {
    test::TempDir dir;
    nlohmann::json json = toJson(richProject(dir.path()), dir.path());
    json.erase("history");
    const auto read = fromJson(json, dir.path(), "old.densito");
    ASSERT_TRUE(read.has_value()) << read.error().describe();
    EXPECT_TRUE(read->history.empty());

    json = toJson(richProject(dir.path()), dir.path());
    json["history"][1].erase("new");
    const auto bad = fromJson(json, dir.path(), "bad.densito");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().describe(), "bad.densito: history[1].new: missing");
}

} // namespace
} // namespace densito
