#include "core/analysis/layout_sheets.h"

#include "core/analysis/marker_sets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>
#include <span>
#include <tuple>

namespace densito {
namespace {

constexpr std::string_view kMeasureNames[] = {"phospho", "total", "loading", "stain"};

/// Reads the cells of one sheet by column name and collects what is wrong with them.
class SheetReader {
public:
    SheetReader(const CsvTable& table, std::vector<Error>& problems,
                std::initializer_list<std::string_view> required,
                std::initializer_list<std::string_view> optional)
        : m_table(table), m_problems(problems) {
        for (const std::string_view name : required) {
            if (!addColumn(name)) {
                m_problems.push_back(
                    {fmt::format("{}:{}", table.fileName, table.headerLine),
                     fmt::format("missing required column \"{}\" (columns found: {})", name,
                                 fmt::join(foundColumns(), ", "))});
            }
        }
        for (const std::string_view name : optional) {
            addColumn(name);
        }
    }

    const CsvTable& table() const { return m_table; }

    /// A column that a setting asks for (`what` names the setting); reported like a missing
    /// required column.
    void requireColumn(std::string_view name, std::string_view what) {
        if (!addColumn(name)) {
            m_problems.push_back(
                {fmt::format("{}:{}", m_table.fileName, m_table.headerLine),
                 fmt::format("missing column \"{}\" named by {} (columns found: {})", name, what,
                             fmt::join(foundColumns(), ", "))});
        }
    }

    /// The trimmed cell; empty when the sheet has no such column.
    std::string text(const CsvRow& row, std::string_view column) const {
        const auto found = m_columns.find(column);
        return found == m_columns.end() ? std::string{}
                                        : std::string(m_table.text(row, found->second));
    }

    /// The trimmed cell of a required column; reports it when empty.
    std::optional<std::string> requiredText(const CsvRow& row, std::string_view column) {
        if (!m_columns.contains(column)) {
            return std::nullopt; // reported once, as a missing column
        }
        std::string value = text(row, column);
        if (value.empty()) {
            report(row, column, "a value is required");
            return std::nullopt;
        }
        return value;
    }

    /// The cell as a whole number of at least 1; reports anything else.
    std::optional<int> countingNumber(const CsvRow& row, std::string_view column) {
        const auto number = m_table.wholeNumber(row, m_columns.at(std::string(column)));
        if (!number) {
            m_problems.push_back(number.error());
            return std::nullopt;
        }
        if (*number < 1) {
            report(row, column, fmt::format("\"{}\" must be 1 or more", *number));
            return std::nullopt;
        }
        return *number;
    }

    void report(const CsvRow& row, std::string_view column, std::string_view problem) {
        m_problems.push_back(m_table.cellError(row, m_columns.at(std::string(column)), problem));
    }

private:
    std::vector<std::string> foundColumns() const {
        std::vector<std::string> found;
        std::ranges::copy_if(m_table.header, std::back_inserter(found),
                             [](const std::string& h) { return !h.empty(); });
        return found;
    }

    bool addColumn(std::string_view name) {
        if (const auto index = m_table.findColumn(name)) {
            m_columns.emplace(std::string(name), *index);
            return true;
        }
        return false;
    }

    const CsvTable& m_table;
    std::vector<Error>& m_problems;
    std::map<std::string, std::size_t, std::less<>> m_columns;
};

std::expected<PixelRegion, std::string> parseRegion(std::string_view text,
                                                    bool isDecimalCommaAccepted) {
    std::vector<int> numbers;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.size(), text.find(';', start));
        const auto value =
            parseDecimalNumber(text.substr(start, end - start), isDecimalCommaAccepted);
        if (!value || std::abs(*value) > 1e9) {
            break;
        }
        numbers.push_back(static_cast<int>(std::lround(*value))); // fractional px from ImageJ
        start = end + 1;
    }
    if (numbers.size() != 4 || numbers[0] < 0 || numbers[1] < 0 || numbers[2] < 1 ||
        numbers[3] < 1) {
        return std::unexpected(fmt::format(
            "\"{}\" is not a region: x;y;width;height in pixels, width and height 1 or more",
            text));
    }
    return PixelRegion{numbers[0], numbers[1], numbers[2], numbers[3]};
}

