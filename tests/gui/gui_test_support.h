#pragma once

#include "document/blot_document.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/blot_view.h"

#include "support/file_io.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QMouseEvent>
#include <QString>
#include <QTest>

#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/core/mat.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace densito::test {

inline constexpr int kLoadTimeoutMs = 20000;

/// Writes `image` into `dir` with OpenCV and returns its path as Qt text.
inline QString writeImage(const TempDir& dir, const std::string& name, const cv::Mat& image) {
    const auto path = dir / name;
    cv::imwrite(path.string(), image);
    return toQString(path);
}

/// Sends a mouse event with the given buttons held to the view's viewport (QTest::mouseMove
/// does not carry held buttons).
inline void sendMouse(BlotView& view, QEvent::Type type, QPointF scenePos, Qt::MouseButton button,
                      Qt::MouseButtons held) {
    const QPointF local = view.mapFromScene(scenePos);
    QMouseEvent event(type, local, view.viewport()->mapToGlobal(local), button, held,
                      Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &event);
}

/// A left-button press at `from`, two moves and a release at `to` (scene coordinates).
inline void drag(BlotView& view, QPointF from, QPointF to) {
    sendMouse(view, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    sendMouse(view, QEvent::MouseMove, 0.5 * (from + to), Qt::NoButton, Qt::LeftButton);
    sendMouse(view, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
    sendMouse(view, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
    QApplication::processEvents();
}

/// Runs the event loop until the document has no load in flight.
inline bool waitForLoad(const BlotDocument& document) {
    return QTest::qWaitFor([&] { return !document.isLoading(); }, kLoadTimeoutMs);
}

/// The volumes of an analysis's bands, in its order.
inline std::vector<double> volumesOf(const BlotAnalysis& analysis) {
    std::vector<double> volumes;
    for (const Band& band : analysis.bands) {
        volumes.push_back(band.volume);
    }
    return volumes;
}

/// Runs the event loop until the project has finished loading and analysing, and its current
/// image (if any) has pixels.
inline bool waitForProject(const ProjectDocument& project) {
    return QTest::qWaitFor(
        [&] {
            return !project.isBusy() && (project.currentImage() < 0 ||
                                         project.loadedImage(project.currentImage()) != nullptr);
        },
        kLoadTimeoutMs);
}

/// Writes an experiment folder with one calibrated blot into `dir`: a synthetic blot named
/// `imageName` (seed 2) with PageRuler Plus ladders in lanes 1 and 8 and six sample lanes
/// (three control, three treated), and its blots.csv and samples.csv. False when the blot
/// cannot be generated.
inline bool writeLadderExperiment(const TempDir& dir, const std::string& imageName) {
    if (!writeTwoLadderBlot(dir / imageName)) {
        return false;
    }
    writeText(dir / "blots.csv", "image,membrane,target,measure\n" + imageName +
                                     ",M1,S6K1,total\n" + imageName + ",M1,GAPDH,loading\n");
    writeText(dir / "samples.csv", "membrane,lane,sample,condition,replicate\n"
                                   "M1,1,PageRuler Plus,ladder,\n"
                                   "M1,2,c1,control,1\nM1,3,c2,control,2\nM1,4,c3,control,3\n"
                                   "M1,5,t1,treated,1\nM1,6,t2,treated,2\nM1,7,t3,treated,3\n"
                                   "M1,8,PageRuler Plus,ladder,\n");
    return true;
}

/// The sample experiment's folder (27 images, blots.csv, samples.csv).
inline const std::filesystem::path kExperimentDir =
    std::filesystem::path(DENSITO_SOURCE_DIR) / "sample_blots" / "experiment";

/// The sample experiment, opened and measured once per test suite that derives from this;
/// each test leaves its layout as it found it (undo).
class SampleExperimentTest : public ::testing::Test {
protected:
    /// Opening analyses 27 images; generous for a loaded 2-core machine.
    static constexpr int kOpenTimeoutMs = 180000;

    static void SetUpTestSuite() {
        s_document = new ProjectDocument;
        s_document->openExperimentFolder(toQString(kExperimentDir));
        s_isOpen = QTest::qWaitFor([] { return !s_document->isBusy() && s_document->experiment(); },
                                   kOpenTimeoutMs);
    }
    static void TearDownTestSuite() {
        delete s_document;
        s_document = nullptr;
    }
    void SetUp() override {
        ASSERT_TRUE(s_isOpen) << "the sample experiment did not open and measure in time";
    }

    ProjectDocument& document() { return *s_document; }

private:
    static inline ProjectDocument* s_document = nullptr;
    static inline bool s_isOpen = false;
};

} // namespace densito::test
