// Layout sheets: parsing blots.csv and samples.csv and reporting every problem with its
// file, line and column.
#include "core/analysis/layout_sheets.h"

#include "support/temp_dir.h"

#include <array>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace densito {
namespace {

const char* const kBlots = "image,membrane,target,measure,site,band,strip,region\n"
                           "m1.tif,M1,p-Akt,phospho,Ser473,auto,,\n"
                           "m1.tif,M1,Akt,total,,2,,\n"
                           "m1.tif,M1,β-actin,loading,,,,\n"
                           "pair.tif,M2,pAkt S473,phospho,,,1,\n"
                           "pair.tif,M2,GAPDH,loading,,,,\"0;40;300;35.6\"\n";

const char* const kSamples = "membrane,lane,sample,condition,replicate\n"
                             "M1,1,a,Control,1\n"
                             "M1,2,b,insulin,1\n"
                             "M2,1,c,control,2\n"
                             "M2,2,d,Insulin,2\n";

std::expected<Layout, std::vector<Error>> layoutOf(std::string_view blots, std::string_view samples,
                                                   const std::string& control = {}) {
    const auto blotsTable = parseCsv(blots, "blots.csv");
    const auto samplesTable = parseCsv(samples, "samples.csv");
    if (!blotsTable || !samplesTable) {
        ADD_FAILURE() << "CSV did not parse";
        return std::unexpected(std::vector<Error>{});
    }
    LayoutSettings settings;
    settings.control = control;
    return parseLayout(*blotsTable, *samplesTable, settings);
}

/// The problems, each as the one line a user sees.
std::vector<std::string> problemsOf(std::string_view blots, std::string_view samples,
                                    const std::string& control = {}) {
    const auto layout = layoutOf(blots, samples, control);
    std::vector<std::string> lines;
    if (!layout) {
        for (const Error& error : layout.error()) {
            lines.push_back(error.describe());
        }
    }
    return lines;
}

TEST(LayoutSheets, ParsesAValidLayout) {
    const auto layout = layoutOf(kBlots, kSamples);
    ASSERT_TRUE(layout.has_value()) << layout.error().front().describe();
    ASSERT_EQ(layout->blots.size(), 5u);
    const BlotRow& phospho = layout->blots[0];
    EXPECT_EQ(phospho.line, 2);
    EXPECT_EQ(phospho.target, "Akt");
    EXPECT_EQ(phospho.targetAsWritten, "p-Akt");
    EXPECT_EQ(phospho.measure, Measure::Phospho);
    EXPECT_EQ(phospho.site, "Ser473");
    EXPECT_FALSE(phospho.band.has_value()); // auto
    EXPECT_EQ(layout->blots[1].band, 2);
    EXPECT_EQ(layout->blots[2].target, "beta-actin");
    EXPECT_EQ(layout->blots[3].target, "Akt");
    EXPECT_EQ(layout->blots[3].strip, 1);
    EXPECT_EQ(layout->blots[4].region, (PixelRegion{0, 40, 300, 36}));
    ASSERT_EQ(layout->samples.size(), 4u);
    EXPECT_EQ(layout->samples[3].line, 5);
    EXPECT_EQ(layout->samples[3].lane, 2);
    // Conditions ignore case and keep their first spelling.
    EXPECT_EQ(layout->samples[3].condition, "insulin");
    EXPECT_EQ(layout->conditions, (std::vector<std::string>{"Control", "insulin"}));
    EXPECT_EQ(layout->control, "Control");
    EXPECT_TRUE(layout->notes.empty());
}

TEST(LayoutSheets, ReadsExcelSemicolonExports) {
    const auto layout = layoutOf("image;membrane;target;measure;region\n"
                                 "a.tif;M1;Akt;total;\"10,4;20;30,6;40\"\n"
                                 "a.tif;M1;Ponceau S;stain;\n",
                                 "Membrane;Lane;Sample;Condition;Replicate\nM1;1;a;control;1\n");
    ASSERT_TRUE(layout.has_value()) << layout.error().front().describe();
    EXPECT_EQ(layout->blots[0].region, (PixelRegion{10, 20, 31, 40}));
    EXPECT_EQ(layout->blots[1].target, "total protein stain");
    EXPECT_EQ(layout->blots[1].measure, Measure::Stain);
    ASSERT_EQ(layout->notes.size(), 2u);
    EXPECT_EQ(layout->notes[0].rfind("blots.csv: read as semicolon-separated", 0), 0u);
}

TEST(LayoutSheets, ReportsEveryProblemWithFileLineAndColumn) {
    const std::vector<std::string> problems =
        problemsOf("image,membrane,target,measure,band,strip,region\n"
                   "a.tif,M1,p-Akt,phosphor,,,\n"   // 2: unknown measure
                   "a.tif,M1,Akt,total,0,,\n"       // 3: band 0
                   "a.tif,M1,Akt,total,,x,\n"       // 4: strip not a number
                   "a.tif,M1,GAPDH,loading,,,1;2\n" // 5: region of two numbers
                   ",M1,mTOR,total,,1,1;2;3;4\n",   // 6: no image; strip and region
                   "membrane,lane,sample,condition,replicate\n"
                   "M1,1,a,control,1\n"
                   "M1,x,b,insulin,1\n" // 3: lane not a number
                   "M1,0,c,insulin,1\n" // 4: lane 0
                   "M1,5,d,,1\n");      // 5: no condition
    const std::vector<std::string> expected{
        "blots.csv:2: column \"measure\": \"phosphor\" is not one of phospho, total, loading, "
        "stain",
        "blots.csv:3: column \"band\": \"0\" is not a band row (1, 2, ... from the top, or auto)",
        "blots.csv:4: column \"strip\": \"x\" is not a whole number",
        "blots.csv:5: column \"region\": \"1;2\" is not a region: x;y;width;height in pixels, "
        "width and height 1 or more",
        "blots.csv:6: column \"image\": a value is required",
        "blots.csv:6: column \"region\": give either strip or region, not both",
        "samples.csv:3: column \"lane\": \"x\" is not a whole number",
        "samples.csv:4: column \"lane\": \"0\" must be 1 or more",
        "samples.csv:5: column \"condition\": a value is required",
    };
    EXPECT_EQ(problems, expected);
}

TEST(LayoutSheets, MissingRequiredColumns) {
    EXPECT_EQ(problemsOf("Image,membrane,target\na.tif,M1,Akt\n",
                         "membrane,lane,sample,condition\nM1,1,a,control\n"),
              (std::vector<std::string>{
                  "blots.csv:1: missing required column \"measure\" (columns found: Image, "
                  "membrane, target)",
                  "samples.csv:1: missing required column \"replicate\" (columns found: "
                  "membrane, lane, sample, condition)"}));
}

TEST(LayoutSheets, DuplicateLanesAndBlotRows) {
    EXPECT_EQ(problemsOf("image,membrane,target,measure,strip\n"
                         "a.tif,M1,Akt,total,1\n"
                         "a.tif,M1,AKT1,total,1\n" // same image, strip, membrane, target, measure
                         "b.tif,M1,Akt,total,\n"   // Akt total of M1 again, other image
                         "a.tif,M1,actin,loading,1\n",
                         "membrane,lane,sample,condition,replicate\n"
                         "M1,1,a,control,1\nM1,2,b,control,2\nM1,2,c,x,1\n"),
              (std::vector<std::string>{
                  "blots.csv:3: column \"measure\": repeats line 2 (same image, strip 1, "
                  "membrane, target and measure)",
                  "blots.csv:4: column \"image\": total Akt of membrane \"M1\" is already "
                  "measured in a.tif (line 2); keep one row per membrane, target, site and "
                  "measure",
                  "samples.csv:4: column \"lane\": lane 2 of membrane \"M1\" is already listed "
                  "on line 3"}));
}

TEST(LayoutSheets, MembranesMustAppearInBothSheets) {
    EXPECT_EQ(problemsOf("image,membrane,target,measure\n"
                         "a.tif,M1,Akt,total\na.tif,M1,GAPDH,loading\n"
                         "b.tif,M3,Akt,total\nb.tif,M3,GAPDH,loading\n",
                         "membrane,lane,sample,condition,replicate\n"
                         "M1,1,a,control,1\nM2,1,b,control,1\n"),
              (std::vector<std::string>{
                  "blots.csv:4: column \"membrane\": membrane \"M3\" has no lanes in samples.csv",
                  "samples.csv:3: column \"membrane\": membrane \"M2\" is not in blots.csv"}));
}

TEST(LayoutSheets, EveryRatioNeedsSomethingToNormalizeBy) {
    const std::string samples = "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n";
    EXPECT_EQ(problemsOf("image,membrane,target,measure\na.tif,M1,p-Akt,phospho\n"
                         "a.tif,M1,mTOR,total\na.tif,M1,mTOR,phospho\n",
                         samples),
              (std::vector<std::string>{
                  "blots.csv:2: column \"measure\": phospho Akt on membrane \"M1\" has no "
                  "total, loading or stain row to be normalized by"}));
    EXPECT_EQ(problemsOf("image,membrane,target,measure\na.tif,M1,IRS1,total\n", samples),
              (std::vector<std::string>{
                  "blots.csv:2: column \"measure\": total IRS-1 on membrane \"M1\" has no "
                  "phospho form and no loading or stain row to be normalized by"}));
    // A membrane's loading control or stain normalizes any of its targets.
    EXPECT_TRUE(problemsOf("image,membrane,target,measure\na.tif,M1,p-Akt,phospho\n"
                           "a.tif,M1,IRS1,total\nb.tif,M1,Ponceau,stain\n",
                           samples)
                    .empty());
}

TEST(LayoutSheets, ControlCondition) {
    const std::string blots =
        "image,membrane,target,measure\na.tif,M1,Akt,total\n"
        "a.tif,M1,GAPDH,loading\nb.tif,M2,Akt,total\nb.tif,M2,GAPDH,loading\n";
    const std::string samples = "membrane,lane,sample,condition,replicate\n"
                                "M1,1,a,vehicle,1\nM1,2,b,insulin,1\nM2,1,c,insulin,2\n";
    EXPECT_EQ(problemsOf(blots, samples),
              (std::vector<std::string>{
                  "samples.csv: no control condition: no condition is named \"control\"; name it "
                  "with --control; conditions seen: vehicle, insulin"}));
    EXPECT_EQ(problemsOf(blots, samples, "DMSO"),
              (std::vector<std::string>{
                  "samples.csv: the control condition \"DMSO\" (--control) is not in column "
                  "\"condition\"; conditions seen: vehicle, insulin"}));
    EXPECT_EQ(problemsOf(blots, samples, "Vehicle"),
              (std::vector<std::string>{
                  "samples.csv:4: column \"condition\": membrane \"M2\" has no lane of the "
                  "control condition \"vehicle\""}));
    const auto layout = layoutOf(blots, samples + "M2,2,d,VEHICLE,2\n", "Vehicle");
    ASSERT_TRUE(layout.has_value());
    EXPECT_EQ(layout->control, "vehicle");
}

TEST(LayoutSheets, PhosphoNameWithAnotherMeasureIsANote) {
    const auto layout = layoutOf("image,membrane,target,measure\na.tif,M1,p-Akt,total\n"
                                 "a.tif,M1,GAPDH,loading\n",
                                 "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n");
    ASSERT_TRUE(layout.has_value());
    EXPECT_EQ(layout->blots[0].measure, Measure::Total);
    EXPECT_EQ(layout->notes, (std::vector<std::string>{
                                 "blots.csv:2: target \"p-Akt\" reads as a phospho form, but "
                                 "measure is total; the measure column decides"}));
}

TEST(LayoutSheets, MeasureNames) {
    EXPECT_EQ(parseMeasure(" Phospho "), Measure::Phospho);
    EXPECT_EQ(parseMeasure("STAIN"), Measure::Stain);
    EXPECT_FALSE(parseMeasure("housekeeping").has_value());
    EXPECT_EQ(measureName(Measure::Loading), "loading");
}

TEST(ReadLayout, ReadsFilesAndReportsUnreadableOnes) {
    const test::TempDir folder;
    std::ofstream(folder / "blots.csv", std::ios::binary) << kBlots;
    std::ofstream(folder / "samples.csv", std::ios::binary) << kSamples;
    EXPECT_TRUE(readLayout(folder / "blots.csv", folder / "samples.csv", {}).has_value());
    const auto missing = readLayout(folder / "b.csv", folder / "s.csv", {});
    ASSERT_FALSE(missing.has_value());
    ASSERT_EQ(missing.error().size(), 2u);
    EXPECT_EQ(missing.error()[1].describe(), "s.csv: cannot open the file for reading");
}

TEST(CheckLayoutAgainstImages, UnknownImagesAndLanesBeyondThoseFound) {
    const auto layout = layoutOf(kBlots, kSamples + std::string("M2,5,e,insulin,3\n"));
    ASSERT_TRUE(layout.has_value());
    const std::vector<std::string> images{"/data/m1.tif", "other.tif"};
    const std::map<std::string, int> lanes{{"m1.tif", 6}, {"pair.tif", 4}};
    const auto problems =
        checkLayoutAgainstImages(*layout, images, [&](const BlotRow& row) -> std::optional<int> {
            return lanes.contains(row.image) ? std::optional(lanes.at(row.image)) : std::nullopt;
        });
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].describe(),
              "blots.csv:5: column \"image\": \"pair.tif\" is not among the input images");
    const std::vector<std::string> allImages{"m1.tif", "pair.tif"};
    const auto lanesProblems = checkLayoutAgainstImages(
        *layout, allImages, [&](const BlotRow& row) { return std::optional(lanes.at(row.image)); });
    ASSERT_EQ(lanesProblems.size(), 1u);
    EXPECT_EQ(lanesProblems[0].describe(),
              "samples.csv:6: column \"lane\": lane 5 is beyond the 4 lanes found in pair.tif "
              "(strip 1) for blots.csv:5");
}

