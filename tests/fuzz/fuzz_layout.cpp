// Fuzz target for the layout sheets: the input is blots.csv, a NUL byte, then samples.csv.
// Both are parsed and validated as the command line does; a valid layout is then quantified
// with made-up band volumes for every lane it names, and its CSV files are formatted, so
// that whatever a sheet can express reaches the normalisation and statistics code.
#include "core/analysis/analysis_csv.h"
#include "core/analysis/csv_table.h"
#include "core/analysis/layout_sheets.h"
#include "core/analysis/quantification.h"
#include "core/measure/blot_analysis.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Volumes that vary with lane and row, including zero and negative ones (a band weaker than
// its background), and some flagged bands.
std::vector<densito::MeasuredBand> madeUpBands(const densito::Layout& layout) {
    std::vector<densito::MeasuredBand> bands;
    for (const auto& row : layout.blots) {
        for (const auto& sample : layout.samples) {
            if (sample.membrane != row.membrane) {
                continue;
            }
            const int code = (sample.lane * 7 + row.line * 13) % 11;
            densito::MeasuredBand band;
            band.membrane = row.membrane;
            band.lane = sample.lane;
            band.target = row.target;
            band.site = row.site;
            band.measure = row.measure;
            band.volume = code == 0 ? 0.0 : (code == 1 ? -25.0 : 100.0 * code);
            band.flags = code == 2 ? densito::kBandSaturated : 0U;
            band.image = row.image;
            bands.push_back(band);
        }
    }
    return bands;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = std::min(input.find('\0'), input.size());
    const auto blots = densito::parseCsv(input.substr(0, split), "blots.csv");
    const auto samples =
        densito::parseCsv(split < input.size() ? input.substr(split + 1) : "", "samples.csv");
    if (!blots || !samples) {
        return 0;
    }
    const auto layout = densito::parseLayout(*blots, *samples, densito::LayoutSettings{});
    if (!layout) {
        for (const auto& error : layout.error()) {
            (void)error.describe();
        }
        return 0;
    }
    std::vector<std::string> imageNames;
    for (const auto& row : layout->blots) {
        imageNames.push_back(row.image);
    }
    (void)densito::checkLayoutAgainstImages(*layout, imageNames,
                                            [](const densito::BlotRow&) { return 9; });
    const auto bands = madeUpBands(*layout);
    const auto quantification = densito::quantify(*layout, bands, {});
    if (quantification) {
        (void)densito::quantificationCsv(quantification->lanes);
        (void)densito::summaryCsv(quantification->summary);
        (void)densito::contrastsCsv(quantification->contrasts);
        (void)densito::foldChangeWideCsv(quantification->lanes);
    }
    return 0;
}
