#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// A protein molecular-weight marker (ladder) product: the apparent masses of its bands.
struct MarkerSet {
    std::string name;                 ///< e.g. "PageRuler Plus Prestained"
    std::vector<std::string> aliases; ///< other names and catalogue numbers
    std::vector<double> kda;          ///< band masses top to bottom (strictly decreasing)
    std::string source;               ///< the vendor document the masses come from
};

/// The marker sets Densito knows by name, embedded at build time from
/// resources/marker_sets.json, in file order.
const std::vector<MarkerSet>& builtInMarkerSets();

/// The kDa list a samples.csv ladder row's `sample` denotes, top to bottom: a built-in marker
/// set's name, alias or catalogue number (case-insensitive, ignoring spaces and punctuation),
/// or a `;`-separated list of at least two masses in kDa ("250;130;100"), sorted descending.
/// The error text says what is wrong and, for an unknown name, lists the known names.
std::expected<std::vector<double>, std::string> markerKdaOf(std::string_view text);

} // namespace densito
