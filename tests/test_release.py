"""Citable versions: scripts/release.py makes the release's files (the release workflow's shape and lint are in
test_github.py), and .zenodo.json gives Zenodo what it reads for the DOI's record."""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import re
import subprocess
import sys
import zipfile

import pytest
import yaml

from conftest import ROOT
from generator.content import load_map

spec = importlib.util.spec_from_file_location("release", ROOT / "scripts/release.py")
release = importlib.util.module_from_spec(spec)
spec.loader.exec_module(release)
DAY = _dt.date(2024, 3, 5)


def test_a_release_has_the_site_the_data_package_and_a_citation_with_the_tags_version(bundled_build, tmp_path):
    out = tmp_path / "release"
    made = release.release("v1.2", DAY, bundled_build.site, out)
    assert [p.name for p in made] == ["CITATION.cff", "evidence-map-site-v1.2.zip", "evidence-map-data-v1.2.zip"]
    cff = yaml.safe_load((out / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], cff["date-released"]) == ("1.2", "2024-03-05")
    assert cff["title"] == load_map(ROOT / "content").review.title
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                              "vendor.citation-file-format", str(out / "CITATION.cff")], capture_output=True,
                             text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "version" not in yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))  # left as it is
    with zipfile.ZipFile(out / "evidence-map-site-v1.2.zip") as site:
        names = site.namelist()
        assert "evidence-map-site-v1.2/index.html" in names and "evidence-map-site-v1.2/feed.xml" in names
        assert len(names) == sum(1 for p in bundled_build.site.rglob("*") if p.is_file())
        assert names == sorted(names)
    with zipfile.ZipFile(out / "evidence-map-data-v1.2.zip") as data:
        assert sorted(data.namelist()) == ["CITATION.cff", "datapackage.json", "prisma-flow-diagram.svg", "prisma.csv",
                                           "references.bib", "references.ris", "studies.csv", "studies.json"]
        package = json.loads(data.read("datapackage.json"))
        assert {r["path"] for r in package["resources"]} <= set(data.namelist())  # the package is whole
        assert data.read("studies.csv") == (bundled_build.site / "studies.csv").read_bytes()
    again = release.release("v1.2", DAY, bundled_build.site, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in made]  # the same tag, the same bytes


def test_the_script_refuses_a_tag_that_is_not_a_version_and_a_folder_that_is_not_a_site(bundled_build, tmp_path):
    with pytest.raises(SystemExit, match=r"'latest' is not a version tag \(hint: tag the release v1, v1.2"):
        release.release("latest", DAY, bundled_build.site, tmp_path / "out")
    with pytest.raises(SystemExit, match=r"index.html is missing \(hint: build the site"):
        release.release("v1", DAY, tmp_path, tmp_path / "out")
    run = subprocess.run([sys.executable, str(ROOT / "scripts/release.py"), "v1", "5 March", str(tmp_path), "x"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "is not a date (hint: YYYY-MM-DD" in run.stderr


def test_an_existing_version_in_citation_cff_is_replaced_not_repeated():
    text = 'cff-version: 1.2.0\ntitle: "T"\nversion: "0.1"\ndate-released: "2020-01-01"\nurl: "https://x.org/"\n'
    assert release.citation(text, "2.0", DAY) == (
        'cff-version: 1.2.0\ntitle: "T"\nurl: "https://x.org/"\nversion: "2.0"\ndate-released: "2024-03-05"\n')


# Zenodo's deposit metadata (developers.zenodo.org, "Deposit metadata"): the fields it reads from .zenodo.json.
UPLOAD_TYPES = {"publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
                "physicalobject", "other"}
RELATIONS = {"isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
             "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "isNewVersionOf", "isPreviousVersionOf",
             "isPartOf", "hasPart", "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy",
             "compiles", "isVariantFormOf", "isOriginalFormOf", "isIdenticalTo", "isAlternateIdentifier",
             "isReviewedBy", "reviews", "isDerivedFrom", "isSourceOf", "requires", "isRequiredBy", "isObsoletedBy",
             "obsoletes", "isVersionOf", "hasVersion"}
FIELDS = {"upload_type", "title", "description", "creators", "access_right", "license", "keywords",
          "related_identifiers", "notes", "version", "publication_date", "contributors", "communities", "language"}


def test_zenodo_metadata_is_the_reviews_and_has_the_fields_zenodo_reads():
    meta = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    review = load_map(ROOT / "content").review
    assert set(meta) <= FIELDS, set(meta) - FIELDS
    assert meta["upload_type"] in UPLOAD_TYPES and meta["upload_type"] == "dataset"
    assert meta["title"] == review.title
    assert " ".join(review.question.split())[:60].lower() in meta["description"].lower()
    assert meta["creators"] and all(set(c) <= {"name", "affiliation", "orcid"} and c["name"].strip()
                                    for c in meta["creators"])
    assert meta["access_right"] in {"open", "embargoed", "restricted", "closed"}
    assert "version" not in meta  # Zenodo takes it from the release's tag
    assert all(isinstance(k, str) and k for k in meta["keywords"])
    for related in meta["related_identifiers"]:
        assert set(related) <= {"identifier", "relation", "resource_type", "scheme"}
        assert related["relation"] in RELATIONS and related["identifier"]
    assert not re.search(r"<script|on\w+=", meta["description"], re.IGNORECASE)