std::expected<PixelRows, std::string> parseRows(std::string_view text,
                                                bool isDecimalCommaAccepted) {
    std::vector<int> numbers;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.size(), text.find(';', start));
        const auto value =
            parseDecimalNumber(text.substr(start, end - start), isDecimalCommaAccepted);
        if (!value || std::abs(*value) > 1e9) {
            break;
        }
        numbers.push_back(static_cast<int>(std::lround(*value)));
        start = end + 1;
    }
    if (numbers.size() != 2 || numbers[0] < 0 || numbers[1] < numbers[0]) {
        return std::unexpected(fmt::format(
            "\"{}\" is not a range of rows: top;bottom in image pixels, bottom not above top",
            text));
    }
    return PixelRows{numbers[0], numbers[1]};
}

/// `rows` and `band` by measure: a total-protein stain is integrated over whole lanes (or the
/// rows given), never one band row; `rows` means nothing for a band.
void readLaneRows(SheetReader& sheet, const CsvRow& row, std::optional<Measure> measure,
                  BlotRow& blot, bool& isComplete) {
    const std::string rows = sheet.text(row, "rows");
    if (measure == Measure::Stain && blot.band) {
        sheet.report(row, "band",
                     "a stain row is integrated over whole lanes, not a band row: leave band "
                     "empty (give rows as top;bottom to integrate part of each lane)");
        isComplete = false;
    }
    if (rows.empty()) {
        return;
    }
    if (measure && measure != Measure::Stain) {
        sheet.report(row, "rows",
                     fmt::format("rows applies to stain rows only (the part of each lane a "
                                 "total-protein stain integrates); this row measures {}",
                                 measureName(*measure)));
        isComplete = false;
        return;
    }
    const auto parsed = parseRows(rows, sheet.table().isDecimalCommaAccepted());
    if (!parsed) {
        sheet.report(row, "rows", parsed.error());
        isComplete = false;
        return;
    }
    blot.laneRows = *parsed;
}

/// The optional placement columns of a blots row: band, strip, region.
void readPlacement(SheetReader& sheet, const CsvRow& row, BlotRow& blot, bool& isComplete) {
    if (const std::string band = sheet.text(row, "band");
        !band.empty() && asciiLower(band) != "auto") {
        const auto number = parseWholeNumber(band);
        if (!number || *number < 1) {
            sheet.report(
                row, "band",
                fmt::format("\"{}\" is not a band row (1, 2, ... from the top, or auto)", band));
            isComplete = false;
        }
        blot.band = number;
    }
    if (!sheet.text(row, "strip").empty()) {
        blot.strip = sheet.countingNumber(row, "strip");
        isComplete = isComplete && blot.strip.has_value();
    }
    if (const std::string region = sheet.text(row, "region"); !region.empty()) {
        const auto parsed = parseRegion(region, sheet.table().isDecimalCommaAccepted());
        if (!parsed) {
            sheet.report(row, "region", parsed.error());
            isComplete = false;
        } else if (blot.strip) {
            sheet.report(row, "region", "give either strip or region, not both");
            isComplete = false;
        } else {
            blot.region = *parsed;
        }
    }
}

/// A blots row, or nothing when it has a problem (reported).
std::optional<BlotRow> readBlotRow(SheetReader& sheet, const CsvRow& row, const TargetPanel& panel,
                                   std::vector<std::string>& notes) {
    BlotRow blot;
    blot.line = row.line;
    const auto image = sheet.requiredText(row, "image");
    const auto membrane = sheet.requiredText(row, "membrane");
    const auto target = sheet.requiredText(row, "target");
    const auto measureText = sheet.requiredText(row, "measure");
    const auto measure = measureText ? parseMeasure(*measureText) : std::nullopt;
    if (measureText && !measure) {
        sheet.report(
            row, "measure",
            fmt::format("\"{}\" is not one of {}", *measureText, fmt::join(kMeasureNames, ", ")));
    }
    bool isComplete = image && membrane && target && measure;
    readPlacement(sheet, row, blot, isComplete);
    readLaneRows(sheet, row, measure, blot, isComplete);
    if (!isComplete) {
        return std::nullopt;
    }
    const TargetMatch match = panel.match(*target);
    if (match.isKnown) {
        const auto known = std::ranges::find(panel.targets(), match.name, &PanelTarget::name);
        if (known != panel.targets().end()) {
            blot.targetMassesKda = known->massesKda;
        }
    }
    blot.image = *image;
    blot.membrane = *membrane;
    blot.target = match.name;
    blot.targetAsWritten = *target;
    blot.measure = *measure;
    blot.site = sheet.text(row, "site");
    if (blot.site.empty() && blot.measure == Measure::Phospho) {
        blot.site = phosphoSiteInName(*target);
    }
    if (match.isPhosphoName && blot.measure != Measure::Phospho) {
        notes.push_back(fmt::format("{}:{}: target \"{}\" reads as a phospho form, but measure is "
                                    "{}; the measure column decides",
                                    sheet.table().fileName, row.line, *target,
                                    measureName(blot.measure)));
    }
    return blot;
}

