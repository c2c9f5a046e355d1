"""Reads a Densito output folder back with pandas, as README.md ("Statistics in R and Prism")
describes, and checks it against summary.csv and the CSV files.

- summary.csv's p-values to 1e-12 from units.csv (per target, least squares of
  log2_ratio ~ block + condition, control the reference, two-sided t on the residual df),
  with Holm over them as p_holm, and from each prism/<target>.csv (the matched table melted
  to one row per cell, log2 of the ratios, rows as blocks); summary.csv's normaliser rows
  (measure normaliser:...) have no units and are not compared;
- contrasts.csv to 1e-12: each row's fold change and p as a contrast of the same fit
  (treatment vs treatment; the interaction, both - second only - first only + control, from
  DESIGN), and Holm over the target's contrasts as p_holm;
- results.xlsx: every sheet holds its CSV file's cells, numbers as numbers (to the 16
  significant digits libxlsxwriter writes), text as text, the header row bold.

Usage: python3 read_back.py OUTPUT_FOLDER PRISM_INDEX [DESIGN]
  PRISM_INDEX: a CSV file,target,measure,site naming each prism table's target.
  DESIGN: a CSV contrast,first_only,second_only,both naming each interaction's cells.
Exits 1 when anything differs.
"""

import math
import posixpath
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

import numpy as np
import pandas as pd
from scipy import stats

TOLERANCE = 1e-12
failures = []
compared = 0


