#pragma once

#include <cstdint>
#include <random>

namespace densito {

/// A deterministic random source for the synthetic blot generator: std::mt19937_64 (whose
/// output the standard specifies) with distributions written here, so a seed gives the same
/// numbers with any standard library (std::uniform_real_distribution and
/// std::normal_distribution are implementation-defined).
/// Independent streams of one seed (layout, background, noise, ...) keep a change in one
/// part of the scene from shifting the random numbers of the others. Not thread-safe.
class SynthRandom {
public:
    /// `stream` selects an independent sequence for the same `seed`.
    SynthRandom(std::uint64_t seed, std::uint64_t stream);

    std::uint64_t nextBits() { return m_engine(); }
    /// Uniform in [0, 1) with 53 random bits.
    double uniform();
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi);
    /// exp(uniform(log lo, log hi)): scale-free choice between two positive bounds.
    double logUniform(double lo, double hi);
    /// Uniform integer in [lo, hi], both included, without modulo bias.
    int uniformInt(int lo, int hi);
    /// True with probability `p`.
    bool chance(double p);
    /// Standard normal deviate by the polar Box-Muller method (Marsaglia 1964).
    double normal();
    /// Poisson deviate by multiplication of uniforms (Knuth, TAOCP vol. 2, 3.4.1); meant
    /// for means below about 30, where it needs about mean + 1 uniforms.
    std::uint32_t poisson(double mean);

private:
    std::mt19937_64 m_engine;
    double m_spareNormal = 0.0;
    bool m_hasSpareNormal = false;
};

/// SplitMix64 (Steele, Lea and Flood 2014): mixes a 64-bit value into a well-spread one.
std::uint64_t splitMix64(std::uint64_t value);

} // namespace densito
