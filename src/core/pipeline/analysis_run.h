#pragma once

#include "core/error.h"
#include "core/image/signal.h"
#include "core/io/run_record.h"
#include "core/measure/background_method.h"
#include "core/pipeline/experiment_outputs.h"
#include "core/pipeline/image_analysis.h"

#include <atomic>
#include <cstddef>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace densito {

/// What one analysis run is asked to do: the parameters of `densito-cli analyze` (ARCHITECTURE.md
/// "Command line"), whoever starts the run.
struct AnalysisRunOptions {
    std::vector<std::filesystem::path> inputs; ///< image files or folders of images
    /// Must not be or lie inside an input folder, nor be or hold an input (file or folder).
    std::filesystem::path outDir;
    PolarityMode polarity = PolarityMode::Auto;
    int page = 1;         ///< 1-based page (channel) of multi-page TIFFs
    unsigned threads = 0; ///< images analysed in parallel; 0 = all cores
    int lanes = 0;        ///< expected lanes per strip; 0 = automatic
    BackgroundMethod background{BackgroundKind::BorderMedian, std::nullopt};
    bool writeOverlays = true; ///< overlays/<image stem>.png
    OutputOptions output;      ///< `--csv-bom`
    /// Layout sheets: with both, the experiment is analysed too (quantification.csv,
    /// summary.csv, ...); with neither, only the images. One without the other is refused.
    std::filesystem::path blots;
    std::filesystem::path samples;
    std::string control; ///< the control condition; empty = the one named "control"
    /// `--factors A,B`: two factor columns of samples.csv crossing into the conditions, for
    /// the interaction contrast; empty = none.
    std::vector<std::string> factors;
    std::filesystem::path panel; ///< a target panel JSON extending the built-in one; optional
    ExclusionPolicy exclude;     ///< flagged bands left out of the statistics, per flag kind
    /// `--normalizer-order`: which normaliser a ratio takes when a membrane offers several.
    NormalizerOrder normalizerOrder = kDefaultNormalizerOrder;
    /// With layout sheets: the inputs are one shard of the layout's images (densito-cli
    /// quantify gathers the shards). Each image is analysed with its layout settings, as in a
    /// whole run; images of blots.csv missing from the inputs are allowed; the experiment is
    /// not quantified; run.json records the sheets' SHA-256 under "shard".
    bool isShard = false;
};

/// How a run ended; the command line maps it onto its exit codes.
enum class AnalysisRunStatus {
    Ok,          ///< every input analysed and every output written
    SomeFailed,  ///< some inputs failed; the rest were analysed and written
    Refused,     ///< the request or the layout does not fit: nothing was written
    NothingDone, ///< no input could be analysed, or the outputs could not be written
    Interrupted, ///< cancelled: the images in flight finished; run.json says which ran
};

/// How much a run message matters; the caller decides how to show it.
enum class LogLevel { Info, Warning, Error };

/// Observers of a run; each may be empty. `started` and `message` are called on the thread
/// that called runAnalysis(). `fileFinished` and `progress` are called from worker threads,
/// one callback at a time (never two at once), so they need no locking of their own but must
/// not block for long.
struct AnalysisRunCallbacks {
    /// The image files found in the inputs, in the order they are indexed below, and the
    /// number of worker threads; called once, before the first image starts. Not called when
    /// the run is refused before images are looked for, or when there are none.
    std::function<void(const std::vector<std::filesystem::path>& files, unsigned threads)> started;
    /// After each image, before `progress` counts it: its index in `files`, its path, and
    /// its outcome (the loader's or analysis's error when it failed).
    std::function<void(std::size_t index, const std::filesystem::path& file,
                       const std::expected<void, Error>& outcome)>
        fileFinished;
    /// Images finished so far (analysed or failed) out of all the files.
    std::function<void(std::size_t finished, std::size_t total)> progress;
    /// Something the user should see, in the order the command line prints it: problems
    /// with the request and the layout, failed images, warnings per image, the final count.
    std::function<void(LogLevel level, const std::string& text)> message;
};

/// What a run did.
struct AnalysisRunReport {
    AnalysisRunStatus status = AnalysisRunStatus::NothingDone;
    std::vector<std::filesystem::path> files; ///< the image files found, in input order
    /// The analysed images in input order, without their pixel buffers (released as each
    /// image was drawn, so a long run stays flat in memory), except images a stain row of the
    /// layout measures: their signal and valid mask stay for the whole-lane measures.
    std::vector<ImageResult> analysed;
    /// Images that failed, in input order, then inputs that do not exist or cannot be listed.
    std::vector<FailedInput> failed;
    std::size_t notStarted = 0; ///< images skipped because the run was cancelled
    /// Analysed images whose detection is unsure (BlotAnalysis::needsReview).
    std::size_t imagesNeedingReview = 0;
    bool isInterrupted = false;
    /// The quantified experiment when layout sheets were given and every image ran.
    std::optional<ExperimentOutcome> experiment;
    /// Problems with the request, the layout or the output folder that refused the run or
    /// stopped its writing (status Refused or NothingDone), in order; each was also passed to
    /// `message` as an error. Images that failed are in `failed`, not here.
    std::vector<Error> problems;
    std::filesystem::path runJson; ///< the run.json written; empty when none was
};

/// Analyses the images of `options.inputs` into `options.outDir`: lanes.csv, bands.csv,
/// overlays, the experiment's files when layout sheets are given (analysisOutputFiles(), so
/// the bytes are the same as any other caller's), and run.json. Every file is written
/// atomically. With layout sheets nothing is written until the sheets fit the analysed images
/// (overlays wait meanwhile in a private folder under the system's temporary folder, removed
/// at the end); an invalid layout writes nothing. An output folder that is or lies inside an input
/// folder, or that is or holds an input, is refused before any image is read or anything written,
/// so no input is ever written. Images run on `options.threads` worker threads; once `*cancel`
/// becomes true no new image starts, the ones in flight finish, and run.json records what ran (the
/// experiment is then not quantified). Blocks until done; never throws. The output folder's
/// contents are the caller's to protect: run one analysis per output folder at a time.
AnalysisRunReport runAnalysis(const AnalysisRunOptions& options,
                              const AnalysisRunCallbacks& callbacks = {},
                              const std::atomic<bool>* cancel = nullptr);

} // namespace densito