def text_table(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def model_fit(data, conditions):
    """Least squares of y on block and condition dummies (control left out): the conditions
    with units, the coefficients, their covariance, the residual df and the first condition
    column."""
    present = [c for c in conditions if (data["condition"] == c).any()]
    blocks = list(dict.fromkeys(data["block"]))
    columns = [(data["block"] == b).astype(float) for b in blocks]
    columns += [(data["condition"] == c).astype(float) for c in present[1:]]
    x = np.column_stack(columns)
    y = data["y"].to_numpy(dtype=float)
    rank = np.linalg.matrix_rank(x)
    residual_df = len(y) - rank
    beta, _, _, _ = np.linalg.lstsq(x, y, rcond=None)
    residuals = y - x @ beta
    sigma2 = residuals @ residuals / residual_df
    covariance = sigma2 * np.linalg.pinv(x.T @ x)
    return present, beta, covariance, residual_df, len(blocks)


def contrast_of(fit, weights):
    """log2 estimate and two-sided p of sum(weight x condition effect); the control's is 0."""
    present, beta, covariance, residual_df, first = fit
    w = np.zeros(len(beta))
    for condition, weight in weights.items():
        if condition in present[1:]:
            w[first + present[1:].index(condition)] += weight
    estimate = float(w @ beta)
    t = estimate / math.sqrt(w @ covariance @ w)
    return estimate, 2.0 * stats.t.sf(abs(t), residual_df)


def model_p(data, conditions):
    """p of each non-control condition."""
    fit = model_fit(data, conditions)
    return {condition: contrast_of(fit, {condition: 1.0})[1] for condition in fit[0][1:]}


def holm(p_values):
    """Holm-adjusted p-values (R's p.adjust(p, "holm")), in the given order."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def compare(label, expected_text, got, relative=False):
    global compared
    expected = float(expected_text)
    difference = abs(got - expected)
    ok = difference <= TOLERANCE * (abs(expected) if relative else 1.0)
    print(f"{'ok' if ok else 'FAIL'} {label}: Densito {expected!r}, pandas {got!r}, "
          f"|difference| {difference:.3g}")
    compared += 1
    if not ok:
        failures.append(label)


def contrast_weights(name, design):
    """Weights of a contrasts.csv row by condition; None when DESIGN lacks an interaction."""
    if name.startswith("interaction: "):
        if design is None:
            return None
        cells = design[design["contrast"] == name]
        if cells.empty:
            return None
        cell = cells.iloc[0]
        return {cell["both"]: 1.0, cell["second_only"]: -1.0, cell["first_only"]: -1.0}
    later, earlier = name.split(" vs ")
    return {later: 1.0, earlier: -1.0}


def check(source, rows, p):
    global compared
    for _, row in rows.iterrows():
        if row["p"] == "":
            continue
        expected = float(row["p"])
        got = p.get(row["condition"], float("nan"))
        difference = abs(got - expected)
        ok = difference <= TOLERANCE
        print(f"{'ok' if ok else 'FAIL'} {source} / {row['condition']}: summary.csv p "
              f"{expected!r}, pandas {got!r}, |difference| {difference:.3g}")
        compared += 1
        if not ok:
            failures.append(f"{source} / {row['condition']}")


def check_p_values(folder, index, design):
    summary = text_table(f"{folder}/summary.csv")
    units = text_table(f"{folder}/units.csv")
    contrasts = text_table(f"{folder}/contrasts.csv")
    units["y"] = units["log2_ratio"].astype(float)
    for key, rows in summary.groupby(["target", "measure", "site"], sort=False):
        target, measure, site = key
        conditions = list(rows["condition"])  # control first
        mine = units[(units["target"] == target) & (units["measure"] == measure)
                     & (units["site"] == site)]
        if mine.empty:
            continue
        label = f"units.csv {target} {measure} {site}"
        p = model_p(mine, conditions)
        check(label, rows, p)
        tested = rows[rows["p"] != ""]
        for (_, row), adjusted in zip(tested.iterrows(),
                                      holm([p.get(c, float("nan")) for c in tested["condition"]])):
            compare(f"{label} / {row['condition']} p_holm", row["p_holm"], adjusted)
        # contrasts.csv names a target by target and site: its phospho series when it has
        # one, else the expression series.
        others = summary[(summary["target"] == target) & (summary["site"] == site)
                         & (summary["measure"] != measure)
                         & ~summary["measure"].str.startswith("normaliser:")]
        if measure == "phospho" or others.empty:
            mine_contrasts = contrasts[(contrasts["target"] == target) & (contrasts["site"] == site)
                                       & (contrasts["p"] != "")]
            fit = model_fit(mine, conditions)
            contrast_p = []
            for _, row in mine_contrasts.iterrows():
                weights = contrast_weights(row["contrast"], design)
                if weights is None:
                    failures.append(f"contrasts.csv {target} / {row['contrast']}: no design")
                    continue
                estimate, p_value = contrast_of(fit, weights)
                contrast_p.append(p_value)
                name = f"contrasts.csv {target} {site} / {row['contrast']}"
                compare(f"{name} fold_change", row["fold_change"], 2.0 ** estimate, relative=True)
                compare(f"{name} p", row["p"], p_value)
            if len(contrast_p) == len(mine_contrasts):
                for (_, row), adjusted in zip(mine_contrasts.iterrows(), holm(contrast_p)):
                    compare(f"contrasts.csv {target} {site} / {row['contrast']} p_holm",
                            row["p_holm"], adjusted)
        entry = index[(index["target"] == target) & (index["measure"] == measure)
                      & (index["site"] == site)]
        if entry.empty:
            continue
        name = entry["file"].iloc[0]
        wide = text_table(f"{folder}/{name}")
        long = wide.melt(id_vars="block", var_name="condition", value_name="ratio")
        long = long[long["ratio"] != ""].copy()
        long["y"] = np.log2(long["ratio"].astype(float))
        check(name, rows, model_p(long, conditions))


SPREADSHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_index(reference):
    letters = "".join(ch for ch in reference if ch.isalpha())
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


# The columns results.xlsx must hold as numbers; every other column is text.
NUMERIC_COLUMNS = {
    "summary": {"n", "fold_change", "ci95_low", "ci95_high", "mean_log2_fold_change",
                "sd_log2_fold_change", "p", "p_holm", "df", "lanes_used", "lanes_excluded"},
    "contrasts": {"fold_change", "ci95_low", "ci95_high", "p", "p_holm", "df"},
    "quantification": {"lane", "phospho", "total", "loading", "stain", "ratio",
                       "total_to_loading", "fold_change"},
    "units": {"lanes", "log2_ratio", "log2_fold_change"},
}


def check_workbook(folder, index):
    with zipfile.ZipFile(f"{folder}/results.xlsx") as archive:
        def xml(name):
            return ElementTree.fromstring(archive.read(name))

        shared = ["".join(t.text or "" for t in item.iter(f"{SPREADSHEET}t"))
                  for item in xml("xl/sharedStrings.xml").iter(f"{SPREADSHEET}si")]
        styles = xml("xl/styles.xml")
        fonts = list(styles.find(f"{SPREADSHEET}fonts"))
        formats = list(styles.find(f"{SPREADSHEET}cellXfs"))
        targets = {r.get("Id"): r.get("Target")
                   for r in xml("xl/_rels/workbook.xml.rels").iter(f"{RELATIONSHIPS}Relationship")}
        sheets = [(s.get("name"), posixpath.join("xl", targets[s.get(OFFICE_RELATIONSHIP_ID)]))
                  for s in xml("xl/workbook.xml").iter(f"{SPREADSHEET}sheet")]
        csv_of = {"summary": "summary.csv", "contrasts": "contrasts.csv",
                  "quantification": "quantification.csv", "units": "units.csv"}
        for name in index["file"]:
            csv_of["prism " + name[len("prism/"):-len(".csv")]] = name
        if sorted(csv_of) != sorted(name for name, _ in sheets):
            failures.append(f"results.xlsx sheets {[n for n, _ in sheets]}, expected {sorted(csv_of)}")
            return
        for name, path in sheets:
            table = pd.read_csv(f"{folder}/{csv_of[name]}", dtype=str, keep_default_na=False,
                                encoding="utf-8-sig", header=None)
            cells = {}
            for row in xml(path).iter(f"{SPREADSHEET}row"):
                for cell in row.iter(f"{SPREADSHEET}c"):
                    reference = cell.get("r")
                    r = int("".join(ch for ch in reference if ch.isdigit())) - 1
                    cells[(r, column_index(reference))] = cell
            header = list(table.iloc[0])
            numeric = NUMERIC_COLUMNS.get(name, set(header[1:]))  # prism: all but "block"
            mismatches = 0
            for r in range(table.shape[0]):
                for c in range(table.shape[1]):
                    expected = table.iat[r, c]
                    cell = cells.get((r, c))
                    if expected == "":
                        mismatches += cell is not None
                        continue
                    if cell is None:
                        mismatches += 1
                        continue
                    value = cell.find(f"{SPREADSHEET}v").text
                    if r > 0 and (header[c] in numeric) == (cell.get("t") == "s"):
                        mismatches += 1  # a number stored as text, or text as a number
                    elif cell.get("t") == "s":
                        mismatches += shared[int(value)] != expected
                    else:
                        number = float(expected)  # a number cell must hold a CSV number
                        mismatches += not math.isclose(float(value), number, rel_tol=1e-15,
                                                       abs_tol=1e-300)
                    if r == 0:
                        font = fonts[int(formats[int(cell.get("s", "0"))].get("fontId"))]
                        mismatches += font.find(f"{SPREADSHEET}b") is None
            numbers = sum(1 for cell in cells.values() if cell.get("t") != "s")
            print(f"{'ok' if mismatches == 0 else 'FAIL'} results.xlsx sheet \"{name}\" = "
                  f"{csv_of[name]}: {table.shape[0]} rows, {numbers} number cells, "
                  f"{mismatches} mismatches")
            if mismatches:
                failures.append(f"results.xlsx sheet {name}")


def main():
    folder, index_path = sys.argv[1], sys.argv[2]
    index = text_table(index_path)
    design = text_table(sys.argv[3]) if len(sys.argv) > 3 else None
    check_p_values(folder, index, design)
    check_workbook(folder, index)
    print(f"pandas: {compared} values compared, {len(failures)} failures")
    if compared == 0 or failures:
        print("failed: " + "; ".join(failures))
        sys.exit(1)


main()
