"""Reads a Densito output folder back with pandas, as README.md ("Statistics in R and Prism")
describes, and checks it against summary.csv and the CSV files.

- summary.csv's p-values to 1e-12 from units.csv (per target, least squares of
  log2_ratio ~ block + condition, control the reference, two-sided t on the residual df) and
  from each prism/<target>.csv (the matched table melted to one row per cell, log2 of the
  ratios, rows as blocks);
- results.xlsx: every sheet holds its CSV file's cells, numbers as numbers (to the 16
  significant digits libxlsxwriter writes), text as text, the header row bold.

Usage: python3 read_back.py OUTPUT_FOLDER PRISM_INDEX
  PRISM_INDEX: a CSV file,target,measure,site naming each prism table's target.
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


def model_p(data, conditions):
    """p of each non-control condition: least squares of y on block and condition dummies."""
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
    p = {}
    for k, condition in enumerate(present[1:]):
        column = len(blocks) + k
        t = beta[column] / math.sqrt(covariance[column, column])
        p[condition] = 2.0 * stats.t.sf(abs(t), residual_df)
    return p


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


def check_p_values(folder, index):
    summary = text_table(f"{folder}/summary.csv")
    units = text_table(f"{folder}/units.csv")
    units["y"] = units["log2_ratio"].astype(float)
    for key, rows in summary.groupby(["target", "measure", "site"], sort=False):
        target, measure, site = key
        conditions = list(rows["condition"])  # control first
        mine = units[(units["target"] == target) & (units["measure"] == measure)
                     & (units["site"] == site)]
        if mine.empty:
            continue
        check(f"units.csv {target} {measure} {site}", rows, model_p(mine, conditions))
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
    check_p_values(folder, index)
    check_workbook(folder, index)
    print(f"pandas: {compared} p-values compared, {len(failures)} failures")
    if compared == 0 or failures:
        print("failed: " + "; ".join(failures))
        sys.exit(1)


main()
