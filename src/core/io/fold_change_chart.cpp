#include "core/io/fold_change_chart.h"

#include "core/analysis/csv_table.h"
#include "core/analysis/statistics.h"
#include "core/analysis/target_panel.h"
#include "core/io/overlay_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <variant>

namespace densito {
namespace {

// ---- Layout, in SVG user units ----------------------------------------------------------

constexpr double kWidth = kFoldChangeChartWidth;
constexpr double kHeight = kFoldChangeChartHeight;
constexpr double kPlotLeft = 80.0;
constexpr double kPlotRight = kWidth - 18.0;
constexpr double kPlotTop = 68.0;
constexpr double kPlotBottom = 326.0;
/// Keeps marks at the ends of the axis off the frame lines.
constexpr double kPlotInset = 8.0;
constexpr double kTitleBaseline = 26.0;
constexpr double kPValueBaseline = 60.0;
/// The upper row of p-values, when neighbours would touch on one row.
constexpr double kStaggeredPValueBaseline = 47.0;
constexpr double kConditionBaseline = 343.0;
constexpr double kNBaseline = 382.0;
constexpr double kCaptionBaseline = 401.0;
constexpr double kCaptionLineStep = 13.0;
constexpr double kTitleSize = 16.0;
constexpr double kLabelSize = 12.0;
constexpr double kTickSize = 11.0;
constexpr double kCaptionSize = 10.0;
constexpr double kMaxBarWidth = 72.0;
constexpr double kDotRadius = 3.5;
/// Average advance of a sans-serif character in em, on the wide side: the SVG viewer's font
/// is unknown, so text is fitted by this estimate rather than by real metrics.
constexpr double kEmPerCharacter = 0.6;
/// Beyond a millionfold either way the axis stops growing; such values sit at its edge.
constexpr int kMaxAxisLog2 = 20;
constexpr int kMaxTickIntervals = 8;

// ---- Colours ----------------------------------------------------------------------------

struct Colour {
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
};

constexpr Colour kWhite{255, 255, 255};
constexpr Colour kInk{34, 34, 34};
constexpr Colour kMutedInk{100, 100, 100};
constexpr Colour kGridColour{226, 226, 226};
constexpr Colour kControlColour{153, 153, 153};
/// Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
/// vision deficiency. Yellow last, as it is the weakest on white.
constexpr std::array<Colour, 7> kConditionColours = {{{86, 180, 233},
                                                      {230, 159, 0},
                                                      {0, 158, 115},
                                                      {204, 121, 167},
                                                      {0, 114, 178},
                                                      {213, 94, 0},
                                                      {240, 228, 66}}};

/// `colour` mixed with white, so that dots and whiskers stand out on the bar; opaque rather
/// than translucent, so the PNG (no alpha drawing in OpenCV) shows exactly the SVG's colour.
Colour tint(Colour colour, double amount) {
    auto mix = [amount](std::uint8_t channel) {
        return static_cast<std::uint8_t>(std::lround(amount * channel + (1.0 - amount) * 255.0));
    };
    return {mix(colour.red), mix(colour.green), mix(colour.blue)};
}

// ---- Text -------------------------------------------------------------------------------

/// The code points of UTF-8 `text`; an invalid sequence becomes U+FFFD, so that the SVG stays
/// well-formed XML whatever bytes a layout sheet held. Control characters become spaces.
std::vector<char32_t> decodeUtf8(std::string_view text) {
    std::vector<char32_t> codePoints;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int length = 0;
        char32_t value = 0;
        char32_t minimum = 0;
        if (lead < 0x80) {
            length = 1;
            value = lead;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            value = lead & 0x1Fu;
            minimum = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            value = lead & 0x0Fu;
            minimum = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            value = lead & 0x07u;
            minimum = 0x10000;
        }
        bool isValid = length > 0 && i + static_cast<std::size_t>(length) <= text.size();
        for (int k = 1; isValid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            isValid = (next & 0xC0u) == 0x80u;
            value = (value << 6) | (next & 0x3Fu);
        }
        isValid = isValid && value >= minimum && value <= 0x10FFFF &&
                  !(value >= 0xD800 && value <= 0xDFFF) && value != 0xFFFE && value != 0xFFFF;
        if (!isValid) {
            codePoints.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        codePoints.push_back(value < 0x20 || value == 0x7F ? U' ' : value);
        i += static_cast<std::size_t>(length);
    }
    return codePoints;
}

std::string encodeUtf8(std::span<const char32_t> codePoints) {
    std::string text;
    for (const char32_t c : codePoints) {
        const auto value = static_cast<std::uint32_t>(c);
        if (value < 0x80) {
            text += static_cast<char>(value);
        } else if (value < 0x800) {
            text += static_cast<char>(0xC0u | (value >> 6));
            text += static_cast<char>(0x80u | (value & 0x3Fu));
        } else if (value < 0x10000) {
            text += static_cast<char>(0xE0u | (value >> 12));
            text += static_cast<char>(0x80u | ((value >> 6) & 0x3Fu));
            text += static_cast<char>(0x80u | (value & 0x3Fu));
        } else {
            text += static_cast<char>(0xF0u | (value >> 18));
            text += static_cast<char>(0x80u | ((value >> 12) & 0x3Fu));
            text += static_cast<char>(0x80u | ((value >> 6) & 0x3Fu));
            text += static_cast<char>(0x80u | (value & 0x3Fu));
        }
    }
    return text;
}

std::string cleanText(std::string_view text) {
    return encodeUtf8(decodeUtf8(text));
}

struct Spelling {
    char32_t codePoint;
    std::string_view ascii;
};

/// ASCII for the non-ASCII characters that target and condition names use: the Hershey fonts
/// of cv::putText and file names only take ASCII, and "beta-actin" reads better than "?-actin".
constexpr Spelling kAsciiSpellings[] = {
    {U'α', "alpha"},  {U'β', "beta"},  {U'γ', "gamma"}, {U'δ', "delta"}, {U'ε', "epsilon"},
    {U'ζ', "zeta"},   {U'η', "eta"},   {U'θ', "theta"}, {U'ι', "iota"},  {U'κ', "kappa"},
    {U'λ', "lambda"}, {U'μ', "mu"},    {U'ν', "nu"},    {U'ξ', "xi"},    {U'π', "pi"},
    {U'ρ', "rho"},    {U'σ', "sigma"}, {U'τ', "tau"},   {U'φ', "phi"},   {U'χ', "chi"},
    {U'ψ', "psi"},    {U'ω', "omega"}, {U'Γ', "Gamma"}, {U'Δ', "Delta"}, {U'Θ', "Theta"},
    {U'Λ', "Lambda"}, {U'Σ', "Sigma"}, {U'Φ', "Phi"},   {U'Ψ', "Psi"},   {U'Ω', "Omega"},
    {U'µ', "u"},      {U'°', "deg"},   {U'–', "-"},     {U'—', "-"},     {U'−', "-"},
    {U'×', "x"},      {U'…', "..."},   {U'±', "+/-"},   {U'’', "'"},     {U'\u00A0', " "},
};

std::string asciiSpelling(std::string_view text) {
    std::string ascii;
    for (const char32_t c : decodeUtf8(text)) {
        if (c < 0x80) {
            ascii += static_cast<char>(c);
            continue;
        }
        const auto* spelling = std::ranges::find(kAsciiSpellings, c, &Spelling::codePoint);
        ascii += spelling != std::end(kAsciiSpellings) ? spelling->ascii : "?";
    }
    return ascii;
}

std::size_t characterCount(std::string_view text) {
    return static_cast<std::size_t>(std::ranges::count_if(
        text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

double estimatedWidth(std::string_view text, double sizePx) {
    return kEmPerCharacter * sizePx * static_cast<double>(characterCount(text));
}

bool fits(std::string_view text, double sizePx, double maxWidth) {
    return estimatedWidth(text, sizePx) <= maxWidth;
}

/// `text` cut short with "…" so that it fits; at least one character and the ellipsis.
std::string ellipsized(std::string_view text, double sizePx, double maxWidth) {
    if (fits(text, sizePx, maxWidth)) {
        return std::string(text);
    }
    std::vector<char32_t> codePoints = decodeUtf8(text);
    while (codePoints.size() > 1) {
        codePoints.pop_back();
        std::vector<char32_t> shortened = codePoints;
        shortened.push_back(U'…');
        if (fits(encodeUtf8(shortened), sizePx, maxWidth)) {
            break;
        }
    }
    while (!codePoints.empty() && codePoints.back() == U' ') {
        codePoints.pop_back();
    }
    codePoints.push_back(U'…');
    return encodeUtf8(codePoints);
}

/// The largest size up to `preferred` (and down to `smallest`) at which `text` fits.
double fittedSize(std::string_view text, double preferred, double smallest, double maxWidth) {
    const double size = maxWidth / (kEmPerCharacter * static_cast<double>(characterCount(text)));
    return std::clamp(size, smallest, preferred);
}

/// A condition's name under its bar, in up to three lines.
struct LabelLines {
    std::vector<std::string> lines;
    double sizePx = kLabelSize;
    bool isCut = false; ///< a word was broken or the end replaced by "…"
};

/// Label sizes to try, largest first; the smallest also breaks words that are too long.
constexpr std::array<double, 4> kLabelSizes = {kLabelSize, 10.0, 9.0, 8.0};

/// The longest prefix of `word` (whole code points, at least one) that fits.
std::size_t fittingPrefixBytes(std::string_view word, double sizePx, double maxWidth) {
    std::size_t end = 0;
    for (std::size_t next = 1; next <= word.size(); ++next) {
        const bool isBoundary =
            next == word.size() || (static_cast<unsigned char>(word[next]) & 0xC0u) != 0x80u;
        if (!isBoundary) {
            continue;
        }
        if (end > 0 && !fits(word.substr(0, next), sizePx, maxWidth)) {
            break;
        }
        end = next;
    }
    return end;
}

/// Words greedily into lines of `maxWidth`; a word longer than a line is broken only when
/// `mayBreakWords`, else the result is marked cut. Beyond `maxLines` the last line ends in "…".
LabelLines wrapped(std::string_view text, double sizePx, double maxWidth, std::size_t maxLines,
                   bool mayBreakWords) {
    LabelLines label{{}, sizePx, false};
    std::string current;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find(' ', start), text.size());
        std::string_view word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty()) {
            continue;
        }
        std::string candidate = current;
        candidate += current.empty() ? "" : " ";
        candidate += word;
        if (fits(candidate, sizePx, maxWidth)) {
            current = std::move(candidate);
            continue;
        }
        if (!current.empty()) {
            label.lines.push_back(std::move(current));
            current.clear();
        }
        while (!fits(word, sizePx, maxWidth)) {
            label.isCut = true;
            if (!mayBreakWords) {
                break;
            }
            const std::size_t prefix = fittingPrefixBytes(word, sizePx, maxWidth);
            label.lines.emplace_back(word.substr(0, prefix));
            word.remove_prefix(prefix);
        }
        current = word;
    }
    if (!current.empty()) {
        label.lines.push_back(std::move(current));
    }
    if (label.lines.size() > maxLines) {
        std::string last = label.lines[maxLines - 1] + " " + label.lines[maxLines];
        label.lines.resize(maxLines);
        label.lines.back() = ellipsized(last, sizePx, maxWidth);
        label.isCut = true;
    }
    for (std::string& line : label.lines) {
        line = ellipsized(line, sizePx, maxWidth);
    }
    return label;
}

/// The largest size up to `largestSize` at which the label fits in two lines (three below
/// 12 px) without cutting; at the smallest size long words are broken and the rest cut short.
LabelLines fittedLabel(std::string_view text, double maxWidth, double largestSize) {
    for (const double size : kLabelSizes) {
        const bool isSmallest = size == kLabelSizes.back();
        if (size > largestSize && !isSmallest) {
            continue;
        }
        LabelLines label = wrapped(text, size, maxWidth, size >= kLabelSize ? 2 : 3, isSmallest);
        if (!label.isCut || isSmallest) {
            return label;
        }
    }
    return {};
}

/// "p < 0.001", else three decimals ("p = 0.012"), as journals print p-values.
std::string pValueText(double p) {
    if (p < 0.001) {
        return "p < 0.001";
    }
    return fmt::format("p = {:.3f}", std::min(p, 1.0));
}

/// 1, 2, 4 ... above the line; 0.5, 0.25, 0.125, 0.0625 below it, then 1/32, 1/64 ... which
/// stay short where decimals would not.
std::string tickLabel(int log2) {
    if (log2 >= 0) {
        return fmt::format("{}", std::int64_t{1} << log2);
    }
    if (log2 >= -4) {
        return fmt::format("{}", std::ldexp(1.0, log2));
    }
    return fmt::format("1/{}", std::int64_t{1} << -log2);
}

// ---- The scene: what both the SVG and the PNG draw --------------------------------------

enum class Anchor { Start, Middle, End };

struct RectMark {
    double x = 0.0;
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
    Colour fill;
    Colour stroke;
    double strokeWidth = 0.0; ///< 0: no outline
    std::string_view role;
};

struct LineMark {
    double x1 = 0.0;
    double y1 = 0.0;
    double x2 = 0.0;
    double y2 = 0.0;
    Colour colour;
    double width = 1.0;
    bool isDashed = false;
    std::string_view role;
};

struct CircleMark {
    double cx = 0.0;
    double cy = 0.0;
    double radius = 0.0;
    Colour fill;
    Colour stroke;
    double strokeWidth = 0.0;
    std::string_view role;
};

struct TextMark {
    double x = 0.0;
    double y = 0.0; ///< baseline; for vertical text, the middle of the run
    std::string text;
    double sizePx = kLabelSize;
    Anchor anchor = Anchor::Middle;
    bool isBold = false;
    bool isVertical = false; ///< reads bottom to top, baseline at x, centred on y
    Colour colour = kInk;
    /// The width the layout allowed, so that the PNG's wider Hershey font can shrink to it.
    double maxWidth = kWidth;
    std::string_view role;
};

using Mark = std::variant<RectMark, LineMark, CircleMark, TextMark>;

struct Scene {
    std::string title;
    std::vector<Mark> marks;                    ///< in drawing order
    std::vector<FoldChangeChartColumn> columns; ///< for a live view's hover
};

/// The log2 y axis: whole powers of two at both ends, ticks every `stepLog2` powers.
struct LogAxis {
    int lowLog2 = -1;
    int highLog2 = 1;
    int stepLog2 = 1;

