#include "cli/synth_command.h"

#include "cli/exit_codes.h"
#include "cli/output_folder.h"
#include "core/io/atomic_file.h"
#include "core/io/tiff_writer.h"
#include "core/synth/sample_experiment.h"
#include "core/synth/synth_truth.h"
#include "core/synth/synthetic_blot.h"
#include "core/version.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <limits>
#include <spdlog/spdlog.h>

namespace densito::cli {
namespace {

std::string fileStem(const SynthParams& params) {
    return fmt::format("synth_{}_{}{}", toString(params.profile), params.seed,
                       params.polarity == Polarity::DarkBands ? "_dark" : "");
}

int saturatedBands(const SyntheticBlot& blot) {
    int count = 0;
    for (const auto& band : blot.bands) {
        count += band.saturatedPixels > 0 ? 1 : 0;
    }
    return count;
}

// `densito-cli synth --experiment` without --seed writes the shipped experiment.
static_assert(kSampleExperimentSeed == 1, "SynthOptions::seed defaults to 1");

/// Writes the sample experiment. The truth and the sheets go last, so a folder with a
/// truth.json of this seed always has all its images.
int runExperiment(const SynthOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    if (!createOutputFolder(options.outDir) || !createOutputFolder(options.outDir / "expected")) {
        return kExitNothing;
    }
    const auto experiment = generateSampleExperiment(options.seed);
    if (!experiment) {
        spdlog::error("{}", experiment.error().describe());
        return kExitNothing;
    }
    const std::string software = "densito-cli synth --experiment";
    std::uintmax_t bytes = 0;
    for (const SampleImage& image : experiment->images) {
        const auto path = options.outDir / image.fileName;
        if (auto written = writeTiff16(path, image.blot.raw, image.description, software);
            !written) {
            spdlog::error("{}", written.error().describe());
            return kExitNothing;
        }
        std::error_code ignored;
        bytes += std::filesystem::file_size(path, ignored);
    }
    for (const auto& [name, text] : sampleExperimentTextFiles(*experiment)) {
        if (auto written = writeFileAtomically(options.outDir / name, text); !written) {
            spdlog::error("{}", written.error().describe());
            return kExitNothing;
        }
        bytes += text.size();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << fmt::format("sample experiment, seed {}: {} images, blots.csv, samples.csv, "
                             "truth.json, README.md, expected/  {:.1f} MB  {:.2f} s\n",
                             experiment->seed, experiment->images.size(),
                             static_cast<double>(bytes) / 1e6, seconds)
              << std::flush;
    return kExitOk;
}

} // namespace

CLI::App* addSynthCommand(CLI::App& app, SynthOptions& options) {
    CLI::App* synth = app.add_subcommand(
        "synth", "Write synthetic blot images with their exact truth (lanes, bands, volumes)");
    synth->add_option("-o,--out", options.outDir, "Folder for the images and .truth.json files")
        ->required();
    synth->add_option("--seed", options.seed, "Seed of the first image")->capture_default_str();
    CLI::Option* profile =
        synth
            ->add_option("--profile", options.profile,
                         "clean (small, tidy), realistic (imager-like) or hard (doublets, dust, "
                         "hot pixels, strong noise)")
            ->check(CLI::IsMember({"clean", "realistic", "hard"}))
            ->capture_default_str();
    CLI::Option* count =
        synth
            ->add_option("-n,--count", options.count, "Images to write, seeds seed .. seed+count-1")
            ->check(CLI::Range(1u, 1000000u))
            ->capture_default_str();
    CLI::Option* polarity =
        synth
            ->add_option("--polarity", options.polarity,
                         "light-bands (raw chemiluminescence) or dark-bands (inverted export)")
            ->check(CLI::IsMember({"light-bands", "dark-bands"}))
            ->capture_default_str();
    // Sizes and counts for a benchmark image (bench/compare_imagej.sh: 4000x3000, 10 lanes,
    // 3 rows); the ranges are the generator's (core/synth/synthetic_blot.h).
    CLI::Option* width =
        synth->add_option("--width", options.widthPx, "Image width in pixels, 64-16384 (0: drawn)")
            ->check(CLI::Range(0, 16384));
    CLI::Option* height = synth
                              ->add_option("--height", options.heightPx,
                                           "Image height in pixels, 64-16384 (0: drawn)")
                              ->check(CLI::Range(0, 16384));
    CLI::Option* lanes = synth->add_option("--lanes", options.lanes, "Lanes, 1-64 (0: drawn)")
                             ->check(CLI::Range(0, 64));
    CLI::Option* rows = synth->add_option("--rows", options.bandRows, "Band rows, 1-12 (0: drawn)")
                            ->check(CLI::Range(0, 12));
    CLI::Option* uncompressed = synth->add_flag(
        "--uncompressed", options.isUncompressed,
        "Write the TIFF uncompressed (as imagers write raw files) instead of Deflate");
    synth
        ->add_flag("--experiment", options.isExperiment,
                   fmt::format("Write the sample experiment instead (C2C12, insulin and "
                               "L-isoleucine; 3 membranes x 9 images, layout sheets, truth); "
                               "--seed {} is the one in sample_blots/experiment",
                               kSampleExperimentSeed))
        ->excludes(profile)
        ->excludes(count)
        ->excludes(polarity)
        ->excludes(width)
        ->excludes(height)
        ->excludes(lanes)
        ->excludes(rows)
        ->excludes(uncompressed);
    return synth;
}

int runSynth(const SynthOptions& options) {
    if (options.isExperiment) {
        return runExperiment(options);
    }
    if (options.seed > std::numeric_limits<std::uint64_t>::max() - (options.count - 1)) {
        spdlog::error("--seed {} with --count {} runs past the largest seed", options.seed,
                      options.count);
        return kExitUsage;
    }
    if (!createOutputFolder(options.outDir)) {
        return kExitNothing;
    }
    SynthParams params;
    params.profile = parseSynthProfile(options.profile).value_or(SynthProfile::Realistic);
    params.polarity = options.polarity == "dark-bands" ? Polarity::DarkBands : Polarity::LightBands;
    params.widthPx = options.widthPx;
    params.heightPx = options.heightPx;
    params.lanes = options.lanes;
    params.bandRows = options.bandRows;
    const std::string software = fmt::format("densito-cli {} synth", kVersion);
    unsigned written = 0;
    for (unsigned i = 0; i < options.count; ++i) {
        params.seed = options.seed + i;
        const auto start = std::chrono::steady_clock::now();
        auto blot = generateSyntheticBlot(params);
        if (!blot) {
            spdlog::error("seed {}: {}", params.seed, blot.error().describe());
            continue;
        }
        const std::string stem = fileStem(params);
        const auto image = options.outDir / (stem + ".tif");
        const auto truth = options.outDir / (stem + ".truth.json");
        const std::string description =
            fmt::format("Densito synthetic blot: profile {}, seed {}, {}; truth in {}",
                        toString(params.profile), params.seed, toString(params.polarity),
                        truth.filename().string());
        // The truth goes first: an image on disk always has its truth next to it.
        auto truthWritten = writeFileAtomically(truth, toTruthJson(*blot).dump(2) + "\n");
        if (!truthWritten) {
            spdlog::error("{}", truthWritten.error().describe());
            continue;
        }
        if (auto imageWritten = writeTiff16(image, blot->raw, description, software,
                                            options.isUncompressed ? TiffCompression::None
                                                                   : TiffCompression::Deflate);
            !imageWritten) {
            spdlog::error("{}", imageWritten.error().describe());
            std::error_code ignored; // the truth must not outlive its image
            std::filesystem::remove(truth, ignored);
            continue;
        }
        ++written;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cout << fmt::format("{}  {}x{}  {} lanes  {} rows  {} bands  {} saturated  {:.2f} s\n",
                                 image.filename().string(), blot->raw.cols, blot->raw.rows,
                                 blot->lanes.size(), blot->params.bandRows, blot->bands.size(),
                                 saturatedBands(*blot), seconds)
                  << std::flush;
    }
    if (written == 0) {
        return kExitNothing;
    }
    return written == options.count ? kExitOk : kExitSomeFailed;
}

} // namespace densito::cli
