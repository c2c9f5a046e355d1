// The target panel: the built-in panel (resources/targets.json, embedded), name matching,
// phospho hints, unknown targets and user panels.
#include "core/analysis/target_panel.h"

#include "support/temp_dir.h"

#include <fstream>
#include <gtest/gtest.h>
#include <string>

namespace densito {
namespace {

const PanelTarget* findTarget(const TargetPanel& panel, std::string_view name) {
    for (const PanelTarget& target : panel.targets()) {
        if (target.name == name) {
            return &target;
        }
    }
    return nullptr;
}

TEST(TargetPanel, BuiltInPanelHoldsTheDocumentedTargets) {
    const TargetPanel& panel = TargetPanel::builtIn();
    ASSERT_EQ(panel.targets().size(), 9u);
    const PanelTarget* akt = findTarget(panel, "Akt");
    ASSERT_NE(akt, nullptr);
    EXPECT_EQ(akt->phosphoSite, "Ser473");
    EXPECT_EQ(akt->massesKda, std::vector<double>{60.0});
    EXPECT_EQ(findTarget(panel, "S6K1")->massesKda, (std::vector<double>{70.0, 85.0}));
    EXPECT_EQ(findTarget(panel, "mTOR")->phosphoSite, "Ser2448");
    EXPECT_EQ(findTarget(panel, "IRS-1")->massesKda, std::vector<double>{180.0});
    EXPECT_EQ(findTarget(panel, "vinculin")->kind, TargetKind::Loading);
    EXPECT_EQ(findTarget(panel, "total protein stain")->kind, TargetKind::Stain);
}

TEST(TargetPanel, BuiltInPanelIsTheResourceFile) {
    // The embedded copy must be resources/targets.json itself (one source).
    std::ifstream in(std::string(DENSITO_SOURCE_DIR) + "/resources/targets.json");
    const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto fromFile = TargetPanel::fromJson(json, "targets.json");
    ASSERT_TRUE(fromFile.has_value()) << fromFile.error().describe();
    ASSERT_EQ(fromFile->targets().size(), TargetPanel::builtIn().targets().size());
    for (std::size_t i = 0; i < fromFile->targets().size(); ++i) {
        EXPECT_EQ(fromFile->targets()[i].name, TargetPanel::builtIn().targets()[i].name);
        EXPECT_EQ(fromFile->targets()[i].aliases, TargetPanel::builtIn().targets()[i].aliases);
    }
}

struct Expected {
    std::string_view written;
    std::string_view canonical;
    bool isPhospho;
};

TEST(TargetPanel, MatchesTheNamesPeopleWrite) {
    const Expected cases[] = {
        {"Akt", "Akt", false},
        {"p-Akt", "Akt", true},
        {"pAkt S473", "Akt", true},
        {"phospho-Akt (Ser473)", "Akt", true},
        {"Akt (pS473)", "Akt", true},
        {"AKT1", "Akt", false},
        {"Akt1/2/3", "Akt", false},
        {"pan-Akt", "Akt", false},
        {"total Akt", "Akt", false},
        {"t-Akt", "Akt", false},
        {"p-Akt Thr308", "Akt", true},
        {"p-S6K1 Thr389", "S6K1", true},
        {"p70S6K", "S6K1", false},
        {"p-p70S6K (Thr389)", "S6K1", true},
        {"RPS6KB1", "S6K1", false},
        {"β-actin", "beta-actin", false},
        {"beta actin", "beta-actin", false},
        {"ACTB", "beta-actin", false},
        {"Beta-Actin", "beta-actin", false},
        {"mTOR", "mTOR", false},
        {"MTOR", "mTOR", false},
        {"FRAP1", "mTOR", false},
        {"p-mTOR Ser2448", "mTOR", true},
        {"IRS1", "IRS-1", false},
        {"IRS-1", "IRS-1", false},
        {"p-IRS-1 (Ser307)", "IRS-1", true},
        {"GAPDH", "GAPDH", false},
        {"α-Tubulin", "alpha-tubulin", false},
        {"Vinculin", "vinculin", false},
        {"Ponceau S", "total protein stain", false},
        {"REVERT", "total protein stain", false},
    };
    for (const Expected& c : cases) {
        const TargetMatch match = TargetPanel::builtIn().match(c.written);
        EXPECT_TRUE(match.isKnown) << c.written;
        EXPECT_EQ(match.name, c.canonical) << c.written;
        EXPECT_EQ(match.isPhosphoName, c.isPhospho) << c.written;
    }
}

TEST(TargetPanel, UnknownNamesKeepTheirOwnName) {
    const TargetPanel& panel = TargetPanel::builtIn();
    const TargetMatch erk = panel.match(" p-ERK1/2 ");
    EXPECT_FALSE(erk.isKnown);
    EXPECT_EQ(erk.name, "ERK1/2");
    EXPECT_TRUE(erk.isPhosphoName);
    EXPECT_EQ(panel.match("Phospho-STAT3").name, "STAT3");
    // "p53" is a name, not a phospho prefix.
    const TargetMatch p53 = panel.match("p53");
    EXPECT_EQ(p53.name, "p53");
    EXPECT_FALSE(p53.isPhosphoName);
    EXPECT_EQ(panel.match("ERK1/2").name, "ERK1/2");
}

TEST(TargetPanel, KeysIgnoreCasePunctuationAndSpellGreek) {
    EXPECT_EQ(targetKey("β-Actin "), "betaactin");
    EXPECT_EQ(targetKey("α-tubulin"), "alphatubulin");
    EXPECT_EQ(targetKey("Akt1/2/3"), "akt123");
    EXPECT_EQ(targetKey("p-ERK1/2"), targetKey("P ERK 1-2"));
}

TEST(TargetPanel, UserPanelExtendsAndOverrides) {
    const auto user = TargetPanel::fromJson(
        R"({"targets": [
              {"name": "ERK1/2", "phospho_site": "Thr202/Tyr204", "masses_kda": [44, 42],
               "aliases": ["MAPK3/1", "p44/42 MAPK"]},
              {"name": "Akt", "aliases": ["my kinase"]}]})",
        "panel.json");
    ASSERT_TRUE(user.has_value()) << user.error().describe();
    const TargetPanel panel = TargetPanel::builtIn().extendedBy(*user);
    EXPECT_EQ(panel.targets().size(), 10u);
    const TargetMatch erk = panel.match("p-p44/42 MAPK (Thr202/Tyr204)");
    EXPECT_TRUE(erk.isKnown);
    EXPECT_EQ(erk.name, "ERK1/2");
    EXPECT_TRUE(erk.isPhosphoName);
    EXPECT_EQ(panel.match("my kinase").name, "Akt");
    // The overriding entry replaced the built-in one, aliases included.
    EXPECT_FALSE(panel.match("AKT1").isKnown);
    EXPECT_EQ(panel.match("GAPDH").name, "GAPDH");
}