    double y(double foldChange) const {
        const double log2 = std::clamp(std::log2(foldChange), static_cast<double>(lowLog2),
                                       static_cast<double>(highLog2));
        const double fraction = (log2 - lowLog2) / static_cast<double>(highLog2 - lowLog2);
        return kPlotBottom - kPlotInset - fraction * (kPlotBottom - kPlotTop - 2.0 * kPlotInset);
    }
};

bool isUsableFoldChange(std::optional<double> foldChange) {
    return foldChange && std::isfinite(*foldChange) && *foldChange > 0.0;
}

int floorToMultiple(int value, int step) {
    return static_cast<int>(std::floor(static_cast<double>(value) / step)) * step;
}

int ceilToMultiple(int value, int step) {
    return static_cast<int>(std::ceil(static_cast<double>(value) / step)) * step;
}

LogAxis axisFor(std::span<const double> foldChanges) {
    double low = 0.0;
    double high = 0.0;
    for (const double foldChange : foldChanges) {
        const double log2 =
            std::clamp(std::log2(foldChange), -1.0 * kMaxAxisLog2, 1.0 * kMaxAxisLog2);
        low = std::min(low, log2);
        high = std::max(high, log2);
    }
    LogAxis axis;
    const int lowLog2 = std::min(-1, static_cast<int>(std::floor(low)));
    const int highLog2 = std::max(1, static_cast<int>(std::ceil(high)));
    axis.stepLog2 =
        std::max(1, ceilToMultiple(highLog2 - lowLog2, kMaxTickIntervals) / kMaxTickIntervals);
    axis.lowLog2 = floorToMultiple(lowLog2, axis.stepLog2);
    axis.highLog2 = ceilToMultiple(highLog2, axis.stepLog2);
    return axis;
}

bool isSameSeries(const FoldChangeSeries& series, std::string_view target, bool isPhospho,
                  std::string_view site) {
    return isPhospho == series.isPhospho && asciiLower(site) == asciiLower(series.site) &&
           targetKey(target) == targetKey(series.target);
}

/// One x position: a condition's summary row and its replicates' fold changes.
struct ConditionColumn {
    ConditionSummary summary;                 ///< with the condition name cleaned for display
    std::vector<double> replicateFoldChanges; ///< by membrane, then replicate
};

/// The biological replicates as biologicalUnits() forms them: the used lanes of one
/// membrane, replicate and condition, combined by the geometric mean of their fold changes.
std::map<std::string, std::vector<double>>
replicateFoldChanges(const FoldChangeSeries& series, std::span<const QuantifiedLane> lanes) {
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> units;
    for (const QuantifiedLane& lane : lanes) {
        if (isSameSeries(series, lane.target, lane.isPhospho, lane.site) && lane.excluded.empty() &&
            isUsableFoldChange(lane.foldChange)) {
            units[{lane.condition, lane.membrane, lane.replicate}].push_back(
                std::log2(*lane.foldChange));
        }
    }
    std::map<std::string, std::vector<double>> byCondition;
    for (const auto& [key, log2FoldChanges] : units) {
        byCondition[std::get<0>(key)].push_back(std::exp2(mean(log2FoldChanges)));
    }
    return byCondition;
}

std::string normalizerText(Normalizer normalizer, std::string_view target) {
    switch (normalizer) {
    case Normalizer::Total:
        return fmt::format("total {}", target);
    case Normalizer::Loading:
        return "loading control";
    case Normalizer::Stain:
        break;
    }
    return "total-protein stain";
}

/// "p-Akt Ser473 / total Akt"; every normalizer the membranes used, as one chart may pool
/// membranes normalized differently.
std::string chartTitle(const FoldChangeSeries& series, std::span<const QuantifiedLane> lanes) {
    std::string title = series.isPhospho ? "p-" + series.target : series.target;
    if (!series.site.empty()) {
        title += " " + series.site;
    }
    std::set<Normalizer> normalizers;
    for (const QuantifiedLane& lane : lanes) {
        if (isSameSeries(series, lane.target, lane.isPhospho, lane.site)) {
            normalizers.insert(lane.normalizedBy);
        }
    }
    std::string denominators;
    for (const Normalizer normalizer : normalizers) {
        denominators += denominators.empty() ? "" : " or ";
        denominators += normalizerText(normalizer, series.target);
    }
    return denominators.empty() ? title : title + " / " + denominators;
}

void addYAxis(Scene& scene, const LogAxis& axis, std::string_view control) {
    for (int log2 = axis.lowLog2; log2 <= axis.highLog2; log2 += axis.stepLog2) {
        const double y = axis.y(std::ldexp(1.0, log2));
        if (log2 != 0) {
            scene.marks.emplace_back(
                LineMark{kPlotLeft, y, kPlotRight, y, kGridColour, 1.0, false, "grid"});
        }
        scene.marks.emplace_back(
            LineMark{kPlotLeft - 5.0, y, kPlotLeft, y, kInk, 1.0, false, "tick"});
        scene.marks.emplace_back(TextMark{kPlotLeft - 8.0, y + 4.0, tickLabel(log2), kTickSize,
                                          Anchor::End, false, false, kInk, kPlotLeft - 12.0,
                                          "tick-label"});
    }
    const double plotHeight = kPlotBottom - kPlotTop;
    const std::string axisTitle = control.empty()
                                      ? std::string("fold change (log2 scale)")
                                      : fmt::format("fold change vs {} (log2 scale)", control);
    scene.marks.emplace_back(TextMark{22.0, (kPlotTop + kPlotBottom) / 2.0,
                                      ellipsized(axisTitle, kLabelSize, plotHeight), kLabelSize,
                                      Anchor::Middle, false, true, kInk, plotHeight, "axis-title"});
}

void addCaption(Scene& scene, std::span<const ConditionColumn> columns) {
    std::string test;
    int tested = 0;
    const auto treated = std::ranges::count_if(
        columns, [](const ConditionColumn& column) { return !column.summary.isControl; });
    for (const ConditionColumn& column : columns) {
        if (!column.summary.isControl && column.summary.pHolm) {
            test = column.summary.test;
            ++tested;
        }
    }
    const std::string first = "Bars: fold change from the linear model; dots: biological "
                              "replicates; whiskers: 95% CI.";
    const std::string second =
        treated == 0  ? std::string("No p-values: the control is the only condition.")
        : tested == 0 ? std::string("No p-values: no condition could be tested (see the note "
                                    "column of summary.csv).")
                      : fmt::format("p: {} of log2 fold changes, Holm-adjusted over {} "
                                    "condition{}.",
                                    test.empty() ? std::string("t-test") : test, tested,
                                    tested == 1 ? "" : "s");
    for (const auto& [line, y] : {std::pair{first, kCaptionBaseline},
                                  std::pair{second, kCaptionBaseline + kCaptionLineStep}}) {
        scene.marks.emplace_back(
            TextMark{kWidth / 2.0, y, ellipsized(line, kCaptionSize, kWidth - 20.0), kCaptionSize,
                     Anchor::Middle, false, false, kMutedInk, kWidth - 20.0, "caption"});
    }
}

/// Text sizes shared by all columns, so that the labels under the bars read as one row.
struct ColumnTextSizes {
    double label = kLabelSize;
    double pValue = 11.0;
    double pValueWidth = 0.0;
    /// p-values alternate between two rows, each with twice the width, when one row is tight.
    bool isPValueStaggered = false;
    double n = 11.0;
};

std::string nText(const ConditionSummary& summary) {
    return fmt::format("n = {}", summary.n);
}

ColumnTextSizes columnTextSizes(std::span<const ConditionColumn> columns, double slotWidth) {
    const double textWidth = slotWidth - 4.0;
    ColumnTextSizes sizes;
    // "p < 0.001" and "p = 0.012" are the longest p texts.
    constexpr std::string_view kWidestP = "p = 0.000";
    sizes.isPValueStaggered = !fits(kWidestP, sizes.pValue, textWidth);
    sizes.pValueWidth = sizes.isPValueStaggered ? 2.0 * slotWidth - 4.0 : textWidth;
    sizes.pValue = fittedSize(kWidestP, sizes.pValue, 7.0, sizes.pValueWidth);
    for (const ConditionColumn& column : columns) {
        sizes.label = std::min(sizes.label,
                               fittedLabel(column.summary.condition, textWidth, kLabelSize).sizePx);
        sizes.n = std::min(sizes.n, fittedSize(nText(column.summary), 11.0, 7.0, textWidth));
    }
    return sizes;
}

void addColumn(Scene& scene, const ConditionColumn& column, std::size_t index, const LogAxis& axis,
               double slotWidth, Colour colour, const ColumnTextSizes& sizes) {
    const double centre = kPlotLeft + slotWidth * (static_cast<double>(index) + 0.5);
    const ConditionSummary& summary = column.summary;
    const double barWidth = std::min(slotWidth * 0.56, kMaxBarWidth);
    const double lineY = axis.y(1.0);
    if (isUsableFoldChange(summary.foldChange)) {
        const double barY = axis.y(*summary.foldChange);
        double top = std::min(barY, lineY);
        double height = std::abs(barY - lineY);
        if (height < 2.0) {
            top = (barY + lineY) / 2.0 - 1.0;
            height = 2.0;
        }
        scene.marks.emplace_back(RectMark{centre - barWidth / 2.0, top, barWidth, height,
                                          tint(colour, 0.55), colour, 1.0, "bar"});
    }
    if (summary.ci95 && summary.ci95->low > 0.0 && summary.ci95->high > 0.0 &&
        std::isfinite(summary.ci95->low) && std::isfinite(summary.ci95->high)) {
        const double low = axis.y(summary.ci95->low);
        const double high = axis.y(summary.ci95->high);
        const double cap = barWidth * 0.22;
        scene.marks.emplace_back(LineMark{centre, low, centre, high, kInk, 1.5, false, "whisker"});
        for (const double y : {low, high}) {
            scene.marks.emplace_back(
                LineMark{centre - cap, y, centre + cap, y, kInk, 1.5, false, "whisker"});
        }
    }
    // Spread by index across the bar, so that replicates with equal values stay countable
    // and the picture is the same on every run.
    const std::size_t count = column.replicateFoldChanges.size();
    const double spacing =
        count > 1 ? std::min(10.0, barWidth * 0.7 / static_cast<double>(count - 1)) : 0.0;
    FoldChangeChartColumn placed{
        summary, {}, centre - slotWidth / 2.0, centre + slotWidth / 2.0, kPlotTop, kPlotBottom};
    for (std::size_t i = 0; i < count; ++i) {
        const double offset =
            (static_cast<double>(i) - static_cast<double>(count - 1) / 2.0) * spacing;
        const double foldChange = column.replicateFoldChanges[i];
        scene.marks.emplace_back(
            CircleMark{centre + offset, axis.y(foldChange), kDotRadius, kInk, kWhite, 1.0, "dot"});
        placed.dots.push_back({foldChange, centre + offset, axis.y(foldChange), kDotRadius});
    }
    scene.columns.push_back(std::move(placed));

    const double textWidth = slotWidth - 4.0;
    if (!summary.isControl && isUsableFoldChange(summary.foldChange)) {
        const bool hasP = summary.pHolm && std::isfinite(*summary.pHolm);
        const std::string text = hasP ? pValueText(*summary.pHolm) : "no test";
        const bool isRaised = sizes.isPValueStaggered && index % 2 == 0;
        // A staggered p is wider than its column: keep the outermost ones on the canvas.
        const double halfWidth = estimatedWidth(text, sizes.pValue) / 2.0;
        const double x = std::clamp(centre, 4.0 + halfWidth, kWidth - 4.0 - halfWidth);
        scene.marks.emplace_back(TextMark{x, isRaised ? kStaggeredPValueBaseline : kPValueBaseline,
                                          text, sizes.pValue, Anchor::Middle, false, false,
                                          hasP ? kInk : kMutedInk, sizes.pValueWidth, "p-value"});
    }
    const LabelLines label = fittedLabel(summary.condition, textWidth, sizes.label);
    for (std::size_t i = 0; i < label.lines.size(); ++i) {
        scene.marks.emplace_back(
            TextMark{centre, kConditionBaseline + (label.sizePx + 2.0) * static_cast<double>(i),
                     label.lines[i], label.sizePx, Anchor::Middle, false, false, kInk, textWidth,
                     "condition"});
    }
    scene.marks.emplace_back(TextMark{centre, kNBaseline, nText(summary), sizes.n, Anchor::Middle,
                                      false, false, kMutedInk, textWidth, "n"});
}

Scene buildScene(const FoldChangeSeries& series, std::span<const ConditionSummary> summary,
                 std::span<const QuantifiedLane> lanes) {
    const auto replicates = replicateFoldChanges(series, lanes);
    std::vector<ConditionColumn> columns;
    std::vector<double> values;
    std::string control;
    for (const ConditionSummary& row : summary) {
        if (!isSameSeries(series, row.target, row.isPhospho, row.site)) {
            continue;
        }
        ConditionColumn column{row, {}};
        // Condition names reach both the SVG and the PNG: clean them once, here.
        column.summary.condition = cleanText(row.condition);
        if (const auto found = replicates.find(row.condition); found != replicates.end()) {
            column.replicateFoldChanges = found->second;
        }
        values.insert(values.end(), column.replicateFoldChanges.begin(),
                      column.replicateFoldChanges.end());
        if (isUsableFoldChange(row.foldChange)) {
            values.push_back(*row.foldChange);
        }
        if (row.ci95 && row.ci95->low > 0.0 && row.ci95->high > 0.0) {
            values.push_back(row.ci95->low);
            values.push_back(row.ci95->high);
        }
        if (row.isControl && control.empty()) {
            control = column.summary.condition;
        }
        columns.push_back(std::move(column));
    }
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    const LogAxis axis = axisFor(values);

    Scene scene;
    scene.title = cleanText(chartTitle(series, lanes));
    scene.marks.emplace_back(
        RectMark{0.0, 0.0, kWidth, kHeight, kWhite, kWhite, 0.0, "background"});
    scene.marks.emplace_back(
        TextMark{kWidth / 2.0, kTitleBaseline, ellipsized(scene.title, kTitleSize, kWidth - 24.0),
                 kTitleSize, Anchor::Middle, true, false, kInk, kWidth - 24.0, "title"});
    addYAxis(scene, axis, control);
    const double lineY = axis.y(1.0);
    scene.marks.emplace_back(
        LineMark{kPlotLeft, lineY, kPlotRight, lineY, kMutedInk, 1.0, true, "reference-line"});
    scene.marks.emplace_back(
        LineMark{kPlotLeft, kPlotTop, kPlotLeft, kPlotBottom, kInk, 1.0, false, "axis"});
    scene.marks.emplace_back(
        LineMark{kPlotLeft, kPlotBottom, kPlotRight, kPlotBottom, kInk, 1.0, false, "axis"});

    if (columns.empty()) {
        scene.marks.emplace_back(
            TextMark{(kPlotLeft + kPlotRight) / 2.0, (kPlotTop + axis.y(1.0)) / 2.0,
                     "no fold changes for this target", kLabelSize, Anchor::Middle, false, false,
                     kMutedInk, kPlotRight - kPlotLeft, "message"});
        return scene;
    }
    const double slotWidth = (kPlotRight - kPlotLeft) / static_cast<double>(columns.size());
    const ColumnTextSizes sizes = columnTextSizes(columns, slotWidth);
    std::size_t colourIndex = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const ConditionColumn& column = columns[i];
        const Colour colour = column.summary.isControl
                                  ? kControlColour
                                  : kConditionColours[colourIndex++ % kConditionColours.size()];
        addColumn(scene, column, i, axis, slotWidth, colour, sizes);
    }
    addCaption(scene, columns);
    return scene;
}

// ---- SVG --------------------------------------------------------------------------------

/// Two decimals at most, no "-0": coordinates print the same on every platform.
std::string svgNumber(double value) {
    double rounded = std::round(value * 100.0) / 100.0;
    if (rounded == 0.0) {
        rounded = 0.0;
    }
    return fmt::format("{}", rounded);
}

std::string svgColour(Colour colour) {
    return fmt::format("#{:02x}{:02x}{:02x}", static_cast<unsigned>(colour.red),
                       static_cast<unsigned>(colour.green), static_cast<unsigned>(colour.blue));
}

std::string xmlEscaped(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&apos;";
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

std::string_view svgAnchor(Anchor anchor) {
    switch (anchor) {
    case Anchor::Start:
        return "start";
    case Anchor::Middle:
        return "middle";
    case Anchor::End:
        break;
    }
    return "end";
}

struct SvgWriter {
    std::string& out;

    void operator()(const RectMark& rect) const {
        out += fmt::format(R"(<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{}")",
                           rect.role, svgNumber(rect.x), svgNumber(rect.y), svgNumber(rect.width),
                           svgNumber(rect.height), svgColour(rect.fill));
        if (rect.strokeWidth > 0.0) {
            out += fmt::format(R"( stroke="{}" stroke-width="{}")", svgColour(rect.stroke),
                               svgNumber(rect.strokeWidth));
        }
        out += "/>\n";
    }

    void operator()(const LineMark& line) const {
        out += fmt::format(
            R"(<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}")",
            line.role, svgNumber(line.x1), svgNumber(line.y1), svgNumber(line.x2),
            svgNumber(line.y2), svgColour(line.colour), svgNumber(line.width));
        out += line.isDashed ? R"( stroke-dasharray="5 4"/>)"
                               "\n"
                             : "/>\n";
    }

