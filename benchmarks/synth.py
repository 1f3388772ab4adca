"""Synthetic reviews in the project's own content format, for the benchmark and the scale tests.

Deterministic for a given seed, with field lengths like the bundled review's: 8 themes, 5 facets (two with several
values), 40 countries, 35 years, titles of about 14 words, summaries of about 70 and findings of about 45.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

WORDS = ("service user involvement coproduction social work education practice students carers evaluation "
         "participation outcomes learning training community health care policy qualitative study experience "
         "partnership barriers support empowerment professional identity curriculum assessment placement "
         "reflection recovery wellbeing trust power voice inclusion dialogue research method interview group "
         "teaching design impact change culture value knowledge skills attitude relationship").split()
SURNAMES = ("Smith Jones Brown Taylor Williams Wilson Davies Evans Thomas Roberts Johnson Walker Wright Robinson "
            "Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott "
            "Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson "
            "Phillips Lee Bell Parker Davis Østergaard Ó_Súilleabháin Nguyễn Müller García Kowalska Andersson "
            "Novák Rossi Dubois").replace("_", " ").split()
COUNTRIES = ("GB IE US CA AU NZ NL BE DE FR ES IT PT SE NO DK FI IS AT CH PL CZ SK HU RO BG GR TR IL ZA KE NG GH "
             "IN JP KR CN SG BR").split()
THEMES = [("meaningful-involvement", "Meaningful involvement"), ("challenges", "Challenges and barriers"),
          ("outcomes", "Outcomes for students"), ("service-outcomes", "Outcomes for services"),
          ("power", "Power and voice"), ("methods", "Methods of involvement"), ("training", "Training and support"),
          ("ethics", "Ethics and payment")]
FACETS = {
    "design": ("Study design", False, ["qualitative", "mixed-methods", "quantitative", "action-research",
                                      "case-study", "evaluation"]),
    "setting": ("Setting", True, ["qualifying", "post-qualifying", "management", "higher-education", "practice"]),
    "participants": ("Participants", True, ["service-users", "carers", "students", "social-workers",
                                            "practitioners", "academics", "managers"]),
    "methods": ("Data collection", True, ["interviews", "questionnaires", "focus-groups", "narrative",
                                          "participatory", "observation"]),
    "funding": ("Funding", False, ["public", "charity", "university", "none"]),
}


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    while words > 0:
        k = min(words, rng.randint(8, 18))
        out.append(sentence(rng, k))
        words -= k
    return " ".join(out)


def write_review(content: Path, n: int, seed: int = 1) -> list[str]:
    """Write review.yml, n study files and the theme files into `content`; return the study ids."""
    rng = random.Random(seed)
    (content / "studies").mkdir(parents=True, exist_ok=True)
    (content / "themes").mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    members: dict[str, list[str]] = {t: [] for t, _ in THEMES}
    for i in range(n):
        authors = [f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in range(rng.randint(1, 6))]
        year = rng.randint(1990, 2024)
        sid = f"study-{i:05d}-{year}"
        ids.append(sid)
        themes = rng.sample([t for t, _ in THEMES], rng.randint(1, 3))
        facets = {}
        for fid, (_, multiple, values) in FACETS.items():
            if rng.random() < 0.1:
                facets[fid] = None
            elif multiple:
                facets[fid] = rng.sample(values, rng.randint(1, 3))
            else:
                facets[fid] = rng.choice(values)
        study = {
            "title": sentence(rng, rng.randint(8, 20)).rstrip("."),
            "authors": authors,
            "year": year,
            "journal": " ".join(w.capitalize() for w in rng.sample(WORDS, 3)),
            "volume": str(rng.randint(1, 60)),
            "issue": str(rng.randint(1, 8)),
            "pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(5, 25)}",
            "doi": f"10.{rng.randint(1000, 9999)}/synthetic.{i}" if rng.random() < 0.8 else None,
            "countries": rng.sample(COUNTRIES, 1 if rng.random() < 0.85 else 2),
            "facets": facets,
            "sample": {"size": rng.randint(5, 400) if rng.random() < 0.7 else None,
                       "description": sentence(rng, rng.randint(5, 15))},
            "summary": paragraph(rng, rng.randint(50, 90)),
            "themes": {t: paragraph(rng, rng.randint(30, 60)) for t in themes},
            "notes": paragraph(rng, 20) if rng.random() < 0.2 else None,
        }
        for t in themes:
            members[t].append(sid)
        (content / "studies" / f"{sid}.yml").write_text(
            "# yaml-language-server: $schema=../../docs/schema/study.schema.json\n"
            + yaml.safe_dump(study, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    for order, (tid, title) in enumerate(THEMES, 1):
        cited = members[tid][:20]
        body = "\n\n".join(paragraph(rng, 60) + (f" [@{cited[k]}]" if k < len(cited) else "") for k in range(6))
        front = {"title": title, "order": order, "summary": sentence(rng, 12)}
        (content / "themes" / f"{tid}.md").write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n",
            encoding="utf-8")
    screened = n * 12
    review = {
        "title": f"A synthetic evidence map of {n} studies",
        "question": "How are service users involved in social work education, and with what results?",
        "authors": ["Bench, A."],
        "search": {"databases": ["PsycINFO", "ERIC", "Scopus"], "last_search": "2025-01-31",
                   "notes": paragraph(rng, 60)},
        "facets": {fid: {"label": label, "multiple": multiple,
                         "values": {v: v.replace("-", " ").capitalize() for v in values}}
                   for fid, (label, multiple, values) in FACETS.items()},
        "matrix": {"columns": ["design", "setting", "participants", "methods", "funding", "country", "year"]},
        "prisma": {"databases": {"PsycINFO": None, "ERIC": None, "Scopus": None}, "identified": screened + 100,
                   "duplicates": 100, "screened": screened, "screened_excluded": screened - 2 * n,
                   "sought": 2 * n, "not_retrieved": 0, "assessed": 2 * n,
                   "excluded": {"total": n, "reasons": {"Wrong population": n // 2, "Not empirical": n - n // 2}},
                   "included_studies": n, "included_reports": n},
    }
    text = yaml.safe_dump(review, allow_unicode=True, sort_keys=False, width=110)
    (content / "review.yml").write_text(text.replace("last_search: '2025-01-31'", "last_search: 2025-01-31"),
                                        encoding="utf-8")
    return ids
