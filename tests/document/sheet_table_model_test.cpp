#include "document/sheet_table_model.h"

#include <QSignalSpy>

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace densito {
namespace {

/// A samples.csv model that records every text its edits produce.
class SamplesSheet {
public:
    explicit SamplesSheet(const std::string& text)
        : model("samples.csv", {"membrane", "lane", "sample", "condition", "replicate"}, {"load"}) {
        model.setCsvText(text);
        QObject::connect(&model, &SheetTableModel::csvEdited,
                         [this](const std::string& csv) { edits.push_back(csv); });
    }

    SheetTableModel model;
    std::vector<std::string> edits;
};

SheetTableModel blotsModel() {
    return SheetTableModel("blots.csv", {"image", "membrane", "target", "measure"},
                           {"site", "band", "strip", "region"});
}

const std::string kQuotedSheet = "\xEF\xBB\xBFmembrane,lane,sample,condition,replicate\r\n"
                                 "m1,1,\"R1, \"\"ctrl\"\"\",Control,1\r\n"
                                 "m1,2,\"two\r\nlines\",Treated , 1\r\n";

TEST(SheetTableModel, ReadsQuotesByteOrderMarkAndCrlf) {
    SamplesSheet sheet(kQuotedSheet);
    const SheetTableModel& model = sheet.model;
    ASSERT_FALSE(model.readError().has_value());
    ASSERT_EQ(model.rowCount(), 2);
    ASSERT_EQ(model.columnCount(), 6); // the optional load column is offered
    EXPECT_EQ(model.columnName(0), "membrane");
    EXPECT_EQ(model.columnName(5), "load");
    EXPECT_EQ(model.cell(0, 2), "R1, \"ctrl\"");
    EXPECT_EQ(model.cell(1, 2), "two\nlines");
    EXPECT_EQ(model.cell(1, 3), "Treated ");
    EXPECT_EQ(model.cell(1, 4), " 1");
    EXPECT_EQ(model.data(model.index(0, 2)).toString(), QStringLiteral("R1, \"ctrl\""));
    EXPECT_EQ(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("condition"));
    EXPECT_EQ(model.columnOf(" Condition "), 3);
    EXPECT_EQ(model.columnOf("site"), -1);
    EXPECT_EQ(model.csvText(), kQuotedSheet); // verbatim until edited
    EXPECT_TRUE(sheet.edits.empty());
}

TEST(SheetTableModel, EditingACellRewritesTheSheetAsCommaCsv) {
    SamplesSheet sheet(kQuotedSheet);
    ASSERT_TRUE(sheet.model.setData(sheet.model.index(0, 3), QStringLiteral("Vehicle")));
    const std::string expected = "membrane,lane,sample,condition,replicate\n"
                                 "m1,1,\"R1, \"\"ctrl\"\"\",Vehicle,1\n"
                                 "m1,2,\"two\nlines\",Treated , 1\n";
    ASSERT_EQ(sheet.edits.size(), 1u);
    EXPECT_EQ(sheet.edits[0], expected);
    EXPECT_EQ(sheet.model.csvText(), expected);
}

TEST(SheetTableModel, UnchangedCellMakesNoEdit) {
    SamplesSheet sheet(kQuotedSheet);
    EXPECT_TRUE(sheet.model.setData(sheet.model.index(0, 3), QStringLiteral("Control")));
    EXPECT_TRUE(sheet.edits.empty());
    EXPECT_EQ(sheet.model.csvText(), kQuotedSheet);
}

TEST(SheetTableModel, InsertedRowIsWrittenAndReadBack) {
    SamplesSheet sheet("membrane,lane,sample,condition,replicate\n"
                       "m1,1,a,Control,1\n"
                       "m1,2,b,Treated,1\n");
    ASSERT_TRUE(sheet.model.insertRows(1, 1));
    const std::string inserted = "membrane,lane,sample,condition,replicate\n"
                                 "m1,1,a,Control,1\n"
                                 ",,,,\n"
                                 "m1,2,b,Treated,1\n";
    ASSERT_EQ(sheet.edits.size(), 1u);
    EXPECT_EQ(sheet.edits[0], inserted);

    // The empty row survives a round trip through the document (undo, redo).
    SamplesSheet reread(inserted);
    EXPECT_EQ(reread.model.rowCount(), 3);
    EXPECT_EQ(reread.model.cell(1, 0), "");
    EXPECT_EQ(reread.model.cell(2, 2), "b");
}

TEST(SheetTableModel, RemovedRowsAreWritten) {
    SamplesSheet sheet(kQuotedSheet);
    ASSERT_TRUE(sheet.model.removeRows(0, 1));
    ASSERT_EQ(sheet.edits.size(), 1u);
    EXPECT_EQ(sheet.edits[0], "membrane,lane,sample,condition,replicate\n"
                              "m1,2,\"two\nlines\",Treated , 1\n");
    EXPECT_EQ(sheet.model.rowCount(), 1);
    EXPECT_FALSE(sheet.model.removeRows(1, 1));
    EXPECT_EQ(sheet.edits.size(), 1u);
}

TEST(SheetTableModel, SemicolonSheetIsRewrittenWithCommasAndDecimalPoints) {
    SamplesSheet sheet("membrane;lane;sample;condition;replicate;load\n"
                       "m1;1;a,b;Control;1;1,5\n");
    EXPECT_EQ(sheet.model.cell(0, 5), "1.5");
    ASSERT_TRUE(sheet.model.setData(sheet.model.index(0, 4), QStringLiteral("2")));
    ASSERT_EQ(sheet.edits.size(), 1u);
    EXPECT_EQ(sheet.edits[0], "membrane,lane,sample,condition,replicate,load\n"
                              "m1,1,\"a,b\",Control,2,1.5\n");
}

TEST(SheetTableModel, OptionalColumnIsWrittenOnceFilled) {
    SheetTableModel model = blotsModel();
    model.setCsvText("image,membrane,target,measure\nblot.tif,m1,Akt,total\n");
    ASSERT_EQ(model.columnCount(), 8);
    const int strip = model.columnOf("strip");
    ASSERT_EQ(strip, 6);
    std::vector<std::string> edits;
    QObject::connect(&model, &SheetTableModel::csvEdited,
                     [&](const std::string& csv) { edits.push_back(csv); });
    ASSERT_TRUE(model.setData(model.index(0, strip), QStringLiteral("2")));
    ASSERT_TRUE(model.setData(model.index(0, strip), QString()));
    ASSERT_EQ(edits.size(), 2u);
    EXPECT_EQ(edits[0], "image,membrane,target,measure,strip\nblot.tif,m1,Akt,total,2\n");
    EXPECT_EQ(edits[1], "image,membrane,target,measure\nblot.tif,m1,Akt,total\n");
}

TEST(SheetTableModel, EmptySheetStartsFromTheRequiredColumns) {
    SamplesSheet sheet("");
    EXPECT_EQ(sheet.model.rowCount(), 0);
    EXPECT_EQ(sheet.model.columnCount(), 6);
    EXPECT_EQ(sheet.model.csvText(), "membrane,lane,sample,condition,replicate\n");
    ASSERT_TRUE(sheet.model.insertRows(0, 1));
    ASSERT_TRUE(sheet.model.setData(sheet.model.index(0, 0), QStringLiteral("m1")));
    ASSERT_EQ(sheet.edits.size(), 2u);
    EXPECT_EQ(sheet.edits[0], "membrane,lane,sample,condition,replicate\n,,,,\n");
    EXPECT_EQ(sheet.edits[1], "membrane,lane,sample,condition,replicate\nm1,,,,\n");
}

TEST(SheetTableModel, OwnTextComingBackKeepsTheModelAndOtherTextResetsIt) {
    SamplesSheet sheet(kQuotedSheet);
    ASSERT_TRUE(sheet.model.setData(sheet.model.index(0, 3), QStringLiteral("Vehicle")));
    QSignalSpy resets(&sheet.model, &QAbstractItemModel::modelReset);
    sheet.model.setCsvText(sheet.edits.back());
    EXPECT_EQ(resets.count(), 0);
    sheet.model.setCsvText(kQuotedSheet); // an undo
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(sheet.model.cell(0, 3), "Control");
    EXPECT_EQ(sheet.model.csvText(), kQuotedSheet);
}

TEST(SheetTableModel, UnreadableSheetIsReadOnly) {
    SamplesSheet sheet("membrane,lane\n\"m1,1\n");
    ASSERT_TRUE(sheet.model.readError().has_value());
    EXPECT_EQ(sheet.model.readError()->subject, "samples.csv:2");
    EXPECT_EQ(sheet.model.rowCount(), 0);
    EXPECT_FALSE(sheet.model.insertRows(0, 1));
    EXPECT_TRUE(sheet.edits.empty());
    EXPECT_EQ(sheet.model.csvText(), "membrane,lane\n\"m1,1\n");
}

} // namespace
} // namespace densito
