#pragma once

#include "core/error.h"

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace densito {

/// What a target is used for: a protein of interest, or a normalizer.
enum class TargetKind {
    Protein, ///< measured as phospho and/or total
    Loading, ///< housekeeping protein (beta-actin, GAPDH, ...)
    Stain,   ///< total-protein stain (Ponceau, REVERT, stain-free, ...)
};

/// One known target: its canonical name and the other names people write for it.
struct PanelTarget {
    std::string name; ///< canonical, e.g. "Akt"
    TargetKind kind = TargetKind::Protein;
    std::string phosphoSite;       ///< the usual site, e.g. "Ser473"; empty when none
    std::vector<double> massesKda; ///< apparent masses of the isoforms seen on blots
    std::vector<std::string> aliases;
};

/// What a name written in blots.csv denotes.
struct TargetMatch {
    /// The canonical name of a panel target; for an unknown name, the name as written
    /// (trimmed) without a leading "phospho-"/"p-", so "p-ERK" and "ERK" pair up.
    std::string name;
    bool isKnown = false;
    TargetKind kind = TargetKind::Protein;
    /// The name reads as a phospho form ("p-Akt", "Akt S473"). A hint only: the `measure`
    /// column of blots.csv decides.
    bool isPhosphoName = false;
};

/// The targets Densito recognises by name (resources/targets.json, built in) plus any a
/// user panel adds. Names match case-insensitively, ignoring spaces and punctuation, with
/// Greek alpha/beta read as "alpha"/"beta"; "p", "phospho" and site suffixes ("Ser473",
/// "S473", "T202/Y204") mark the phospho form; "total", "pan" or "t" prefixes the total form.
class TargetPanel {
public:
    TargetPanel() = default;
    explicit TargetPanel(std::vector<PanelTarget> targets) : m_targets(std::move(targets)) {}

    /// Reads a panel document ({"targets": [{"name", "kind", "phospho_site", "masses_kda",
    /// "aliases"}]}); `source` names it in errors, which say what in the JSON is wrong.
    static std::expected<TargetPanel, Error> fromJson(std::string_view json,
                                                      const std::string& source);

    /// The built-in panel, embedded at build time from resources/targets.json.
    static const TargetPanel& builtIn();

    /// This panel with `overrides` on top: a target of the same name is replaced, new targets
    /// are added, and the overriding panel's names win when both panels claim a name.
    TargetPanel extendedBy(const TargetPanel& overrides) const;

    /// The target `name` denotes; unknown names are allowed and keep their own name.
    TargetMatch match(std::string_view name) const;

    const std::vector<PanelTarget>& targets() const { return m_targets; }

private:
    std::vector<PanelTarget> m_targets; ///< in matching priority order
};

/// The phosphorylation site a target name spells out as a token of its own ("p-Akt Ser473",
/// "pAkt S473", "phospho-Akt (Ser473)", "p-ERK1/2 T202/Y204"), with one-letter residues
/// written out ("Thr202/Tyr204"); empty when the name has none. "S6K1" is a name, not a site.
std::string phosphoSiteInName(std::string_view name);

/// The built-in panel extended by a user's panel file (`--panel FILE`).
std::expected<TargetPanel, Error> loadTargetPanel(const std::filesystem::path& userPanel);

/// The comparison key of a target name: ASCII lower-case letters and digits only, Greek
/// alpha/beta/gamma spelled out, other non-ASCII bytes kept ("β-Actin " -> "betaactin").
std::string targetKey(std::string_view name);

} // namespace densito