    void operator()(const CircleMark& circle) const {
        out += fmt::format(
            R"(<circle class="{}" cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="{}"/>)"
            "\n",
            circle.role, svgNumber(circle.cx), svgNumber(circle.cy), svgNumber(circle.radius),
            svgColour(circle.fill), svgColour(circle.stroke), svgNumber(circle.strokeWidth));
    }

    void operator()(const TextMark& text) const {
        out += fmt::format(R"(<text class="{}" x="{}" y="{}" font-size="{}" text-anchor="{}")",
                           text.role, svgNumber(text.x), svgNumber(text.y), svgNumber(text.sizePx),
                           svgAnchor(text.anchor));
        if (text.isBold) {
            out += R"( font-weight="bold")";
        }
        if (text.isVertical) {
            out += fmt::format(R"svg( transform="rotate(-90 {} {})")svg", svgNumber(text.x),
                               svgNumber(text.y));
        }
        out += fmt::format(R"( fill="{}">{}</text>)"
                           "\n",
                           svgColour(text.colour), xmlEscaped(text.text));
    }
};

std::string renderSvg(const Scene& scene) {
    std::string out = fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{0}" height="{1}" )"
        R"(viewBox="0 0 {0} {1}" font-family="sans-serif">)"
        "\n<title>{2}</title>\n",
        kFoldChangeChartWidth, kFoldChangeChartHeight, xmlEscaped(scene.title));
    for (const Mark& mark : scene.marks) {
        std::visit(SvgWriter{out}, mark);
    }
    out += "</svg>\n";
    return out;
}

