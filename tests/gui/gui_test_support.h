#pragma once

#include "document/blot_document.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/blot_view.h"

#include "support/temp_dir.h"

#include <QApplication>
#include <QMouseEvent>
#include <QString>
#include <QTest>

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

} // namespace densito::test
