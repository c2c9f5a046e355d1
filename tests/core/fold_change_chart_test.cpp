#include "core/io/fold_change_chart.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace densito {
namespace {

/// One element of the chart's SVG: its name, attributes and (for leaves) its text.
struct SvgElement {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;

    double number(const std::string& attribute) const {
        return std::stod(attributes.at(attribute));
    }
    bool hasClass(const std::string& role) const {
        const auto found = attributes.find("class");
        return found != attributes.end() && found->second == role;
    }
};

/// Whether every "&" in `text` starts one of XML's entities.
bool hasOnlyXmlEntities(const std::string& text) {
    for (std::size_t at = text.find('&'); at != std::string::npos; at = text.find('&', at + 1)) {
        const std::string rest = text.substr(at);
        const bool isEntity = std::ranges::any_of(
            std::vector<std::string>{"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"},
            [&rest](const std::string& entity) { return rest.starts_with(entity); });
        if (!isEntity) {
            return false;
        }
    }
    return true;
}

/// A small XML check for the subset the chart writes: tags nest and close, attributes are
/// quoted, text holds no raw "<" and only known entities. Adds a failure and returns nothing
/// when the text is not well-formed.
std::optional<std::vector<SvgElement>> parseSvg(const std::string& svg) {
    std::vector<SvgElement> elements;
    std::vector<std::pair<std::string, std::size_t>> open; ///< name, index in elements
    std::size_t at = 0;
    while (true) {
        const std::size_t tagStart = svg.find('<', at);
        const std::string between =
            svg.substr(at, tagStart == std::string::npos ? std::string::npos : tagStart - at);
        if (!hasOnlyXmlEntities(between) || between.find('>') != std::string::npos) {
            ADD_FAILURE() << "bad text: " << between;
            return std::nullopt;
        }
        if (!open.empty()) {
            elements[open.back().second].text += between;
        }
        if (tagStart == std::string::npos) {
            break;
        }
        const std::size_t tagEnd = svg.find('>', tagStart);
        if (tagEnd == std::string::npos) {
            ADD_FAILURE() << "unterminated tag at " << tagStart;
            return std::nullopt;
        }
        std::string tag = svg.substr(tagStart + 1, tagEnd - tagStart - 1);
        at = tagEnd + 1;
        if (tag.starts_with("/")) {
            if (open.empty() || open.back().first != tag.substr(1)) {
                ADD_FAILURE() << "unbalanced </" << tag.substr(1) << ">";
                return std::nullopt;
            }
            open.pop_back();
            continue;
        }
        const bool isSelfClosing = tag.ends_with("/");
        if (isSelfClosing) {
            tag.pop_back();
        }
        SvgElement element;
        const std::size_t nameEnd = std::min(tag.find(' '), tag.size());
        element.name = tag.substr(0, nameEnd);
        std::size_t position = nameEnd;
        while (true) {
            const std::size_t equals = tag.find("=\"", position);
            if (equals == std::string::npos) {
                break;
            }
            const std::size_t valueEnd = tag.find('"', equals + 2);
            if (valueEnd == std::string::npos) {
                ADD_FAILURE() << "unquoted attribute in <" << tag << ">";
                return std::nullopt;
            }
            std::string key = tag.substr(position, equals - position);
            key.erase(0, key.find_first_not_of(' '));
            const std::string value = tag.substr(equals + 2, valueEnd - equals - 2);
            if (!hasOnlyXmlEntities(value) || value.find('<') != std::string::npos ||
                !element.attributes.emplace(key, value).second) {
                ADD_FAILURE() << "bad attribute " << key << " in <" << tag << ">";
                return std::nullopt;
            }
            position = valueEnd + 1;
        }
        elements.push_back(element);
        if (!isSelfClosing) {
            open.emplace_back(element.name, elements.size() - 1);
        }
    }
    if (!open.empty()) {
        ADD_FAILURE() << "<" << open.back().first << "> is never closed";
        return std::nullopt;
    }
    return elements;
}

std::vector<SvgElement> withClass(const std::vector<SvgElement>& elements,
                                  const std::string& role) {
    std::vector<SvgElement> found;
    std::ranges::copy_if(elements, std::back_inserter(found),
                         [&role](const SvgElement& e) { return e.hasClass(role); });
    return found;
}

QuantifiedLane lane(std::string membrane, std::string replicate, std::string condition,
                    std::optional<double> foldChange, std::string excluded = {}) {
    QuantifiedLane row;
    row.membrane = std::move(membrane);
    row.replicate = std::move(replicate);
    row.condition = std::move(condition);
    row.target = "Akt";
    row.isPhospho = true;
    row.site = "Ser473";
    row.normalizedBy = Normalizer::Total;
    row.foldChange = foldChange;
    row.excluded = std::move(excluded);
    return row;
}

ConditionSummary summaryRow(std::string condition, int n, std::optional<double> foldChange,
                            std::optional<Interval> ci95, std::optional<double> pHolm) {
    ConditionSummary row;
    row.target = "Akt";
    row.isPhospho = true;
    row.site = "Ser473";
    row.condition = std::move(condition);
    row.isControl = row.condition == "control";
    row.n = n;
    row.foldChange = foldChange;
    row.ci95 = ci95;
    row.pHolm = pHolm;
    row.p = pHolm;
    row.test = row.isControl || !pHolm ? "" : "linear model t-test";
    return row;
}

const FoldChangeSeries kPAkt{"Akt", true, "Ser473"};

/// Three membranes, one biological replicate of each condition per membrane. EGF doubles
/// the signal (membrane 2 holds technical duplicates 1.6 and 2.5: geometric mean 2), the
/// inhibitor halves it (membrane 3's lane is excluded), "starved" has no usable lane; plus
/// an expression target that the p-Akt chart must ignore.
struct Experiment {
    std::vector<QuantifiedLane> lanes;
    std::vector<ConditionSummary> summary;
};

Experiment experiment() {
    Experiment e;
    e.lanes = {
        lane("M1", "1", "control", 1.0),
        lane("M1", "1", "EGF", 2.0),
        lane("M1", "1", "inhibitor", 0.5),
        lane("M1", "1", "starved", std::nullopt),
        lane("M2", "2", "control", 1.0),
        lane("M2", "2", "EGF", 1.6),
        lane("M2", "2", "EGF", 2.5),
        lane("M2", "2", "inhibitor", 0.5),
        lane("M3", "3", "control", 1.0),
        lane("M3", "3", "EGF", 2.0),
        lane("M3", "3", "inhibitor", 0.5, "saturated band"),
    };
    QuantifiedLane gapdh = lane("M1", "1", "EGF", 8.0);
    gapdh.target = "GAPDH";
    gapdh.isPhospho = false;
    gapdh.site.clear();
    gapdh.normalizedBy = Normalizer::Stain;
    e.lanes.push_back(gapdh);

    e.summary = {
        summaryRow("control", 3, 1.0, std::nullopt, std::nullopt),
        summaryRow("EGF", 3, 2.0, Interval{1.5, 2.7}, 0.0123),
        summaryRow("inhibitor", 2, 0.5, Interval{0.35, 0.7}, 0.0004),
        summaryRow("starved", 0, std::nullopt, std::nullopt, std::nullopt),
    };
    ConditionSummary gapdhRow = summaryRow("EGF", 1, 8.0, std::nullopt, std::nullopt);
    gapdhRow.target = "GAPDH";
    gapdhRow.isPhospho = false;
    gapdhRow.site.clear();
    e.summary.push_back(gapdhRow);
    return e;
}

std::vector<SvgElement> renderedElements(const FoldChangeChart& chart) {
    auto elements = parseSvg(chart.svg);
    return elements ? *elements : std::vector<SvgElement>{};
}

TEST(FoldChangeChart, SvgIsAWellFormedStandaloneDocument) {
    const Experiment e = experiment();
    const FoldChangeChart chart = renderFoldChangeChart(kPAkt, e.summary, e.lanes);
    ASSERT_TRUE(chart.svg.starts_with("<svg"));
    const auto elements = parseSvg(chart.svg);
    ASSERT_TRUE(elements.has_value());
    ASSERT_FALSE(elements->empty());
    const SvgElement& root = elements->front();
    EXPECT_EQ(root.name, "svg");
    EXPECT_EQ(root.attributes.at("xmlns"), "http://www.w3.org/2000/svg");
    EXPECT_EQ(root.attributes.at("version"), "1.1");
    EXPECT_EQ(root.attributes.at("width"), "640");
    EXPECT_EQ(root.attributes.at("height"), "420");
    EXPECT_EQ(root.attributes.at("viewBox"), "0 0 640 420");
    EXPECT_EQ(root.attributes.at("font-family"), "sans-serif");
}

TEST(FoldChangeChart, OneBarPerConditionWithAFoldChange) {
    const Experiment e = experiment();
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto bars = withClass(elements, "bar");
    ASSERT_EQ(bars.size(), 3u); // control, EGF, inhibitor; "starved" has none
    EXPECT_LT(bars[0].number("x"), bars[1].number("x"));
    EXPECT_LT(bars[1].number("x"), bars[2].number("x"));
    const auto conditions = withClass(elements, "condition");
    ASSERT_EQ(conditions.size(), 4u);
    EXPECT_EQ(conditions[0].text, "control");
    EXPECT_EQ(conditions[3].text, "starved");
}

TEST(FoldChangeChart, BarsAreSymmetricAroundOneOnTheLog2Axis) {
    const Experiment e = experiment();
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto bars = withClass(elements, "bar");
    const auto line = withClass(elements, "reference-line");
    ASSERT_EQ(bars.size(), 3u);
    ASSERT_EQ(line.size(), 1u);
    EXPECT_EQ(line[0].attributes.at("stroke-dasharray"), "5 4");
    const double oneY = line[0].number("y1");
    const SvgElement& egf = bars[1];
    const SvgElement& inhibitor = bars[2];
    // EGF (2) rises from the line, the inhibitor (0.5) hangs from it, by the same height.
    EXPECT_NEAR(egf.number("y") + egf.number("height"), oneY, 0.011);
    EXPECT_NEAR(inhibitor.number("y"), oneY, 0.011);
    EXPECT_GT(egf.number("height"), 20.0);
    EXPECT_NEAR(egf.number("height"), inhibitor.number("height"), 0.02);
    // The control (1) is a thin bar on the line.
    EXPECT_NEAR(bars[0].number("y") + bars[0].number("height") / 2.0, oneY, 0.011);
    EXPECT_LT(bars[0].number("height"), egf.number("height") / 10.0);
    EXPECT_EQ(withClass(elements, "whisker").size(), 6u); // two CIs: stem and two caps each
}

TEST(FoldChangeChart, OneDotPerBiologicalReplicate) {
    const Experiment e = experiment();
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto bars = withClass(elements, "bar");
    const auto dots = withClass(elements, "dot");
    ASSERT_EQ(bars.size(), 3u);
    ASSERT_EQ(dots.size(), 3u + 3u + 2u); // membrane 3's inhibitor lane is excluded
    const SvgElement& egf = bars[1];
    int egfDots = 0;
    for (const SvgElement& dot : dots) {
        const double x = dot.number("cx");
        if (x >= egf.number("x") && x <= egf.number("x") + egf.number("width")) {
            ++egfDots;
            // Every EGF replicate is 2, including the duplicates 1.6 and 2.5 combined.
            EXPECT_NEAR(dot.number("cy"), egf.number("y"), 0.011);
        }
    }
    EXPECT_EQ(egfDots, 3);
    std::vector<double> egfX;
    for (const SvgElement& dot : dots) {
        if (std::abs(dot.number("cy") - egf.number("y")) < 0.02) {
            egfX.push_back(dot.number("cx"));
        }
    }
    std::ranges::sort(egfX);
    EXPECT_EQ(std::ranges::adjacent_find(egfX), egfX.end()); // spread, not stacked
}

TEST(FoldChangeChart, InteractiveChartHasTheSameSvgAndPlacesEachConditionAndDot) {
    const Experiment e = experiment();
    const FoldChangeChart chart = renderFoldChangeChart(kPAkt, e.summary, e.lanes);
    const InteractiveFoldChangeChart live =
        renderInteractiveFoldChangeChart(kPAkt, e.summary, e.lanes);
    EXPECT_EQ(live.svg, chart.svg);

    const auto elements = renderedElements(chart);
    const auto bars = withClass(elements, "bar");
    const auto dots = withClass(elements, "dot");
    ASSERT_EQ(live.columns.size(), 4u);
    const std::vector<std::string> conditions = {"control", "EGF", "inhibitor", "starved"};
    std::size_t dotCount = 0;
    for (std::size_t i = 0; i < live.columns.size(); ++i) {
        const FoldChangeChartColumn& column = live.columns[i];
        EXPECT_EQ(column.summary.condition, conditions[i]);
        EXPECT_LT(column.slotLeft, column.slotRight);
        if (i > 0) { // the slots tile the plot left to right
            EXPECT_DOUBLE_EQ(column.slotLeft, live.columns[i - 1].slotRight);
        }
        if (i < bars.size()) { // the bar drawn lies in the column's slot
            EXPECT_GE(bars[i].number("x"), column.slotLeft);
            EXPECT_LE(bars[i].number("x") + bars[i].number("width"), column.slotRight);
        }
        for (const FoldChangeChartDot& dot : column.dots) {
            ASSERT_LT(dotCount, dots.size());
            EXPECT_NEAR(dot.cx, dots[dotCount].number("cx"), 0.006);
            EXPECT_NEAR(dot.cy, dots[dotCount].number("cy"), 0.006);
            EXPECT_DOUBLE_EQ(dot.radius, dots[dotCount].number("r"));
            ++dotCount;
        }
    }
    EXPECT_EQ(dotCount, dots.size());
    // The EGF replicates are all 2 (the duplicates 1.6 and 2.5 combined by geometric mean);
    // the columns carry the summary rows the bars show.
    ASSERT_EQ(live.columns[1].dots.size(), 3u);
    for (const FoldChangeChartDot& dot : live.columns[1].dots) {
        EXPECT_NEAR(dot.foldChange, 2.0, 1e-12);
    }
    EXPECT_EQ(live.columns[2].dots.size(), 2u); // membrane 3's inhibitor lane is excluded
    EXPECT_EQ(live.columns[1].summary.n, e.summary[1].n);
    EXPECT_EQ(live.columns[1].summary.pHolm, e.summary[1].pHolm);
    EXPECT_FALSE(live.columns[3].summary.foldChange.has_value());
}

TEST(FoldChangeChart, PrintsTitleHolmPValuesAndN) {
    const Experiment e = experiment();
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto title = withClass(elements, "title");
    ASSERT_EQ(title.size(), 1u);
    EXPECT_EQ(title[0].text, "p-Akt Ser473 / total Akt");
    ASSERT_GE(elements.size(), 2u);
    EXPECT_EQ(elements[1].name, "title");
    EXPECT_EQ(elements[1].text, "p-Akt Ser473 / total Akt");
    const auto pValues = withClass(elements, "p-value");
    ASSERT_EQ(pValues.size(), 2u); // not for the control, not for "starved" (no bar)
    EXPECT_EQ(pValues[0].text, "p = 0.012");
    EXPECT_EQ(pValues[1].text, "p &lt; 0.001");
    const auto ns = withClass(elements, "n");
    ASSERT_EQ(ns.size(), 4u);
    EXPECT_EQ(ns[0].text, "n = 3");
    EXPECT_EQ(ns[2].text, "n = 2");
    EXPECT_EQ(ns[3].text, "n = 0");
}

TEST(FoldChangeChart, PngDecodesToTheDocumentedSizeWithTheBarsDrawn) {
    const Experiment e = experiment();
    const FoldChangeChart chart = renderFoldChangeChart(kPAkt, e.summary, e.lanes);
    const cv::Mat png = cv::imdecode(chart.png, cv::IMREAD_COLOR);
    ASSERT_FALSE(png.empty());
    EXPECT_EQ(png.cols, kFoldChangeChartWidth * kFoldChangeChartPngScale);
    EXPECT_EQ(png.rows, kFoldChangeChartHeight * kFoldChangeChartPngScale);
    const auto bars = withClass(renderedElements(chart), "bar");
    ASSERT_EQ(bars.size(), 3u);
    const cv::Vec3b white(255, 255, 255);
    for (const SvgElement& bar : {bars[1], bars[2]}) {
        const double scale = kFoldChangeChartPngScale;
        // A quarter in from the bar's left edge: inside the bar, clear of the dots.
        const int x = static_cast<int>((bar.number("x") + bar.number("width") / 4.0) * scale);
        const int y = static_cast<int>((bar.number("y") + bar.number("height") / 2.0) * scale);
        EXPECT_NE(png.at<cv::Vec3b>(y, x), white) << "bar at x " << bar.number("x");
    }
    EXPECT_EQ(png.at<cv::Vec3b>(png.rows / 2, png.cols - 4), white); // right margin
}

TEST(FoldChangeChart, SameInputGivesIdenticalBytes) {
    const Experiment e = experiment();
    const FoldChangeChart first = renderFoldChangeChart(kPAkt, e.summary, e.lanes);
    const FoldChangeChart second = renderFoldChangeChart(kPAkt, e.summary, e.lanes);
    EXPECT_EQ(first.svg, second.svg);
    EXPECT_EQ(first.png, second.png);
    EXPECT_FALSE(first.png.empty());
}

TEST(FoldChangeChart, OtherSeriesInTheInputAreIgnored) {
    const Experiment e = experiment();
    const auto series = foldChangeSeries(e.summary);
    ASSERT_EQ(series.size(), 2u);
    EXPECT_EQ(series[1].target, "GAPDH");
    const auto elements = renderedElements(renderFoldChangeChart(series[1], e.summary, e.lanes));
    EXPECT_EQ(withClass(elements, "bar").size(), 1u);
    EXPECT_EQ(withClass(elements, "dot").size(), 1u);
    EXPECT_EQ(withClass(elements, "title").at(0).text, "GAPDH / total-protein stain");
}

TEST(FoldChangeChart, AxisCoversSeveralOrdersOfMagnitudeInPowersOfTwo) {
    Experiment e = experiment();
    e.summary[1].foldChange = 1000.0;
    e.summary[1].ci95 = Interval{300.0, 3000.0};
    e.summary[2].foldChange = 0.001;
    e.summary[2].ci95 = std::nullopt;
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto ticks = withClass(elements, "tick-label");
    ASSERT_GE(ticks.size(), 3u);
    EXPECT_LE(ticks.size(), 9u);
    // 2^-12 .. 2^12 in steps of 2^3: covers 0.001 (2^-9.97) and 3000 (2^11.55).
    EXPECT_EQ(ticks.front().text, "1/4096");
    EXPECT_EQ(ticks.back().text, "4096");
    EXPECT_TRUE(std::ranges::any_of(ticks, [](const SvgElement& t) { return t.text == "1"; }));
    EXPECT_TRUE(std::ranges::any_of(ticks, [](const SvgElement& t) { return t.text == "0.125"; }));
    const auto bars = withClass(elements, "bar");
    ASSERT_EQ(bars.size(), 3u);
    // Marks stay inside the plot: between the top and bottom tick.
    const double top = withClass(elements, "tick").back().number("y1");
    const double bottom = withClass(elements, "tick").front().number("y1");
    for (const SvgElement& bar : bars) {
        EXPECT_GE(bar.number("y"), top - 0.01);
        EXPECT_LE(bar.number("y") + bar.number("height"), bottom + 0.01);
    }
    EXPECT_EQ(withClass(elements, "whisker").size(), 3u); // only EGF keeps a CI
}

TEST(FoldChangeChart, SmallRangeKeepsHalfToDoubleAndLabelsDecimals) {
    Experiment e = experiment();
    e.summary[1].foldChange = 1.1;
    e.summary[1].ci95 = std::nullopt;
    e.summary[2].foldChange = 0.9;
    e.summary[2].ci95 = std::nullopt;
    e.lanes.clear();
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    std::vector<std::string> ticks;
    for (const SvgElement& tick : withClass(elements, "tick-label")) {
        ticks.push_back(tick.text);
    }
    EXPECT_EQ(ticks, (std::vector<std::string>{"0.5", "1", "2"}));
    EXPECT_TRUE(withClass(elements, "whisker").empty());
    EXPECT_TRUE(withClass(elements, "dot").empty());
}

TEST(FoldChangeChart, ConditionWithoutPValuePrintsNoTest) {
    Experiment e = experiment();
    e.summary[2].pHolm = std::nullopt;
    e.summary[2].p = std::nullopt;
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto pValues = withClass(elements, "p-value");
    ASSERT_EQ(pValues.size(), 2u);
    EXPECT_EQ(pValues[1].text, "no test");
}

TEST(FoldChangeChart, SingleConditionDrawsOneBarWithoutPValues) {
    Experiment e = experiment();
    e.summary.resize(1);
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    EXPECT_EQ(withClass(elements, "bar").size(), 1u);
    EXPECT_EQ(withClass(elements, "dot").size(), 3u);
    EXPECT_TRUE(withClass(elements, "p-value").empty());
    EXPECT_TRUE(withClass(elements, "whisker").empty());
}

TEST(FoldChangeChart, NoRowsGivesAnEmptyChartNotAnError) {
    const FoldChangeChart chart = renderFoldChangeChart(kPAkt, {}, {});
    const auto elements = renderedElements(chart);
    EXPECT_TRUE(withClass(elements, "bar").empty());
    EXPECT_EQ(withClass(elements, "title").at(0).text, "p-Akt Ser473");
    EXPECT_FALSE(cv::imdecode(chart.png, cv::IMREAD_COLOR).empty());
}

TEST(FoldChangeChart, NamesAreEscapedAndInvalidUtf8Replaced) {
    Experiment e = experiment();
    for (ConditionSummary& row : e.summary) {
        row.target = "Akt\xFF";
        if (row.condition == "EGF") {
            row.condition = "E&\"U\"<\xCE\xBCM>";
        }
    }
    for (QuantifiedLane& row : e.lanes) {
        row.target = "Akt\xFF";
    }
    const FoldChangeSeries series{"Akt\xFF", true, "Ser473"};
    const FoldChangeChart chart = renderFoldChangeChart(series, e.summary, e.lanes);
    const auto elements = renderedElements(chart);
    ASSERT_FALSE(elements.empty());
    EXPECT_EQ(withClass(elements, "condition").at(1).text, "E&amp;&quot;U&quot;&lt;\xCE\xBCM&gt;");
    EXPECT_EQ(chart.svg.find('\xFF'), std::string::npos);
    EXPECT_EQ(withClass(elements, "title").at(0).text,
              "p-Akt\xEF\xBF\xBD Ser473 / total Akt\xEF\xBF\xBD");
}

TEST(FoldChangeChart, LongConditionNamesWrapThenShorten) {
    Experiment e = experiment();
    e.summary[1].condition = "EGF 100 ng/ml for 15 minutes";
    e.summary[2].condition = "inhibitor U0126 at 10 micromolar for one hour, then EGF at 100 "
                             "ng/ml for 15 minutes, then lysed in RIPA buffer on ice";
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    // The lines of each label, by x; all labels in one size.
    std::map<double, std::vector<std::string>> labels;
    std::set<std::string> sizes;
    for (const SvgElement& line : withClass(elements, "condition")) {
        labels[line.number("x")].push_back(line.text);
        sizes.insert(line.attributes.at("font-size"));
    }
    EXPECT_EQ(sizes.size(), 1u);
    ASSERT_EQ(labels.size(), 4u);
    std::vector<std::vector<std::string>> byColumn;
    for (const auto& [x, lines] : labels) {
        byColumn.push_back(lines);
    }
    EXPECT_EQ(byColumn[0], std::vector<std::string>{"control"});
    std::string egf;
    for (const std::string& line : byColumn[1]) {
        egf += egf.empty() ? "" : " ";
        egf += line;
    }
    EXPECT_EQ(egf, "EGF 100 ng/ml for 15 minutes"); // wrapped, not cut
    ASSERT_GE(byColumn[2].size(), 2u);
    EXPECT_LE(byColumn[2].size(), 3u);
    EXPECT_TRUE(byColumn[2].front().starts_with("inhibitor"));
    EXPECT_TRUE(byColumn[2].back().ends_with("\xE2\x80\xA6")) << byColumn[2].back(); // "…"
}

TEST(FoldChangeChart, CrowdedPValuesAlternateBetweenTwoRows) {
    Experiment e = experiment();
    for (int i = 0; i < 9; ++i) {
        ConditionSummary row = e.summary[1];
        row.condition = "EGF " + std::to_string(i);
        e.summary.push_back(row);
    }
    const auto elements = renderedElements(renderFoldChangeChart(kPAkt, e.summary, e.lanes));
    const auto pValues = withClass(elements, "p-value");
    ASSERT_EQ(pValues.size(), 11u);
    // pValues[2] on are the added columns 4, 5 ... (column 3, "starved", has no bar).
    for (std::size_t i = 3; i < pValues.size(); ++i) {
        EXPECT_NE(pValues[i].number("y"), pValues[i - 1].number("y"));
        EXPECT_EQ(pValues[i].attributes.at("font-size"), "11");
        EXPECT_LE(pValues[i].number("x"), kFoldChangeChartWidth - 20.0); // on the canvas
    }
}

TEST(FoldChangeChartStem, KeepsOnlySafeCharacters) {
    EXPECT_EQ(foldChangeChartStem(kPAkt), "fold_change_p-Akt_Ser473");
    EXPECT_EQ(foldChangeChartStem({"GAPDH", false, ""}), "fold_change_GAPDH");
    EXPECT_EQ(foldChangeChartStem({"ERK1/2", true, "Thr202/Tyr204"}),
              "fold_change_p-ERK1_2_Thr202_Tyr204");
    EXPECT_EQ(foldChangeChartStem({"\xCE\xB2-actin", false, ""}), "fold_change_beta-actin");
    EXPECT_EQ(foldChangeChartStem({"../NF \xCE\xBA"
                                   "B (p65).",
                                   true, ""}),
              "fold_change_p-.._NF_kappaB_p65");
    EXPECT_EQ(foldChangeChartStem({"", false, ""}), "fold_change");
    const std::string stem = foldChangeChartStem({std::string(300, 'A'), false, ""});
    EXPECT_EQ(stem.size(), 120u);
}

TEST(FoldChangeChartStem, StemsOfSeveralChartsAreUniqueIgnoringCase) {
    const std::vector<FoldChangeSeries> series = {
        {"Akt", true, ""}, {"Akt", false, ""}, {"akt", true, "ser473"}, {"Akt", true, "Ser473"}};
    EXPECT_EQ(foldChangeChartStems(series),
              (std::vector<std::string>{"fold_change_p-Akt", "fold_change_Akt",
                                        "fold_change_p-akt_ser473", "fold_change_p-Akt_Ser473_2"}));
}

} // namespace
} // namespace densito