/// A samples row, or nothing when it has a problem (reported).
std::optional<SampleRow> readSampleRow(SheetReader& sheet, const CsvRow& row,
                                       std::span<const std::string> factors) {
    const auto membrane = sheet.requiredText(row, "membrane");
    const auto laneText = sheet.requiredText(row, "lane");
    const auto lane = laneText ? sheet.countingNumber(row, "lane") : std::nullopt;
    const auto sample = sheet.requiredText(row, "sample");
    const auto condition = sheet.requiredText(row, "condition");
    const auto replicate = sheet.requiredText(row, "replicate");
    std::optional<double> load;
    bool isLoadValid = true;
    if (const std::string loadText = sheet.text(row, "load"); !loadText.empty()) {
        const auto number = parseDecimalNumber(loadText, sheet.table().isDecimalCommaAccepted());
        if (!number || !std::isfinite(*number) || *number < 0) {
            sheet.report(
                row, "load",
                fmt::format("\"{}\" is not an amount loaded (a number, 0 or more)", loadText));
            isLoadValid = false;
        } else {
            load = *number;
        }
    }
    std::vector<std::string> factorLevels;
    for (const std::string& factor : factors) {
        if (auto level = sheet.requiredText(row, factor)) {
            factorLevels.push_back(std::move(*level));
        }
    }
    if (!membrane || !lane || !sample || !condition || !replicate || !isLoadValid ||
        factorLevels.size() != factors.size()) {
        return std::nullopt;
    }
    return SampleRow{row.line,   *membrane,  *lane, *sample,
                     *condition, *replicate, load,  std::move(factorLevels)};
}

/// The condition that marks a samples.csv row as a marker ladder lane (ARCHITECTURE.md).
constexpr std::string_view kLadderCondition = "ladder";

/// A ladder row (condition `ladder`): membrane, lane and the marker set or kDa list in
/// `sample`; replicate and factors do not apply. Nothing when it has a problem (reported).
std::optional<LadderRow> readLadderRow(SheetReader& sheet, const CsvRow& row) {
    const auto membrane = sheet.requiredText(row, "membrane");
    const auto laneText = sheet.requiredText(row, "lane");
    const auto lane = laneText ? sheet.countingNumber(row, "lane") : std::nullopt;
    const auto markers = sheet.requiredText(row, "sample");
    std::optional<std::vector<double>> kda;
    if (markers) {
        auto resolved = markerKdaOf(*markers);
        if (resolved) {
            kda = std::move(*resolved);
        } else {
            sheet.report(row, "sample", fmt::format("ladder lane: {}", resolved.error()));
        }
    }
    if (!membrane || !lane || !kda) {
        return std::nullopt;
    }
    return LadderRow{row.line, *membrane, *lane, *markers, std::move(*kda)};
}

std::string where(const std::string& file, int line) {
    return fmt::format("{}:{}", file, line);
}

Error layoutError(const std::string& file, int line, std::string_view column,
                  std::string_view problem) {
    return {where(file, line), fmt::format("column \"{}\": {}", column, problem)};
}

/// Where the row sits in its image: its strip, its region, or the whole image.
std::string placementKey(const BlotRow& row) {
    if (row.strip) {
        return fmt::format("strip {}", *row.strip);
    }
    if (row.region) {
        return fmt::format("region {};{};{};{}", row.region->x, row.region->y, row.region->width,
                           row.region->height);
    }
    return "whole image";
}

