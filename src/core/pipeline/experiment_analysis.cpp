#include "core/pipeline/experiment_analysis.h"

#include "core/detect/profile_tools.h"
#include "core/measure/lane_total.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace densito {
namespace {

/// blots.csv names images by path or file name; analyses are known by file name.
std::string fileNameOf(std::string_view image) {
    return std::filesystem::path(image).filename().string();
}

bool isRowOf(const BlotRow& row, std::string_view imageName) {
    return fileNameOf(row.image) == imageName;
}

cv::Rect toRect(const PixelRegion& region) {
    return {region.x, region.y, region.width, region.height};
}

/// The distinct regions the rows of one image give, in order of first appearance.
std::vector<PixelRegion> regionsOf(const Layout& layout, std::string_view imageName) {
    std::vector<PixelRegion> regions;
    for (const BlotRow& row : layout.blots) {
        if (isRowOf(row, imageName) && row.region &&
            std::find(regions.begin(), regions.end(), *row.region) == regions.end()) {
            regions.push_back(*row.region);
        }
    }
    return regions;
}

std::map<std::string, int> highestLaneByMembrane(const Layout& layout) {
    std::map<std::string, int> highest;
    for (const SampleRow& sample : layout.samples) {
        int& lane = highest[sample.membrane];
        lane = std::max(lane, sample.lane);
    }
    for (const LadderRow& ladder : layout.ladders) {
        int& lane = highest[ladder.membrane];
        lane = std::max(lane, ladder.lane);
    }
    return highest;
}

/// The kind of every lane samples.csv names on `membrane`: ladder rows are ladders.
std::map<int, LaneKind> laneKindsOf(const Layout& layout, const std::string& membrane) {
    std::map<int, LaneKind> kinds;
    for (const SampleRow& sample : layout.samples) {
        if (sample.membrane == membrane) {
            kinds[sample.lane] = LaneKind::Sample;
        }
    }
    for (const LadderRow& ladder : layout.ladders) {
        if (ladder.membrane == membrane) {
            kinds[ladder.lane] = LaneKind::Ladder;
        }
    }
    return kinds;
}

const BlotAnalysis* findAnalysis(std::span<const NamedAnalysis> analyses,
                                 std::string_view imageName) {
    for (const NamedAnalysis& named : analyses) {
        if (named.imageName == imageName) {
            return named.analysis;
        }
    }
    return nullptr;
}

const NamedAnalysis* findNamed(std::span<const NamedAnalysis> analyses,
                               std::string_view imageName) {
    for (const NamedAnalysis& named : analyses) {
        if (named.imageName == imageName) {
            return &named;
        }
    }
    return nullptr;
}

Error rowError(const Layout& layout, const BlotRow& row, std::string reason) {
    return {fmt::format("{}:{}", layout.blotsFile, row.line), std::move(reason)};
}

/// Lane centres of one strip, left to right.
std::vector<double> laneCentres(const BlotAnalysis& analysis, int strip) {
    std::vector<double> centres;
    for (const Lane& lane : analysis.lanes) {
        if (lane.strip == strip) {
            centres.push_back(lane.xCenterPx);
        }
    }
    return centres;
}

/// Whether a stain row is measured in the lanes of another image of its membrane.
bool isGridBorrowed(const Layout& layout, const BlotRow& row,
                    std::span<const NamedAnalysis> analyses) {
    const StainLaneGrid grid = stainLaneGrid(layout, row, analyses);
    return !grid.gridImage.empty() && grid.gridImage != fileNameOf(row.image);
}

} // namespace

AnalysisSettings experimentSettingsFor(const Layout& layout, std::string_view imageName,
                                       const AnalysisSettings& base) {
    AnalysisSettings settings = base;
    const std::vector<PixelRegion> regions = regionsOf(layout, imageName);
    for (const PixelRegion& region : regions) {
        settings.stripRegions.push_back(toRect(region));
    }
    const std::map<std::string, int> highest = highestLaneByMembrane(layout);
    std::map<int, int> expected;
    std::map<int, std::map<int, LaneKind>> kindsByStrip;
    std::map<int, bool> isShared; // a strip whose membranes disagree on the lanes
    for (const BlotRow& row : layout.blots) {
        if (!isRowOf(row, imageName)) {
            continue;
        }
        int strip = row.strip.value_or(1);
        if (row.strip && regions.empty()) {
            settings.expectedStrips = std::max(settings.expectedStrips, *row.strip);
        }
        if (row.region) {
            strip = static_cast<int>(std::find(regions.begin(), regions.end(), *row.region) -
                                     regions.begin()) +
                    1;
        }
        const auto lanes = highest.find(row.membrane);
        if (lanes == highest.end()) {
            continue;
        }
        const auto [entry, isNew] = expected.emplace(strip, lanes->second);
        if (!isNew && entry->second != lanes->second) {
            isShared[strip] = true;
        }
        const std::map<int, LaneKind> membraneKinds = laneKindsOf(layout, row.membrane);
        const auto [kinds, isFirst] = kindsByStrip.emplace(strip, membraneKinds);
        if (!isFirst && kinds->second != membraneKinds) {
            isShared[strip] = true;
        }
    }
    for (const auto& [strip, lanes] : expected) {
        if (!isShared[strip]) {
            settings.expectedLanesByStrip[strip] = lanes;
            settings.laneKindsByStrip[strip] = kindsByStrip[strip];
        }
    }
    return settings;
}

