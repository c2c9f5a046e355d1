#include "document/blot_document.h"
#include "document/page_count.h"
#include "document/qt_strings.h"

#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QSignalSpy>
#include <QTest>

#include <cstdint>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace densito {
namespace {

constexpr int kLoadTimeoutMs = 20000;

/// Starts a load and runs the event loop until it has finished either way.
struct LoadWait {
    explicit LoadWait(BlotDocument& document)
        : loaded(&document, &BlotDocument::loaded), failed(&document, &BlotDocument::loadFailed),
          displayChanged(&document, &BlotDocument::displayChanged) {}

    bool waitUntilDone(const BlotDocument& document) {
        return QTest::qWaitFor([&] { return !document.isLoading(); }, kLoadTimeoutMs);
    }

    QSignalSpy loaded;
    QSignalSpy failed;
    QSignalSpy displayChanged;
};

QString writeImage(const test::TempDir& dir, const std::string& name, const cv::Mat& image) {
    const auto path = dir / name;
    EXPECT_TRUE(cv::imwrite(path.string(), image));
    return toQString(path);
}

void expectRawValuesEqual(const BlotDocument& document, const cv::Mat& expected) {
    int mismatches = 0;
    for (int y = 0; y < expected.rows; ++y) {
        for (int x = 0; x < expected.cols; ++x) {
            const auto raw = document.rawValueAt(x, y);
            if (!raw || *raw != static_cast<double>(expected.at<std::uint16_t>(y, x))) {
                ++mismatches;
            }
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(BlotDocument, LoadsSixteenBitTiffWithExactRawValues) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    const QString file = writeImage(dir, "blot16.tif", blot);
    BlotDocument document;
    LoadWait wait(document);

    document.load(file);
    EXPECT_TRUE(document.isLoading());
    ASSERT_TRUE(wait.waitUntilDone(document));

    ASSERT_EQ(wait.loaded.count(), 1);
    EXPECT_EQ(wait.failed.count(), 0);
    ASSERT_TRUE(document.hasImage());
    EXPECT_EQ(document.fileName(), file);
    expectRawValuesEqual(document, blot);
    EXPECT_FALSE(document.rawValueAt(-1, 0));
    EXPECT_FALSE(document.rawValueAt(blot.cols, 0));
    EXPECT_FALSE(document.rawValueAt(0, blot.rows));
}

TEST(BlotDocument, ExposesMetadataAndSignalModel) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    BlotDocument document;
    LoadWait wait(document);
    document.load(writeImage(dir, "blot16.tif", blot));
    ASSERT_TRUE(wait.waitUntilDone(document));
    ASSERT_TRUE(document.hasImage());

    const ImageMetadata& meta = document.metadata();
    EXPECT_EQ(meta.format, FileFormat::Tiff);
    EXPECT_EQ(meta.width, blot.cols);
    EXPECT_EQ(meta.height, blot.rows);
    EXPECT_EQ(meta.bitsPerSample, 16);
    EXPECT_EQ(meta.sampleKind, SampleKind::UnsignedInt);
    EXPECT_EQ(meta.pageCount, 1);
    EXPECT_EQ(meta.pageIndex, 0);
    EXPECT_EQ(meta.sha256.size(), 64u);
    EXPECT_EQ(document.signalModel().polarity, Polarity::LightBands);
    EXPECT_EQ(document.signalModel().saturatedPixels, 0u);
}

TEST(BlotDocument, DisplayImageHasTheImageSize) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    BlotDocument document;
    LoadWait wait(document);
    document.load(writeImage(dir, "blot16.tif", blot));
    ASSERT_TRUE(wait.waitUntilDone(document));

    EXPECT_EQ(document.displayImage().size(), QSize(blot.cols, blot.rows));
    EXPECT_EQ(document.displayImage().format(), QImage::Format_Grayscale8);
    EXPECT_EQ(wait.displayChanged.count(), 1);
    EXPECT_LT(document.displayRange().lowRaw, document.displayRange().highRaw);
    EXPECT_TRUE(document.saturationOverlay().isNull());
}

TEST(BlotDocument, InvertingTheDisplayKeepsRawValues) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    BlotDocument document;
    LoadWait wait(document);
    document.load(writeImage(dir, "blot16.tif", blot));
    ASSERT_TRUE(wait.waitUntilDone(document));
    const QImage before = document.displayImage();
    const SignalModel modelBefore = document.signalModel();

    document.setDisplayInverted(true);

    EXPECT_EQ(wait.displayChanged.count(), 2);
    EXPECT_TRUE(document.isDisplayInverted());
    expectRawValuesEqual(document, blot);
    EXPECT_EQ(document.signalModel().polarity, modelBefore.polarity);
    EXPECT_EQ(document.signalModel().saturationRaw, modelBefore.saturationRaw);
    const QImage after = document.displayImage();
    int unflipped = 0;
    for (int y = 0; y < after.height(); ++y) {
        for (int x = 0; x < after.width(); ++x) {
            unflipped += after.constScanLine(y)[x] != 255 - before.constScanLine(y)[x] ? 1 : 0;
        }
    }
    EXPECT_EQ(unflipped, 0);
}