void checkDuplicateBlots(const Layout& layout, std::vector<Error>& problems) {
    std::map<std::tuple<std::string, std::string, std::string, std::string, Measure>, int> placed;
    std::map<std::tuple<std::string, std::string, Measure, std::string>, const BlotRow*> measured;
    for (const BlotRow& row : layout.blots) {
        const auto placedKey = std::tuple(row.image, placementKey(row), row.membrane,
                                          targetKey(row.target), row.measure);
        const auto measuredKey =
            std::tuple(row.membrane, targetKey(row.target), row.measure, asciiLower(row.site));
        if (const auto [first, isNew] = placed.emplace(placedKey, row.line); !isNew) {
            problems.push_back(layoutError(layout.blotsFile, row.line, "measure",
                                           fmt::format("repeats line {} (same image, {}, "
                                                       "membrane, target and measure)",
                                                       first->second, placementKey(row))));
        } else if (const auto [earlier, isFirst] = measured.emplace(measuredKey, &row); !isFirst) {
            problems.push_back(layoutError(
                layout.blotsFile, row.line, "image",
                fmt::format("{} {} of membrane \"{}\" is already measured in {} (line {}); keep "
                            "one row per membrane, target, site and measure",
                            measureName(row.measure), row.target, row.membrane,
                            earlier->second->image, earlier->second->line)));
        }
    }
}

bool hasMeasure(const Layout& layout, const BlotRow& of, Measure measure, bool isAnyTarget) {
    return std::ranges::any_of(layout.blots, [&](const BlotRow& row) {
        return row.membrane == of.membrane && row.measure == measure &&
               (isAnyTarget || targetKey(row.target) == targetKey(of.target));
    });
}

void checkNormalizers(const Layout& layout, std::vector<Error>& problems) {
    for (const BlotRow& row : layout.blots) {
        const bool hasMembraneNormalizer = hasMeasure(layout, row, Measure::Loading, true) ||
                                           hasMeasure(layout, row, Measure::Stain, true);
        if (row.measure == Measure::Phospho && !hasMembraneNormalizer &&
            !hasMeasure(layout, row, Measure::Total, false)) {
            problems.push_back(layoutError(
                layout.blotsFile, row.line, "measure",
                fmt::format("phospho {} on membrane \"{}\" has no total, loading or stain row to "
                            "be normalized by",
                            row.target, row.membrane)));
        }
        if (row.measure == Measure::Total && !hasMembraneNormalizer &&
            !hasMeasure(layout, row, Measure::Phospho, false)) {
            problems.push_back(layoutError(
                layout.blotsFile, row.line, "measure",
                fmt::format("total {} on membrane \"{}\" has no phospho form and no loading or "
                            "stain row to be normalized by",
                            row.target, row.membrane)));
        }
    }
}

void checkDuplicateLanes(const Layout& layout, std::vector<Error>& problems) {
    std::vector<std::tuple<int, std::string, int>> rows; // line, membrane, lane; file order
    for (const SampleRow& row : layout.samples) {
        rows.emplace_back(row.line, row.membrane, row.lane);
    }
    for (const LadderRow& row : layout.ladders) {
        rows.emplace_back(row.line, row.membrane, row.lane);
    }
    std::ranges::sort(rows);
    std::map<std::pair<std::string, int>, int> lines;
    for (const auto& [line, membrane, lane] : rows) {
        if (const auto [first, isNew] = lines.emplace(std::pair(membrane, lane), line); !isNew) {
            problems.push_back(
                layoutError(layout.samplesFile, line, "lane",
                            fmt::format("lane {} of membrane \"{}\" is already listed on line {}",
                                        lane, membrane, first->second)));
        }
    }
}

/// Every membrane appears in both sheets; `blotsMembranes` and `samplesMembranes` hold the
/// first line of every membrane named, including rows with other problems.
void checkMembranes(const Layout& layout, const std::map<std::string, int>& blotsMembranes,
                    const std::map<std::string, int>& samplesMembranes,
                    std::vector<Error>& problems) {
    for (const auto& [membrane, line] : blotsMembranes) {
        if (!samplesMembranes.contains(membrane)) {
            problems.push_back(layoutError(
                layout.blotsFile, line, "membrane",
                fmt::format("membrane \"{}\" has no lanes in {}", membrane, layout.samplesFile)));
        }
    }
    for (const auto& [membrane, line] : samplesMembranes) {
        if (!blotsMembranes.contains(membrane)) {
            problems.push_back(layoutError(
                layout.samplesFile, line, "membrane",
                fmt::format("membrane \"{}\" is not in {}", membrane, layout.blotsFile)));
        }
    }
}

