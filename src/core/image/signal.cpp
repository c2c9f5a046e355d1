#include "core/image/signal.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace densito {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Value at quantile q (0..1) of a float sample; reorders `values`.
float quantile(std::vector<float>& values, double q) {
    const auto index = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                     values.end());
    return values[index];
}

/// True when `count` pixels at an extreme value stand far above the counts of the values
/// just inside it: a detector clipping pile-up rather than the tail of a band.
bool isPileUp(std::uint64_t count, double neighbourMean, std::uint64_t totalPixels) {
    // A handful of identical top values where the values just inside are sparse is already
    // clipping: a smooth band peak reaches its maximum in one or two pixels.
    const double minimum = std::max(4.0, 1e-6 * static_cast<double>(totalPixels));
    return static_cast<double>(count) >= minimum &&
           static_cast<double>(count) >= 8.0 * neighbourMean + 3.0;
}

SaturationLevels integerLevels(const cv::Mat& raw, const cv::Mat& validMask) {
    const int levels = raw.depth() == CV_8U ? 256 : 65536;
    std::vector<std::uint64_t> histogram(static_cast<std::size_t>(levels), 0);
    for (int y = 0; y < raw.rows; ++y) {
        const std::uint8_t* valid = validMask.empty() ? nullptr : validMask.ptr<std::uint8_t>(y);
        if (raw.depth() == CV_8U) {
            const auto* row = raw.ptr<std::uint8_t>(y);
            for (int x = 0; x < raw.cols; ++x) {
                histogram[row[x]] += valid == nullptr || valid[x] != 0 ? 1 : 0;
            }
        } else {
            const auto* row = raw.ptr<std::uint16_t>(y);
            for (int x = 0; x < raw.cols; ++x) {
                histogram[row[x]] += valid == nullptr || valid[x] != 0 ? 1 : 0;
            }
        }
    }
    int highest = levels - 1;
    while (highest > 0 && histogram[static_cast<std::size_t>(highest)] == 0) {
        --highest;
    }
    int lowest = 0;
    while (lowest < levels - 1 && histogram[static_cast<std::size_t>(lowest)] == 0) {
        ++lowest;
    }
    // Values stored in steps (a 12-bit camera in the top bits of a 16-bit file, an 8-bit
    // picture widened to 16 bits) leave empty levels between the occupied ones; the
    // neighbours of an extreme are then the levels one step apart, not the empty ones.
    int step = 0;
    for (int v = lowest + 1; v <= highest && step != 1; ++v) {
        if (histogram[static_cast<std::size_t>(v)] != 0) {
            step = std::gcd(step, v - lowest);
        }
    }
    step = std::max(step, 1);
    const int window = levels == 256 ? 8 : 64;
    // Mean count of the `window` levels next to `from`, stepping in `direction` (+1, -1).
    auto neighbourMean = [&](int from, int direction) {
        double sum = 0;
        int count = 0;
        for (int k = 1; k <= window; ++k) {
            const int v = from + direction * k * step;
            if (v < 0 || v >= levels) {
                break;
            }
            sum += static_cast<double>(histogram[static_cast<std::size_t>(v)]);
            ++count;
        }
        return count == 0 ? 0.0 : sum / count;
    };
    const auto total = static_cast<std::uint64_t>(
        validMask.empty() ? raw.total() : static_cast<std::size_t>(cv::countNonZero(validMask)));
    SaturationLevels result;
    result.upperRaw = levels - 1;
    if (highest < levels - 1 && highest > lowest &&
        isPileUp(histogram[static_cast<std::size_t>(highest)], neighbourMean(highest, -1), total)) {
        result.upperRaw = highest;
        result.upperIsPileUp = true;
    }
    result.lowerRaw = 0;
    if (lowest > 0 && lowest < highest &&
        isPileUp(histogram[static_cast<std::size_t>(lowest)], neighbourMean(lowest, +1), total)) {
        result.lowerRaw = lowest;
        result.lowerIsPileUp = true;
    }
    return result;
}

