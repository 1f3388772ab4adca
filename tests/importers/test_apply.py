"""Importing into content/studies/: matched by DOI or title and year, new files in the format, conflicts reported
and left alone, re-imports changing nothing, and every file written or none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.content import load_map
from generator.importers import writing
from generator.importers.apply import plan_import, write_plan
from generator.importers.bibtex import parse_bibtex
from generator.importers.records import ReadResult, Record
from generator.importers.ris import parse_ris
from generator.outputs.downloads import bibtex, ris

FIXTURES = Path(__file__).parent / "fixtures"


def plan(content: Path, records, skipped=(), fmt="ris", **coded):
    return plan_import(ReadResult(fmt, list(records), list(skipped), **coded), content)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    target = tmp_path / "bundled"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.mark.parametrize("kind", ["ris", "bibtex"])
@pytest.mark.parametrize("review", ["bundled", "other"])
def test_the_sites_own_downloads_import_back_with_nothing_added_and_no_conflict(kind, review, bundled, content):
    folder = bundled if review == "bundled" else content
    studies = load_map(folder).studies
    records, skipped = parse_ris(ris(studies)) if kind == "ris" else parse_bibtex(bibtex(studies))
    result = plan(folder, records, skipped)
    assert (len(result.added), len(result.updated), result.conflicts, result.skipped) == (0, 0, [], [])
    assert sorted(result.unchanged) == sorted(s.id for s in studies)


def test_into_an_empty_review_the_downloads_give_the_same_ids_and_bibliographic_fields(bundled: Path):
    studies = load_map(bundled).studies
    for path in (bundled / "studies").glob("*.yml"):
        path.unlink()
    result = plan(bundled, *parse_ris(ris(studies)))
    write_plan(result, bundled)
    assert sorted(p.stem for p in (bundled / "studies").glob("*.yml")) == sorted(s.id for s in studies)
    for study in studies:
        data = yaml.safe_load((bundled / "studies" / f"{study.id}.yml").read_text(encoding="utf-8"))
        assert (data["title"], data["authors"], data["year"], data["journal"], data["doi"]) == (
            study.title, [str(a) for a in study.authors], study.year, study.journal, study.doi)
        assert data["countries"] == [] and data["themes"] is None  # left for the reviewer: validate names them
    assert not [p for p in (bundled / "studies").iterdir() if p.name.startswith(".")]  # no staging folder left
    again = plan(bundled, *parse_ris(ris(studies)))
    assert (again.added, again.updated, again.conflicts) == ({}, {}, [])


def test_a_differing_field_is_a_conflict_left_as_is_and_an_empty_one_is_filled(content: Path):
    path = content / "studies" / "silva-2020.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    record = Record(1, data["title"].upper() + "!", tuple(data["authors"]), data["year"], journal="Another Journal",
                    volume="99", doi=None, url="https://example.org/silva")
    assert data["journal"] == "Revista de Envelhecimento" and "url" not in data  # what this test relies on
    result = plan(content, [record])
    conflicts = {c.field: c for c in result.conflicts}
    assert conflicts.keys() == {"title", "journal"}  # matched by normalised title and year, spelt differently
    assert (conflicts["journal"].existing, conflicts["journal"].imported) == ("Revista de Envelhecimento",
                                                                              "Another Journal")
    assert str(conflicts["journal"]) == ('silva-2020: journal is "Revista de Envelhecimento" in the file, '
                                         '"Another Journal" in record 1: left as is')
    assert list(result.updated) == ["silva-2020"]  # the empty volume and url are filled
    write_plan(result, content)
    after = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (after["url"], after["volume"]) == ("https://example.org/silva", "99")
    assert {k: v for k, v in after.items() if k not in ("url", "volume")} == data
    assert load_map(content).study("silva-2020").url == "https://example.org/silva"  # still a valid study


def test_duplicates_inside_the_file_are_reported_not_doubled(content: Path):
    first = Record(1, "A brand new study", ("Nkosi, T.",), 2021, doi="10.1/new")
    again = Record(2, "A Brand-New Study", ("Nkosi, T.",), 2021)
    result = plan(content, [first, again])
    assert list(result.added) == ["nkosi-2021"]
    assert [str(s) for s in result.skipped] == ["record 2: the same study as record 1"]


def test_ids_that_collide_get_b_and_c_in_the_order_of_their_titles(content: Path):
    records = [Record(1, "Zebra crossings", ("Nkosi, T.",), 2021), Record(2, "Apples", ("Nkosi, T.",), 2021),
               Record(3, "Mangoes", ("Nkosi, T.",), 2021)]
    assert plan(content, records).added.keys() == {"nkosi-2021", "nkosi-2021-b", "nkosi-2021-c"}
    assert {k: yaml.safe_load(v)["title"] for k, v in plan(content, records).added.items()} == {
        "nkosi-2021": "Apples", "nkosi-2021-b": "Mangoes", "nkosi-2021-c": "Zebra crossings"}


def test_a_failure_half_way_leaves_the_studies_as_they_were(content: Path, monkeypatch):
    records = [Record(n, f"New study {n}", (f"Author{n}, A.",), 2020) for n in range(1, 4)]
    result = plan(content, records)
    before = snapshot(content / "studies")
    real_replace, calls = writing.os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(writing.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_plan(result, content)
    assert snapshot(content / "studies") == before


def test_an_empty_list_or_empty_string_is_filled_in_place_not_written_twice(content: Path):
    path = content / "studies" / "silva-2020.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace('authors: ["Silva, A."]', 'authors: []  # TODO')
                    .replace("journal: Revista de Envelhecimento", 'journal: ""'), encoding="utf-8")
    record = Record(1, data["title"], ("Silva, A.",), data["year"], journal="Revista de Envelhecimento")
    write_plan(plan(content, [record]), content)
    text = path.read_text(encoding="utf-8")
    assert text.count("authors:") == 1 and text.count("journal:") == 1
    assert yaml.safe_load(text) == data


@pytest.mark.parametrize("kind", ["ris", "bibtex"])
def test_names_with_a_particle_a_suffix_an_organisation_or_no_initials_come_back_unchanged(kind, content: Path):
    path = content / "studies" / "silva-2020.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '["Silva, A."]', '["van Doorn, F.", "King, M. L., Jr.", "{World Health Organization}", "Ó Súilleabháin,"]'),
        encoding="utf-8")
    studies = load_map(content).studies
    records, skipped = parse_ris(ris(studies)) if kind == "ris" else parse_bibtex(bibtex(studies))
    result = plan(content, records, skipped)
    assert (result.added, result.updated, result.conflicts) == ({}, {}, [])


def test_existing_study_files_are_read_as_the_build_reads_them_no_link_followed_no_deep_nesting(bundled: Path,
                                                                                               tmp_path: Path):
    """A study file that is a symbolic link is not followed (its target, anywhere on the machine, is not read), and
    one nested past the loader's bound is not matched rather than crashing the import: validate names both."""
    studies = load_map(bundled).studies
    outside = tmp_path / "outside.yml"
    shutil.move(bundled / "studies/farrow-2014.yml", outside)
    (bundled / "studies/farrow-2014.yml").symlink_to(outside)
    (bundled / "studies/hughes-2017.yml").write_text("title: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                                      encoding="utf-8")
    records, skipped = parse_ris(ris(studies))
    result = plan(bundled, records, skipped)
    assert "farrow-2014" not in result.unchanged + list(result.updated)
    assert "hughes-2017" not in result.unchanged + list(result.updated)
    assert len(result.unchanged) == len(studies) - 2
