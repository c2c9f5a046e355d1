#pragma once

#include "core/analysis/csv_table.h"
#include "core/analysis/target_panel.h"
#include "core/error.h"

#include <array>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// What a blots.csv row measures (ARCHITECTURE.md "Layout sheets").
enum class Measure {
    Phospho, ///< the phosphorylated form of the target
    Total,   ///< the target regardless of phosphorylation
    Loading, ///< a housekeeping protein; normalizes any target of its membrane
    Stain,   ///< a total-protein stain; normalizes any target of its membrane
};

/// "phospho", "total", "loading" or "stain".
std::string_view measureName(Measure measure);

/// The measure named `text` (case-insensitive, trimmed).
std::optional<Measure> parseMeasure(std::string_view text);

/// A rectangle in original-image pixels (blots.csv `region`, "x;y;width;height").
struct PixelRegion {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool operator==(const PixelRegion&) const = default;
};

/// Image rows top..bottom, inclusive, in original-image pixels (blots.csv `rows`, "top;bottom"):
/// the part of each lane a total-protein stain row integrates.
struct PixelRows {
    int top = 0;
    int bottom = 0;
    bool operator==(const PixelRows&) const = default;
};

/// One row of blots.csv: which part of which image holds one measure of one membrane.
struct BlotRow {
    int line = 0; ///< in blots.csv, so later messages can cite it
    std::string image;
    std::string membrane;
    std::string target; ///< canonical (TargetPanel::match); pairs phospho with total
    std::string targetAsWritten;
    Measure measure = Measure::Total;
    std::string site;                  ///< e.g. "Ser473"; empty when not given
    std::optional<int> band;           ///< 1-based band row from the top; absent = auto
    std::optional<int> strip;          ///< 1-based strip of the image; absent = whole image
    std::optional<PixelRegion> region; ///< the membrane's part of the image, if given
    /// Stain rows only: the rows of each lane integrated; absent = the lane's whole strip.
    std::optional<PixelRows> laneRows;
    /// The target panel's apparent masses of the target (first = its main form); empty for a
    /// target the panel does not know or gives no mass.
    std::vector<double> targetMassesKda;
};

/// One row of samples.csv: what was loaded in one lane of one membrane.
struct SampleRow {
    int line = 0; ///< in samples.csv
    std::string membrane;
    int lane = 0; ///< 1-based, left to right within the membrane's strip
    std::string sample;
    std::string condition; ///< spelled as its first appearance (conditions ignore case)
    std::string replicate; ///< a label for the biological replicate, e.g. "1" or "mouse 3"
    /// Amount loaded (optional `load` column, any unit): lanes with loads form the membrane's
    /// dilution series for the linearity check.
    std::optional<double> load;
    /// The values of the `--factors` columns, in that order (trimmed); empty without factors.
    std::vector<std::string> factorLevels;
};

/// One ladder row of samples.csv (condition `ladder`): a molecular-weight marker lane, never
/// quantified. `sample` names its marker set or lists its kDa (markerKdaOf).
struct LadderRow {
    int line = 0; ///< in samples.csv
    std::string membrane;
    int lane = 0;            ///< 1-based, left to right within the membrane's strip
    std::string markers;     ///< `sample` as written
    std::vector<double> kda; ///< the marker masses, top to bottom
};

/// Two crossed two-level factors (`--factors A,B`: columns of samples.csv) and the
/// condition of each of their four cells. Reference levels are the control condition's, so
/// the control is the cell with both factors at their reference.
struct FactorialDesign {
    std::array<std::string, 2> factors;         ///< column names as given to --factors
    std::array<std::string, 2> referenceLevels; ///< each factor's level in the control
    std::array<std::string, 2> otherLevels;     ///< each factor's other level
    std::string firstOnly;  ///< the condition with the first factor changed, the second not
    std::string secondOnly; ///< the condition with the second factor changed, the first not
    std::string both;       ///< the condition with both factors changed
};

/// Both layout sheets, parsed and checked against each other.
struct Layout {
    std::string blotsFile = "blots.csv";
    std::string samplesFile = "samples.csv";
    std::vector<BlotRow> blots;               ///< in file order
    std::vector<SampleRow> samples;           ///< in file order, ladder rows excepted
    std::vector<LadderRow> ladders;           ///< samples.csv rows of condition `ladder`
    std::string control;                      ///< the control condition, as spelled in samples.csv
    std::vector<std::string> conditions;      ///< in order of first appearance, control included
    std::optional<FactorialDesign> factorial; ///< with `--factors`
    std::vector<std::string> notes;           ///< things worth telling the user; not problems
};

struct LayoutSettings {
    std::string control; ///< `--control`; empty = the condition named "control" (any case)
    /// `--factors A,B`: two columns of samples.csv holding two levels each (e.g. yes/no)
    /// that cross into the conditions; empty = none.
    std::vector<std::string> factors;
    TargetPanel panel = TargetPanel::builtIn();
};

/// Parses and validates blots.csv and samples.csv. Every problem is reported, not only the
/// first, each as an Error whose describe() is one line: file:line and column, e.g.
/// `samples.csv:7: column "lane": "x" is not a whole number`. Checks: required columns;
/// types (lane, band, strip, region, rows); known measure; `band` on no stain row and `rows`
/// only on stain rows (a stain is integrated over whole lanes); a lane listed once per membrane; a
/// blots row not repeated (same image, strip/region, membrane, target and measure) and one
/// row per membrane, target, site and measure; every membrane in both sheets; something to
/// normalize by (phospho: a total of its target, or the membrane's loading or stain; total
/// without phospho: loading or stain); a ladder row (condition `ladder`, no replicate needed)
/// names a known marker set or lists kDa in `sample`; the control condition found, and on
/// every membrane; with factors, two distinct factor columns present and filled, one level pair per
/// condition, two levels per factor and one condition per cell of the 2 x 2.
std::expected<Layout, std::vector<Error>>
parseLayout(const CsvTable& blots, const CsvTable& samples, const LayoutSettings& settings);

/// parseLayout() of two files; read errors are reported like the other problems.
std::expected<Layout, std::vector<Error>> readLayout(const std::filesystem::path& blotsPath,
                                                     const std::filesystem::path& samplesPath,
                                                     const LayoutSettings& settings);

/// The number of lanes found in the image part a blots row points to (its image and strip
/// or region); absent when that part was not analysed.
using LanesFound = std::function<std::optional<int>(const BlotRow& row)>;

/// The checks that need the images: each blots.csv image is among `imageNames` (compared by
/// file name), and no lane in samples.csv lies beyond the lanes found for its membrane.
/// Empty when all is well.
std::vector<Error> checkLayoutAgainstImages(const Layout& layout,
                                            std::span<const std::string> imageNames,
                                            const LanesFound& lanesFound);

} // namespace densito
