"""Benchmark: `python -m generator import` of 10,000 RIS records and of a 10,000-reference EPPI-Reviewer JSON
export, each into a fresh copy of the bundled content folder. Prints seconds and peak memory per format. Not a
test: it measures, it does not assert (the issue's aim is under 30 s each on this machine).

    .venv/bin/python benchmarks/import.py                 # 10,000 records of each format
    .venv/bin/python benchmarks/import.py --records 1000  # quicker
    .venv/bin/python benchmarks/import.py --keep DIR      # also leave the two export files in DIR

The EPPI export is written the way EPPI-Reviewer writes one (the fields, the quirks, the nesting): 4 code sets
(study design; a two-level intervention tool; a country set with a region level; a three-level data-extraction
tool), about 10 codes per reference, a 250-word abstract, reviewer comments, and for one code in three a coded
passage of the full text (ItemAttributeFullTextDetails), as a real data extraction has. It is imported with a
mapping that sends the country code set to countries; the other three become facets (the three-level one split).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import SURNAMES, WORDS  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

GIVEN = "Anna Ben Carla David Eva Femi Grace Hiro Ines Jonas Kofi Lena Mei Nils Olu Priya Rosa Sam Tariq Uma".split()
COUNTRIES = {"Europe": ["United Kingdom", "Ireland", "Netherlands", "Germany", "Spain", "Sweden", "Norway",
                        "Poland"],
             "Africa": ["Kenya", "Nigeria", "Ghana", "South Africa", "Uganda", "Tanzania"],
             "Asia": ["India", "Japan", "Viet Nam", "Bangladesh", "Philippines"],
             "Americas": ["United States", "Canada", "Brazil", "Mexico", "Colombia"]}


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


# ------------------------------------------------------------------------------------------ EPPI-Reviewer JSON

class _Ids:
    """AttributeIds as EPPI-Reviewer gives them: large, increasing, not consecutive."""

    def __init__(self) -> None:
        self.last = 5_400_000

    def __call__(self) -> int:
        self.last += 7
        return self.last


def _attribute(ids: _Ids, name: str, children: list[dict] | None = None, *, selectable: bool = True,
               description: str = "") -> dict:
    attr_id = ids()
    node = {"AttributeSetId": attr_id - 60, "AttributeId": attr_id, "OriginalAttributeID": 0,
            "AttributeSetDescription": description,
            "AttributeType": "Selectable (show checkbox)" if selectable else "Not selectable (no checkbox)",
            "AttributeName": name, "AttributeDescription": "", "ExtURL": "", "ExtType": ""}
    if children:
        node["Attributes"] = {"AttributesList": children}
    return node


def _code_set(ids: _Ids, set_id: int, name: str, attributes: list[dict]) -> dict:
    return {"SetName": name, "ReviewSetId": set_id + 18, "SetId": set_id,
            "SetType": {"SetTypeName": "Standard", "SetTypeDescription": "The Standard codeset type is used for "
                        "regular coding such as keywording or data-extraction."},
            "SetDescription": f"{name}: code every included study.", "Attributes": {"AttributesList": attributes}}


def eppi_code_sets(rng: random.Random) -> tuple[list[dict], list[list[list[int]]]]:
    """The code sets, and for each the groups of AttributeIds a reference picks from (one group per question)."""
    ids = _Ids()
    design = [_attribute(ids, n, description=_words(rng, 12)) for n in
              ("Randomised controlled trial", "Quasi-experimental study", "Cohort study", "Qualitative study",
               "Mixed methods", "Systematic review")]
    interventions = [
        _attribute(ids, group, [_attribute(ids, f"{group.split()[0]} {_words(rng, 2)} {k}",
                                           description=_words(rng, 10)) for k in range(6)],
                   selectable=(g % 2 == 0), description=_words(rng, 15))
        for g, group in enumerate(("Training and education", "Financial support", "Peer support",
                                   "Digital tools", "Policy change"))]
    countries = [_attribute(ids, region, [_attribute(ids, c) for c in names], selectable=False)
                 for region, names in COUNTRIES.items()]
    extraction = [
        _attribute(ids, question, [_attribute(ids, f"{question.split()[0]} answer {a}",
                                              [_attribute(ids, f"{question.split()[0]} detail {a}.{d}")
                                               for d in range(3)] if a < 2 else None)
                                   for a in range(5)], selectable=False)
        for question in ("Population studied", "Outcome measured", "Setting of the study", "Funding source")]
    sets = [_code_set(ids, 93_000, "Study design", design),
            _code_set(ids, 93_001, "Intervention", interventions),
            _code_set(ids, 93_002, "Country", countries),
            _code_set(ids, 93_003, "Data extraction", extraction)]

    def leaves(node: dict) -> list[int]:
        kids = node.get("Attributes", {}).get("AttributesList", [])
        return [node["AttributeId"]] if not kids else [i for k in kids for i in leaves(k)]

    groups = [[[a["AttributeId"] for a in design]],
              [leaves(a) for a in interventions],
              [leaves(a) for a in countries],
              [leaves(a) for a in extraction]]
    return sets, groups


def eppi_reference(rng: random.Random, number: int, groups: list[list[list[int]]]) -> dict:
    authors = [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)[0]}{rng.choice('ABCDEFGH') if rng.random() < .4 else ''}"
               for _ in range(rng.randint(1, 6))]
    year = str(rng.randint(1990, 2025))
    title = _words(rng, rng.randint(8, 18)).capitalize() + f" ({number})"
    codes = []
    for set_groups in groups:  # about 10 codes: 1 design, 2-3 interventions, 1-2 countries, 4-5 extraction answers
        picks = {0: 1, 1: rng.randint(2, 3), 2: rng.randint(1, 2), 3: rng.randint(4, 5)}[groups.index(set_groups)]
        for _ in range(picks):
            attribute = rng.choice(rng.choice(set_groups))
            code = {"AttributeId": attribute, "AdditionalText": _words(rng, 20) if rng.random() < .3 else "",
                    "ArmId": 0, "ArmTitle": ""}
            if rng.random() < .33:
                code["ItemAttributeFullTextDetails"] = [{
                    "ItemDocumentId": 360_000 + number, "TextFrom": 0, "TextTo": 0,
                    "Text": f"Page {rng.randint(1, 20)}:\n[¬s]\"{_words(rng, 40)}[¬e]\"", "IsFromPDF": True,
                    "DocTitle": f"{authors[0].split()[0]} {year}.pdf", "ItemArm": ""}]
            codes.append(code)
    first = authors[0].split()[0]
    return {
        "QuickCitation": f"{' , '.join(authors)} ({year}) {title}. Journal of {_words(rng, 2)}",
        "ItemId": 46_000_000 + number, "Title": title, "ParentTitle": f"Journal of {_words(rng, 2)}",
        "ShortTitle": f"{first} ({year})", "DateCreated": "2020-04-21T22:17:25.837", "CreatedBy": "Reviewer One",
        "DateEdited": "2020-07-01T18:37:48.167", "EditedBy": "Reviewer Two", "Year": year, "Month": "",
        "StandardNumber": "", "City": "", "Country": "", "Publisher": "", "Institution": "",
        "Volume": str(rng.randint(1, 80)), "Pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(5, 20)}",
        "Edition": "", "Issue": str(rng.randint(1, 12)), "Availability": "",
        "URL": f"https://example.org/article/{number}", "OldItemId": "",
        "Abstract": ". ".join(_words(rng, 25).capitalize() for _ in range(10)) + ".",
        "Comments": f"Export Date: 21 April 2020\r\rChecked by {rng.choice(GIVEN)}",
        "TypeName": "Journal, Article", "Authors": " ; ".join(authors) + " ; ", "ParentAuthors": "",
        "DOI": f"10.9999/bench.{number}", "Keywords": "\r\n".join(_words(rng, 2) for _ in range(6)),
        "ItemStatus": "I", "ItemStatusTooltip": "Included in review", "Codes": codes}


def write_eppi(path: Path, n: int, seed: int = 21) -> None:
    """An EPPI-Reviewer export of n references, written as EPPI-Reviewer indents it, one reference at a time."""
    rng = random.Random(seed)
    sets, groups = eppi_code_sets(rng)
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n"CodeSets": ' + json.dumps(sets, indent=2, ensure_ascii=False) + ',\n"References": [\n')
        for number in range(1, n + 1):
            out.write(json.dumps(eppi_reference(rng, number, groups), indent=2, ensure_ascii=False))
            out.write(",\n" if number < n else "\n")
        out.write("]\n}")


# ------------------------------------------------------------------------------------------ RIS

def write_ris(path: Path, n: int, seed: int = 21) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, n + 1):
            out.write("TY  - JOUR\n")
            for _ in range(rng.randint(1, 6)):
                out.write(f"AU  - {rng.choice(SURNAMES)}, {rng.choice(GIVEN)}\n")
            out.write(f"TI  - {_words(rng, rng.randint(8, 18)).capitalize()} ({number})\n"
                      f"T2  - Journal of {_words(rng, 2)}\nPY  - {rng.randint(1990, 2025)}\n"
                      f"VL  - {rng.randint(1, 80)}\nIS  - {rng.randint(1, 12)}\nSP  - {(p := rng.randint(1, 900))}\n"
                      f"EP  - {p + 12}\nDO  - 10.9999/ris.{number}\n"
                      f"AB  - {'. '.join(_words(rng, 25).capitalize() for _ in range(10))}.\nER  - \n\n")


# ------------------------------------------------------------------------------------------ the run

# Runs a command and reports its peak memory in KB (Linux's ru_maxrss of the child), as benchmarks/run.py does.
PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(f"PEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def timed_import(export: Path, fmt: str, content: Path, mapping: Path | None) -> tuple[float, int, str]:
    """Wall seconds, peak memory (KB) and the command's last line."""
    cmd = [PY, "-m", "generator", "import", str(export), "--format", fmt, "--content", str(content),
           *(["--mapping", str(mapping)] if mapping else [])]
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", PEAK, *cmd], cwd=ROOT, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    peak = int(re.search(r"PEAK_KB=(\d+)", proc.stderr).group(1))  # type: ignore[union-attr]
    last = [line for line in proc.stdout.splitlines() if line.strip()][-1:] or [""]
    return elapsed, peak, last[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records in each export (default 10,000)")
    parser.add_argument("--keep", type=Path, help="also write the exports into this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        exports = {"ris": folder / "bench.ris", "eppi-json": folder / "bench-eppi.json"}
        write_ris(exports["ris"], args.records)
        write_eppi(exports["eppi-json"], args.records)
        mapping = folder / "eppi-mapping.yml"  # as a team would: the country code set gives ISO codes
        mapping.write_text('code_sets:\n  "Country": countries\n', encoding="utf-8")
        print("| format | records | file (MB) | seconds | peak memory (MB) | result |\n|---|---:|---:|---:|---:|---|")
        for fmt, export in exports.items():
            content = folder / f"content-{fmt}"
            shutil.copytree(ROOT / "content", content)
            seconds, peak_kb, last = timed_import(export, fmt, content, mapping if fmt == "eppi-json" else None)
            print(f"| {fmt} | {args.records:,} | {export.stat().st_size / 1e6:.1f} | {seconds:.1f} | "
                  f"{peak_kb / 1024:.0f} | {last} |", flush=True)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(export, args.keep / export.name)


if __name__ == "__main__":
    main()
