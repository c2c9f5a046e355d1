#include "core/synth/ladder_blot.h"

#include "core/synth/synth_random.h"

#include <algorithm>
#include <cmath>

namespace densito {

namespace {

/// The heaviest and lightest mass the migration law spans from the wells to the gel bottom:
/// just beyond a 250-10 kDa ladder, as a 4-20% gel shows it.
constexpr double kTopKda = 320.0;
constexpr double kBottomKda = 8.0;
/// Sample masses are drawn log-uniformly from this range, inside the ladder's.
constexpr double kLightestSampleKda = 12.0;
constexpr double kHeaviestSampleKda = 200.0;
/// Sample rows at least this far apart (in row position) stay separate bands.
constexpr double kMinSampleSeparation = 0.08;
/// Band volumes in counts: peaks well above the noise, below the clipping level.
constexpr double kBandVolume = 4e5;
constexpr double kMarkerShare = 0.6; ///< marker volume over a sample band's
/// SynthRandom streams of the ladder layout, apart from those generateSyntheticBlot uses.
constexpr std::uint64_t kLadderStream = 0x1add3;

} // namespace

std::expected<LadderBlot, Error> generateLadderBlot(const LadderBlotParams& params) {
    // Its own stream: the scene's draws (smile, rotation, noise) stay those of the seed.
    SynthRandom random(params.seed, kLadderStream + (params.hasTwoLadders ? 1 : 0));
    LadderBlot result;
    result.bend = params.seed % 3 == 0 ? 0.0 : random.uniform(-0.35, 0.35);
    const double bend = result.bend;
    const auto position = [bend](double kda) {
        const double u = std::log(kTopKda / kda) / std::log(kTopKda / kBottomKda);
        return u + bend * u * (1.0 - u);
    };
    std::vector<double> sampleKda;
    while (static_cast<int>(sampleKda.size()) < params.sampleRows) {
        const double kda = random.logUniform(kLightestSampleKda, kHeaviestSampleKda);
        if (std::ranges::none_of(sampleKda, [&](double other) {
                return std::abs(position(kda) - position(other)) < kMinSampleSeparation;
            })) {
            sampleKda.push_back(kda);
        }
    }
    SynthParams synth;
    synth.seed = params.seed;
    synth.profile = SynthProfile::Realistic;
    synth.polarity = Polarity::LightBands;
    synth.widthPx = params.widthPx;
    synth.heightPx = params.heightPx;
    synth.lanes = params.lanes;
    synth.backgroundOffset = 1000.0;
    for (const double kda : params.markerKda) {
        synth.rows.push_back({position(kda), params.markerSigmaScale});
        result.rowKda.push_back(kda);
    }
    for (const double kda : sampleKda) {
        synth.rows.push_back({position(kda), params.sampleSigmaScale});
        result.rowKda.push_back(kda);
    }
    result.ladderLanes = {1};
    if (params.hasTwoLadders) {
        result.ladderLanes.push_back(params.lanes);
    }
    synth.bandVolumes.assign(static_cast<std::size_t>(params.lanes),
                             std::vector<double>(result.rowKda.size(), 0.0));
    for (int lane = 1; lane <= params.lanes; ++lane) {
        const bool isLadder =
            std::ranges::find(result.ladderLanes, lane) != result.ladderLanes.end();
        for (std::size_t r = 0; r < result.rowKda.size(); ++r) {
            const bool isMarker = r < params.markerKda.size();
            if (isMarker == isLadder) {
                synth.bandVolumes[static_cast<std::size_t>(lane - 1)][r] =
                    (isMarker ? kMarkerShare : 1.0) * random.uniform(0.6, 1.4) * kBandVolume;
            }
        }
    }
    auto blot = generateSyntheticBlot(synth);
    if (!blot) {
        return std::unexpected(blot.error());
    }
    result.blot = std::move(*blot);
    return result;
}

} // namespace densito
