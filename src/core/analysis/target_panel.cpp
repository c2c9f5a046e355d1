#include "core/analysis/target_panel.h"

#include "core/analysis/builtin_target_panel.h"
#include "core/analysis/csv_table.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

namespace densito {
namespace {

constexpr int kPanelVersion = 1;

using Json = nlohmann::json;

/// An error about the value at `where` (e.g. "targets[2].aliases") in panel `source`.
std::unexpected<Error> panelError(const std::string& source, const std::string& where,
                                  std::string_view problem) {
    return std::unexpected(Error{source, fmt::format("{}: {}", where, problem)});
}

std::optional<TargetKind> parseKind(const std::string& text) {
    const std::string kind = asciiLower(text);
    if (kind == "protein") {
        return TargetKind::Protein;
    }
    if (kind == "loading") {
        return TargetKind::Loading;
    }
    if (kind == "stain") {
        return TargetKind::Stain;
    }
    return std::nullopt;
}

std::expected<std::vector<std::string>, Error> stringList(const Json& entry, const char* key,
                                                          const std::string& source,
                                                          const std::string& where) {
    std::vector<std::string> list;
    if (!entry.contains(key)) {
        return list;
    }
    const Json& value = entry.at(key);
    if (!value.is_array() ||
        !std::ranges::all_of(value, [](const Json& item) { return item.is_string(); })) {
        return panelError(source, where + "." + key, "expected an array of strings");
    }
    for (const Json& item : value) {
        list.push_back(item.get<std::string>());
    }
    return list;
}

std::expected<std::vector<double>, Error> massList(const Json& entry, const std::string& source,
                                                   const std::string& where) {
    std::vector<double> masses;
    if (!entry.contains("masses_kda")) {
        return masses;
    }
    const Json& value = entry.at("masses_kda");
    if (!value.is_array() ||
        !std::ranges::all_of(value, [](const Json& item) { return item.is_number(); })) {
        return panelError(source, where + ".masses_kda", "expected an array of numbers (kDa)");
    }
    for (const Json& item : value) {
        masses.push_back(item.get<double>());
    }
    return masses;
}

std::expected<PanelTarget, Error> parseTarget(const Json& entry, const std::string& source,
                                              const std::string& where) {
    if (!entry.is_object()) {
        return panelError(source, where, "expected an object");
    }
    PanelTarget target;
    if (!entry.contains("name") || !entry.at("name").is_string() ||
        trimmed(entry.at("name").get<std::string>()).empty()) {
        return panelError(source, where + ".name", "a non-empty string is required");
    }
    target.name = std::string(trimmed(entry.at("name").get<std::string>()));
    if (entry.contains("kind")) {
        const Json& kind = entry.at("kind");
        const auto parsed = kind.is_string() ? parseKind(kind.get<std::string>()) : std::nullopt;
        if (!parsed) {
            return panelError(source, where + ".kind",
                              "expected \"protein\", \"loading\" or \"stain\"");
        }
        target.kind = *parsed;
    }
    if (entry.contains("phospho_site")) {
        if (!entry.at("phospho_site").is_string()) {
            return panelError(source, where + ".phospho_site", "expected a string");
        }
        target.phosphoSite = entry.at("phospho_site").get<std::string>();
    }
    auto masses = massList(entry, source, where);
    auto aliases = stringList(entry, "aliases", source, where);
    if (!masses || !aliases) {
        return std::unexpected(!masses ? masses.error() : aliases.error());
    }
    target.massesKda = std::move(*masses);
    target.aliases = std::move(*aliases);
    return target;
}

std::expected<TargetPanel, Error> parsePanelDocument(const Json& document,
                                                     const std::string& source) {
    if (!document.is_object() || !document.contains("targets") ||
        !document.at("targets").is_array()) {
        return panelError(source, "targets", "an array of targets is required");
    }
    if (document.contains("version") && (!document.at("version").is_number_integer() ||
                                         document.at("version").get<int>() > kPanelVersion)) {
        return panelError(source, "version",
                          fmt::format("this Densito reads panel version {}", kPanelVersion));
    }
    std::vector<PanelTarget> targets;
    for (std::size_t i = 0; i < document.at("targets").size(); ++i) {
        auto target =
            parseTarget(document.at("targets").at(i), source, fmt::format("targets[{}]", i));
        if (!target) {
            return std::unexpected(target.error());
        }
        targets.push_back(std::move(*target));
    }
    return TargetPanel(std::move(targets));
}

/// Removes `prefix` from the front of `text`; false (and `text` unchanged) when absent.
bool consumePrefix(std::string_view& text, std::string_view prefix) {
    if (!text.starts_with(prefix)) {
        return false;
    }
    text.remove_prefix(prefix.size());
    return true;
}

/// True when `key` is one or more phospho sites: an optional "p", a residue (ser, thr, tyr,
/// s, t, y) and its number, e.g. "ser473", "s473", "pt389", "t202y204".
bool isSiteList(std::string_view key) {
    if (key.empty()) {
        return false;
    }
    while (!key.empty()) {
        consumePrefix(key, "p");
        if (!consumePrefix(key, "ser") && !consumePrefix(key, "thr") &&
            !consumePrefix(key, "tyr") && !consumePrefix(key, "s") && !consumePrefix(key, "t") &&
            !consumePrefix(key, "y")) {
            return false;
        }
        const std::size_t digits = std::min(key.size(), key.find_first_not_of("0123456789"));
        if (digits == 0) {
            return false;
        }
        key.remove_prefix(digits);
    }
    return true;
}

/// How `key` (a targetKey) relates to one of a target's keys.
struct KeyForm {
    bool isMatch = false;
    bool isPhospho = false;
};

/// `key` as a phospho or total form of `alias`: [p|phospho] alias [sites], [p] sites alias,
/// or [total|pan|t] alias.
KeyForm formOf(std::string_view key, std::string_view alias) {
    for (const std::string_view prefix : {"total", "pan", "t"}) {
        if (key.size() == prefix.size() + alias.size() && key.starts_with(prefix) &&
            key.ends_with(alias)) {
            return {true, false};
        }
    }
    for (const std::string_view prefix : {"phospho", "p", ""}) {
        std::string_view rest = key;
        if (!consumePrefix(rest, prefix)) {
            continue;
        }
        if (rest == alias && !prefix.empty()) {
            return {true, true};
        }
        if (rest.size() > alias.size() &&
            ((rest.starts_with(alias) && isSiteList(rest.substr(alias.size()))) ||
             (rest.ends_with(alias) && isSiteList(rest.substr(0, rest.size() - alias.size()))))) {
            return {true, true};
        }
    }
    return {};
}

std::vector<std::string> keysOf(const PanelTarget& target) {
    std::vector<std::string> keys{targetKey(target.name)};
    for (const std::string& alias : target.aliases) {
        keys.push_back(targetKey(alias));
    }
    std::erase(keys, std::string{}); // a name of punctuation only would match anything
    return keys;
}

TargetMatch knownMatch(const PanelTarget& target, bool isPhospho) {
    return {target.name, true, target.kind, isPhospho};
}

/// An unknown name, without a phospho prefix written with a separator ("p-ERK", "phospho
/// ERK", "phosphoERK"); "p53" keeps its p.
TargetMatch unknownMatch(std::string_view name) {
    const std::string lower = asciiLower(name);
    for (const std::string_view prefix : {"phospho-", "phospho ", "phospho", "p-", "p "}) {
        if (lower.starts_with(prefix) && !trimmed(name.substr(prefix.size())).empty()) {
            return {std::string(trimmed(name.substr(prefix.size()))), false, TargetKind::Protein,
                    true};
        }
    }
    return {std::string(name), false, TargetKind::Protein, false};
}

} // namespace

std::string targetKey(std::string_view name) {
    std::string key;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto byte = static_cast<unsigned char>(name[i]);
        const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0u;
        if (byte == 0xCE && next >= 0xB1 && next <= 0xB3) { // UTF-8 Greek alpha, beta, gamma
            key += next == 0xB1 ? "alpha" : next == 0xB2 ? "beta" : "gamma";
            ++i;
        } else if (byte >= 0x80) {
            key += name[i];
        } else if (std::isalnum(byte) != 0) {
            key += static_cast<char>(std::tolower(byte));
        }
    }
    return key;
}

