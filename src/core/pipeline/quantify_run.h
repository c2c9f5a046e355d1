#pragma once

#include "core/analysis/quantification.h"
#include "core/error.h"
#include "core/measure/blot_analysis.h"
#include "core/pipeline/analysis_run.h"
#include "core/pipeline/experiment_outputs.h"

#include <expected>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace densito {

/// One image's analysis as an `analyze` output folder stores it: what lanes.csv, bands.csv and
/// run.json hold, which is everything the experiment analysis uses (strip count, lane
/// geometry, band rows, volumes, flags). Strip regions, band peak positions and areas are not
/// stored, so they are left empty.
struct StoredAnalysis {
    std::string imageName;        ///< the `image` column: the input's file name
    std::filesystem::path folder; ///< the output folder it was read from
    BlotAnalysis analysis;
    nlohmann::json runJsonEntry; ///< its entry in run.json "inputs", kept for provenance
};

/// The analysed and failed images of one `analyze` output folder.
struct ResultFolder {
    std::filesystem::path folder;
    std::vector<StoredAnalysis> analysed;  ///< in run.json order
    std::vector<std::string> failedImages; ///< file names run.json lists as failed
    nlohmann::json failedEntries = nlohmann::json::array();
    std::string runJsonSha256;
    /// SHA-256 of the layout sheets the images were analysed with (run.json "shard", or
    /// "layout" of a whole run); empty when they were analysed without a layout.
    std::string blotsSha256;
    std::string samplesSha256;
};

/// Reads an `analyze` output folder (run.json, lanes.csv, bands.csv). Fails, naming the file
/// and line, when a file is missing or malformed, when run.json is not an analyze run or
/// records an interrupted one, or when the CSV files and run.json disagree on the images.
std::expected<ResultFolder, Error> readResultFolder(const std::filesystem::path& folder);

/// What `densito-cli quantify` is asked to do: the experiment analysis of `analyze` output
/// folders (shards of one experiment, each run with the same layout sheets and `--shard`)
/// with that layout, without reading any image.
struct QuantifyRunOptions {
    std::vector<std::filesystem::path> resultFolders;
    std::filesystem::path outDir; ///< must not be one of the result folders
    std::filesystem::path blots;
    std::filesystem::path samples;
    std::string control;
    std::vector<std::string> factors;
    std::filesystem::path panel;
    ExclusionPolicy exclude;
    NormalizerOrder normalizerOrder = kDefaultNormalizerOrder; ///< `--normalizer-order`
    OutputOptions output;                                      ///< `--csv-bom`
};

struct QuantifyRunReport {
    AnalysisRunStatus status = AnalysisRunStatus::NothingDone; ///< Ok, Refused or NothingDone
    std::size_t images = 0; ///< analysed images gathered from the folders
    std::optional<ExperimentOutcome> experiment;
    std::vector<Error> problems;
};

/// Gathers the analyses of `options.resultFolders` (in the order given, each in its run.json
/// order) and runs the same steps as runAnalysis() does after its images: the layout checks,
/// analyzeExperiment() and analysisOutputFiles(), so the files are byte-identical to one
/// `analyze` run over all the images with the same layout (lanes.csv and bands.csv too when
/// the folders are given in input order), plus a run.json (command "quantify") whose
/// inputs are the folders' input entries. A folder analysed without these layout sheets (by
/// SHA-256: the layout sets each image's lanes and strips), an image present in two folders,
/// or a layout that does not fit, writes nothing. `message` (may be empty) receives what the user
/// should see.
QuantifyRunReport runQuantify(const QuantifyRunOptions& options,
                              const std::function<void(LogLevel, const std::string&)>& message);

} // namespace densito