std::vector<Error> checkLayoutAgainstAnalyses(const Layout& layout,
                                              std::span<const NamedAnalysis> analyses,
                                              const std::vector<std::string>& imageNames) {
    std::vector<Error> problems = checkStripsOfLayout(layout, analyses);
    for (Error& problem :
         checkLayoutAgainstImages(layout, imageNames, lanesFoundIn(layout, analyses))) {
        problems.push_back(std::move(problem));
    }
    return problems;
}

std::vector<Error> checkStripsOfLayout(const Layout& layout,
                                       std::span<const NamedAnalysis> analyses) {
    std::vector<Error> problems;
    std::map<std::string, bool> reportedMix;
    for (const BlotRow& row : layout.blots) {
        const std::string name = fileNameOf(row.image);
        const BlotAnalysis* analysis = findAnalysis(analyses, name);
        if (analysis == nullptr) {
            continue;
        }
        if (row.measure == Measure::Stain && isGridBorrowed(layout, row, analyses)) {
            continue; // measured in another image's strip and lanes, whatever its own show
        }
        const bool hasRegions = !regionsOf(layout, name).empty();
        if (hasRegions && !row.region) {
            if (!reportedMix[name]) {
                problems.push_back(rowError(
                    layout, row,
                    fmt::format("image {} has rows with `region` and rows without; give every row "
                                "of this image a region",
                                name)));
                reportedMix[name] = true;
            }
            continue;
        }
        if (row.region) {
            continue;
        }
        const int strips = static_cast<int>(analysis->strips.size());
        if (row.strip && *row.strip > strips) {
            problems.push_back(
                rowError(layout, row,
                         fmt::format("column \"strip\": image {} holds {} strip{}, not {}", name,
                                     strips, strips == 1 ? "" : "s", *row.strip)));
        } else if (!row.strip && strips > 1) {
            problems.push_back(rowError(
                layout, row,
                fmt::format("image {} holds {} strips; say which with `strip` (1-based, top to "
                            "bottom, then left to right) or `region`",
                            name, strips)));
        }
    }
    return problems;
}

int stripOfRow(const Layout& layout, const BlotRow& row, const BlotAnalysis& analysis) {
    const int strips = static_cast<int>(analysis.strips.size());
    if (row.region) {
        const std::vector<PixelRegion> regions = regionsOf(layout, fileNameOf(row.image));
        const auto found = std::find(regions.begin(), regions.end(), *row.region);
        const int index = static_cast<int>(found - regions.begin()) + 1;
        const bool isAnalysed = std::any_of(analysis.strips.begin(), analysis.strips.end(),
                                            [&](const Strip& s) { return s.index == index; });
        return isAnalysed ? index : 0;
    }
    if (row.strip) {
        return *row.strip <= strips ? *row.strip : 0;
    }
    return strips == 1 ? analysis.strips.front().index : 0;
}

LanesFound lanesFoundIn(const Layout& layout, std::span<const NamedAnalysis> analyses) {
    return [&layout, analyses](const BlotRow& row) -> std::optional<int> {
        if (row.measure == Measure::Stain) {
            const StainLaneGrid grid = stainLaneGrid(layout, row, analyses);
            return grid.gridImage.empty() ? std::nullopt
                                          : std::optional(static_cast<int>(grid.lanes.size()));
        }
        const BlotAnalysis* analysis = findAnalysis(analyses, fileNameOf(row.image));
        const int strip = analysis != nullptr ? stripOfRow(layout, row, *analysis) : 0;
        if (strip == 0) {
            return std::nullopt;
        }
        return static_cast<int>(laneCentres(*analysis, strip).size());
    };
}

