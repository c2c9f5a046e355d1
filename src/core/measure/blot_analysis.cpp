#include "core/measure/blot_analysis.h"

#include <array>
#include <utility>

namespace densito {

std::string bandFlagsText(std::uint32_t flags) {
    static constexpr std::array<std::pair<BandFlag, const char*>, 5> kNames = {{
        {kBandSaturated, "saturated"},
        {kBandWeak, "weak"},
        {kBandEdge, "edge"},
        {kBandOverlap, "overlap"},
        {kBandSplit, "split"},
    }};
    std::string text;
    for (const auto& [flag, name] : kNames) {
        if ((flags & flag) != 0) {
            if (!text.empty()) {
                text += ';';
            }
            text += name;
        }
    }
    return text;
}

} // namespace densito
