#pragma once

#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"
#include "core/error.h"
#include "core/io/edit_history.h"
#include "core/pipeline/image_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// The `format` tag of a project file (ARCHITECTURE.md "Project file (.densito)").
inline constexpr std::string_view kProjectFormat = "densito-project";
/// The project format version this Densito writes; it reads this one and older.
/// Version 2: the layout's `exclude` (flag kinds left out of the statistics) replaced
/// version 1's `keep_flagged` (true: none; false: saturated, weak, outside_linear_range).
/// Version 3: the layout's `normalizer_order` ("total,stain,loading"); older projects read
/// with the order they were computed with, total,loading,stain.
inline constexpr int kProjectVersion = 3;

/// An experiment layout kept in a project: both sheets' text exactly as read, and the
/// options that parse them, so that re-opening the project parses them with the same code as
/// the command line (parseProjectLayout).
struct ProjectLayout {
    std::string blotsFileName = "blots.csv"; ///< names the sheet in messages
    std::string blotsCsv;                    ///< the sheet's bytes, verbatim
    std::string samplesFileName = "samples.csv";
    std::string samplesCsv;
    std::string control; ///< `--control`; empty = the condition named "control"
    /// `--panel`: a target panel JSON extending the built-in one; empty = none. Absolute in
    /// memory, relative to the project file's folder on disk (like image paths).
    std::filesystem::path panelPath;
    ExclusionPolicy exclude;                                   ///< `--exclude` / `--keep-flagged`
    std::vector<std::string> factors;                          ///< `--factors A,B`; empty = none
    NormalizerOrder normalizerOrder = kDefaultNormalizerOrder; ///< `--normalizer-order`

    friend bool operator==(const ProjectLayout&, const ProjectLayout&) = default;
};

/// One image of a project: which file, the settings it is analysed with, and its geometry.
struct ProjectImage {
    /// Absolute in memory; on disk relative to the project file's folder with '/' separators
    /// (absolute only when no relative path leads there), so the folder can be moved whole.
    std::filesystem::path path;
    std::string sha256; ///< of the whole file when it was added, lowercase hex
    std::uintmax_t sizeBytes = 0;
    AnalysisSettings settings; ///< page, polarity, lanes, strip regions, background
    ImageGeometry geometry;

    friend bool operator==(const ProjectImage&, const ProjectImage&) = default;
};

enum class ImageFileProblem {
    Missing,    ///< no file at the path
    Changed,    ///< another size or SHA-256 than when it was saved
    Unreadable, ///< there, but it could not be read
};

/// An image file of a project that is not as it was when the project was saved.
struct ImageFileIssue {
    std::size_t image = 0; ///< index into Project::images
    ImageFileProblem problem = ImageFileProblem::Missing;
    /// One line: the project file, the image's place in it, its path and what is wrong, e.g.
    /// `blots.densito: images[1]: /data/b.tif: not found`.
    std::string message;

    friend bool operator==(const ImageFileIssue&, const ImageFileIssue&) = default;
};

/// A Densito project: images with their settings and geometry, and the experiment layout.
struct Project {
    AnalysisSettings settings; ///< for images added later (the command line's options)
    std::vector<ProjectImage> images;
    std::optional<ProjectLayout> layout;
    /// Every edit a person made, in the order made (optional in the file: none in projects
    /// written before it was kept).
    std::vector<EditRecord> history;
    /// Image files missing or changed, found by readProject (checkImageFiles); never saved.
    /// The project is still usable: a caller can ask the user to locate the files.
    std::vector<ImageFileIssue> imageIssues;

    friend bool operator==(const Project&, const Project&) = default;
};

/// The project entry of an analysed image: its file (absolute path, SHA-256, size), the
/// settings it was analysed with and the geometry found.
ProjectImage projectImageOf(const ImageResult& result, const AnalysisSettings& settings);

/// The project document (format tag, version, settings, images, layout, history). Paths are written
/// relative to `projectFolder`. Doubles are written in the shortest form that reads back to
/// the same value; a non-finite one is written as null, which fromJson refuses (writeProject
/// checks before writing). Sheets that are not UTF-8 are written in base64.
nlohmann::json toJson(const Project& project, const std::filesystem::path& projectFolder);

/// The project in `json`, with paths resolved against `projectFolder`. Validates the format
/// tag, the version (newer than kProjectVersion: an error naming both versions) and every
/// field; errors have `fileName` as subject and say where, e.g. subject `blots.densito`,
/// reason `images[2].geometry.lanes[0].left: missing`. Unknown fields are ignored. Does not
/// look at the image files. Never throws.
std::expected<Project, Error> fromJson(const nlohmann::json& json,
                                       const std::filesystem::path& projectFolder,
                                       const std::string& fileName);

/// Reads a project file: fromJson() of its JSON, then checkImageFiles() into
/// Project::imageIssues. Errors name the file by its file name. Never throws.
std::expected<Project, Error> readProject(const std::filesystem::path& path);

/// As readProject(path), for a copy kept elsewhere (an autosave): image paths resolve against
/// `projectFolder` and messages name `fileName` (the user's project), not the copy.
std::expected<Project, Error> readProject(const std::filesystem::path& path,
                                          const std::filesystem::path& projectFolder,
                                          const std::string& fileName);

/// Writes the project to `path` atomically (writeFileAtomically), after copying the file it
/// replaces, if any, to `<path>.bak` (e.g. `blots.densito.bak`); nothing is written when the
/// document would not read back (a non-finite number), or the copy fails. Never throws.
std::expected<void, Error> writeProject(const Project& project, const std::filesystem::path& path);

/// Each image file that is missing, unreadable, or not the file that was saved (its size,
/// then its SHA-256, differs). `fileName` names the project file in the messages. Reads every
/// image file whole to hash it.
std::vector<ImageFileIssue> checkImageFiles(const Project& project, const std::string& fileName);

/// The project's layout parsed and checked as readLayout() does with the sheets' files (and
/// loadTargetPanel() with the panel file).
std::expected<Layout, std::vector<Error>> parseProjectLayout(const ProjectLayout& layout);

} // namespace densito
