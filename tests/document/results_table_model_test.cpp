#include "core/io/results_csv.h"
#include "document/project_document.h"
#include "document/results_table_model.h"

#include "project_fixtures.h"
#include "support/temp_dir.h"

#include <QColor>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace densito {
namespace {

/// A blot whose first lanes clip at the detector: saturated bands beside clean ones.
test::SyntheticBlotSpec clippedSpec() {
    test::SyntheticBlotSpec spec = test::sixLaneSpec();
    spec.clipLevel = 15000.0;
    return spec;
}

struct Fixture {
    Fixture() {
        document.addImages({test::writeBlot(dir, "clipped.tif", clippedSpec())});
        EXPECT_TRUE(test::waitUntilIdle(document));
    }

    test::TempDir dir;
    ProjectDocument document;
};

TEST(ResultsTableModel, ShowsTheBandsOfTheCurrentImage) {
    Fixture fixture;
    const ResultsTableModel model(fixture.document);
    const auto& bands = fixture.document.analysis(0).bands;
    ASSERT_FALSE(bands.empty());
    ASSERT_EQ(model.rowCount(), static_cast<int>(bands.size()));
    EXPECT_EQ(model.columnCount(), ResultsTableModel::ColumnCount);
    EXPECT_EQ(model.headerData(ResultsTableModel::VolumeColumn, Qt::Horizontal).toString(),
              QStringLiteral("Volume\n(signal × px)"));
    EXPECT_EQ(model.headerData(ResultsTableModel::PeakColumn, Qt::Horizontal).toString(),
              QStringLiteral("Peak\n(signal)"));
    EXPECT_EQ(model.headerData(ResultsTableModel::SaturatedColumn, Qt::Horizontal).toString(),
              QStringLiteral("Saturated\n(px)"));
    int bandInLane = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Band& band = bands[static_cast<std::size_t>(row)];
        auto at = [&](int column, int role) {
            return model.data(model.index(row, column), role);
        };
        EXPECT_EQ(at(ResultsTableModel::LaneColumn, Qt::DisplayRole).toString(),
                  QString::number(band.lane));
        // Band: 1, 2, ... down each lane; Row: the band row across the strip (bands.csv).
        const bool isNewLane =
            row == 0 || bands[static_cast<std::size_t>(row - 1)].lane != band.lane;
        bandInLane = isNewLane ? 1 : bandInLane + 1;
        EXPECT_EQ(at(ResultsTableModel::BandColumn, Qt::DisplayRole).toInt(), bandInLane);
        EXPECT_EQ(at(ResultsTableModel::RowColumn, Qt::DisplayRole).toInt(), band.row);
        // The exact value for sorting; four significant digits for reading.
        EXPECT_EQ(at(ResultsTableModel::VolumeColumn, ResultsTableModel::kSortRole).toDouble(),
                  band.volume);
        EXPECT_EQ(at(ResultsTableModel::SnrColumn, ResultsTableModel::kSortRole).toDouble(),
                  band.snr);
        EXPECT_EQ(at(ResultsTableModel::SaturatedColumn, Qt::DisplayRole).toInt(),
                  band.saturatedPixels);
        const QString volume = at(ResultsTableModel::VolumeColumn, Qt::DisplayRole).toString();
        EXPECT_FALSE(volume.contains(QLatin1Char('e'))) << volume.toStdString();
        EXPECT_NEAR(volume.toDouble(), band.volume, std::abs(band.volume) * 5e-4);
        const bool isTinted = at(ResultsTableModel::FlagsColumn, Qt::BackgroundRole).isValid();
        EXPECT_EQ(isTinted, band.flags != 0) << "row " << row;
    }
}

