"""The content format: one typed class per file kind. This is the single source of truth for what a
contributor may write; the validator, the JSON Schema and the format reference all come from it."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..markup import markdown_problem
from ..names import parse_name
from ..outputs.paths import RESERVED_IDS as RESERVED_IDS  # ids the generator's own pages take (defined with them)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S*[^\s.,;:]$"
"""A DOI alone; it does not end in . , ; or : (copied from a sentence, a DOI often brings the sentence's full stop)."""
URL_PATTERN = r"^https?://[^\s<>\"']+$"

AUTHOR_PATTERN = r"^[^,]"
"""An author is written "Family, I.": the family name comes first, so it cannot be empty."""


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Author = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=AUTHOR_PATTERN),
                   AfterValidator(parse_name)]  # into its parts (generator/names.py)


def _formattable(text: str) -> str:
    """A Markdown field must render in reasonable time: the sanitiser slows with the square of the nesting."""
    problem = markdown_problem(text)
    if problem:
        raise PydanticCustomError("markdown_nesting", problem)
    return text


Markdown = Annotated[Text, AfterValidator(_formattable)]
"""Text rendered as Markdown (GitHub Flavored Markdown) and sanitised."""
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\n]*$")]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Doi = Annotated[str, StringConstraints(strip_whitespace=True, pattern=DOI_PATTERN)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=URL_PATTERN)]
Count = Annotated[int, Field(ge=0)]
MaybeCount = Annotated[int | None, Field(ge=0)]


INFERABLE = ("countries", "region", "facets.<id>", "sample.size", "sample.description")
"""The fields a study may mark as inferred: the characteristics pages show as the study's own. The reference is
the publication's (a correction to it goes in notes); summary, findings and notes are the map's own words."""
INFERRED_PATTERN = r"^(countries|region|sample\.size|sample\.description|facets\.[a-z0-9]+(?:-[a-z0-9]+)*)$"
# Editors check a path's shape from the published schema; the build checks it against review.yml's facets and
# the study's values, with a hint (checks.py), so pydantic leaves the shape to it.
InferredPath = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                         Field(json_schema_extra={"pattern": INFERRED_PATTERN})]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# ---------------------------------------------------------------- study files


class Sample(_Strict):
    size: MaybeCount = Field(None, description="Number of participants; null when not reported.")
    description: Text | None = Field(None, description="Who took part, in plain text.")


class StudyAppraisal(_Strict):
    rating: Slug = Field(description="A level id from review.yml's appraisal.levels.")
    rationale: Markdown | None = Field(None, description="Why the study has this rating, in Markdown.")


class StudyFile(_Strict):
    """`content/studies/<study-id>.yml`: one included study."""

    title: Text = Field(description="Title of the publication, as published.")
    authors: list[Author] = Field(min_length=1, description='Authors in order, each written "Family, I."')
    year: int = Field(ge=1800, le=2200, description="Year of publication; at most next year.")
    journal: Text = Field(description="Journal, or the publisher or source of a report.")
    volume: str | int | None = Field(None, description="Volume (text or number).")
    issue: str | int | None = Field(None, description="Issue (text or number).")
    pages: str | int | None = Field(None, description="Page range, e.g. 185-199.")
    doi: Doi | None = Field(None, description="DOI without the https://doi.org/ prefix, e.g. 10.1080/13691450802567416")
    url: Url | None = Field(None, description="A web address for the study (http or https).")
    countries: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes, e.g. [GB].")
    region: Text | None = Field(None, description="Region or nation within the country, e.g. England.")
    facets: dict[str, str | list[str] | None] = Field(
        default_factory=dict, description="A value (or list) for every facet of review.yml; null = not reported.")
    sample: Sample | None = Field(None, description="Sample size and description.")
    summary: Markdown | None = Field(None, description="What the study did, in Markdown.")
    themes: dict[str, Markdown | None] = Field(
        default_factory=dict, description="Theme id -> this study's finding for that theme, in Markdown.")
    inferred: list[InferredPath] = Field(
        default_factory=list, json_schema_extra={"uniqueItems": True},
        description="Fields whose values the map's authors inferred rather than found in the source, e.g. "
                    "[countries, facets.design]; notes say what each is inferred from.")
    notes: Markdown | None = Field(None, description="Corrections and remarks, e.g. how the review mis-cited it.")
    appraisal: StudyAppraisal | None = Field(
        None, description="The study's rating with the review's appraisal tool; null or left out = not appraised.")

    @field_validator("volume", "issue", "pages")
    @classmethod
    def _as_text(cls, value: Any) -> str | None:
        return None if value is None else str(value).strip() or None


# ---------------------------------------------------------------- review.yml