SaturationLevels floatLevels(const cv::Mat& raw, const cv::Mat& validMask) {
    const cv::Mat valid =
        validMask.empty() ? cv::Mat(raw.size(), CV_8UC1, cv::Scalar(255)) : validMask;
    double low = 0;
    double high = 0;
    cv::minMaxLoc(raw, &low, &high, nullptr, nullptr, valid);
    const auto total = static_cast<std::uint64_t>(cv::countNonZero(valid));
    const double minimum = std::max(10.0, 1e-6 * static_cast<double>(total));
    SaturationLevels result{kInfinity, false, -kInfinity, false};
    const auto atHigh = static_cast<double>(cv::countNonZero((raw == high) & valid));
    const auto atLow = static_cast<double>(cv::countNonZero((raw == low) & valid));
    if (high > low && atHigh >= minimum) {
        result.upperRaw = high;
        result.upperIsPileUp = true;
    }
    if (high > low && atLow >= minimum) {
        result.lowerRaw = low;
        result.lowerIsPileUp = true;
    }
    return result;
}

} // namespace

const char* toString(Polarity polarity) {
    return polarity == Polarity::LightBands ? "light-bands" : "dark-bands";
}

const char* toString(PolarityMode mode) {
    switch (mode) {
    case PolarityMode::Auto:
        return "auto";
    case PolarityMode::LightBands:
        return "light-bands";
    case PolarityMode::DarkBands:
        return "dark-bands";
    }
    return "?";
}

std::optional<PolarityMode> parsePolarityMode(std::string_view text) {
    if (text == "auto") {
        return PolarityMode::Auto;
    }
    if (text == "light-bands") {
        return PolarityMode::LightBands;
    }
    if (text == "dark-bands") {
        return PolarityMode::DarkBands;
    }
    return std::nullopt;
}

void resizeByScale(const cv::Mat& source, cv::Mat& result, double scale, int interpolation) {
    const cv::Size scaled(cvRound(source.cols * scale), cvRound(source.rows * scale));
    if (scaled.width >= 1 && scaled.height >= 1) {
        cv::resize(source, result, cv::Size(), scale, scale, interpolation);
    } else {
        cv::resize(source, result, {std::max(1, scaled.width), std::max(1, scaled.height)}, 0, 0,
                   interpolation);
    }
}

PolarityEstimate estimatePolarity(const cv::Mat& raw, const cv::Mat& validMask) {
    // Reduce first (area averaging works on the stored type), then convert the small copy.
    cv::Mat values;
    cv::Mat valid;
    const double longSide = std::max(raw.cols, raw.rows);
    if (longSide > 512) {
        const double scale = 512.0 / longSide;
        cv::Mat reduced;
        resizeByScale(raw, reduced, scale, cv::INTER_AREA);
        reduced.convertTo(values, CV_32F);
        if (validMask.empty()) { // all content: the reduced mask directly, not a full-size one
            valid = cv::Mat(values.size(), CV_8UC1, cv::Scalar(255));
        } else {
            cv::resize(validMask, valid, values.size(), 0, 0, cv::INTER_AREA);
            valid = valid == 255; // only blocks made entirely of image content
        }
    } else {
        raw.convertTo(values, CV_32F);
        valid =
            validMask.empty() ? cv::Mat(raw.size(), CV_8UC1, cv::Scalar(255)) : validMask.clone();
    }
    std::vector<float> sample;
    sample.reserve(values.total());
    for (int y = 0; y < values.rows; ++y) {
        for (int x = 0; x < values.cols; ++x) {
            if (valid.at<std::uint8_t>(y, x) != 0) {
                sample.push_back(values.at<float>(y, x));
            }
        }
    }
    if (sample.size() < 16) {
        return {Polarity::LightBands, 0.0, false};
    }
    const double low = static_cast<double>(quantile(sample, 0.001));
    const double high = static_cast<double>(quantile(sample, 0.999));
    if (!(high > low)) {
        return {Polarity::LightBands, 0.0, false};
    }
    // Padding takes the typical level, so that its edge is not mistaken for a band.
    values.setTo(static_cast<double>(quantile(sample, 0.5)), valid == 0);
    // Large-window median as the background: symmetric, and blind to bands narrower than
    // half the window. medianBlur takes any window size only on 8-bit data.
    cv::Mat levels;
    values.convertTo(levels, CV_8U, 255.0 / (high - low), -255.0 * low / (high - low));
    const int shortSide = std::min(levels.cols, levels.rows);
    const int window = std::max(3, (shortSide / 3) | 1);
    cv::Mat background;
    cv::medianBlur(levels, background, std::min(window, 255));
    cv::Mat residual;
    cv::subtract(levels, background, residual, cv::noArray(), CV_32F);

    residual.setTo(0.0f, valid == 0);
    std::vector<float> deviations;
    deviations.reserve(sample.size());
    for (int y = 0; y < residual.rows; ++y) {
        for (int x = 0; x < residual.cols; ++x) {
            if (valid.at<std::uint8_t>(y, x) != 0) {
                deviations.push_back(std::abs(residual.at<float>(y, x)));
            }
        }
    }
    const double noiseSigma = 1.4826 * static_cast<double>(quantile(deviations, 0.5));
    const double threshold = std::max(3.0 * noiseSigma, 1.0);
    double lighter = 0;
    double darker = 0;
    for (auto it = residual.begin<float>(); it != residual.end<float>(); ++it) {
        const double r = static_cast<double>(*it);
        if (r > threshold) {
            lighter += r - threshold;
        } else if (r < -threshold) {
            darker += -r - threshold;
        }
    }
    const double epsilon = 1e-3 * static_cast<double>(deviations.size());
    const double score = std::log((lighter + epsilon) / (darker + epsilon));
    return {score >= 0 ? Polarity::LightBands : Polarity::DarkBands, score,
            std::abs(score) >= std::log(1.5)};
}