TEST(TargetPanel, LoadErrorsNameTheFileAndTheProblem) {
    const auto describe = [](std::string_view json) {
        const auto panel = TargetPanel::fromJson(json, "panel.json");
        return panel ? std::string("loaded") : panel.error().describe();
    };
    EXPECT_EQ(describe("{\"targets\": [}"),
              "panel.json: not valid JSON: parse error at line 1, column 14: syntax error while "
              "parsing value - unexpected '}'; expected '[', '{', or a literal");
    EXPECT_EQ(describe("{}"), "panel.json: targets: an array of targets is required");
    EXPECT_EQ(describe(R"({"targets": [{"name": "A"}, {"aliases": []}]})"),
              "panel.json: targets[1].name: a non-empty string is required");
    EXPECT_EQ(describe(R"({"targets": [{"name": "A", "aliases": "B"}]})"),
              "panel.json: targets[0].aliases: expected an array of strings");
    EXPECT_EQ(describe(R"({"targets": [{"name": "A", "kind": "housekeeping"}]})"),
              "panel.json: targets[0].kind: expected \"protein\", \"loading\" or \"stain\"");
    EXPECT_EQ(describe(R"({"targets": [{"name": "A", "masses_kda": ["42"]}]})"),
              "panel.json: targets[0].masses_kda: expected an array of numbers (kDa)");
    EXPECT_EQ(describe(R"({"version": 2, "targets": []})"),
              "panel.json: version: this Densito reads panel version 1");
}

TEST(LoadTargetPanel, ReadsAUserFileOnTopOfTheBuiltInPanel) {
    const test::TempDir folder;
    std::ofstream(folder / "panel.json")
        << R"({"targets": [{"name": "STAT3", "aliases": ["APRF"]}]})";
    const auto panel = loadTargetPanel(folder / "panel.json");
    ASSERT_TRUE(panel.has_value()) << panel.error().describe();
    EXPECT_EQ(panel->match("aprf").name, "STAT3");
    EXPECT_EQ(panel->match("p-Akt").name, "Akt");
    const auto missing = loadTargetPanel(folder / "absent.json");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().reason, "cannot open the panel file");
    EXPECT_NE(missing.error().subject.find("absent.json"), std::string::npos);
}

} // namespace
} // namespace densito

namespace densito {
namespace {

TEST(PhosphoSiteInName, ReadsTheSiteTokenOfATargetName) {
    EXPECT_EQ(phosphoSiteInName("p-Akt Ser473"), "Ser473");
    EXPECT_EQ(phosphoSiteInName("pAkt S473"), "Ser473");
    EXPECT_EQ(phosphoSiteInName("phospho-Akt (Ser473)"), "Ser473");
    EXPECT_EQ(phosphoSiteInName("p-S6K1 Thr389"), "Thr389");
    EXPECT_EQ(phosphoSiteInName("p-ERK1/2 T202/Y204"), "Thr202/Tyr204");
    EXPECT_EQ(phosphoSiteInName("p-mTOR ser2448"), "Ser2448");
}

TEST(PhosphoSiteInName, NamesWithoutASiteGiveNone) {
    EXPECT_EQ(phosphoSiteInName("p-Akt"), "");
    EXPECT_EQ(phosphoSiteInName("S6K1"), "");
    EXPECT_EQ(phosphoSiteInName("p70S6K"), "");
    EXPECT_EQ(phosphoSiteInName("IRS-1"), "");
    EXPECT_EQ(phosphoSiteInName("Stat3"), "");
    EXPECT_EQ(phosphoSiteInName(""), "");
}

} // namespace
} // namespace densito