TEST(ResultsTableModel, NumbersOfAColumnShareOneFormat) {
    Fixture fixture;
    const ResultsTableModel model(fixture.document);
    const auto& bands = fixture.document.analysis(0).bands;
    ASSERT_GT(bands.front().volume, 10000.0);
    const QString volume = model.data(model.index(0, ResultsTableModel::VolumeColumn)).toString();
    EXPECT_EQ(volume, QString::number(std::round(bands.front().volume), 'f', 0));
    // Each column: four significant digits of its largest value, the same decimals on every
    // row, never an exponent.
    for (const auto column : {ResultsTableModel::VolumeColumn, ResultsTableModel::BackgroundColumn,
                              ResultsTableModel::PeakColumn, ResultsTableModel::SnrColumn}) {
        double largest = 0.0;
        for (int row = 0; row < model.rowCount(); ++row) {
            largest = std::max(
                largest,
                std::abs(
                    model.data(model.index(row, column), ResultsTableModel::kSortRole).toDouble()));
        }
        ASSERT_GT(largest, 1.0);
        const int digits = static_cast<int>(std::floor(std::log10(largest))) + 1;
        const int decimals = std::max(0, 4 - digits);
        for (int row = 0; row < model.rowCount(); ++row) {
            const double exact =
                model.data(model.index(row, column), ResultsTableModel::kSortRole).toDouble();
            EXPECT_EQ(model.data(model.index(row, column)).toString(),
                      QString::number(exact, 'f', decimals))
                << "column " << column << ", row " << row;
        }
    }
}

TEST(ResultsTableModel, TintsFlaggedRowsAndSaysWhy) {
    Fixture fixture;
    const ResultsTableModel model(fixture.document);
    const auto& bands = fixture.document.analysis(0).bands;
    int saturated = -1;
    int clean = -1;
    for (int row = 0; row < static_cast<int>(bands.size()); ++row) {
        const std::uint32_t flags = bands[static_cast<std::size_t>(row)].flags;
        if ((flags & kBandSaturated) != 0 && saturated < 0) {
            saturated = row;
        }
        if (flags == 0 && clean < 0) {
            clean = row;
        }
    }
    ASSERT_GE(saturated, 0);
    ASSERT_GE(clean, 0);
    const QVariant tint = model.data(model.index(saturated, 0), Qt::BackgroundRole);
    ASSERT_TRUE(tint.canConvert<QColor>());
    EXPECT_NE(tint.value<QColor>(), QColor(Qt::white));
    EXPECT_FALSE(model.data(model.index(clean, 0), Qt::BackgroundRole).isValid());
    EXPECT_TRUE(model.data(model.index(saturated, ResultsTableModel::FlagsColumn))
                    .toString()
                    .startsWith(QStringLiteral("saturated")));
    EXPECT_GT(model.data(model.index(saturated, ResultsTableModel::SaturatedColumn)).toInt(), 0);
}

TEST(ResultsTableModel, SortsByTheExactValue) {
    Fixture fixture;
    ResultsTableModel model(fixture.document);
    ResultsSortModel sorted;
    sorted.setSourceModel(&model);
    sorted.sort(ResultsTableModel::VolumeColumn, Qt::DescendingOrder);
    double previous = std::numeric_limits<double>::infinity();
    for (int row = 0; row < sorted.rowCount(); ++row) {
        const double volume = sorted
                                  .data(sorted.index(row, ResultsTableModel::VolumeColumn),
                                        ResultsTableModel::kSortRole)
                                  .toDouble();
        EXPECT_LE(volume, previous);
        previous = volume;
    }
}

/// (strip, lane, band row) of each row of `model`, in its order.
std::vector<std::tuple<int, int, int>> placesOf(const QAbstractItemModel& model) {
    std::vector<std::tuple<int, int, int>> places;
    for (int row = 0; row < model.rowCount(); ++row) {
        auto at = [&](int column) {
            return model.data(model.index(row, column), ResultsTableModel::kSortRole).toInt();
        };
        places.emplace_back(at(ResultsTableModel::StripColumn), at(ResultsTableModel::LaneColumn),
                            at(ResultsTableModel::RowColumn));
    }
    return places;
}

