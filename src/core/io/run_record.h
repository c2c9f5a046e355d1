#pragma once

#include "core/error.h"
#include "core/pipeline/image_inspection.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace densito {

struct FailedInput {
    std::filesystem::path path;
    Error error;
};

/// Provenance of one run: what was asked, what each input was, what failed.
struct RunRecord {
    std::string command;
    nlohmann::json parameters = nlohmann::json::object();
    std::vector<ImageInspection> inputs; ///< in input order
    /// Per input (same order, may be shorter): extra fields merged into its run.json entry,
    /// such as what the analysis found.
    std::vector<nlohmann::json> inputDetails;
    std::vector<FailedInput> failed; ///< in input order
    std::size_t notStarted = 0;      ///< inputs skipped because the run was interrupted
    bool isInterrupted = false;
    double totalSeconds = 0.0;
};

/// The run.json document (ARCHITECTURE.md "Outputs"): version, parameters, each input's
/// SHA-256, size, bit depth, polarity and saturation, warnings, failures and timings.
nlohmann::json toJson(const RunRecord& record);

/// JSON for one inspected input (also used by the GUI's metadata panel).
nlohmann::json toJson(const ImageInspection& inspection);

} // namespace densito
