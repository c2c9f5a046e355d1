#include "core/pipeline/strip_edit.h"

#include "core/detect/band_detector.h"
#include "core/detect/detection_map.h"
#include "core/detect/lane_detector.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <utility>

namespace densito {
namespace {

/// A strip and the index it had before the edit (0: a new one).
struct NumberedStrip {
    int oldIndex = 0;
    Strip strip;
};

/// Numbers strips as detectStrips numbers membrane pieces (strip_detector.cpp, orderedStrips):
/// by their tops; a strip overlapping the first of a tier vertically by more than half the
/// smaller height joins that tier; each tier left to right.
void numberStrips(std::vector<NumberedStrip>& strips) {
    std::stable_sort(strips.begin(), strips.end(), [](const auto& a, const auto& b) {
        return a.strip.region.y < b.strip.region.y;
    });
    std::size_t tierStart = 0;
    for (std::size_t i = 0; i <= strips.size(); ++i) {
        const bool endsTier = i == strips.size() || [&] {
            const cv::Rect& first = strips[tierStart].strip.region;
            const cv::Rect& next = strips[i].strip.region;
            const int overlap =
                std::min(first.y + first.height, next.y + next.height) - std::max(first.y, next.y);
            return overlap <= std::min(first.height, next.height) / 2;
        }();
        if (endsTier && i > tierStart) {
            std::stable_sort(
                strips.begin() + static_cast<std::ptrdiff_t>(tierStart),
                strips.begin() + static_cast<std::ptrdiff_t>(i),
                [](const auto& a, const auto& b) { return a.strip.region.x < b.strip.region.x; });
            tierStart = i;
        }
    }
    for (std::size_t i = 0; i < strips.size(); ++i) {
        strips[i].strip.index = static_cast<int>(i) + 1;
    }
}

bool hasStrip(const ImageGeometry& geometry, int index) {
    return std::any_of(geometry.strips.begin(), geometry.strips.end(),
                       [&](const Strip& s) { return s.index == index; });
}

/// The strips of `geometry` but `left`, each with its index as the old one.
std::vector<NumberedStrip> stripsBut(const ImageGeometry& geometry, int left) {
    std::vector<NumberedStrip> strips;
    for (const Strip& strip : geometry.strips) {
        if (strip.index != left) {
            strips.push_back({strip.index, strip});
        }
    }
    return strips;
}

/// Sentences about one strip begin "strip N: " (detectLanes writes them so): those of
/// `dropped` go, the others take their strip's new number; the rest stay.
std::vector<std::string> renumberedSentences(const std::vector<std::string>& sentences,
                                             const std::map<int, int>& renumbered, int dropped) {
    std::vector<std::string> kept;
    for (const std::string& sentence : sentences) {
        int index = 0;
        int length = 0;
        if (std::sscanf(sentence.c_str(), "strip %d: %n", &index, &length) != 1 || length == 0) {
            kept.push_back(sentence);
            continue;
        }
        if (index == dropped) {
            continue;
        }
        const auto found = renumbered.find(index);
        kept.push_back(found == renumbered.end()
                           ? sentence
                           : fmt::format("strip {}: {}", found->second,
                                         sentence.substr(static_cast<std::size_t>(length))));
    }
    return kept;
}

/// `geometry` with its strips replaced by `strips` (renumbered): the lanes and bands of each
/// strip that stayed follow it; a new strip (old index 0) takes `added`'s.
StripEdit rebuilt(const ImageGeometry& geometry, const std::vector<NumberedStrip>& strips,
                  const StripContents* added, int dropped) {
    StripEdit edit;
    edit.geometry = geometry;
    ImageGeometry& result = edit.geometry;
    result.strips.clear();
    result.lanes.clear();
    result.bands.clear();
    for (const NumberedStrip& each : strips) {
        const int index = each.strip.index;
        result.strips.push_back(each.strip);
        if (each.oldIndex != 0) {
            edit.renumbered[each.oldIndex] = index;
        }
        const bool isAdded = added != nullptr && each.oldIndex == 0;
        for (Lane lane : isAdded ? added->lanes : geometry.lanes) {
            if (isAdded || lane.strip == each.oldIndex) {
                lane.strip = index;
                result.lanes.push_back(std::move(lane));
            }
        }
        for (BandGeometry band : isAdded ? added->bands : geometry.bands) {
            if (isAdded || band.candidate.strip == each.oldIndex) {
                band.candidate.strip = index;
                result.bands.push_back(band);
            }
        }
    }
    result.warnings = renumberedSentences(geometry.warnings, edit.renumbered, dropped);
    result.reviewReasons = renumberedSentences(geometry.reviewReasons, edit.renumbered, dropped);
    if (added != nullptr) {
        result.warnings.insert(result.warnings.end(), added->warnings.begin(),
                               added->warnings.end());
        result.reviewReasons.insert(result.reviewReasons.end(), added->reviewReasons.begin(),
                                    added->reviewReasons.end());
    }
    resolveAutomaticBackground(result);
    return edit;
}

} // namespace

std::expected<StripContents, Error> detectStripContents(const cv::Mat& signal,
                                                        const cv::Mat& validMask,
                                                        const cv::Rect& region, int index,
                                                        int expectedLanes) {
    const cv::Rect clipped = region & cv::Rect(0, 0, signal.cols, signal.rows);
    if (clipped.area() == 0) {
        return std::unexpected(Error{{},
                                     fmt::format("the region {};{};{};{} lies outside the "
                                                 "{}x{} image",
                                                 region.x, region.y, region.width, region.height,
                                                 signal.cols, signal.rows)});
    }
    StripContents contents;
    contents.strip = {index, clipped, true};
    const DetectionMap map = makeDetectionMap(signal, validMask);
    LaneDetectionOptions options;
    options.expectedLanes = expectedLanes;
    StripLanes found = detectLanes(map, contents.strip, options, contents.warnings);
    contents.reviewReasons = std::move(found.reviewReasons);
    contents.lanes = std::move(found.lanes);
    for (const BandCandidate& candidate : detectBands(signal, contents.strip, contents.lanes)) {
        contents.bands.push_back({candidate, false});
    }
    return contents;
}

std::expected<int, Error> stripIndexFor(const ImageGeometry& geometry, const cv::Rect& region,
                                        int replaced) {
    std::vector<NumberedStrip> strips = stripsBut(geometry, replaced);
    for (const NumberedStrip& other : strips) {
        if ((other.strip.region & region).area() > 0) {
            return std::unexpected(
                Error{{}, fmt::format("the region overlaps strip {}", other.strip.index)});
        }
    }
    strips.push_back({0, {0, region}});
    numberStrips(strips);
    const auto added = std::find_if(strips.begin(), strips.end(),
                                    [](const NumberedStrip& s) { return s.oldIndex == 0; });
    return added->strip.index;
}

std::expected<StripEdit, Error> withStripContents(const ImageGeometry& geometry, int replaced,
                                                  StripContents contents) {
    if (replaced != 0 && !hasStrip(geometry, replaced)) {
        return std::unexpected(Error{{}, fmt::format("there is no strip {}", replaced)});
    }
    const auto index = stripIndexFor(geometry, contents.strip.region, replaced);
    if (!index) {
        return std::unexpected(index.error());
    }
    std::vector<NumberedStrip> strips = stripsBut(geometry, replaced);
    strips.push_back({0, contents.strip});
    numberStrips(strips);
    // What was said about a replaced strip is said again by its new detection.
    StripEdit edit = rebuilt(geometry, strips, &contents, replaced);
    if (replaced != 0) {
        edit.renumbered[replaced] = *index;
    }
    return edit;
}

std::expected<StripEdit, Error> withoutStrip(const ImageGeometry& geometry, int strip) {
    if (!hasStrip(geometry, strip)) {
        return std::unexpected(Error{{}, fmt::format("there is no strip {}", strip)});
    }
    std::vector<NumberedStrip> strips = stripsBut(geometry, strip);
    numberStrips(strips);
    return rebuilt(geometry, strips, nullptr, strip);
}

} // namespace densito
