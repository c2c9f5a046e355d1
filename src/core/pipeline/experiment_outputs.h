#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/linearity.h"
#include "core/analysis/quantification.h"
#include "core/error.h"
#include "core/io/results_csv.h"

#include <cstddef>
#include <expected>
#include <span>
#include <string>
#include <vector>

namespace densito {

/// The experiment computed from analysed images and a layout (step 7 of the pipeline in
/// ARCHITECTURE.md): quantification and summary, the dilution-series fits, and the warnings
/// (lane geometries that disagree within a membrane, then the quantification's).
struct ExperimentOutcome {
    Quantification quantification;
    std::vector<LinearityFit> linearity;
    std::vector<std::string> warnings;
    std::size_t measuredBands = 0; ///< bands the layout's rows picked from the images
    /// Molecular-weight calibrations of the strips with ladder lanes (calibrationsOfImage).
    std::vector<StripCalibration> calibrations;
};

/// Pairs, normalises and summarises: the strips' molecular-weight calibrations from the
/// layout's ladder lanes, measuredBandsOf() (stain rows over whole lanes, from
/// the pixels in `analyses`), the dilution-series linearity check, then quantify(). Warns
/// when a housekeeping protein is a series' only normaliser on a membrane and no dilution
/// series there shows it in its linear range, and when a lane's phospho and total bands differ
/// in apparent mass (phosphoTotalMassWarnings). The layout must have been checked against the
/// analyses (checkStripsOfLayout, checkLayoutAgainstImages). Pure; the same inputs give the
/// same outcome, whoever calls it (command line, GUI, saved project).
std::expected<ExperimentOutcome, Error> analyzeExperiment(const Layout& layout,
                                                          std::span<const NamedAnalysis> analyses,
                                                          const QuantificationSettings& settings);

/// One output file of an analysis run: its path relative to the output folder ('/'
/// separators) and its bytes.
struct OutputFile {
    std::string name;
    std::string contents;

    friend bool operator==(const OutputFile&, const OutputFile&) = default;
};

/// How the result files are written, beyond what they hold.
struct OutputOptions {
    /// A UTF-8 byte-order mark (EF BB BF) before every CSV file (`--csv-bom`): Excel on
    /// Windows reads a CSV without one in the local code page and garbles non-ASCII names
    /// ("µg", "β-actin"). Off by default: R, pandas and Unix tools read the plain file
    /// as it is.
    bool csvByteOrderMark = false;

    friend bool operator==(const OutputOptions&, const OutputOptions&) = default;
};

/// The result files of a run, in writing order: lanes.csv and bands.csv; with an experiment,
/// quantification.csv, summary.csv, contrasts.csv, units.csv, fold_change_wide.csv,
/// linearity.csv (when there is a dilution series), prism/<target>.csv per target with a
/// matched design (seriesFileStems() names them), results.xlsx (summary, contrasts,
/// quantification, units and each prism table as sheets) and charts/fold_change_<target>.svg
/// and .png per target. The command line and the GUI's export both write exactly these, so
/// they are byte-identical. Fails only when results.xlsx cannot be assembled.
std::expected<std::vector<OutputFile>, Error>
analysisOutputFiles(std::span<const NamedAnalysis> analyses, const ExperimentOutcome* experiment,
                    const OutputOptions& options = {});

} // namespace densito