std::expected<TargetPanel, Error> TargetPanel::fromJson(std::string_view json,
                                                        const std::string& source) {
    try {
        return parsePanelDocument(Json::parse(json), source);
    } catch (const Json::exception& e) {
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, ..."
        const std::string what = e.what();
        const std::size_t tagEnd = what.find("] ");
        return std::unexpected(
            Error{source, "not valid JSON: " +
                              (tagEnd == std::string::npos ? what : what.substr(tagEnd + 2))});
    }
}

const TargetPanel& TargetPanel::builtIn() {
    // resources/targets.json is checked by a test, so an empty panel here means a build defect.
    static const TargetPanel panel =
        fromJson(kBuiltInTargetPanelJson, "built-in targets.json").value_or(TargetPanel{});
    return panel;
}

TargetPanel TargetPanel::extendedBy(const TargetPanel& overrides) const {
    std::vector<PanelTarget> merged = overrides.m_targets;
    for (const PanelTarget& target : m_targets) {
        const bool isReplaced = std::ranges::any_of(overrides.m_targets, [&](const PanelTarget& o) {
            return targetKey(o.name) == targetKey(target.name);
        });
        if (!isReplaced) {
            merged.push_back(target);
        }
    }
    return TargetPanel(std::move(merged));
}

TargetMatch TargetPanel::match(std::string_view name) const {
    name = trimmed(name);
    const std::string key = targetKey(name);
    // Exact names first, so that an alias such as "p70S6K" is not read as "p" + "70S6K".
    for (const PanelTarget& target : m_targets) {
        const std::vector<std::string> keys = keysOf(target);
        if (std::ranges::find(keys, key) != keys.end()) {
            return knownMatch(target, false);
        }
    }
    for (const PanelTarget& target : m_targets) {
        for (const std::string& alias : keysOf(target)) {
            if (const KeyForm form = formOf(key, alias); form.isMatch) {
                return knownMatch(target, form.isPhospho);
            }
        }
    }
    return unknownMatch(name);
}