class Published(_Strict):
    citation: Text | None = Field(None, description="Full reference of the published review.")
    doi: Doi | None = Field(None, description="DOI of the published review.")
    url: Url | None = Field(None, description="Web address of the published review.")


class Search(_Strict):
    databases: list[Text] = Field(min_length=1, description="Databases searched.")
    last_search: _dt.date | None = Field(None, description="Date of the last search, YYYY-MM-DD.")
    last_search_by_database: dict[Text, _dt.date] = Field(
        default_factory=dict, description="Database -> date it was last searched, when the dates differ.")
    next_update: _dt.date | None = Field(None, description="Date of the next planned search or update, YYYY-MM-DD.")
    notes: Markdown | None = Field(None, description="Search strategy and limits, in Markdown.")


class FacetCode(_Strict):
    """A code in its long form: a label and what it means."""

    label: Text = Field(description="Name shown to readers, e.g. Workshops.")
    description: Text | None = Field(None, description="What the code covers, in plain text.")


# Which form a value takes is told by its shape: text is a code's label; a mapping with `values:` is a category;
# any other mapping is a code in its long form. Naming the form (rather than trying each in turn) keeps a mistake's
# message about the form the contributor meant. The tags appear in pydantic's error locations; validate.py drops
# them, so they are written as no key can be.
CODE_TAGS = {"text": "<text>", "code": "<code>", "category": "<category>"}


def _code_form(value: Any) -> str:
    return CODE_TAGS["code"] if isinstance(value, dict) else CODE_TAGS["text"]


def _value_form(value: Any) -> str:
    if isinstance(value, dict) and "values" in value:
        return CODE_TAGS["category"]
    return _code_form(value)


CodeValue = Annotated[Annotated[Text, Tag(CODE_TAGS["text"])] | Annotated[FacetCode, Tag(CODE_TAGS["code"])],
                      Discriminator(_code_form)]


class FacetCategory(_Strict):
    """A group of codes. Study files give its codes, never the category itself."""

    label: Text = Field(description="Name shown to readers, e.g. Training and education.")
    description: Text | None = Field(None, description="What the category covers, in plain text.")
    values: dict[Slug, CodeValue] = Field(
        min_length=1, description="Code id -> label, or {label, description}; codes only (one level of grouping).")


FacetValue = Annotated[Annotated[Text, Tag(CODE_TAGS["text"])] | Annotated[FacetCode, Tag(CODE_TAGS["code"])]
                       | Annotated[FacetCategory, Tag(CODE_TAGS["category"])], Discriminator(_value_form)]


class Release(_Strict):
    version: OneLine | None = Field(None, description="The map's version, e.g. 1.2; a git tag at build wins.")
    doi: Doi | None = Field(None, description="The map's DOI (Zenodo's DOI for all its versions), once minted.")


class FacetDef(_Strict):
    label: Text = Field(description="Name shown to readers, e.g. Study design.")
    description: Text | None = Field(None, description="What the characteristic records, in plain text.")
    multiple: bool = Field(False, description="May a study have several values?")
    values: dict[Slug, FacetValue] = Field(
        min_length=1, description="Code id -> label (or {label, description}); or category id -> {label, "
                                  "description, values: its codes}. Ids are unique across the facet.")


class AppraisalLevel(_Strict):
    label: Text = Field(description="Name of the rating shown to readers, e.g. High confidence.")
    description: Text = Field(description="What the rating means, in plain words.")


class Appraisal(_Strict):
    """How the map's authors appraised the studies (their quality, or the confidence one can have in them)."""

    tool: Text = Field(description="The appraisal tool, e.g. CASP qualitative checklist.")
    url: Url | None = Field(None, description="A web address describing the tool.")
    levels: dict[Slug, AppraisalLevel] = Field(
        min_length=1, description="Rating id -> {label, description}, in the order readers should see them.")


class MatrixStatus(_Strict):
    """The facet that says whether a study is finished: the matrix shows its ongoing studies apart."""

    facet: Slug = Field(description="A facet id of review.yml, e.g. status.")
    ongoing: list[Slug] = Field(min_length=1, description="That facet's codes that mean ongoing, e.g. [ongoing].")


class Matrix(_Strict):
    rows: list[str] = Field(
        default_factory=lambda: ["themes"], min_length=1,
        description="Dimensions offered as rows: facet ids, or the built-ins themes, country, year and appraisal; "
                    "first = default (themes when left out).")
    columns: list[str] | None = Field(
        None, min_length=1, description="Dimensions offered as columns, as for rows; first = default (every facet, "
                                        "then country and year, when left out).")
    segments: list[str] = Field(
        default_factory=list, description="Dimensions a cell may be split by (facet ids, or appraisal); first = "
                                          "default; [] = none.")
    status: MatrixStatus | None = Field(None, description="The facet whose ongoing studies are shown apart.")