// ---- PNG --------------------------------------------------------------------------------

/// Sub-pixel coordinates for OpenCV's drawing functions: 4 fractional bits.
constexpr int kShiftBits = 4;
constexpr double kScale = kFoldChangeChartPngScale;

cv::Scalar bgr(Colour colour) {
    return {static_cast<double>(colour.blue), static_cast<double>(colour.green),
            static_cast<double>(colour.red)};
}

int fixedPoint(double value) {
    return static_cast<int>(std::lround(value * kScale * (1 << kShiftBits)));
}

cv::Point fixedPoint(double x, double y) {
    return {fixedPoint(x), fixedPoint(y)};
}

int pixels(double value) {
    return static_cast<int>(std::lround(value * kScale));
}

int thickness(double width) {
    return std::max(1, pixels(width));
}

/// The Hershey scale whose capital height matches a sans-serif font of `sizePx` (capitals
/// are about 0.72 em), shrunk when the wider Hershey glyphs would overrun the layout's width.
double hersheyScale(const std::string& text, double sizePx, double maxWidth, int weight) {
    int baseline = 0;
    const double capHeight =
        cv::getTextSize("H", cv::FONT_HERSHEY_SIMPLEX, 1.0, weight, &baseline).height;
    double scale = 0.72 * sizePx * kScale / capHeight;
    const double width =
        cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, weight, &baseline).width;
    if (width > maxWidth * kScale) {
        scale *= maxWidth * kScale / width;
    }
    return scale;
}

