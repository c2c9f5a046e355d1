#include "core/measure/background_method.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <system_error>

namespace densito {
namespace {

constexpr std::string_view kAcceptedForms =
    "accepted forms: rolling-ball, rolling-ball:RADIUS, lane-baseline, border-median, "
    "border-median:WIDTH, none (RADIUS and WIDTH in pixels, positive numbers)";

std::expected<double, std::string> parsePositivePx(std::string_view name, std::string_view value,
                                                   std::string_view text) {
    double parsed = 0.0;
    const char* const end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, parsed, std::chars_format::general);
    if (value.empty() || ec != std::errc{} || ptr != end) {
        return std::unexpected(fmt::format("background method '{}': {} '{}' is not a number; {}",
                                           text, name, value, kAcceptedForms));
    }
    if (!std::isfinite(parsed) || parsed <= 0.0) {
        return std::unexpected(
            fmt::format("background method '{}': {} must be a positive number of pixels; {}", text,
                        name, kAcceptedForms));
    }
    return parsed;
}

struct KindName {
    BackgroundKind kind;
    std::string_view name;
    std::string_view parameterName; ///< empty: takes no parameter
};

constexpr std::array<KindName, 4> kKinds{{
    {BackgroundKind::RollingBall, "rolling-ball", "RADIUS"},
    {BackgroundKind::LaneBaseline, "lane-baseline", ""},
    {BackgroundKind::BorderMedian, "border-median", "WIDTH"},
    {BackgroundKind::None, "none", ""},
}};

} // namespace

std::expected<BackgroundMethod, std::string> parseBackgroundMethod(std::string_view text) {
    const std::size_t colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    for (const KindName& kind : kKinds) {
        if (name != kind.name) {
            continue;
        }
        BackgroundMethod method{kind.kind, std::nullopt};
        if (colon == std::string_view::npos) {
            return method;
        }
        if (kind.parameterName.empty()) {
            return std::unexpected(fmt::format("background method '{}': {} takes no parameter; {}",
                                               text, kind.name, kAcceptedForms));
        }
        const auto value = parsePositivePx(kind.parameterName, text.substr(colon + 1), text);
        if (!value) {
            return std::unexpected(value.error());
        }
        method.parameterPx = *value;
        return method;
    }
    return std::unexpected(fmt::format("unknown background method '{}'; {}", text, kAcceptedForms));
}

std::string toString(const BackgroundMethod& method) {
    for (const KindName& kind : kKinds) {
        if (kind.kind != method.kind) {
            continue;
        }
        std::string text(kind.name);
        if (!kind.parameterName.empty() && method.parameterPx) {
            std::array<char, 64> buffer{};
            const auto [ptr, ec] =
                std::to_chars(buffer.data(), buffer.data() + buffer.size(), *method.parameterPx);
            if (ec == std::errc{}) {
                text += ':';
                text.append(buffer.data(), ptr);
            }
        }
        return text;
    }
    return "none";
}

} // namespace densito
