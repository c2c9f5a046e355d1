#include "document/display_rendering.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace densito {
namespace {

constexpr std::size_t kMaxFloatSamples = 2'000'000;

bool isContent(const cv::Mat& validMask, int x, int y) {
    return validMask.empty() || validMask.at<std::uint8_t>(y, x) != 0;
}

/// Rank `q` of `count` sorted values as an index: the nearest-rank definition.
std::uint64_t rankOf(double q, std::uint64_t count) {
    const double index = std::clamp(q, 0.0, 1.0) * static_cast<double>(count - 1);
    return static_cast<std::uint64_t>(std::llround(index));
}

DisplayRange integerRange(const cv::Mat& raw, const cv::Mat& validMask, double lowQuantile,
                          double highQuantile) {
    const std::size_t levels = raw.depth() == CV_8U ? 256 : 65536;
    std::vector<std::uint64_t> histogram(levels, 0);
    std::uint64_t count = 0;
    for (int y = 0; y < raw.rows; ++y) {
        for (int x = 0; x < raw.cols; ++x) {
            if (!isContent(validMask, x, y)) {
                continue;
            }
            const std::size_t value =
                raw.depth() == CV_8U ? raw.at<std::uint8_t>(y, x) : raw.at<std::uint16_t>(y, x);
            ++histogram[value];
            ++count;
        }
    }
    if (count == 0) {
        return {0.0, static_cast<double>(levels - 1)};
    }
    const std::uint64_t lowRank = rankOf(lowQuantile, count);
    const std::uint64_t highRank = rankOf(highQuantile, count);
    DisplayRange range;
    bool hasLow = false;
    std::uint64_t seen = 0;
    for (std::size_t value = 0; value < levels; ++value) {
        seen += histogram[value];
        if (!hasLow && seen > lowRank) {
            range.lowRaw = static_cast<double>(value);
            hasLow = true;
        }
        if (seen > highRank) {
            range.highRaw = static_cast<double>(value);
            break;
        }
    }
    return range;
}

DisplayRange floatRange(const cv::Mat& raw, const cv::Mat& validMask, double lowQuantile,
                        double highQuantile) {
    const std::size_t total = raw.total();
    const std::size_t stride = std::max<std::size_t>(1, total / kMaxFloatSamples);
    std::vector<float> samples;
    samples.reserve(total / stride + 1);
    for (std::size_t i = 0; i < total; i += stride) {
        const int y = static_cast<int>(i / static_cast<std::size_t>(raw.cols));
        const int x = static_cast<int>(i % static_cast<std::size_t>(raw.cols));
        const float value = raw.at<float>(y, x);
        if (std::isfinite(value) && isContent(validMask, x, y)) {
            samples.push_back(value);
        }
    }
    if (samples.empty()) {
        return {0.0, 1.0};
    }
    auto valueAtRank = [&](std::uint64_t rank) {
        const auto at = samples.begin() + static_cast<std::ptrdiff_t>(rank);
        std::nth_element(samples.begin(), at, samples.end());
        return static_cast<double>(*at);
    };
    const auto count = static_cast<std::uint64_t>(samples.size());
    return {valueAtRank(rankOf(lowQuantile, count)), valueAtRank(rankOf(highQuantile, count))};
}

} // namespace

DisplayRange robustDisplayRange(const cv::Mat& raw, const cv::Mat& validMask, double lowQuantile,
                                double highQuantile) {
    DisplayRange range = raw.depth() == CV_32F
                             ? floatRange(raw, validMask, lowQuantile, highQuantile)
                             : integerRange(raw, validMask, lowQuantile, highQuantile);
    if (!(range.highRaw > range.lowRaw)) {
        // A flat image still needs a non-empty range; one raw step (or a relative step for
        // float data) keeps it readable instead of dividing by zero.
        // At the top of an integer type the step goes down, so both ends stay storable values.
        if (raw.depth() == CV_32F) {
            range.highRaw = range.lowRaw + std::max(std::abs(range.lowRaw) * 1e-3, 1e-12);
        } else if (range.lowRaw >= typeMaximum(raw)) {
            range.lowRaw = range.highRaw - 1.0;
        } else {
            range.highRaw = range.lowRaw + 1.0;
        }
    }
    return range;
}

int displayGrey(double rawValue, DisplayRange range, bool highIsDark) {
    const double place = (rawValue - range.lowRaw) / (range.highRaw - range.lowRaw);
    const double curved = range.gamma == 1.0 ? std::clamp(place, 0.0, 1.0)
                                             : std::pow(std::clamp(place, 0.0, 1.0), range.gamma);
    const int grey = std::isnan(place) ? 0 : static_cast<int>(std::lround(curved * 255.0));
    return highIsDark ? 255 - grey : grey;
}

QImage renderDisplayImage(const cv::Mat& raw, const cv::Mat& validMask, DisplayRange range,
                          bool highIsDark, int maskedGrey) {
    QImage display(raw.cols, raw.rows, QImage::Format_Grayscale8);
    const auto masked = static_cast<std::uint8_t>(std::clamp(maskedGrey, 0, 255));
    std::vector<std::uint8_t> lookup;
    if (raw.depth() != CV_32F) {
        lookup.resize(raw.depth() == CV_8U ? 256 : 65536);
        for (std::size_t value = 0; value < lookup.size(); ++value) {
            lookup[value] = static_cast<std::uint8_t>(
                displayGrey(static_cast<double>(value), range, highIsDark));
        }
    }
    for (int y = 0; y < raw.rows; ++y) {
        std::uint8_t* out = display.scanLine(y);
        const std::uint8_t* valid = validMask.empty() ? nullptr : validMask.ptr<std::uint8_t>(y);
        for (int x = 0; x < raw.cols; ++x) {
            std::uint8_t grey = masked;
            if (valid == nullptr || valid[x] != 0) {
                switch (raw.depth()) {
                case CV_8U:
                    grey = lookup[raw.ptr<std::uint8_t>(y)[x]];
                    break;
                case CV_16U:
                    grey = lookup[raw.ptr<std::uint16_t>(y)[x]];
                    break;
                default:
                    grey = static_cast<std::uint8_t>(
                        displayGrey(static_cast<double>(raw.ptr<float>(y)[x]), range, highIsDark));
                    break;
                }
            }
            out[x] = grey;
        }
    }
    return display;
}

QImage renderSaturationOverlay(const cv::Mat& raw, const cv::Mat& validMask,
                               const SignalModel& model) {
    if (!std::isfinite(model.saturationRaw) || model.saturatedPixels == 0) {
        return {};
    }
    QImage overlay(raw.cols, raw.rows, QImage::Format_Indexed8);
    overlay.setColorTable({qRgba(0, 0, 0, 0), qRgba(255, 0, 0, 255)});
    overlay.fill(0);
    for (int y = 0; y < raw.rows; ++y) {
        std::uint8_t* out = overlay.scanLine(y);
        const std::uint8_t* valid = validMask.empty() ? nullptr : validMask.ptr<std::uint8_t>(y);
        for (int x = 0; x < raw.cols; ++x) {
            if ((valid == nullptr || valid[x] != 0) && isSaturated(rawAt(raw, x, y), model)) {
                out[x] = 1;
            }
        }
    }
    return overlay;
}

double rawAt(const cv::Mat& raw, int x, int y) {
    switch (raw.depth()) {
    case CV_8U:
        return raw.at<std::uint8_t>(y, x);
    case CV_16U:
        return raw.at<std::uint16_t>(y, x);
    default:
        return static_cast<double>(raw.at<float>(y, x));
    }
}

} // namespace densito