struct PngPainter {
    cv::Mat& canvas;

    void operator()(const RectMark& rect) const {
        const cv::Point topLeft = fixedPoint(rect.x, rect.y);
        const cv::Point bottomRight = fixedPoint(rect.x + rect.width, rect.y + rect.height);
        cv::rectangle(canvas, topLeft, bottomRight, bgr(rect.fill), cv::FILLED, cv::LINE_AA,
                      kShiftBits);
        if (rect.strokeWidth > 0.0) {
            cv::rectangle(canvas, topLeft, bottomRight, bgr(rect.stroke),
                          thickness(rect.strokeWidth), cv::LINE_AA, kShiftBits);
        }
    }

    void operator()(const LineMark& line) const {
        if (!line.isDashed) {
            cv::line(canvas, fixedPoint(line.x1, line.y1), fixedPoint(line.x2, line.y2),
                     bgr(line.colour), thickness(line.width), cv::LINE_AA, kShiftBits);
            return;
        }
        // As the SVG's stroke-dasharray="5 4".
        const double length = std::hypot(line.x2 - line.x1, line.y2 - line.y1);
        for (double from = 0.0; from < length; from += 9.0) {
            const double to = std::min(length, from + 5.0);
            const double a = from / length;
            const double b = to / length;
            cv::line(
                canvas,
                fixedPoint(line.x1 + a * (line.x2 - line.x1), line.y1 + a * (line.y2 - line.y1)),
                fixedPoint(line.x1 + b * (line.x2 - line.x1), line.y1 + b * (line.y2 - line.y1)),
                bgr(line.colour), thickness(line.width), cv::LINE_AA, kShiftBits);
        }
    }

