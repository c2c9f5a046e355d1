#include "support/run_folder_check.h"

#include "support/file_io.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>

namespace densito::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> splitFields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');) {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',') {
        fields.emplace_back();
    }
    return fields;
}

/// Checks one CSV: header, whole lines of the header's width, rows naming exactly `images`.
void checkCsv(const fs::path& path, const std::string& header, const std::set<std::string>& images,
              std::vector<std::string>& problems) {
    const std::string name = path.filename().string();
    const std::string text = readText(path);
    if (text.empty() || text.back() != '\n') {
        problems.push_back(name + ": empty or its last line is cut off");
        return;
    }
    const std::vector<std::string> lines = readLines(path);
    if (lines.front() != header) {
        problems.push_back(name + ": header is '" + lines.front() + "'");
        return;
    }
    const std::size_t width = splitFields(header).size();
    std::set<std::string> named;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> fields = splitFields(lines[i]);
        if (fields.size() != width) {
            problems.push_back(name + ": line " + std::to_string(i + 1) + " has " +
                               std::to_string(fields.size()) + " fields: " + lines[i]);
            return;
        }
        named.insert(fields.front());
    }
    if (named != images) {
        problems.push_back(name + ": has rows for " + std::to_string(named.size()) +
                           " images, run.json lists " + std::to_string(images.size()));
    }
}

/// Reads run.json into `check`, adding the files it promises to `expected` and the analysed
/// images to `images`; JSON that does not parse or lacks a field is a problem too.
void readRunJson(const fs::path& out, std::size_t total, RunFolderCheck& check,
                 std::set<std::string>& expected, std::set<std::string>& images) {
    try {
        const nlohmann::json run = readJson(out / "run.json");
        for (const auto& input : run.at("inputs")) {
            const auto file = input.at("file").get<std::string>();
            check.finished.push_back(file);
            images.insert(file);
            const std::string overlay = "overlays/" + fs::path(file).stem().string() + ".png";
            if (input.at("overlay") != overlay) {
                check.problems.push_back("run.json: " + file + " has overlay " +
                                         input.at("overlay").dump());
            }
            expected.insert(overlay);
            if (cv::imread((out / overlay).string(), cv::IMREAD_UNCHANGED).empty()) {
                check.problems.push_back(overlay + ": missing or does not decode");
            }
        }
        const auto& summary = run.at("summary");
        check.isInterrupted = summary.at("interrupted").get<bool>();
        check.notStarted = summary.at("not_started").get<std::size_t>();
        const auto analysed = summary.at("analysed").get<std::size_t>();
        if (analysed != check.finished.size() || !run.at("failed").empty()) {
            check.problems.push_back("run.json: summary " + summary.dump() + " disagrees with " +
                                     std::to_string(check.finished.size()) + " inputs, " +
                                     std::to_string(run.at("failed").size()) + " failed");
        }
        if (analysed + check.notStarted != total) {
            check.problems.push_back("run.json: " + std::to_string(analysed) + " analysed + " +
                                     std::to_string(check.notStarted) +
                                     " not started != " + std::to_string(total) + " images");
        }
        if (!check.isInterrupted && check.notStarted != 0) {
            check.problems.push_back("run.json: images not started in a run not interrupted");
        }
    } catch (const std::exception& e) {
        check.problems.push_back(std::string("run.json: ") + e.what());
    }
}

} // namespace

RunFolderCheck checkRunFolder(const fs::path& out, std::size_t total) {
    RunFolderCheck check;
    std::set<std::string> expected{"bands.csv", "lanes.csv", "overlays", "run.json"};
    std::set<std::string> images;
    readRunJson(out, total, check, expected, images);

    std::set<std::string> found;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
        found.insert(fs::relative(it->path(), out).string());
    }
    for (const std::string& name : found) {
        if (!expected.contains(name)) {
            check.problems.push_back("unexpected file " + name);
        }
    }
    for (const std::string& name : expected) {
        if (!found.contains(name)) {
            check.problems.push_back("missing file " + name);
        }
    }
    checkCsv(out / "lanes.csv", "image,lane,x_center,left,right,strip,kind,confidence", images,
             check.problems);
    checkCsv(out / "bands.csv",
             "image,lane,band,x,y,width,height,volume,strip,background,peak,saturated_pixels,snr,"
             "flags,mw_kda,peak_y",
             images, check.problems);
    return check;
}

std::string describeProblems(const RunFolderCheck& check) {
    std::string text;
    for (const std::string& problem : check.problems) {
        text += problem + "\n";
    }
    return text;
}

} // namespace densito::test