/// Spells every condition as its first appearance, so "Insulin" and "insulin" are one.
void unifyConditions(Layout& layout) {
    std::map<std::string, std::string> spelling;
    for (SampleRow& row : layout.samples) {
        const auto [entry, isNew] = spelling.emplace(asciiLower(row.condition), row.condition);
        if (isNew) {
            layout.conditions.push_back(row.condition);
        }
        row.condition = entry->second;
    }
}

std::optional<Error> resolveControl(Layout& layout, const std::string& requested) {
    const std::string wanted = asciiLower(trimmed(requested.empty() ? "control" : requested));
    const auto found = std::ranges::find_if(layout.conditions, [&](const std::string& condition) {
        return asciiLower(condition) == wanted;
    });
    if (found != layout.conditions.end()) {
        layout.control = *found;
        return std::nullopt;
    }
    const std::string seen = fmt::format("{}", fmt::join(layout.conditions, ", "));
    if (!requested.empty()) {
        return Error{layout.samplesFile,
                     fmt::format("the control condition \"{}\" (--control) is not in column "
                                 "\"condition\"; conditions seen: {}",
                                 trimmed(requested), seen)};
    }
    return Error{layout.samplesFile,
                 fmt::format("no control condition: no condition is named \"control\"; name "
                             "it with --control; conditions seen: {}",
                             seen)};
}

void checkControlOnEveryMembrane(const Layout& layout, std::vector<Error>& problems) {
    std::map<std::string, int> firstLine;
    std::set<std::string> withControl;
    for (const SampleRow& row : layout.samples) {
        firstLine.emplace(row.membrane, row.line);
        if (row.condition == layout.control) {
            withControl.insert(row.membrane);
        }
    }
    for (const auto& [membrane, line] : firstLine) {
        if (!withControl.contains(membrane)) {
            problems.push_back(layoutError(
                layout.samplesFile, line, "condition",
                fmt::format("membrane \"{}\" has no lane of the control condition \"{}\"", membrane,
                            layout.control)));
        }
    }
}

/// `--factors` names two distinct columns, or the problem with it.
std::optional<Error> checkFactorNames(const Layout& layout, std::span<const std::string> factors) {
    if (factors.size() == 2 && asciiLower(factors[0]) != asciiLower(factors[1]) &&
        !factors[0].empty() && !factors[1].empty()) {
        return std::nullopt;
    }
    return Error{layout.samplesFile,
                 fmt::format("--factors takes two different factor columns of {}, as A,B (e.g. "
                             "insulin,isoleucine); got \"{}\"",
                             layout.samplesFile, fmt::join(factors, ","))};
}

