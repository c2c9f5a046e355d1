#include "core/io/edit_history.h"
#include "document/history_table_model.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include "project_fixtures.h"
#include "support/file_io.h"
#include "support/temp_dir.h"

#include <QSignalSpy>
#include <QUndoStack>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

using test::widened;

/// The document of test::OneImage, with a lane by its index.
struct EditedImage : test::OneImage {
    const Lane& lane(int index) const {
        return document.image(0).geometry.lanes[static_cast<std::size_t>(index)];
    }
};

std::string laneText(const Lane& lane) {
    return fmt::format("strip {} lane {}: x {:.1f} to {:.1f} px", lane.strip, lane.index,
                       lane.leftPx, lane.rightPx);
}

TEST(History, AddingImagesAndADragAreOneRecordEachWithOldAndNewValues) {
    EditedImage fixture;
    ProjectDocument& document = fixture.document;
    ASSERT_EQ(document.history().size(), 1u);
    EXPECT_EQ(document.history()[0].action, "Add Image");
    EXPECT_EQ(document.history()[0].image, "");
    EXPECT_EQ(document.history()[0].before, "");
    EXPECT_EQ(document.history()[0].after, "blot.tif");
    EXPECT_FALSE(document.history()[0].user.empty());
    EXPECT_EQ(document.history()[0].time.size(), 20u);

    const Lane original = fixture.lane(2);
    QSignalSpy changed(&document, &ProjectDocument::historyChanged);
    for (int k = 1; k <= 3; ++k) {
        document.moveLane({0, 2}, widened(original, 2.0 * k));
    }
    document.endDrag();
    ASSERT_EQ(document.history().size(), 2u);
    const EditRecord& moved = document.history()[1];
    EXPECT_EQ(moved.action, "Move Lane");
    EXPECT_EQ(moved.image, "blot.tif");
    EXPECT_EQ(moved.before, laneText(original));
    EXPECT_EQ(moved.after, laneText(widened(original, 6.0)));
    EXPECT_EQ(changed.count(), 3);
}

TEST(History, UndoAndRedoAreRecordedWithTheValuesTheyRestore) {
    EditedImage fixture;
    ProjectDocument& document = fixture.document;
    const Lane original = fixture.lane(1);
    document.moveLane({0, 1}, widened(original, 4.0));
    document.endDrag();
    document.removeLane({0, 0});

    QUndoStack& stack = *document.undoStack();
    stack.undo();
    stack.undo();
    stack.redo();
    const std::vector<EditRecord>& history = document.history();
    ASSERT_EQ(history.size(), 6u);
    EXPECT_EQ(history[2].action, "Delete Lane");
    EXPECT_EQ(history[2].after, "");
    EXPECT_TRUE(history[2].before.starts_with("strip 1 lane 1: x ")) << history[2].before;
    EXPECT_EQ(history[3].action, "Undo: Delete Lane");
    EXPECT_EQ(history[3].before, "");
    EXPECT_EQ(history[3].after, history[2].before);
    EXPECT_EQ(history[4].action, "Undo: Move Lane");
    EXPECT_EQ(history[4].before, laneText(widened(original, 4.0)));
    EXPECT_EQ(history[4].after, laneText(original));
    EXPECT_EQ(history[5].action, "Redo: Move Lane");
    EXPECT_EQ(history[5].before, laneText(original));
    EXPECT_EQ(history[5].after, laneText(widened(original, 4.0)));

    // The table shows the records as they are.
    const HistoryTableModel model(document);
    ASSERT_EQ(model.rowCount(), 6);
    EXPECT_EQ(model.data(model.index(4, HistoryTableModel::ActionColumn)).toString(),
              QStringLiteral("Undo: Move Lane"));
    EXPECT_EQ(model.data(model.index(4, HistoryTableModel::ImageColumn)).toString(),
              QStringLiteral("blot.tif"));
    EXPECT_EQ(model.headerData(HistoryTableModel::TimeColumn, Qt::Horizontal).toString(),
              QStringLiteral("Time (UTC)"));
}

TEST(History, IsSavedWithTheProjectExportedAsCsvAndClearedWithIt) {
    EditedImage fixture;
    ProjectDocument& document = fixture.document;
    document.moveLane({0, 1}, widened(fixture.lane(1), 3.0));
    document.endDrag();
    const std::vector<EditRecord> history = document.history();
    ASSERT_EQ(history.size(), 2u);

    const QString project = toQString(fixture.dir / "edited.densito");
    ASSERT_TRUE(document.saveProject(project).has_value());
    ProjectDocument reopened;
    reopened.openProject(project);
    ASSERT_TRUE(test::waitUntilIdle(reopened));
    EXPECT_EQ(reopened.history(), history);
    EXPECT_FALSE(reopened.isModified());

    const QString out = toQString(fixture.dir / "results");
    ASSERT_TRUE(reopened.exportResults(out).has_value());
    EXPECT_EQ(test::readText(fixture.dir / "results" / "history.csv"), historyCsv(history));

    reopened.clear();
    EXPECT_TRUE(reopened.history().empty());
}

} // namespace
} // namespace densito