    void operator()(const CircleMark& circle) const {
        const cv::Point centre = fixedPoint(circle.cx, circle.cy);
        cv::circle(canvas, centre, fixedPoint(circle.radius), bgr(circle.fill), cv::FILLED,
                   cv::LINE_AA, kShiftBits);
        if (circle.strokeWidth > 0.0) {
            cv::circle(canvas, centre, fixedPoint(circle.radius), bgr(circle.stroke),
                       thickness(circle.strokeWidth), cv::LINE_AA, kShiftBits);
        }
    }

    void operator()(const TextMark& mark) const {
        const std::string text = asciiSpelling(mark.text);
        const int weight = mark.isBold ? 3 : 2;
        const double scale = hersheyScale(text, mark.sizePx, mark.maxWidth, weight);
        int baseline = 0;
        const cv::Size size =
            cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, weight, &baseline);
        if (!mark.isVertical) {
            const int shift = mark.anchor == Anchor::Start    ? 0
                              : mark.anchor == Anchor::Middle ? size.width / 2
                                                              : size.width;
            cv::putText(canvas, text, cv::Point(pixels(mark.x) - shift, pixels(mark.y)),
                        cv::FONT_HERSHEY_SIMPLEX, scale, bgr(mark.colour), weight, cv::LINE_AA);
            return;
        }
        // putText only writes horizontally: write into a strip, turn it, darken the canvas.
        const int margin = weight + 2;
        cv::Mat strip(size.height + baseline + 2 * margin, size.width + 2 * margin, CV_8UC3,
                      bgr(kWhite));
        cv::putText(strip, text, cv::Point(margin, margin + size.height), cv::FONT_HERSHEY_SIMPLEX,
                    scale, bgr(mark.colour), weight, cv::LINE_AA);
        cv::Mat turned;
        cv::rotate(strip, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
        // The strip's start (the text's first letter) is now at the bottom and its baseline
        // row a column, put at x as the SVG's rotate(-90) does; centred on y.
        const int left = pixels(mark.x) - (margin + size.height);
        const int top = pixels(mark.y) - turned.rows / 2;
        const cv::Rect target = cv::Rect(left, top, turned.cols, turned.rows) &
                                cv::Rect(0, 0, canvas.cols, canvas.rows);
        if (target.area() == 0) {
            return;
        }
        const cv::Mat source = turned(target - cv::Point(left, top));
        cv::Mat destination = canvas(target);
        cv::min(destination, source, destination);
    }
};