int bandRowOfRow(const BlotRow& row, const BlotAnalysis& analysis, int strip,
                 const StripCalibration* calibration) {
    if (row.band) {
        return *row.band;
    }
    if (calibration != nullptr && calibration->isUsable() && !row.targetMassesKda.empty()) {
        std::map<int, std::vector<double>> massesByRow;
        for (const Band& band : analysis.bands) {
            // A refused ladder's markers are no sample bands either.
            const bool isLadder = std::ranges::find(calibration->ladderLanes, band.lane) !=
                                  calibration->ladderLanes.end();
            if (band.strip != strip || isLadder) {
                continue;
            }
            if (const auto mass = calibration->kdaAt(bandXPx(band), bandYPx(band))) {
                massesByRow[band.row].push_back(*mass);
            }
        }
        const double wanted = std::log(row.targetMassesKda.front());
        int nearest = 0;
        double nearestDistance = 0.0;
        for (auto& [bandRow, masses] : massesByRow) {
            const double distance = std::abs(std::log(median(masses)) - wanted);
            if (nearest == 0 || distance < nearestDistance) {
                nearest = bandRow;
                nearestDistance = distance;
            }
        }
        if (nearest != 0) {
            return nearest;
        }
    }
    std::map<int, double> volumeByRow;
    for (const Band& band : analysis.bands) {
        if (band.strip == strip) {
            volumeByRow[band.row] += band.volume;
        }
    }
    int best = 0;
    for (const auto& [bandRow, volume] : volumeByRow) {
        if (best == 0 || volume > volumeByRow[best]) {
            best = bandRow;
        }
    }
    return best;
}

std::vector<StripCalibration> calibrationsOfImage(const Layout& layout,
                                                  const NamedAnalysis& image) {
    struct StripLadders {
        int strip = 0;
        std::vector<int> lanes;
        std::vector<std::vector<double>> kda;
    };
    std::vector<StripLadders> strips;
    for (const BlotRow& row : layout.blots) {
        if (!isRowOf(row, image.imageName)) {
            continue;
        }
        const int strip = stripOfRow(layout, row, *image.analysis);
        if (strip == 0) {
            continue;
        }
        auto entry = std::ranges::find(strips, strip, &StripLadders::strip);
        if (entry == strips.end()) {
            strips.push_back({strip, {}, {}});
            entry = strips.end() - 1;
        }
        for (const LadderRow& ladder : layout.ladders) {
            if (ladder.membrane == row.membrane &&
                std::ranges::find(entry->lanes, ladder.lane) == entry->lanes.end()) {
                entry->lanes.push_back(ladder.lane);
                entry->kda.push_back(ladder.kda);
            }
        }
    }
    std::vector<StripCalibration> calibrations;
    for (const StripLadders& strip : strips) {
        if (!strip.lanes.empty()) {
            calibrations.push_back(calibrateStrip(image.imageName, *image.analysis, strip.strip,
                                                  strip.lanes, strip.kda));
        }
    }
    return calibrations;
}

StainLaneGrid stainLaneGrid(const Layout& layout, const BlotRow& row,
                            std::span<const NamedAnalysis> analyses) {
    StainLaneGrid grid;
    const NamedAnalysis* stain = findNamed(analyses, fileNameOf(row.image));
    if (stain == nullptr) {
        return grid;
    }
    const auto gridOf = [&grid](const NamedAnalysis& named, int strip) {
        for (const Strip& s : named.analysis->strips) {
            if (s.index == strip) {
                grid.strip = s;
            }
        }
        for (const Lane& lane : named.analysis->lanes) {
            if (lane.strip == strip) {
                grid.lanes.push_back(lane);
            }
        }
        grid.gridImage = named.imageName;
    };
    for (const BlotRow& other : layout.blots) {
        if (other.membrane != row.membrane || other.measure == Measure::Stain) {
            continue;
        }
        const NamedAnalysis* named = findNamed(analyses, fileNameOf(other.image));
        if (named == nullptr || named == stain || named->imageSizePx.empty() ||
            named->imageSizePx != stain->imageSizePx) {
            continue;
        }
        const int strip = stripOfRow(layout, other, *named->analysis);
        if (strip != 0 && !laneCentres(*named->analysis, strip).empty()) {
            gridOf(*named, strip);
            return grid;
        }
    }
    if (const int stainStrip = stripOfRow(layout, row, *stain->analysis); stainStrip != 0) {
        gridOf(*stain, stainStrip);
    }
    return grid;
}