// --factors: two columns crossing into a 2 x 2, reference levels from the control.
std::expected<Layout, std::vector<Error>> factorLayout(std::string_view samples,
                                                       std::vector<std::string> factors) {
    LayoutSettings settings;
    settings.factors = std::move(factors);
    return parseLayout(parseCsv("image,membrane,target,measure\nm.tif,M1,Akt,phospho\n"
                                "m.tif,M1,GAPDH,loading\n",
                                "blots.csv")
                           .value(),
                       parseCsv(samples, "samples.csv").value(), settings);
}

std::vector<std::string> factorProblems(std::string_view samples,
                                        std::vector<std::string> factors) {
    const auto layout = factorLayout(samples, std::move(factors));
    std::vector<std::string> lines;
    if (!layout) {
        for (const Error& error : layout.error()) {
            lines.push_back(error.describe());
        }
    }
    return lines;
}

const char* const kFactorial = "membrane,lane,sample,condition,replicate,Insulin,leucine\n"
                               "M1,1,a,both,1,yes,Yes\n"
                               "M1,2,b,control,1,no,no\n"
                               "M1,3,c,leu,1,no,yes\n"
                               "M1,4,d,ins,1,yes,no\n"
                               "M1,5,e,Control,1,No,no\n";

TEST(LayoutSheets, FactorsNameTheCellsOfTheTwoByTwo) {
    const auto layout = factorLayout(kFactorial, {" insulin", "leucine "});
    ASSERT_TRUE(layout.has_value()) << layout.error().front().describe();
    ASSERT_TRUE(layout->factorial.has_value());
    const FactorialDesign& design = *layout->factorial;
    EXPECT_EQ(design.factors, (std::array<std::string, 2>{"insulin", "leucine"}));
    EXPECT_EQ(design.referenceLevels, (std::array<std::string, 2>{"no", "no"}));
    EXPECT_EQ(design.otherLevels, (std::array<std::string, 2>{"yes", "Yes"}));
    EXPECT_EQ(design.firstOnly, "ins");
    EXPECT_EQ(design.secondOnly, "leu");
    EXPECT_EQ(design.both, "both");
    EXPECT_EQ(layout->samples[0].factorLevels, (std::vector<std::string>{"yes", "Yes"}));
    EXPECT_FALSE(factorLayout(kFactorial, {})->factorial.has_value());
}