/// The 2 x 2 the factor columns describe: one level pair per condition, two levels per
/// factor, one condition per cell. Levels compare ASCII case-insensitively. Levels and cells
/// are counted only when every samples row was read (`isComplete`): a row left out for
/// another problem would make them look wrong.
std::optional<FactorialDesign> resolveFactorial(const Layout& layout,
                                                std::span<const std::string> factors,
                                                bool isComplete, std::vector<Error>& problems) {
    std::map<std::string, const SampleRow*> firstOfCondition;
    std::array<std::vector<std::string>, 2> levels; // as first spelled, in order of appearance
    const std::size_t problemsBefore = problems.size();
    for (const SampleRow& row : layout.samples) {
        const auto [first, isNew] = firstOfCondition.emplace(row.condition, &row);
        for (std::size_t f = 0; f < 2; ++f) {
            const std::string& level = row.factorLevels[f];
            if (!std::ranges::any_of(levels[f], [&](const std::string& known) {
                    return asciiLower(known) == asciiLower(level);
                })) {
                levels[f].push_back(level);
            }
            const std::string& expected = first->second->factorLevels[f];
            if (!isNew && asciiLower(level) != asciiLower(expected)) {
                problems.push_back(layoutError(
                    layout.samplesFile, row.line, factors[f],
                    fmt::format("\"{}\" differs from \"{}\" on line {}: every lane of condition "
                                "\"{}\" needs the same level of each factor",
                                level, expected, first->second->line, row.condition)));
            }
        }
    }
    if (!isComplete || problems.size() != problemsBefore) {
        return std::nullopt;
    }
    for (std::size_t f = 0; f < 2; ++f) {
        if (levels[f].size() != 2) {
            problems.push_back(Error{
                layout.samplesFile,
                fmt::format("column \"{}\": a factor of --factors needs two levels, found {}: {}",
                            factors[f], levels[f].size(), fmt::join(levels[f], ", "))});
        }
    }
    if (problems.size() != problemsBefore) {
        return std::nullopt;
    }
    FactorialDesign design;
    const SampleRow& control = *firstOfCondition.at(layout.control);
    for (std::size_t f = 0; f < 2; ++f) {
        design.factors[f] = factors[f];
        design.referenceLevels[f] = control.factorLevels[f];
        const bool isFirstReference =
            asciiLower(levels[f][0]) == asciiLower(design.referenceLevels[f]);
        design.otherLevels[f] = levels[f][isFirstReference ? 1 : 0];
    }
    // cells[a][b]: a, b = whether the first, second factor is at its other level.
    std::array<std::array<std::vector<std::string>, 2>, 2> cells;
    for (const std::string& condition : layout.conditions) {
        const SampleRow& row = *firstOfCondition.at(condition);
        const auto isOther = [&](std::size_t f) {
            return asciiLower(row.factorLevels[f]) != asciiLower(design.referenceLevels[f]);
        };
        cells[isOther(0) ? 1 : 0][isOther(1) ? 1 : 0].push_back(condition);
    }
    for (std::size_t a = 0; a < 2; ++a) {
        for (std::size_t b = 0; b < 2; ++b) {
            const std::string cell = fmt::format(
                "{} = {} and {} = {}", design.factors[0],
                a == 1 ? design.otherLevels[0] : design.referenceLevels[0], design.factors[1],
                b == 1 ? design.otherLevels[1] : design.referenceLevels[1]);
            if (cells[a][b].empty()) {
                problems.push_back(Error{
                    layout.samplesFile,
                    fmt::format("--factors: no condition has {}; the interaction needs all four "
                                "cells of the 2 x 2",
                                cell)});
            } else if (cells[a][b].size() > 1) {
                problems.push_back(Error{
                    layout.samplesFile,
                    fmt::format("--factors: conditions \"{}\" all have {}; each cell of the 2 x 2 "
                                "needs one condition",
                                fmt::join(cells[a][b], "\", \""), cell)});
            }
        }
    }
    if (problems.size() != problemsBefore) {
        return std::nullopt;
    }
    design.firstOnly = cells[1][0].front();
    design.secondOnly = cells[0][1].front();
    design.both = cells[1][1].front();
    return design;
}

void readBlotsSheet(const CsvTable& table, const TargetPanel& panel, Layout& layout,
                    std::map<std::string, int>& membranes, std::vector<Error>& problems) {
    SheetReader sheet(table, problems, {"image", "membrane", "target", "measure"},
                      {"site", "band", "strip", "region", "rows"});
    for (const CsvRow& row : table.rows) {
        if (const std::string membrane = sheet.text(row, "membrane"); !membrane.empty()) {
            membranes.emplace(membrane, row.line);
        }
        if (auto blot = readBlotRow(sheet, row, panel, layout.notes)) {
            layout.blots.push_back(std::move(*blot));
        }
    }
}

void readSamplesSheet(const CsvTable& table, std::span<const std::string> factors, Layout& layout,
                      std::map<std::string, int>& membranes, std::vector<Error>& problems) {
    SheetReader sheet(table, problems, {"membrane", "lane", "sample", "condition", "replicate"},
                      {"load"});
    for (const std::string& factor : factors) {
        sheet.requireColumn(factor, "--factors");
    }
    for (const CsvRow& row : table.rows) {
        if (const std::string membrane = sheet.text(row, "membrane"); !membrane.empty()) {
            membranes.emplace(membrane, row.line);
        }
        if (asciiLower(sheet.text(row, "condition")) == kLadderCondition) {
            if (auto ladder = readLadderRow(sheet, row)) {
                layout.ladders.push_back(std::move(*ladder));
            }
        } else if (auto sample = readSampleRow(sheet, row, factors)) {
            layout.samples.push_back(std::move(*sample));
        }
    }
}

} // namespace

std::string_view measureName(Measure measure) {
    return kMeasureNames[static_cast<std::size_t>(measure)];
}