SaturationLevels findSaturationLevels(const cv::Mat& raw, const cv::Mat& validMask) {
    return raw.depth() == CV_32F ? floatLevels(raw, validMask) : integerLevels(raw, validMask);
}

SignalModel describeSignal(const Image& image, PolarityMode mode,
                           std::vector<std::string>& warnings) {
    SignalModel model;
    if (mode == PolarityMode::Auto) {
        const PolarityEstimate estimate = estimatePolarity(image.raw, image.validMask);
        model.polarity = estimate.polarity;
        model.polarityScore = estimate.score;
        model.isPolarityConfident = estimate.isConfident;
        if (!estimate.isConfident) {
            warnings.push_back(fmt::format(
                "polarity is unclear from the pixels (score {:.2f}); took {}; set the polarity "
                "if that is wrong",
                estimate.score, toString(estimate.polarity)));
        }
    } else {
        model.polarity =
            mode == PolarityMode::LightBands ? Polarity::LightBands : Polarity::DarkBands;
        model.isPolarityFromPixels = false;
    }

    const SaturationLevels levels = findSaturationLevels(image.raw, image.validMask);
    const bool isFloat = image.raw.depth() == CV_32F;
    if (model.polarity == Polarity::LightBands) {
        model.saturationRaw = levels.upperRaw;
        model.saturationSource = levels.upperIsPileUp ? "detector clipping"
                                 : isFloat            ? "unknown (float data)"
                                                      : "type maximum";
        model.signalReference = 0.0;
    } else {
        model.saturationRaw = levels.lowerRaw;
        model.saturationSource = levels.lowerIsPileUp ? "detector clipping"
                                 : isFloat            ? "unknown (float data)"
                                                      : "type minimum";
        double low = 0;
        double high = 0;
        cv::minMaxLoc(image.raw, &low, &high, nullptr, nullptr, image.validMask);
        model.signalReference = isFloat ? high : typeMaximum(image.raw);
    }
    if (std::isfinite(model.saturationRaw)) {
        cv::Mat saturated = model.polarity == Polarity::LightBands
                                ? image.raw >= model.saturationRaw
                                : image.raw <= model.saturationRaw;
        if (!image.validMask.empty()) {
            saturated &= image.validMask;
        }
        model.saturatedPixels = static_cast<std::uint64_t>(cv::countNonZero(saturated));
    }
    return model;
}

cv::Mat bandsPositiveSignal(const cv::Mat& raw, const SignalModel& model) {
    cv::Mat signal;
    bandsPositiveSignal(raw, model, signal);
    return signal;
}

void bandsPositiveSignal(const cv::Mat& raw, const SignalModel& model, cv::Mat& signal) {
    if (model.polarity == Polarity::LightBands) {
        raw.convertTo(signal, CV_32F);
    } else {
        raw.convertTo(signal, CV_32F, -1.0, model.signalReference);
    }
}

bool isSaturated(double rawValue, const SignalModel& model) {
    return model.polarity == Polarity::LightBands ? rawValue >= model.saturationRaw
                                                  : rawValue <= model.saturationRaw;
}

} // namespace densito