std::vector<std::uint8_t> renderPng(const Scene& scene) {
    try {
        cv::Mat canvas(kFoldChangeChartHeight * kFoldChangeChartPngScale,
                       kFoldChangeChartWidth * kFoldChangeChartPngScale, CV_8UC3, bgr(kWhite));
        for (const Mark& mark : scene.marks) {
            std::visit(PngPainter{canvas}, mark);
        }
        return encodePng(canvas);
    } catch (const cv::Exception&) {
        // The contract is no exceptions across the core's API; an empty PNG says it failed.
        return {};
    }
}

// ---- File stems -------------------------------------------------------------------------

constexpr std::size_t kMaxStemLength = 120;

bool isStemCharacter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
}

} // namespace

std::vector<FoldChangeSeries> foldChangeSeries(std::span<const ConditionSummary> summary) {
    std::vector<FoldChangeSeries> series;
    for (const ConditionSummary& row : summary) {
        const bool isKnown = std::ranges::any_of(series, [&row](const FoldChangeSeries& known) {
            return isSameSeries(known, row.target, row.isPhospho, row.site);
        });
        if (!isKnown) {
            series.push_back({row.target, row.isPhospho, row.site});
        }
    }
    return series;
}

InteractiveFoldChangeChart
renderInteractiveFoldChangeChart(const FoldChangeSeries& series,
                                 std::span<const ConditionSummary> summary,
                                 std::span<const QuantifiedLane> lanes) {
    Scene scene = buildScene(series, summary, lanes);
    return {renderSvg(scene), std::move(scene.columns)};
}