TEST(ResultsTableModel, TiesKeepStripLaneAndBandOrderAfterAnySort) {
    Fixture fixture;
    ResultsTableModel model(fixture.document);
    const auto inFileOrder = placesOf(model);
    ASSERT_GT(inFileOrder.size(), 6u);
    ASSERT_TRUE(std::ranges::is_sorted(inFileOrder));
    ResultsSortModel sorted;
    sorted.setSourceModel(&model);
    // Sorting by volume first shuffles the lanes; sorting by strip again must not keep that.
    sorted.sort(ResultsTableModel::VolumeColumn, Qt::AscendingOrder);
    ASSERT_NE(placesOf(sorted), inFileOrder);
    sorted.sort(ResultsTableModel::StripColumn, Qt::AscendingOrder);
    EXPECT_EQ(placesOf(sorted), inFileOrder);
    sorted.sort(ResultsTableModel::VolumeColumn, Qt::DescendingOrder);
    sorted.sort(ResultsTableModel::LaneColumn, Qt::DescendingOrder);
    // Lanes from the right, each lane's bands still from the top.
    auto byLaneDescending = inFileOrder;
    std::ranges::stable_sort(byLaneDescending, [](const auto& a, const auto& b) {
        return std::get<1>(a) > std::get<1>(b);
    });
    EXPECT_EQ(placesOf(sorted), byLaneDescending);
}

TEST(ResultsTableModel, ResetsWhenTheCurrentImageIsEditedOrChanged) {
    Fixture fixture;
    ProjectDocument& document = fixture.document;
    ResultsTableModel model(document);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const int rows = model.rowCount();

    document.removeBand({0, 0});
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(model.rowCount(), rows - 1);
    EXPECT_EQ(
        model.data(model.index(0, ResultsTableModel::VolumeColumn), ResultsTableModel::kSortRole)
            .toDouble(),
        document.analysis(0).bands.front().volume);
    document.setCurrentImage(-1);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.image(), -1);
    document.setCurrentImage(0);
    EXPECT_EQ(model.rowCount(), rows - 1);
    document.undoStack()->undo();
    EXPECT_EQ(model.rowCount(), rows);
}

TEST(TabSeparatedText, HasAHeaderAndTheSelectedRowsWithExactNumbers) {
    Fixture fixture;
    const ResultsTableModel model(fixture.document);
    const auto& bands = fixture.document.analysis(0).bands;
    ASSERT_GE(bands.size(), 3u);
    // Row 2, then row 0 (twice: a whole row's cells), in the order selected.
    const QModelIndexList selection = {model.index(2, 0), model.index(0, 0), model.index(0, 3)};
    const QString text = tabSeparatedText(model, selection);
    const QStringList lines = text.split(QLatin1Char('\n'));
    ASSERT_EQ(lines.size(), 4); // header, two rows, the empty rest after the last '\n'
    EXPECT_EQ(lines[0], QStringLiteral("Strip\tLane\tBand\tRow\tVolume (signal × px)\t"
                                       "Background (signal × px)\tPeak (signal)\tSNR\t"
                                       "Saturated (px)\tFlags"));
    for (const auto& [line, index] : {std::pair{1, 2}, std::pair{2, 0}}) {
        const Band& band = bands[static_cast<std::size_t>(index)];
        const int bandInLane =
            model.data(model.index(index, ResultsTableModel::BandColumn), Qt::EditRole).toInt();
        const QString expected = QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6\t%7\t%8\t%9\t%10")
                                     .arg(band.strip)
                                     .arg(band.lane)
                                     .arg(bandInLane)
                                     .arg(band.row)
                                     .arg(QString::fromStdString(csvNumber(band.volume)),
                                          QString::fromStdString(csvNumber(band.backgroundVolume)),
                                          QString::fromStdString(csvNumber(band.peak)),
                                          QString::fromStdString(csvNumber(band.snr)),
                                          QString::number(band.saturatedPixels),
                                          QString::fromStdString(bandFlagsText(band.flags)));
        EXPECT_EQ(lines[line], expected);
    }
    EXPECT_TRUE(lines[3].isEmpty());
    EXPECT_TRUE(tabSeparatedText(model, {}).isEmpty());
}

} // namespace
} // namespace densito