TEST(LayoutSheets, FactorProblemsAreReported) {
    EXPECT_EQ(factorProblems(kFactorial, {"insulin"}),
              (std::vector<std::string>{"samples.csv: --factors takes two different factor "
                                        "columns of samples.csv, as A,B (e.g. "
                                        "insulin,isoleucine); got \"insulin\""}));
    EXPECT_EQ(factorProblems(kFactorial, {"insulin", "glucose"}),
              (std::vector<std::string>{"samples.csv:1: missing column \"glucose\" named by "
                                        "--factors (columns found: membrane, lane, sample, "
                                        "condition, replicate, Insulin, leucine)"}));
    EXPECT_EQ(factorProblems("membrane,lane,sample,condition,replicate,insulin,leucine\n"
                             "M1,1,a,control,1,no,no\nM1,2,b,ins,1,yes,\n"
                             "M1,3,c,control,1,yes,no\n",
                             {"insulin", "leucine"}),
              (std::vector<std::string>{"samples.csv:3: column \"leucine\": a value is required",
                                        "samples.csv:4: column \"insulin\": \"yes\" differs "
                                        "from \"no\" on line 2: every lane of condition "
                                        "\"control\" needs the same level of each factor"}));
    EXPECT_EQ(factorProblems("membrane,lane,sample,condition,replicate,insulin,leucine\n"
                             "M1,1,a,control,1,no,no\nM1,2,b,ins,1,yes,no\n"
                             "M1,3,c,leu,1,no,yes\nM1,4,d,both,1,maybe,yes\n",
                             {"insulin", "leucine"}),
              (std::vector<std::string>{"samples.csv: column \"insulin\": a factor of --factors "
                                        "needs two levels, found 3: no, yes, maybe"}));
    EXPECT_EQ(factorProblems("membrane,lane,sample,condition,replicate,insulin,leucine\n"
                             "M1,1,a,control,1,no,no\nM1,2,b,ins,1,yes,no\n"
                             "M1,3,c,leu,1,no,yes\nM1,4,d,ins 2,1,yes,no\n",
                             {"insulin", "leucine"}),
              (std::vector<std::string>{
                  "samples.csv: --factors: conditions \"ins\", \"ins 2\" all have insulin = yes "
                  "and leucine = no; each cell of the 2 x 2 needs one condition",
                  "samples.csv: --factors: no condition has insulin = yes and leucine = yes; the "
                  "interaction needs all four cells of the 2 x 2"}));
}

} // namespace
} // namespace densito