bool isInFoldChangeSeries(const FoldChangeSeries& series, std::string_view target, bool isPhospho,
                          std::string_view site) {
    return isSameSeries(series, target, isPhospho, site);
}

FoldChangeChart renderFoldChangeChart(const FoldChangeSeries& series,
                                      std::span<const ConditionSummary> summary,
                                      std::span<const QuantifiedLane> lanes) {
    const Scene scene = buildScene(series, summary, lanes);
    return {renderSvg(scene), renderPng(scene)};
}

namespace {

/// `prefix` then the series' name in stem characters (runs of others become one "_"), at
/// most kMaxStemLength characters, not ending in "_" or ".".
std::string seriesStem(std::string_view prefix, const FoldChangeSeries& series) {
    std::string name = series.isPhospho ? "p-" + series.target : series.target;
    if (!series.site.empty()) {
        name += "_" + series.site;
    }
    std::string stem(prefix);
    for (const char c : asciiSpelling(name)) {
        const char kept = isStemCharacter(c) ? c : '_';
        if (!(kept == '_' && !stem.empty() && stem.back() == '_')) {
            stem += kept;
        }
    }
    stem.resize(std::min(stem.size(), kMaxStemLength));
    while (!stem.empty() && (stem.back() == '_' || stem.back() == '.')) {
        stem.pop_back();
    }
    return stem;
}

/// Names Windows reserves for devices, in any case and with any extension ("con.csv").
bool isReservedOnWindows(std::string_view stem) {
    const std::string base = asciiLower(stem.substr(0, stem.find('.')));
    static const std::set<std::string> kReserved = {
        "con",  "prn",  "aux",  "nul",  "com1", "com2", "com3", "com4", "com5", "com6", "com7",
        "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"};
    return kReserved.contains(base);
}

/// The stems made unique by "_2", "_3"... in order, ignoring ASCII case.
std::vector<std::string> uniqueStems(std::vector<std::string> bases) {
    std::vector<std::string> stems;
    std::set<std::string> taken; ///< lower case
    for (const std::string& base : bases) {
        std::string stem = base;
        for (int suffix = 2; taken.contains(asciiLower(stem)); ++suffix) {
            stem = fmt::format("{}_{}", base, suffix);
        }
        taken.insert(asciiLower(stem));
        stems.push_back(std::move(stem));
    }
    return stems;
}

} // namespace

std::string foldChangeChartStem(const FoldChangeSeries& series) {
    return seriesStem("fold_change_", series);
}

std::vector<std::string> foldChangeChartStems(std::span<const FoldChangeSeries> series) {
    std::vector<std::string> bases;
    for (const FoldChangeSeries& one : series) {
        bases.push_back(foldChangeChartStem(one));
    }
    return uniqueStems(std::move(bases));
}

std::vector<std::string> seriesFileStems(std::span<const FoldChangeSeries> series) {
    std::vector<std::string> bases;
    for (const FoldChangeSeries& one : series) {
        std::string stem = seriesStem("", one);
        if (stem.empty() || stem.front() == '.' || isReservedOnWindows(stem)) {
            stem = "target_" + stem; // not hidden, not a device, still naming the target
            while (stem.back() == '_') {
                stem.pop_back();
            }
        }
        bases.push_back(std::move(stem));
    }
    return uniqueStems(std::move(bases));
}

} // namespace densito