TEST(BlotDocument, CorruptFileEmitsLoadFailedNamingTheFile) {
    test::TempDir dir;
    // A TIFF cut off after its first 300 bytes, as an interrupted copy leaves it.
    const auto whole = dir / "whole.tif";
    ASSERT_TRUE(cv::imwrite(whole.string(), test::makeSyntheticBlot({})));
    std::string bytes(300, '\0');
    std::ifstream(whole, std::ios::binary).read(bytes.data(), 300);
    const auto path = dir / "broken_blot.tif";
    std::ofstream(path, std::ios::binary) << bytes;
    BlotDocument document;
    LoadWait wait(document);

    document.load(toQString(path));
    ASSERT_TRUE(wait.waitUntilDone(document));

    EXPECT_EQ(wait.loaded.count(), 0);
    ASSERT_EQ(wait.failed.count(), 1);
    const QString message = wait.failed.at(0).at(0).toString();
    EXPECT_TRUE(message.contains(QStringLiteral("broken_blot.tif"))) << message.toStdString();
    EXPECT_FALSE(document.hasImage());
}

TEST(BlotDocument, FailedLoadKeepsThePreviousImage) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    const QString good = writeImage(dir, "good.tif", blot);
    const auto broken = dir / "empty.png";
    std::ofstream(broken, std::ios::binary).flush();
    BlotDocument document;
    LoadWait wait(document);
    document.load(good);
    ASSERT_TRUE(wait.waitUntilDone(document));

    document.load(toQString(broken));
    ASSERT_TRUE(wait.waitUntilDone(document));

    EXPECT_EQ(wait.failed.count(), 1);
    EXPECT_EQ(document.fileName(), good);
    expectRawValuesEqual(document, blot);
}

TEST(BlotDocument, NewerLoadSupersedesOneStillRunning) {
    test::TempDir dir;
    test::SyntheticBlotSpec bigger;
    bigger.width = 800;
    bigger.height = 600;
    const QString first = writeImage(dir, "first.tif", test::makeSyntheticBlot(bigger));
    const cv::Mat secondBlot = test::makeSyntheticBlot({});
    const QString second = writeImage(dir, "second.tif", secondBlot);
    BlotDocument document;
    LoadWait wait(document);

    document.load(first);
    document.load(second);
    ASSERT_TRUE(wait.waitUntilDone(document));

    EXPECT_EQ(wait.loaded.count(), 1);
    EXPECT_EQ(document.fileName(), second);
    expectRawValuesEqual(document, secondBlot);
}

TEST(BlotDocument, SaturatedPixelsAreRedInTheOverlay) {
    test::TempDir dir;
    test::SyntheticBlotSpec spec;
    spec.clipLevel = 15000.0; // a detector clipping short of the 16-bit maximum
    const cv::Mat blot = test::makeSyntheticBlot(spec);
    BlotDocument document;
    LoadWait wait(document);
    document.load(writeImage(dir, "clipped.tif", blot));
    ASSERT_TRUE(wait.waitUntilDone(document));
    ASSERT_TRUE(document.hasImage());

    const SignalModel& model = document.signalModel();
    EXPECT_EQ(model.saturationRaw, 15000.0);
    ASSERT_GT(model.saturatedPixels, 0u);
    const QImage overlay = document.saturationOverlay();
    ASSERT_EQ(overlay.size(), QSize(blot.cols, blot.rows));
    std::uint64_t red = 0;
    int wrong = 0;
    for (int y = 0; y < blot.rows; ++y) {
        for (int x = 0; x < blot.cols; ++x) {
            const bool isRed = overlay.pixel(x, y) == qRgba(255, 0, 0, 255);
            red += isRed ? 1 : 0;
            wrong += isRed != (blot.at<std::uint16_t>(y, x) >= 15000) ? 1 : 0;
            wrong += isRed != document.isSaturatedAt(x, y) ? 1 : 0;
        }
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(red, model.saturatedPixels);
    EXPECT_EQ(qAlpha(overlay.pixel(0, 0)), 0);
}

TEST(BlotDocument, LoadsTheChosenPage) {
    test::TempDir dir;
    const cv::Mat page1 = test::makeSyntheticBlot({});
    const cv::Mat page2 = test::invert16(page1);
    const auto path = dir / "two_pages.tif";
    ASSERT_TRUE(cv::imwritemulti(path.string(), std::vector<cv::Mat>{page1, page2}));
    const QString file = toQString(path);
    ASSERT_EQ(imagePageCount(file), 2);
    BlotDocument document;
    LoadWait wait(document);

    document.load(file, 1);
    ASSERT_TRUE(wait.waitUntilDone(document));

    ASSERT_TRUE(document.hasImage());
    EXPECT_EQ(document.metadata().pageIndex, 1);
    EXPECT_EQ(document.metadata().pageCount, 2);
    expectRawValuesEqual(document, page2);
    EXPECT_EQ(document.signalModel().polarity, Polarity::DarkBands);
}

TEST(ImagePageCount, SinglePageAndNonTiffFilesHaveOnePage) {
    test::TempDir dir;
    const cv::Mat blot = test::makeSyntheticBlot({});
    EXPECT_EQ(imagePageCount(writeImage(dir, "one.tif", blot)), 1);
    EXPECT_EQ(imagePageCount(writeImage(dir, "one.png", blot)), 1);
    const auto garbage = dir / "garbage.tif";
    std::ofstream(garbage, std::ios::binary) << std::string("MM\0*garbage", 11);
    EXPECT_EQ(imagePageCount(toQString(garbage)), 1);
    EXPECT_EQ(imagePageCount(toQString(dir / "missing.tif")), 1);
}

} // namespace
} // namespace densito
