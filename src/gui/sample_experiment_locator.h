#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace densito {

/// The folder of the bundled sample experiment (sample_blots/experiment: images, blots.csv,
/// samples.csv), or nothing when it is not installed. Looks in the installed layout first
/// (<executable folder>/../share/densito/sample_blots/experiment), then in the source tree this
/// program was built from. Needs a QCoreApplication (for the executable's folder).
std::optional<QString> sampleExperimentFolder();

/// The first of `candidates` that is a folder holding both blots.csv and samples.csv, as a
/// clean absolute path.
std::optional<QString> firstExperimentFolder(const QStringList& candidates);

} // namespace densito
