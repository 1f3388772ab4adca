"""The map's data as files to take away: studies.csv, studies.json, references.bib, references.ris and a
Frictionless datapackage.json describing the CSV files (prisma.csv comes from prisma_csv).

Written with kept libraries where formats have rules of their own (bibtexparser, rispy, the csv and json modules),
and guarded where a reader's tools would act on the text: a spreadsheet runs a cell that starts with '=', and
BibTeX reads braces and backslashes as markup.
"""

from __future__ import annotations

import csv
import io
import json
import re

import bibtexparser
import rispy
from bibtexparser import model as bib
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.middlewares.names import NameParts

from ..citations import author_year
from ..countries import country_name
from ..model import Appraisal, EvidenceMap, Facet, Study
from ..names import Name, as_name

STUDIES_CSV, STUDIES_JSON, BIBTEX, RIS, DATAPACKAGE = (
    "studies.csv", "studies.json", "references.bib", "references.ris", "datapackage.json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile("[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
"""What str.splitlines splits on: any of these would start a new line, and in RIS a new tag or record."""


def one_line(text: str) -> str:
    """Text with every run of line breaks made one space (matrix.js's oneLine does the same)."""
    return _LINE_BREAKS.sub(" ", text)


def study_record(study: Study, appraised: bool = False) -> dict:
    """A study in its file's own format (each author as pages show it), plus its id and its authors in parts."""
    names = [as_name(a) for a in study.authors]
    record = {
        "id": study.id, "title": study.title, "authors": [str(a) for a in names],
        "authors_csl": [a.csl() for a in names], "year": study.year,
        "journal": study.journal, "volume": study.volume, "issue": study.issue, "pages": study.pages,
        "doi": study.doi, "url": study.url, "countries": list(study.countries), "region": study.region,
        "facets": {k: list(v) if v is not None else None for k, v in study.facets.items()},
        "sample": {"size": study.sample_size, "description": study.sample_description},
        "summary": study.summary, "themes": {f.theme_id: f.markdown for f in study.findings},
        "inferred": list(study.inferred), "notes": study.notes,
    }
    if appraised:  # a map without appraisal says nothing of it
        record["appraisal"] = None if study.appraisal is None else {
            "rating": study.appraisal.rating, "rationale": study.appraisal.rationale}
    return record


def facet_record(facet: Facet) -> dict:
    """A facet as review.yml writes it: a code's label (or {label, description} when it has one), and each category
    as {label, description, values: its codes}."""
    def code(code_id: str) -> str | dict:
        description = facet.description_of(code_id)
        label = facet.label_of(code_id)
        return {"label": label, "description": description} if description else label

    values: dict[str, str | dict] = {}
    for value_id in facet.order or [v for v, _ in facet.values]:
        category = facet.category(value_id)
        if category is None:
            values[value_id] = code(value_id)
        else:
            values[value_id] = {"label": category.label,
                                **({"description": category.description} if category.description else {}),
                                "values": {c: code(c) for c in category.codes}}
    return {"label": facet.label, **({"description": facet.description} if facet.description else {}),
            "multiple": facet.multiple, "values": values}


def appraisal_record(appraisal: Appraisal) -> dict:
    return {"tool": appraisal.tool, "url": appraisal.url,
            "levels": {level.id: {"label": level.label, "description": level.description}
                       for level in appraisal.levels}}


def studies_json(emap: EvidenceMap) -> str:
    review = emap.review
    appraised = review.appraisal is not None
    data = {
        "title": review.title, "question": review.question,
        "facets": {f.id: facet_record(f) for f in review.facets},
        **({"appraisal": appraisal_record(review.appraisal)} if review.appraisal else {}),
        "themes": [{"id": t.id, "title": t.title, "summary": t.summary} for t in emap.themes],
        "studies": [study_record(s, appraised) for s in emap.studies],
    }
    # No indentation: json's fast C encoder only writes compact JSON, and this file grows with the map.
    return json.dumps(data, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------ CSV

def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe, as spreadsheets write text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_columns(emap: EvidenceMap) -> list[tuple[str, str, str]]:
    """(column, type, description) of studies.csv."""
    return [("id", "string", "Study id; its page is studies/<id>/"),
            ("title", "string", "Title"), ("authors", "string", "Authors, separated by '; '"),
            ("year", "integer", "Year of publication"), ("journal", "string", "Journal or source"),
            ("volume", "string", "Volume"), ("issue", "string", "Issue"), ("pages", "string", "Pages"),
            ("doi", "string", "DOI"), ("url", "string", "Web address"),
            ("countries", "string", "ISO 3166-1 codes, separated by '; '"),
            ("country_names", "string", "Country names, separated by '; '"), ("region", "string", "Region")] + [
        (f.id, "string", f"{f.label}: " + ("values separated by '; '" if f.multiple else "value"))
        for f in emap.review.facets] + [
        ("sample_size", "integer", "Number of participants"), ("sample", "string", "Who took part"),
        ("themes", "string", "Theme ids, separated by '; '"), ("summary", "string", "Summary (Markdown)"),
        ("notes", "string", "Notes and corrections (Markdown)"),
        # last, so that the columns before it keep their places
        ("inferred", "string", "Fields whose values the map's authors inferred rather than found in the source "
         "(countries, region, facets.<id>, sample.size, sample.description), separated by '; '; the notes say "
         "from what")] + ([
        # after the others, which keep their places; only in a map whose studies were appraised
        ("appraisal", "string", f"Rating with {emap.review.appraisal.tool} (a level's label); empty = not "
         "appraised"),
        ("appraisal_rationale", "string", "Why the study has this rating (Markdown)")]
        if emap.review.appraisal else [])


def csv_row(emap: EvidenceMap, study: Study) -> list[object]:
    facets = [("; ".join(f.label_of(v) for v in study.facets.get(f.id) or ())) for f in emap.review.facets]
    row = [study.id, study.title, "; ".join(as_name(a) for a in study.authors), study.year, study.journal,
           study.volume, study.issue, study.pages, study.doi, study.url, "; ".join(study.countries),
           "; ".join(country_name(c) for c in study.countries), study.region, *facets, study.sample_size,
           study.sample_description, "; ".join(study.theme_ids), study.summary, study.notes,
           "; ".join(study.inferred)]
    if emap.review.appraisal:
        given = study.appraisal
        row += [given.label if given else None, given.rationale if given else None]
    return [spreadsheet_safe("" if v is None else v) for v in row]


def studies_csv(emap: EvidenceMap) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c for c, _, _ in csv_columns(emap)])
    writer.writerows(csv_row(emap, s) for s in emap.studies)
    return out.getvalue()


def datapackage(emap: EvidenceMap) -> str:
    """A Frictionless data package describing studies.csv and prisma.csv."""
    resources = [{
        "name": "studies", "path": STUDIES_CSV, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "title": "Included studies", "description": "One row per study; multi-valued fields joined with '; '. "
        "Text that a spreadsheet would run as a formula starts with an apostrophe.",
        "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in csv_columns(emap)],
                   "primaryKey": ["id"]},
    }]
    if emap.review.prisma is not None:
        resources.append({
            "name": "prisma", "path": "prisma.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": "PRISMA 2020 flow-diagram counts",
            "description": "The PRISMA2020 R package's template (Haddaway et al. 2022), filled in.",
            "schema": {"fields": [{"name": n, "type": "string"} for n in
                                  ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")]},
        })
    package = {"name": "evidence-map", "title": emap.review.title, "description": emap.review.question,
               "resources": resources}
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


# ------------------------------------------------------------------------------------------ references

# LaTeX's special characters, written as LaTeX writes them in text. Braces become \textbraceleft{} and
# \textbraceright{} rather than \{ and \}: BibTeX counts every brace, escaped or not, so a lone '\}' would end the
# field and let the rest of a title be read as fields and entries of its own.
_LATEX = str.maketrans({"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}",
                        "&": "\\&", "%": "\\%", "$": "\\$", "#": "\\#", "_": "\\_",
                        "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"})
# DOIs and web addresses are read verbatim (biblatex, the url package): only what could end the field is encoded.
_VERBATIM = str.maketrans({"\\": "%5C", "{": "%7B", "}": "%7D"})


def _bibtex_text(text: str) -> str:
    """Text as LaTeX, on one line: any title reads back as written, and none can end its field early."""
    return one_line(text).translate(_LATEX)


def _bibtex_verbatim(text: str) -> str:
    return "%20".join(one_line(text).translate(_VERBATIM).split())


_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _bibtex_word(text: str) -> str:
    """A part of a name as LaTeX; braced when it holds the word 'and', which BibTeX would read as between two
    names."""
    text = _bibtex_text(text)
    return "{" + text + "}" if _AND.search(text) else text


def bibtex_name(name: Name) -> str:
    """A name as BibTeX reads it: "van Doorn, L.", "King, Jr., M. L." (BibTeX puts the suffix second), and an
    organisation, or a family name of several words with no initials, braced whole so that BibTeX does not split
    it into a first and a last name."""
    if name.organisation or not (name.given or name.suffix):
        whole = _bibtex_text(name.short)
        return "{" + whole + "}" if name.organisation or " " in whole else whole
    parts = NameParts(first=[_bibtex_word(name.given)] if name.given else [],
                      von=[_bibtex_word(name.particle)] if name.particle else [],
                      last=[_bibtex_word(name.family)], jr=[_bibtex_word(name.suffix)] if name.suffix else [])
    return parts.merge_last_name_first


def bibtex_entry(study: Study) -> bib.Entry:
    fields = [("author", " and ".join(bibtex_name(as_name(a)) for a in study.authors)),
              ("title", "{" + _bibtex_text(study.title) + "}"),  # double braces keep the title's capitals
              ("journal", _bibtex_text(study.journal)), ("year", str(study.year)),
              ("volume", _bibtex_text(study.volume or "")), ("number", _bibtex_text(study.issue or "")),
              ("pages", _bibtex_text((study.pages or "").replace("-", "--"))),
              ("doi", _bibtex_verbatim(study.doi or "")), ("url", _bibtex_verbatim(study.url or "")),
              # annote, BibTeX's field for a reader's annotation: styles that print notes leave it out
              ("annote", _bibtex_text(appraisal_note(study) or ""))]
    return bib.Entry("article", study.id, [bib.Field(k, v) for k, v in fields if v])  # the writer adds braces


def bibtex(studies: list[Study] | tuple[Study, ...]) -> str:
    library = bibtexparser.Library()
    for study in studies:
        library.add(bibtex_entry(study))
    # The library is built here and thrown away, so the writer may change it in place rather than deep-copy it.
    return bibtexparser.write_string(
        library, unparse_stack=default_unparse_stack(allow_inplace_modification=True))


def join_bibtex(entries: list[str]) -> str:
    """references.bib from its entries, each as bibtex([study]) wrote it: the library writes each entry on its own
    (no alignment across entries) and separates them with its block separator, so this is bibtex(studies)."""
    return bibtexparser.BibtexFormat().block_separator.join(entries)


def ris_record(study: Study) -> dict:
    # AU lines are "Family, Given, Suffix", the form RIS defines; an organisation is its name.
    record: dict = {"type_of_reference": "JOUR", "authors": [str(as_name(a)) for a in study.authors],
                    "title": study.title,
                    "journal_name": study.journal, "year": str(study.year), "id": study.id}
    if study.volume:
        record["volume"] = study.volume
    if study.issue:
        record["number"] = study.issue
    if study.pages:
        first, _, last = study.pages.partition("-")
        record["start_page"] = first.strip()
        if last.strip():
            record["end_page"] = last.strip()
    if study.doi:
        record["doi"] = study.doi
    if study.url:
        record["urls"] = [study.url]
    record["notes"] = [f"Evidence map: {author_year(study)}"]
    if note := appraisal_note(study):
        record["notes"].append(note)  # N1, RIS's notes: reference managers keep it as a note, not in citations
    return {k: [one_line(v) for v in value] if isinstance(value, list) else one_line(value)
            for k, value in record.items()}


def appraisal_note(study: Study) -> str | None:
    """'Appraisal (Tool): High confidence', for a reference's note; None for a study not appraised."""
    given = study.appraisal
    return f"Appraisal ({given.tool}): {given.label}" if given else None


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's '1.' line before each record, which is not part of the format."""

    def set_header(self, count: int) -> str:
        return ""


def ris(studies: list[Study] | tuple[Study, ...]) -> str:
    return rispy.dumps([ris_record(s) for s in studies], implementation=_RisWriter)


def files(emap: EvidenceMap, bibtex_text: str | None = None) -> dict[str, str]:
    """Every download, keyed by its path in the site."""
    return {STUDIES_CSV: studies_csv(emap), STUDIES_JSON: studies_json(emap),
            BIBTEX: bibtex_text if bibtex_text is not None else bibtex(emap.studies),
            RIS: ris(emap.studies), DATAPACKAGE: datapackage(emap)}
