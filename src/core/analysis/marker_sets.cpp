#include "core/analysis/marker_sets.h"

#include "core/analysis/builtin_marker_sets.h"
#include "core/analysis/csv_table.h"
#include "core/analysis/target_panel.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace densito {
namespace {

std::vector<MarkerSet> parseBuiltIn() {
    std::vector<MarkerSet> sets;
    const nlohmann::json document = nlohmann::json::parse(kBuiltInMarkerSetsJson);
    for (const nlohmann::json& entry : document.at("marker_sets")) {
        MarkerSet set;
        set.name = entry.at("name").get<std::string>();
        set.aliases = entry.at("aliases").get<std::vector<std::string>>();
        set.kda = entry.at("kda").get<std::vector<double>>();
        set.source = entry.at("source").get<std::string>();
        sets.push_back(std::move(set));
    }
    return sets;
}

} // namespace

const std::vector<MarkerSet>& builtInMarkerSets() {
    // resources/marker_sets.json is checked by a test (names, strictly decreasing kDa), so a
    // parse failure here is a build defect, not a user error.
    static const std::vector<MarkerSet> sets = parseBuiltIn();
    return sets;
}

std::expected<std::vector<double>, std::string> markerKdaOf(std::string_view text) {
    const std::string_view given = trimmed(text);
    if (given.find(';') != std::string_view::npos) {
        std::vector<double> kda;
        std::size_t start = 0;
        while (start <= given.size()) {
            const std::size_t end = std::min(given.find(';', start), given.size());
            const std::string_view item = trimmed(given.substr(start, end - start));
            const auto number = parseDecimalNumber(item, false);
            if (!number || *number <= 0) {
                return std::unexpected(fmt::format(
                    "\"{}\" in the marker list \"{}\" is not a mass in kDa (a number above 0)",
                    item, given));
            }
            kda.push_back(*number);
            start = end + 1;
        }
        std::ranges::sort(kda, std::greater<>());
        if (std::ranges::adjacent_find(kda) != kda.end()) {
            return std::unexpected(fmt::format("the marker list \"{}\" repeats a mass", given));
        }
        return kda;
    }
    const std::string key = targetKey(given);
    std::vector<std::string> known;
    for (const MarkerSet& set : builtInMarkerSets()) {
        known.push_back(set.name);
        if (!key.empty() && (targetKey(set.name) == key ||
                             std::ranges::any_of(set.aliases, [&](const std::string& alias) {
                                 return targetKey(alias) == key;
                             }))) {
            return set.kda;
        }
    }
    return std::unexpected(
        fmt::format("\"{}\" is not a known marker set ({}) nor a `;`-separated kDa list such as "
                    "\"250;130;100;70;55;35;25;15\"",
                    given, fmt::join(known, ", ")));
}

} // namespace densito