namespace densito {
namespace {

TEST(LayoutSheets, StainRowsTakeRowsNotABandRow) {
    const std::string samples = "membrane,lane,sample,condition,replicate\nM1,1,a,control,1\n";
    EXPECT_EQ(problemsOf("image,membrane,target,measure,band,rows\na.tif,M1,IRS1,total,,10;20\n"
                         "b.tif,M1,Ponceau,stain,2,\nc.tif,M2,Ponceau,stain,,30\n"
                         "d.tif,M3,Ponceau,stain,,40;30\n",
                         samples + "M2,1,b,control,1\nM3,1,c,control,1\n"),
              (std::vector<std::string>{
                  "blots.csv:2: column \"rows\": rows applies to stain rows only (the part of "
                  "each lane a total-protein stain integrates); this row measures total",
                  "blots.csv:3: column \"band\": a stain row is integrated over whole lanes, not "
                  "a band row: leave band empty (give rows as top;bottom to integrate part of "
                  "each lane)",
                  "blots.csv:4: column \"rows\": \"30\" is not a range of rows: top;bottom in "
                  "image pixels, bottom not above top",
                  "blots.csv:5: column \"rows\": \"40;30\" is not a range of rows: top;bottom in "
                  "image pixels, bottom not above top"}));
    const auto layout = layoutOf("image,membrane,target,measure,rows\na.tif,M1,IRS1,total,\n"
                                 "b.tif,M1,Ponceau,stain,12;340\n",
                                 samples);
    ASSERT_TRUE(layout.has_value());
    ASSERT_EQ(layout->blots.size(), 2u);
    EXPECT_FALSE(layout->blots[0].laneRows.has_value());
    EXPECT_EQ(layout->blots[1].laneRows, (PixelRows{12, 340}));
}

} // namespace
} // namespace densito