class Excluded(_Strict):
    total: MaybeCount = Field(description="Reports excluded after assessment.")
    reasons: dict[Text, MaybeCount] = Field(default_factory=dict, description="Reason -> count; {} = not reported.")


class Previous(_Strict):
    studies: MaybeCount = Field(description="Studies included in the previous version of the review.")
    reports: MaybeCount = Field(description="Reports of those studies.")


class OtherMethods(_Strict):
    sources: dict[Text, MaybeCount] = Field(description="Source -> records, e.g. Websites, Citation searching.")
    sought: MaybeCount = Field(description="Reports sought for retrieval.")
    not_retrieved: MaybeCount = Field(description="Reports not retrieved.")
    assessed: MaybeCount = Field(description="Reports assessed for eligibility.")
    excluded: Excluded | None = Field(None, description="Reports excluded, with reasons.")


class Prisma(_Strict):
    databases: dict[Text, MaybeCount] = Field(
        default_factory=dict, description="Records per database; null = not reported.")
    registers: dict[Text, MaybeCount] = Field(default_factory=dict, description="Records per register.")
    identified: MaybeCount = Field(description="Records identified from databases and registers.")
    duplicates: MaybeCount = Field(None, description="Duplicate records removed before screening.")
    automation_excluded: MaybeCount = Field(None, description="Records marked ineligible by automation tools.")
    other_removed: MaybeCount = Field(None, description="Records removed for other reasons.")
    screened: MaybeCount = Field(description="Records screened.")
    screened_excluded: MaybeCount = Field(description="Records excluded at screening.")
    sought: MaybeCount = Field(description="Reports sought for retrieval.")
    not_retrieved: MaybeCount = Field(description="Reports not retrieved.")
    assessed: MaybeCount = Field(description="Reports assessed for eligibility.")
    excluded: Excluded = Field(description="Reports excluded, with reasons.")
    included_studies: MaybeCount = Field(description="Studies included; must equal the number of study files.")
    included_reports: MaybeCount = Field(description="Reports of included studies; at least included_studies.")
    previous: Previous | None = Field(None, description='The "previous version of the review" arm.')
    other_methods: OtherMethods | None = Field(None, description='The "other methods" arm (websites, citations...).')


class ReviewFile(_Strict):
    """`content/review.yml`: the review as a whole."""

    title: OneLine = Field(description="Title of the review; the site's name.")
    question: Text = Field(description="The review's aim or question; the site's description.")
    authors: list[Author] = Field(
        description='Review authors, each "Family, I."; [] when the source does not name them.')
    published: Published | None = Field(None, description="The published review, if any.")
    search: Search = Field(description="How studies were found.")
    release: Release | None = Field(None, description="This map's version and DOI, for citing it.")
    facets: dict[Slug, FacetDef] = Field(default_factory=dict, description="The review's study characteristics.")
    matrix: Matrix | None = Field(None, description="Dimensions the evidence matrix offers.")
    appraisal: Appraisal | None = Field(None, description="The appraisal tool and its ratings, if studies were "
                                                            "appraised.")
    prisma: Prisma | None = Field(None, description="PRISMA 2020 flow-diagram counts.")


# ---------------------------------------------------------------- theme front matter


class ThemeFront(_Strict):
    """Front matter of `content/themes/<theme-id>.md`; the body is the synthesis in Markdown."""

    title: OneLine = Field(description="Theme name.")
    order: int = Field(0, description="Position among the themes (ascending; ties by id).")
    summary: OneLine | None = Field(None, description="One line shown in lists of themes.")


# ---------------------------------------------------------------- studies.json (a download, not an input)

class DownloadTheme(_Strict):
    id: Slug
    title: Text
    summary: Text | None = None


class CslName(_Strict):
    """An author as CSL-JSON writes one (the citation data Zotero and citeproc read); empty parts are left out."""

    family: Text | None = None
    given: Text | None = None
    non_dropping_particle: Text | None = Field(None, alias="non-dropping-particle")
    suffix: Text | None = None
    literal: Text | None = Field(None, description="An organisation's name, in place of the other parts.")


class DownloadStudy(StudyFile):
    """A study as in its file, with its id (the file name) and its authors in parts."""

    id: Slug
    authors_csl: list[CslName] = Field(description="The authors in parts, as CSL-JSON names.")


class Download(_Strict):
    """`studies.json`: the whole map — the review's characteristics and themes, and every study."""

    title: Text
    question: Text
    facets: dict[Slug, FacetDef]
    appraisal: Appraisal | None = Field(None, description="Left out when the map's studies were not appraised.")
    themes: list[DownloadTheme]
    studies: list[DownloadStudy]