namespace {

/// The whole-lane measures of one stain row, one per samples.csv lane of its membrane.
std::expected<void, Error> measureStainRow(const Layout& layout, const BlotRow& row,
                                           std::span<const NamedAnalysis> analyses,
                                           const NamedAnalysis& named,
                                           std::vector<MeasuredBand>& measured,
                                           std::vector<std::string>& warnings) {
    if (named.signal == nullptr || named.signalModel == nullptr) {
        return std::unexpected(Error{named.imageName,
                                     "the pixels of this total-protein stain image were not kept "
                                     "for its whole-lane measures"});
    }
    const StainLaneGrid grid = stainLaneGrid(layout, row, analyses);
    const cv::Mat noMask;
    std::vector<int> withoutBackground;
    for (const SampleRow& sample : layout.samples) {
        if (sample.membrane != row.membrane) {
            continue;
        }
        const auto lane = std::find_if(grid.lanes.begin(), grid.lanes.end(),
                                       [&](const Lane& l) { return l.index == sample.lane; });
        if (lane == grid.lanes.end()) {
            continue;
        }
        std::optional<std::pair<int, int>> rows;
        if (row.laneRows) {
            rows = std::pair(row.laneRows->top, row.laneRows->bottom);
        }
        const LaneTotal total =
            measureLaneTotal(*named.signal, named.validMask != nullptr ? *named.validMask : noMask,
                             *named.signalModel, grid.strip, grid.lanes,
                             static_cast<std::size_t>(lane - grid.lanes.begin()), rows);
        if (total.rows == 0) {
            continue;
        }
        if (!total.hasBackground) {
            withoutBackground.push_back(sample.lane);
        }
        MeasuredBand m;
        m.membrane = row.membrane;
        m.lane = sample.lane;
        m.target = row.target;
        m.site = row.site;
        m.measure = row.measure;
        m.volume = total.volume;
        m.flags = total.saturatedPixels > 0 ? kBandSaturated : 0u;
        m.image = named.imageName;
        m.strip = grid.strip.index;
        m.bandRow = 0;
        measured.push_back(m);
    }
    if (!withoutBackground.empty()) {
        warnings.push_back(fmt::format(
            "{}:{}: stain {} lane{} {}: no membrane beside the lane to take the background from "
            "(lanes touching); integrated without background",
            layout.blotsFile, row.line, named.imageName, withoutBackground.size() == 1 ? "" : "s",
            fmt::join(withoutBackground, ", ")));
    }
    return {};
}

} // namespace

std::expected<std::vector<MeasuredBand>, Error>
measuredBandsOf(const Layout& layout, std::span<const NamedAnalysis> analyses,
                std::vector<std::string>& warnings,
                std::span<const StripCalibration> calibrations) {
    std::vector<MeasuredBand> measured;
    for (const BlotRow& row : layout.blots) {
        const NamedAnalysis* named = findNamed(analyses, fileNameOf(row.image));
        if (named == nullptr) {
            continue;
        }
        const BlotAnalysis* analysis = named->analysis;
        const int strip = stripOfRow(layout, row, *analysis);
        if (row.measure == Measure::Stain) {
            if (auto stain = measureStainRow(layout, row, analyses, *named, measured, warnings);
                !stain) {
                return std::unexpected(stain.error());
            }
            continue;
        }
        const StripCalibration* calibration =
            findCalibration(calibrations, named->imageName, strip);
        const int bandRow = strip > 0 ? bandRowOfRow(row, *analysis, strip, calibration) : 0;
        if (bandRow == 0) {
            continue;
        }
        for (const SampleRow& sample : layout.samples) {
            if (sample.membrane != row.membrane) {
                continue;
            }
            for (const Band& band : analysis->bands) {
                if (band.strip == strip && band.lane == sample.lane && band.row == bandRow) {
                    MeasuredBand m;
                    m.membrane = row.membrane;
                    m.lane = sample.lane;
                    m.target = row.target;
                    m.site = row.site;
                    m.measure = row.measure;
                    m.volume = band.volume;
                    m.flags = band.flags;
                    m.image = fileNameOf(row.image);
                    m.strip = strip;
                    m.bandRow = bandRow;
                    m.mwKda = bandMassKda(band, named->imageName, calibrations);
                    measured.push_back(m);
                }
            }
        }
    }
    return measured;
}

