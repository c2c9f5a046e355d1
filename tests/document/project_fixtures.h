#pragma once

// Shared by the ProjectDocument and ResultsTableModel tests: small blot files with known
// content, and waiting for the document's worker threads.

#include "core/io/results_csv.h"
#include "core/io/tiff_writer.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QTest>

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito::test {

inline constexpr int kDocumentTimeoutMs = 120000;

/// Six lanes of three band rows, 480x300: detection finds every lane and band.
inline SyntheticBlotSpec sixLaneSpec() {
    SyntheticBlotSpec spec;
    spec.width = 480;
    spec.height = 300;
    spec.bandRows = 3;
    return spec;
}

/// Writes the blot of `spec` as a 16-bit TIFF; returns its path as Qt text.
inline QString writeBlot(const TempDir& dir, const std::string& name,
                         const SyntheticBlotSpec& spec = sixLaneSpec()) {
    const std::filesystem::path path = dir / name;
    const auto written = writeTiff16(path, makeSyntheticBlot(spec));
    EXPECT_TRUE(written.has_value()) << (written ? std::string() : written.error().describe());
    return toQString(path);
}

/// Runs the event loop until the document has no work in flight.
inline bool waitUntilIdle(const ProjectDocument& document) {
    return QTest::qWaitFor([&] { return !document.isBusy(); }, kDocumentTimeoutMs);
}

/// bands.csv of one image's current measurement: every number, exactly.
inline std::string bandsCsvOf(const ProjectDocument& document, int image) {
    return bandsCsv({{"x", &document.analysis(image)}});
}

/// A document holding one analysed synthetic blot, image 0.
struct OneImage {
    OneImage() {
        file = writeBlot(dir, "blot.tif");
        document.addImages({file});
        EXPECT_TRUE(waitUntilIdle(document));
        EXPECT_EQ(document.imageCount(), 1);
    }

    const ImageGeometry& geometry() const { return document.image(0).geometry; }
    std::vector<double> volumesOfLane(int lane) const {
        std::vector<double> volumes;
        for (const Band& band : document.analysis(0).bands) {
            if (band.lane == lane) {
                volumes.push_back(band.volume);
            }
        }
        return volumes;
    }

    TempDir dir;
    QString file;
    ProjectDocument document;
};

/// `lane` `byPx` pixels wider on the right, its centre moved with it.
inline Lane widened(const Lane& lane, double byPx) {
    Lane moved = lane;
    moved.rightPx += byPx;
    moved.xCenterPx = 0.5 * (moved.leftPx + moved.rightPx);
    return moved;
}

} // namespace densito::test
