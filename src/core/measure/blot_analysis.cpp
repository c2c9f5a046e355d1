#include "core/measure/blot_analysis.h"

#include <array>
#include <utility>

namespace densito {

double Lane::bendAt(double y) const {
    if (bend.empty()) {
        return 0.0;
    }
    if (y <= bend.front().yPx) {
        return bend.front().dxPx;
    }
    for (std::size_t i = 1; i < bend.size(); ++i) {
        if (y <= bend[i].yPx) {
            const LaneBendPoint& a = bend[i - 1];
            const LaneBendPoint& b = bend[i];
            const double t = b.yPx > a.yPx ? (y - a.yPx) / (b.yPx - a.yPx) : 1.0;
            return a.dxPx + t * (b.dxPx - a.dxPx);
        }
    }
    return bend.back().dxPx;
}

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
