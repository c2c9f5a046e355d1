#include "core/io/overlay_renderer.h"

#include "core/io/png_writer.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

namespace densito {
namespace {

const cv::Scalar kGreen(60, 170, 40);
const cv::Scalar kOrange(0, 140, 255);
const cv::Scalar kRed(0, 0, 230);
const cv::Scalar kPurple(170, 40, 150);
const cv::Scalar kLaneColour(200, 140, 0);
const cv::Scalar kText(30, 30, 30);

cv::Scalar bandColour(std::uint32_t flags) {
    if ((flags & kBandSaturated) != 0) {
        return kRed;
    }
    if ((flags & kBandWeak) != 0) {
        return kOrange;
    }
    if ((flags & (kBandEdge | kBandOverlap)) != 0) {
        return kPurple;
    }
    return kGreen;
}

} // namespace

cv::Mat renderOverlay(const cv::Mat& signal, const cv::Mat& raw, const cv::Mat& validMask,
                      const SignalModel& model, const BlotAnalysis& analysis,
                      const OverlayLegend& legend, std::span<const StripCalibration> calibrations) {
    const double scale = std::min(1.0, 2000.0 / signal.cols);
    cv::Mat small;
    if (scale < 1.0) {
        resizeByScale(signal, small, scale, cv::INTER_AREA);
    } else {
        small = signal;
    }
    std::vector<float> values(small.begin<float>(), small.end<float>());
    std::sort(values.begin(), values.end());
    const double low = values[values.size() / 200];
    const double high =
        std::max<double>(values[values.size() - 1 - values.size() / 500], low + 1e-6);
    cv::Mat grey;
    small.convertTo(grey, CV_8U, -255.0 / (high - low), 255.0 * high / (high - low));
    cv::Mat picture;
    if (!validMask.empty()) {
        // Padding (transparent pixels) is not image: draw it as paper, not as signal.
        cv::Mat padding = validMask == 0;
        if (scale < 1.0) {
            cv::resize(padding, padding, grey.size(), 0, 0, cv::INTER_NEAREST);
        }
        grey.setTo(255, padding);
    }
    cv::cvtColor(grey, picture, cv::COLOR_GRAY2BGR);

    if (std::isfinite(model.saturationRaw)) {
        cv::Mat saturated = model.polarity == Polarity::LightBands ? raw >= model.saturationRaw
                                                                   : raw <= model.saturationRaw;
        if (!validMask.empty()) {
            saturated &= validMask;
        }
        if (scale < 1.0) {
            cv::resize(saturated, saturated, picture.size(), 0, 0, cv::INTER_AREA);
            saturated = saturated > 0;
        }
        picture.setTo(kRed, saturated);
    }

    auto at = [scale](double v) {
        return static_cast<int>(std::lround(v * scale));
    };
    const int thickness = std::max(1, static_cast<int>(std::lround(2 * std::max(scale, 0.5))));
    const double fontScale = std::clamp(picture.cols / 1400.0, 0.35, 0.8);
    for (const Strip& strip : analysis.strips) {
        const cv::Rect r = strip.region;
        cv::rectangle(picture, cv::Point(at(r.x), at(r.y)),
                      cv::Point(at(r.x + r.width - 1), at(r.y + r.height - 1)), kLaneColour, 1,
                      cv::LINE_AA);
        if (analysis.strips.size() > 1) {
            cv::putText(picture, fmt::format("strip {}", strip.index),
                        cv::Point(at(r.x) + 3, at(r.y) + 14), cv::FONT_HERSHEY_SIMPLEX, fontScale,
                        kLaneColour, 1, cv::LINE_AA);
        }
    }
    for (const Lane& lane : analysis.lanes) {
        const Strip* strip = nullptr;
        for (const Strip& s : analysis.strips) {
            if (s.index == lane.strip) {
                strip = &s;
            }
        }
        if (strip == nullptr) {
            continue;
        }
        const double top = strip->region.y;
        const double bottom = strip->region.y + strip->region.height - 1;
        // Through every bend point, so a bent lane is drawn as it was measured.
        std::vector<double> rows = {top};
        for (const LaneBendPoint& point : lane.bend) {
            if (point.yPx > top && point.yPx < bottom) {
                rows.push_back(point.yPx);
            }
        }
        rows.push_back(bottom);
        for (const double edge : {lane.leftPx - lane.xCenterPx, lane.rightPx - lane.xCenterPx}) {
            for (std::size_t i = 1; i < rows.size(); ++i) {
                cv::line(picture, cv::Point(at(lane.centreAt(rows[i - 1]) + edge), at(rows[i - 1])),
                         cv::Point(at(lane.centreAt(rows[i]) + edge), at(rows[i])), kLaneColour, 1,
                         cv::LINE_AA);
            }
        }
        const std::string label = std::to_string(lane.index);
        int baseline = 0;
        const cv::Size size =
            cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, fontScale, 1, &baseline);
        cv::putText(picture, label,
                    cv::Point(at(lane.centreAt(top)) - size.width / 2, at(top) + size.height + 20),
                    cv::FONT_HERSHEY_SIMPLEX, fontScale, kLaneColour, 1, cv::LINE_AA);
    }
    for (const Band& band : analysis.bands) {
        const cv::Rect& b = band.box;
        cv::rectangle(picture, cv::Point(at(b.x), at(b.y)),
                      cv::Point(at(b.x + b.width - 1), at(b.y + b.height - 1)),
                      bandColour(band.flags), thickness, cv::LINE_AA);
    }
    for (const StripCalibration& calibration : calibrations) {
        const Strip* strip = nullptr;
        for (const Strip& s : analysis.strips) {
            if (s.index == calibration.strip) {
                strip = &s;
            }
        }
        for (const LadderCalibration& ladder : calibration.ladders) {
            // Labels go outward: left of a ladder in the strip's left half, else right.
            const bool isLeftSide =
                strip == nullptr ||
                ladder.lane.xCenterPx < strip->region.x + 0.5 * strip->region.width;
            for (const MarkerBand& marker : ladder.markers) {
                const double edge = isLeftSide ? ladder.lane.leftPx - ladder.lane.xCenterPx
                                               : ladder.lane.rightPx - ladder.lane.xCenterPx;
                const int x = at(ladder.lane.centreAt(marker.yPx) + edge);
                const int y = at(marker.yPx);
                const int tick = 6;
                cv::line(picture, cv::Point(x, y), cv::Point(x + (isLeftSide ? -tick : tick), y),
                         kText, 1, cv::LINE_AA);
                const std::string label = fmt::format("{:g}", marker.kda);
                int baseline = 0;
                const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX,
                                                      fontScale * 0.85, 1, &baseline);
                const int textX = isLeftSide ? std::max(0, x - tick - 2 - size.width)
                                             : std::min(picture.cols - size.width, x + tick + 2);
                cv::putText(picture, label, cv::Point(textX, y + size.height / 2),
                            cv::FONT_HERSHEY_SIMPLEX, fontScale * 0.85, kText, 1, cv::LINE_AA);
            }
        }
    }

    // Legend strip under the picture.
    const int lineHeight = static_cast<int>(std::lround(22 * fontScale / 0.5));
    cv::Mat legendStrip(3 * lineHeight + 8, picture.cols, CV_8UC3, cv::Scalar(255, 255, 255));
    cv::putText(legendStrip, legend.fileName, cv::Point(6, lineHeight), cv::FONT_HERSHEY_SIMPLEX,
                fontScale, kText, 1, cv::LINE_AA);
    cv::putText(legendStrip, legend.parameters, cv::Point(6, 2 * lineHeight),
                cv::FONT_HERSHEY_SIMPLEX, fontScale * 0.85, kText, 1, cv::LINE_AA);
    int x = 6;
    for (const auto& [colour, name] :
         {std::pair{kGreen, "ok"}, std::pair{kOrange, "weak"}, std::pair{kRed, "saturated"},
          std::pair{kPurple, "edge/overlap"}, std::pair{kLaneColour, "lanes"}}) {
        const int y = 3 * lineHeight;
        cv::rectangle(legendStrip, cv::Point(x, y - lineHeight / 2),
                      cv::Point(x + lineHeight / 2, y), colour, cv::FILLED);
        x += lineHeight / 2 + 4;
        cv::putText(legendStrip, name, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, fontScale * 0.85,
                    kText, 1, cv::LINE_AA);
        int baseline = 0;
        x += cv::getTextSize(name, cv::FONT_HERSHEY_SIMPLEX, fontScale * 0.85, 1, &baseline).width +
             14;
    }
    cv::Mat result;
    cv::vconcat(picture, legendStrip, result);
    return result;
}

std::vector<std::uint8_t> encodePng(const cv::Mat& image) {
    return writePng(image);
}

} // namespace densito