std::optional<Measure> parseMeasure(std::string_view text) {
    const std::string name = asciiLower(trimmed(text));
    for (std::size_t i = 0; i < std::size(kMeasureNames); ++i) {
        if (name == kMeasureNames[i]) {
            return static_cast<Measure>(i);
        }
    }
    return std::nullopt;
}

std::expected<Layout, std::vector<Error>>
parseLayout(const CsvTable& blots, const CsvTable& samples, const LayoutSettings& settings) {
    Layout layout;
    layout.blotsFile = blots.fileName;
    layout.samplesFile = samples.fileName;
    layout.notes = blots.notes;
    layout.notes.insert(layout.notes.end(), samples.notes.begin(), samples.notes.end());
    std::vector<Error> problems;
    std::map<std::string, int> blotsMembranes;
    std::map<std::string, int> samplesMembranes;
    readBlotsSheet(blots, settings.panel, layout, blotsMembranes, problems);
    std::vector<std::string> factorNames;
    for (const std::string& factor : settings.factors) {
        factorNames.emplace_back(trimmed(factor));
    }
    const auto factorProblem =
        factorNames.empty() ? std::nullopt : checkFactorNames(layout, factorNames);
    if (factorProblem) {
        problems.push_back(*factorProblem);
    }
    const std::span<const std::string> factors =
        factorProblem ? std::span<const std::string>{} : std::span<const std::string>(factorNames);
    readSamplesSheet(samples, factors, layout, samplesMembranes, problems);
    checkDuplicateBlots(layout, problems);
    checkNormalizers(layout, problems);
    checkDuplicateLanes(layout, problems);
    checkMembranes(layout, blotsMembranes, samplesMembranes, problems);
    unifyConditions(layout);
    if (auto controlProblem = resolveControl(layout, settings.control)) {
        if (!layout.conditions.empty()) {
            problems.push_back(std::move(*controlProblem));
        }
    } else {
        checkControlOnEveryMembrane(layout, problems);
        if (!factors.empty()) {
            layout.factorial = resolveFactorial(layout, factors, problems.empty(), problems);
        }
    }
    if (!problems.empty()) {
        return std::unexpected(std::move(problems));
    }
    return layout;
}

std::expected<Layout, std::vector<Error>> readLayout(const std::filesystem::path& blotsPath,
                                                     const std::filesystem::path& samplesPath,
                                                     const LayoutSettings& settings) {
    auto blots = readCsvFile(blotsPath);
    auto samples = readCsvFile(samplesPath);
    if (!blots || !samples) {
        std::vector<Error> problems;
        for (const auto* sheet : {&blots, &samples}) {
            if (!*sheet) {
                problems.push_back(sheet->error());
            }
        }
        return std::unexpected(std::move(problems));
    }
    return parseLayout(*blots, *samples, settings);
}

std::vector<Error> checkLayoutAgainstImages(const Layout& layout,
                                            std::span<const std::string> imageNames,
                                            const LanesFound& lanesFound) {
    std::set<std::string> available;
    for (const std::string& name : imageNames) {
        available.insert(std::filesystem::path(name).filename().string());
    }
    std::vector<Error> problems;
    std::set<std::string> reportedImages;
    std::set<int> reportedLanes;
    for (const BlotRow& blot : layout.blots) {
        const std::string image = std::filesystem::path(blot.image).filename().string();
        if (!available.contains(image)) {
            if (reportedImages.insert(image).second) {
                problems.push_back(
                    layoutError(layout.blotsFile, blot.line, "image",
                                fmt::format("\"{}\" is not among the input images", blot.image)));
            }
            continue;
        }
        const std::optional<int> lanes = lanesFound(blot);
        const auto checkLane = [&](int line, const std::string& membrane, int lane) {
            if (lanes && membrane == blot.membrane && lane > *lanes &&
                reportedLanes.insert(line).second) {
                problems.push_back(layoutError(
                    layout.samplesFile, line, "lane",
                    fmt::format("lane {} is beyond the {} lanes found in {} ({}) for {}:{}", lane,
                                *lanes, blot.image, placementKey(blot), layout.blotsFile,
                                blot.line)));
            }
        };
        for (const SampleRow& sample : layout.samples) {
            checkLane(sample.line, sample.membrane, sample.lane);
        }
        for (const LadderRow& ladder : layout.ladders) {
            checkLane(ladder.line, ladder.membrane, ladder.lane);
        }
    }
    return problems;
}

} // namespace densito
