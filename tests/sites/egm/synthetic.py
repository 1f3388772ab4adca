"""Synthetic studies for the evidence-and-gap-map fixture (tests/sites/egm/content): any number, deterministic for a
seed, with codes drawn from the fixture's own review.yml (its categories included), a status, and an appraisal
rating or none. For tests and benchmarks that need a big map with a hierarchical facet, e.g. the matrix's:

    from sites.egm.synthetic import copy_with_studies
    content = copy_with_studies(tmp_path / "content", 500)
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

FIXTURE = Path(__file__).resolve().parent / "content"
COUNTRIES = "GH KE UG NG ZA SE NO DK GB IE FR DE ES IT CZ PL JO EG IN BD BR CO MX US CA".split()
SURNAMES = "Osei Mensah Berg Lund Kamau Otieno Haddad Novák Silva Okafor Ahmed Rossi Dubois Müller Ng Patel".split()
WORDS = ("youth employment training mentoring wages skills jobs apprentices programme trial outcomes support "
         "transition school work enterprise income evaluation pilot cohort").split()


def codes(review: dict, facet: str) -> list[str]:
    """Every code of a facet of review.yml (the ids inside categories, and those at the top level)."""
    out = []
    for value_id, value in review["facets"][facet]["values"].items():
        if isinstance(value, dict) and "values" in value:
            out.extend(value["values"])
        else:
            out.append(value_id)
    return out


def write_studies(content: Path, n: int, seed: int = 22) -> list[str]:
    """Write n study files into content/studies (next to any there) for content/review.yml; return their ids.
    About 1 in 10 studies leaves each facet unreported and 1 in 5 is not appraised."""
    rng = random.Random(seed)
    review = yaml.safe_load((content / "review.yml").read_text(encoding="utf-8"))
    levels = list((review.get("appraisal") or {}).get("levels") or [])
    ids = []
    for i in range(n):
        year = rng.randint(1995, 2024)
        sid = f"synthetic-{i:05d}-{year}"
        facets: dict[str, object] = {}
        for fid, facet in review["facets"].items():
            pool = codes(review, fid)
            if rng.random() < 0.1:
                facets[fid] = None
            elif facet.get("multiple"):
                facets[fid] = rng.sample(pool, rng.randint(1, min(3, len(pool))))
            else:
                facets[fid] = rng.choice(pool)
        study = {
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize(),
            "authors": [f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLM')}." for _ in range(rng.randint(1, 4))],
            "year": year, "journal": "Synthetic Studies", "countries": rng.sample(COUNTRIES, rng.randint(1, 2)),
            "facets": facets,
        }
        if levels:
            study["appraisal"] = None if rng.random() < 0.2 else {
                "rating": rng.choice(levels), "rationale": "Synthetic rationale."}
        (content / "studies" / f"{sid}.yml").write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False),
                                                          encoding="utf-8")
        ids.append(sid)
    return ids


def copy_with_studies(target: Path, n: int, seed: int = 22) -> Path:
    """The fixture's content copied to `target`, with n synthetic studies added; returns `target`."""
    shutil.copytree(FIXTURE, target)
    write_studies(target, n, seed)
    return target
