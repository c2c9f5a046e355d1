// Shared by the ZDF bench programs (zdf_reference, zdf_experiment): reading the plain CSV files
// in ../shared/real_blots/zdf_beta_adrenoceptor_alphainnotech/quant and the authors' ROI boxes.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace densito::zdf {

/// One CSV row by column name.
using CsvRow = std::map<std::string, std::string>;

/// Reads one of the quant/ CSV files. They hold no quoted fields (checked when they were
/// written), so a plain split on commas suffices and the bench needs no CSV library.
inline std::vector<CsvRow> readCsv(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<CsvRow> rows;
    auto split = [](std::string text) {
        if (!text.empty() && text.back() == '\r') {
            text.pop_back(); // some of the files have CRLF line ends
        }
        std::vector<std::string> fields;
        std::stringstream stream(text);
        for (std::string field; std::getline(stream, field, ',');) {
            fields.push_back(field);
        }
        if (!text.empty() && text.back() == ',') {
            fields.emplace_back(); // getline drops a trailing empty field
        }
        return fields;
    };
    std::string line;
    std::vector<std::string> header;
    if (std::getline(in, line)) {
        header = split(line);
    }
    while (std::getline(in, line)) {
        const auto fields = split(line);
        CsvRow row;
        for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) {
            row[header[i]] = fields[i];
        }
        rows.push_back(row);
    }
    return rows;
}

/// The value at quantile `q` (nearest rank); NaN for no values.
inline double percentile(std::vector<double> values, double q) {
    if (values.empty()) {
        return std::nan("");
    }
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(
        std::lround(q * static_cast<double>(values.size() - 1)))];
}

/// (image file, ROI number) of one of the authors' boxes.
using RoiKey = std::pair<std::string, int>;

/// The authors' boxes from roi_boxes_from_stp.csv. The .stp coordinates are inclusive
/// (SOURCE.md: AREA = the pixel count with inclusive corners), hence the +1.
inline std::map<RoiKey, cv::Rect> readRoiBoxes(const std::filesystem::path& path) {
    std::map<RoiKey, cv::Rect> boxes;
    for (const CsvRow& row : readCsv(path)) {
        const int x1 = std::stoi(row.at("x1"));
        const int y1 = std::stoi(row.at("y1"));
        const int x2 = std::stoi(row.at("x2"));
        const int y2 = std::stoi(row.at("y2"));
        boxes[{row.at("image_file"), std::stoi(row.at("roi"))}] =
            cv::Rect(cv::Point(x1, y1), cv::Point(x2 + 1, y2 + 1));
    }
    return boxes;
}

} // namespace densito::zdf
