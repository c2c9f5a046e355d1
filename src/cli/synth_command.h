#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace CLI {
class App;
}

namespace densito::cli {

struct SynthOptions {
    std::filesystem::path outDir;
    std::uint64_t seed = 1;
    std::string profile = "realistic";
    unsigned count = 1;
    std::string polarity = "light-bands";
    bool isExperiment = false;   ///< --experiment: the sample experiment instead of single images
    int widthPx = 0;             ///< --width; 0: drawn from the profile
    int heightPx = 0;            ///< --height; 0: drawn
    int lanes = 0;               ///< --lanes; 0: drawn
    int bandRows = 0;            ///< --rows; 0: drawn
    bool isUncompressed = false; ///< --uncompressed: TIFF without Deflate
};

/// Registers `synth` and its options on `app`; returns the subcommand.
CLI::App* addSynthCommand(CLI::App& app, SynthOptions& options);

/// Runs `densito-cli synth`: writes synth_<profile>_<seed>.tif (16-bit, Deflate) and
/// synth_<profile>_<seed>.truth.json for each seed (dark bands: synth_<profile>_<seed>_dark.*)
/// and prints one line per image. With --experiment, writes the sample experiment
/// (core/synth/sample_experiment.h) instead: its images, blots.csv, samples.csv, truth.json,
/// README.md and expected/*.csv, and prints one summary line. Returns the process exit code.
int runSynth(const SynthOptions& options);

} // namespace densito::cli
