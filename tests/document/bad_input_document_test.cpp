// The GUI column of the README's "Bad input" table: the messages ProjectDocument gives the
// main window (imageFailed, warningsReported) and the experiment panel (layoutProblems) for
// the same bad files and sheets the command-line tests use, and the good image opened in the
// same call still being opened.
#include "core/io/project_file.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "project_fixtures.h"
#include "support/bad_input_files.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"
#include "support/tiff_writer.h"

#include <QSignalSpy>
#include <QStringList>

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

TEST(BadInputDocument, EachBadFileIsReportedAndTheGoodOneOpens) {
    for (const test::BadInputFile& bad : test::badInputFiles()) {
        SCOPED_TRACE(bad.name);
        const test::TempDir dir;
        const QString good = test::writeBlot(dir, "blot.tif");
        const std::string message = bad.name + ": " + bad.write(dir / bad.name);
        ProjectDocument document;
        QSignalSpy failed(&document, &ProjectDocument::imageFailed);
        document.addImages({toQString(dir / bad.name), good});
        ASSERT_TRUE(test::waitUntilIdle(document));

        ASSERT_EQ(failed.count(), 1);
        EXPECT_EQ(failed.front().front().toString(), toQString(message));
        ASSERT_EQ(document.imageCount(), 1);
        EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
        EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    }
}

TEST(BadInputDocument, ZeroLanesFoundIsAWarningAndTheImageOpens) {
    const test::TempDir dir;
    const QString good = test::writeBlot(dir, "blot.tif");
    test::SyntheticBlotSpec noiseOnly;
    noiseOnly.lanes = 0;
    test::writeTiff(dir / "noise.tif", {test::makeSyntheticBlot(noiseOnly)});
    ProjectDocument document;
    QSignalSpy failed(&document, &ProjectDocument::imageFailed);
    QSignalSpy warnings(&document, &ProjectDocument::warningsReported);
    document.addImages({toQString(dir / "noise.tif"), good});
    ASSERT_TRUE(test::waitUntilIdle(document));

    EXPECT_EQ(failed.count(), 0);
    ASSERT_EQ(document.imageCount(), 2);
    EXPECT_EQ(document.imageName(0), QStringLiteral("blot.tif"));
    EXPECT_EQ(document.analysis(0).lanes.size(), 6u);
    EXPECT_EQ(document.imageName(1), QStringLiteral("noise.tif"));
    EXPECT_TRUE(document.analysis(1).lanes.empty());
    ASSERT_EQ(warnings.count(), 1);
    const QStringList lines = warnings.front().front().toStringList();
    EXPECT_TRUE(
        lines.contains(QStringLiteral("noise.tif: strip 1: no lanes found (no band signal)")))
        << lines.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(lines.contains(QStringLiteral("noise.tif: no lanes found")))
        << lines.join(QLatin1Char('\n')).toStdString();
}

/// The layout problems of `blotsCsv` and `samplesCsv` set on a document holding one good
/// image, as the experiment panel sets sheets it imported or the user edited.
std::vector<std::string> layoutProblemsOf(const std::string& blotsCsv,
                                          const std::string& samplesCsv) {
    const test::TempDir dir;
    ProjectDocument document;
    document.addImages({test::writeBlot(dir, "blot.tif")});
    EXPECT_TRUE(test::waitUntilIdle(document));
    ProjectLayout layout;
    layout.blotsCsv = blotsCsv;
    layout.samplesCsv = samplesCsv;
    document.setLayout(layout);
    EXPECT_EQ(document.imageCount(), 1); // the image stays open
    EXPECT_FALSE(document.experiment().has_value());
    std::vector<std::string> problems;
    for (const Error& problem : document.layoutProblems()) {
        problems.push_back(problem.describe());
    }
    return problems;
}

constexpr const char* kBlots = "image,membrane,target,measure\n"
                               "blot.tif,M1,p-Akt,phospho\n"
                               "blot_total.tif,M1,Akt,total\n";

TEST(BadInputDocument, EachBadSheetIsReportedByFileLineAndColumn) {
    for (const test::BadSamplesSheet& bad : test::badSamplesSheets()) {
        SCOPED_TRACE(bad.name);
        EXPECT_EQ(layoutProblemsOf(kBlots, bad.samplesCsv), std::vector<std::string>{bad.problem});
    }
}

} // namespace
} // namespace densito