std::vector<std::string> phosphoTotalMassWarnings(std::span<const MeasuredBand> bands) {
    struct Pair {
        std::string membrane, target, site;
        std::vector<std::string> lanes; ///< "lane 3 (p 71.2 kDa, total 84.9 kDa)"
    };
    std::vector<Pair> pairs;
    for (const MeasuredBand& phospho : bands) {
        if (phospho.measure != Measure::Phospho || !phospho.mwKda) {
            continue;
        }
        for (const MeasuredBand& total : bands) {
            if (total.measure != Measure::Total || !total.mwKda ||
                total.membrane != phospho.membrane || total.lane != phospho.lane ||
                total.target != phospho.target) {
                continue;
            }
            const double difference =
                std::abs(*phospho.mwKda - *total.mwKda) / std::min(*phospho.mwKda, *total.mwKda);
            if (difference <= kPhosphoTotalMassTolerance) {
                continue;
            }
            auto pair = std::ranges::find_if(pairs, [&](const Pair& p) {
                return p.membrane == phospho.membrane && p.target == phospho.target &&
                       p.site == phospho.site;
            });
            if (pair == pairs.end()) {
                pairs.push_back({phospho.membrane, phospho.target, phospho.site, {}});
                pair = pairs.end() - 1;
            }
            pair->lanes.push_back(fmt::format("lane {} ({:.1f} vs {:.1f} kDa)", phospho.lane,
                                              *phospho.mwKda, *total.mwKda));
        }
    }
    std::vector<std::string> warnings;
    for (const Pair& pair : pairs) {
        warnings.push_back(fmt::format(
            "membrane \"{}\": the phospho{}{} and total {} bands differ in apparent mass by more "
            "than {:.0f}% in {}: are they the same protein? Check `band` in blots.csv",
            pair.membrane, pair.site.empty() ? "" : " ", pair.site, pair.target,
            100.0 * kPhosphoTotalMassTolerance, fmt::join(pair.lanes, ", ")));
    }
    return warnings;
}

std::vector<std::string> compareLaneGeometry(const Layout& layout,
                                             std::span<const NamedAnalysis> analyses) {
    struct Part {
        std::string image;
        int strip = 0;
        std::vector<double> centres;
    };
    std::map<std::string, std::vector<Part>> byMembrane;
    std::vector<std::string> membraneOrder;
    for (const BlotRow& row : layout.blots) {
        if (row.measure == Measure::Stain && isGridBorrowed(layout, row, analyses)) {
            continue; // its lanes are the other image's, not its own
        }
        const std::string name = fileNameOf(row.image);
        const BlotAnalysis* analysis = findAnalysis(analyses, name);
        const int strip = analysis != nullptr ? stripOfRow(layout, row, *analysis) : 0;
        if (strip == 0) {
            continue;
        }
        auto& parts = byMembrane[row.membrane];
        if (parts.empty()) {
            membraneOrder.push_back(row.membrane);
        }
        const bool isKnown = std::any_of(parts.begin(), parts.end(), [&](const Part& p) {
            return p.image == name && p.strip == strip;
        });
        if (!isKnown) {
            parts.push_back({name, strip, laneCentres(*analysis, strip)});
        }
    }
    std::vector<std::string> warnings;
    for (const std::string& membrane : membraneOrder) {
        const auto& parts = byMembrane[membrane];
        const Part& reference = parts.front();
        std::vector<double> spacings;
        for (std::size_t i = 1; i < reference.centres.size(); ++i) {
            spacings.push_back(reference.centres[i] - reference.centres[i - 1]);
        }
        const double pitch = median(spacings);
        for (std::size_t p = 1; p < parts.size(); ++p) {
            const Part& other = parts[p];
            if (other.centres.size() != reference.centres.size()) {
                warnings.push_back(fmt::format(
                    "membrane {}: {} (strip {}) shows {} lanes but {} (strip {}) shows {}; check "
                    "which lanes are paired",
                    membrane, other.image, other.strip, other.centres.size(), reference.image,
                    reference.strip, reference.centres.size()));
                continue;
            }
            if (reference.centres.size() < 2 || pitch <= 0) {
                continue;
            }
            double shift = 0;
            for (std::size_t i = 0; i < other.centres.size(); ++i) {
                shift += other.centres[i] - reference.centres[i];
            }
            shift /= static_cast<double>(other.centres.size());
            double largest = 0;
            for (std::size_t i = 0; i < other.centres.size(); ++i) {
                largest =
                    std::max(largest, std::abs(other.centres[i] - reference.centres[i] - shift));
            }
            if (largest > 0.25 * pitch) {
                warnings.push_back(fmt::format(
                    "membrane {}: lanes of {} (strip {}) differ from {} (strip {}) by up to {:.1f} "
                    "px ({:.2f} lane pitch) beyond their common shift; check which lanes are "
                    "paired",
                    membrane, other.image, other.strip, reference.image, reference.strip, largest,
                    largest / pitch));
            }
        }
    }
    return warnings;
}

} // namespace densito