std::expected<TargetPanel, Error> loadTargetPanel(const std::filesystem::path& userPanel) {
    std::ifstream in(userPanel, std::ios::binary);
    if (!in) {
        return std::unexpected(Error{userPanel.string(), "cannot open the panel file"});
    }
    const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto panel = TargetPanel::fromJson(json, userPanel.string());
    if (!panel) {
        return std::unexpected(panel.error());
    }
    return TargetPanel::builtIn().extendedBy(*panel);
}

std::string phosphoSiteInName(std::string_view name) {
    auto residue = [](std::string_view part) -> std::string {
        static constexpr std::pair<std::string_view, std::string_view> kResidues[] = {
            {"ser", "Ser"}, {"thr", "Thr"}, {"tyr", "Tyr"},
            {"s", "Ser"},   {"t", "Thr"},   {"y", "Tyr"}};
        for (const auto& [prefix, written] : kResidues) {
            if (part.size() > prefix.size() && part.size() <= prefix.size() + 4) {
                bool matches = true;
                for (std::size_t i = 0; i < prefix.size(); ++i) {
                    matches = matches && std::tolower(static_cast<unsigned char>(part[i])) ==
                                             static_cast<unsigned char>(prefix[i]);
                }
                const std::string_view digits = part.substr(prefix.size());
                const bool isNumber = std::all_of(digits.begin(), digits.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c)) != 0;
                });
                if (matches && isNumber) {
                    return std::string(written) + std::string(digits);
                }
            }
        }
        return {};
    };
    std::string site;
    std::size_t start = 0;
    const auto isSeparator = [](char c) {
        return c == ' ' || c == '(' || c == ')' || c == '-' || c == ',' || c == '_' || c == '\t';
    };
    while (start <= name.size()) {
        std::size_t end = start;
        while (end < name.size() && !isSeparator(name[end])) {
            ++end;
        }
        const std::string_view token = name.substr(start, end - start);
        // A site token: residues joined by '/', every part a residue.
        std::string written;
        std::size_t partStart = 0;
        bool isSite = !token.empty();
        while (isSite && partStart <= token.size()) {
            const std::size_t slash = token.find('/', partStart);
            const std::size_t partEnd = slash == std::string_view::npos ? token.size() : slash;
            const std::string part = residue(token.substr(partStart, partEnd - partStart));
            isSite = !part.empty();
            written += (written.empty() ? "" : "/") + part;
            partStart = partEnd + 1;
        }
        if (isSite) {
            site = written;
        }
        start = end + 1;
    }
    return site;
}

} // namespace densito
