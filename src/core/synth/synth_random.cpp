#include "core/synth/synth_random.h"

#include <cmath>

namespace densito {

std::uint64_t splitMix64(std::uint64_t value) {
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

SynthRandom::SynthRandom(std::uint64_t seed, std::uint64_t stream)
    : m_engine(splitMix64(seed ^ splitMix64(stream))) {}

double SynthRandom::uniform() {
    return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
}

double SynthRandom::uniform(double lo, double hi) {
    return lo + (hi - lo) * uniform();
}

double SynthRandom::logUniform(double lo, double hi) {
    return std::exp(uniform(std::log(lo), std::log(hi)));
}

int SynthRandom::uniformInt(int lo, int hi) {
    if (hi <= lo) {
        return lo;
    }
    const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
    // Reject the top partial block of 2^64 so every value is equally likely.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t bits = m_engine();
    while (bits >= limit) {
        bits = m_engine();
    }
    return static_cast<int>(static_cast<std::int64_t>(lo) + static_cast<std::int64_t>(bits % span));
}

bool SynthRandom::chance(double p) {
    return uniform() < p;
}

double SynthRandom::normal() {
    if (m_hasSpareNormal) {
        m_hasSpareNormal = false;
        return m_spareNormal;
    }
    double x = 0.0;
    double y = 0.0;
    double r2 = 0.0;
    do {
        x = 2.0 * uniform() - 1.0;
        y = 2.0 * uniform() - 1.0;
        r2 = x * x + y * y;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(r2) / r2);
    m_spareNormal = y * factor;
    m_hasSpareNormal = true;
    return x * factor;
}

std::uint32_t SynthRandom::poisson(double mean) {
    if (!(mean > 0.0)) {
        return 0;
    }
    const double limit = std::exp(-mean);
    std::uint32_t count = 0;
    double product = uniform();
    while (product > limit) {
        ++count;
        product *= uniform();
    }
    return count;
}

} // namespace densito
