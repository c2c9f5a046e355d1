#include "support/synthetic_blot.h"

#include "core/synth/ladder_blot.h"

#include "support/tiff_writer.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>

namespace densito::test {

cv::Mat makeSyntheticBlot(const SyntheticBlotSpec& spec) {
    cv::Mat values(spec.height, spec.width, CV_64FC1, cv::Scalar(spec.background));
    const double pitch = static_cast<double>(spec.width) / spec.lanes;
    const double laneSigmaX = pitch * 0.22;
    // Bands 2-8 px sigma along migration, as on real blots of a few hundred pixels.
    const double bandSigmaY = std::clamp(spec.height / (spec.bandRows * 10.0), 2.0, 8.0);
    for (int lane = 0; lane < spec.lanes; ++lane) {
        const double cx = pitch * (lane + 0.5);
        const double amplitude = spec.peak * (0.4 + 0.6 * (lane + 1) / spec.lanes);
        for (int row = 0; row < spec.bandRows; ++row) {
            const double cy = spec.height * (row + 1.0) / (spec.bandRows + 1.0);
            for (int y = 0; y < spec.height; ++y) {
                const double gy = std::exp(-0.5 * std::pow((y - cy) / bandSigmaY, 2));
                auto* out = values.ptr<double>(y);
                for (int x = 0; x < spec.width; ++x) {
                    // Flat-topped lane profile: bands fill the lane width, as on a real blot.
                    const double dx = std::max(0.0, std::abs(x - cx) - laneSigmaX);
                    out[x] +=
                        amplitude * gy * std::exp(-0.5 * std::pow(dx / (0.3 * laneSigmaX), 2));
                }
            }
        }
    }
    std::mt19937_64 random(spec.seed);
    std::normal_distribution<double> noise(0.0, spec.noiseSigma);
    cv::Mat image(spec.height, spec.width, CV_16UC1);
    for (int y = 0; y < spec.height; ++y) {
        for (int x = 0; x < spec.width; ++x) {
            const double v =
                std::clamp(values.at<double>(y, x) + noise(random), 0.0, spec.clipLevel);
            image.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(std::lround(v));
        }
    }
    return image;
}

cv::Mat invert16(const cv::Mat& image) {
    cv::Mat inverted;
    cv::subtract(cv::Scalar(65535), image, inverted);
    return inverted;
}

bool writeSyntheticBlots(const std::filesystem::path& folder, int count) {
    std::filesystem::create_directories(folder);
    for (int n = 1; n <= count; ++n) {
        SyntheticBlotSpec spec;
        spec.seed = static_cast<std::uint64_t>(n);
        if (!cv::imwrite((folder / ("blot_" + std::to_string(n) + ".tif")).string(),
                         makeSyntheticBlot(spec))) {
            return false;
        }
    }
    return true;
}

bool writeTwoLadderBlot(const std::filesystem::path& file) {
    LadderBlotParams params;
    params.seed = 2;
    params.hasTwoLadders = true;
    const auto ladderBlot = generateLadderBlot(params);
    if (!ladderBlot) {
        return false;
    }
    writeTiff(file, {ladderBlot->blot.raw});
    return std::filesystem::exists(file);
}

} // namespace densito::test
