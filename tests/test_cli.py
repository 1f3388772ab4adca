"""The command line, run as a contributor runs it."""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build, make_project
from generator import cli
from htmlcheck import page_text


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)


def test_validate_bundled_content():
    result = run("validate")
    assert result.returncode == 0
    assert "content/ is valid: 11 studies, 3 themes" in result.stderr


def test_validate_reports_problems_and_fails(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("study-type: qualitative", "study-type: qual"))
    result = run("validate", cwd=content.parent)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/studies/silva-2020.yml:8: facets.study-type: unknown value 'qual' for Study type "
        "(hint: did you mean 'qualitative'? allowed: trial, cohort, qualitative)",
        "1 problem(s) found in content/",
    ]


def test_github_annotations(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("year: 2020", "year: 20x0"))
    result = run("validate", "--github", cwd=content.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/studies/silva-2020.yml,line=3::content/studies/silva-2020.yml:3: year: "
        "expected a whole number, got '20x0'"
    ]


def test_pages_writes_the_generated_markdown(tmp_path: Path):
    result = run("pages", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/studies/anghel-ramon-2009.md").is_file()
    assert len(list((tmp_path / "out/studies").glob("*.md"))) == 12  # 11 studies and the index


def test_prisma_counts_go_to_the_r_package_csv_and_back(content: Path):
    exported = run("prisma-export", "--out", "prisma.csv", cwd=content.parent)
    assert exported.returncode == 0, exported.stderr
    csv_file = content.parent / "prisma.csv"
    assert csv_file.read_text(encoding="utf-8").startswith("data,node,box,description,boxtext,tooltips,url,n\n")

    imported = run("prisma-import", "prisma.csv", cwd=content.parent)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("prisma:\n")
    # the printed YAML, pasted over review.yml's prisma: section, is valid content again
    review = content / "review.yml"
    text = review.read_text(encoding="utf-8")
    review.write_text(text[:text.index("prisma:")] + imported.stdout, encoding="utf-8")
    assert run("validate", cwd=content.parent).returncode == 0


def test_prisma_import_names_the_csv_line_that_does_not_add_up(content: Path):
    run("prisma-export", "--out", "prisma.csv", cwd=content.parent)
    csv_file = content.parent / "prisma.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace(
        "records_screened.html,", "records_screened.html,9"), encoding="utf-8")
    result = run("prisma-import", "prisma.csv", cwd=content.parent)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "prisma.csv:16: records_screened: identified (200) − duplicates (40) = 160, but screened is 9160 "
        "(hint: check the counts against the review's flow diagram)",
        "prisma.csv:18: dbr_sought_reports: screened (9160) − screened_excluded (140) = 9020, but sought is 20 "
        "(hint: check the counts against the review's flow diagram)",
        "2 problem(s) in prisma.csv: nothing imported",
    ]


def test_new_study_scaffolds_a_file_that_only_lacks_what_is_left_to_fill(content: Path, tmp_path: Path):
    made = run("new-study", "--author", "Ó Súilleabháin, P.", "--author", "Berg, L.", "--year", "2023",
               "--title", 'Tea "and" talk: a <pilot>', cwd=content.parent)
    assert made.returncode == 0, made.stderr
    study = content / "studies/o-suilleabhain-berg-2023.yml"
    text = study.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../docs/schema/study.schema.json\n")
    assert "  intervention: null  # Intervention (one or more, as a list): befriending, digital, group" in text
    assert "  # wellbeing: " in text  # the review's themes, as hints
    assert "appraisal" not in text and text.endswith("\nnotes: null\n")  # a review without appraisal: as before
    checked = run("validate", cwd=content.parent)
    assert checked.returncode == 1
    assert [line.split(": ", 2)[:2] for line in checked.stderr.splitlines()[:-1]] == [
        ["content/review.yml:38", "prisma.included_studies"],  # a new study changes the PRISMA counts
        ["content/studies/o-suilleabhain-berg-2023.yml:8", "journal"],
        ["content/studies/o-suilleabhain-berg-2023.yml:14", "countries"],
        ["content/studies/o-suilleabhain-berg-2023.yml:23", "themes"],
    ]

    # a contributor fills in the TODOs and updates the counts; the study is then on the site
    study.write_text(text.replace("journal: null", "journal: Ageing & Society").replace(
        "countries: []", "countries: [IE]").replace(
        "themes:  # TODO", "themes:\n  wellbeing: Fewer lonely days after a year.\n  # TODO"), encoding="utf-8")
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "excluded: {total: 13, reasons: {Wrong population: 8,", "excluded: {total: 12, reasons: {Wrong population: 7,")
        .replace("included_studies: 5", "included_studies: 6").replace("included_reports: 6", "included_reports: 7"),
        encoding="utf-8")
    assert run("validate", cwd=content.parent).returncode == 0
    built = build(make_project(tmp_path / "site", content))
    assert built.returncode == 0, built.output
    page = page_text(built.site / "studies/o-suilleabhain-berg-2023/index.html")
    assert 'Tea "and" talk: a <pilot>' in page and "Ó Súilleabháin & Berg, 2023" in page
    assert "Fewer lonely days after a year." in page


def test_new_study_in_a_review_with_appraisal_ends_with_a_null_rating_naming_the_levels(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/sites/egm/content", content)
    made = run("new-study", "--author", "Mensah, K.", "--year", "2022", "--title", "Job clubs", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    study = content / "studies/mensah-2022.yml"
    text = study.read_text(encoding="utf-8")
    assert text.endswith("\nnotes: null\nappraisal: null  # Confidence in study findings (fixture tool): one of "
                         "high, medium, low, critically-low; null = not appraised\n")
    # the contributor fills in the TODOs; the null rating is valid (not appraised), a level id too, a guess is not
    text = text.replace("journal: null", "journal: Youth Review").replace("countries: []", "countries: [GH]").replace(
        "themes:  # TODO", "themes:\n  access: More young people found work.\n  # TODO")
    for rating, problems in [("null", []), ("{rating: medium}", []), ("{rating: moderate}", ["appraisal.rating"])]:
        study.write_text(text.replace("appraisal: null", f"appraisal: {rating}"), encoding="utf-8")
        checked = run("validate", cwd=tmp_path).stderr.splitlines()
        assert [line.split(": ")[1] for line in checked if "mensah-2022" in line and "warning" not in line] == \
            problems, checked


def test_new_study_never_overwrites(content: Path):
    args = ("new-study", "--author", "Silva, M.", "--year", "2020")
    before = (content / "studies/silva-2020.yml").read_text(encoding="utf-8")
    refused = run(*args, cwd=content.parent)
    assert refused.returncode == 1
    assert refused.stderr.strip() == ("new-study: content/studies/silva-2020.yml already exists: not overwritten "
                                      "(hint: if it is another study, choose another id, e.g. --id silva-2020b)")
    assert (content / "studies/silva-2020.yml").read_text(encoding="utf-8") == before
    assert run(*args, "--id", "silva-2020b", cwd=content.parent).returncode == 0
    assert run(*args, "--id", "silva-2020b", cwd=content.parent).returncode == 1


def test_a_file_name_cannot_forge_a_github_annotation(content: Path):
    (content / "studies/x\n::error file=README.md,line=1::forged,y.yml").write_text("title: x\n", encoding="utf-8")
    result = run("validate", "--github", cwd=content.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # one annotation, for the file as it is named
    command, _, message = lines[0].removeprefix("::").partition("::")
    kind, _, properties = command.partition(" ")
    assert kind == "error" and [p.split("=", 1)[0] for p in properties.split(",")] == ["file"]
    assert properties.startswith("file=content/studies/x") and "README.md%2Cline=1%3A%3Aforged%2Cy.yml" in properties
    assert "bad file name" in message


def test_github_annotation_properties_are_escaped_as_githubs_toolkit_does():
    from generator.cli import _gh_escape, _gh_property

    assert _gh_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert _gh_escape("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"


def test_prisma_import_of_an_unreadable_file_is_a_message_not_a_traceback(tmp_path: Path):
    (tmp_path / "prisma.csv").write_bytes(b"data,n\nduplicates,\x9d\n")
    result = run("prisma-import", "prisma.csv", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "prisma.csv:2: not UTF-8 text (byte 0x9d) (hint: save the file from your spreadsheet as 'CSV UTF-8')",
        "1 problem(s) in prisma.csv: nothing imported"]


def test_new_study_refuses_a_name_given_name_first_and_says_the_form(content: Path):
    refused = run("new-study", "--author", "Rachel Carter", "--year", "2019", cwd=content.parent)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "new-study: 'Rachel Carter' looks like given name first (hint: write a person family name first, "
        '--author "Carter, R."; an organisation in braces, --author "{Rachel Carter}")')
    assert not list(content.glob("studies/*carter-2019.yml"))
    split = run("new-study", "--author", "Carter", "--author", "R.", "--year", "2019", cwd=content.parent)
    assert split.returncode == 1
    assert split.stderr.strip() == ("new-study: 'R.' looks like the rest of the name 'Carter' "
                                    '(hint: give each author whole, in quotes: --author "Carter, R.")')

    made = run("new-study", "--author", "Carter, R.", "--year", "2019", cwd=content.parent)
    assert made.returncode == 0, made.stderr
    assert 'authors: ["Carter, R."]\n' in (content / "studies/carter-2019.yml").read_text(encoding="utf-8")


def test_new_study_names_the_file_after_the_family_name_and_keeps_an_organisation_whole(content: Path):
    assert run("new-study", "--author", "van  Doorn,F.", "--author", "King, M. L., Jr.", "--year", "2019",
               cwd=content.parent).returncode == 0
    assert 'authors: ["van Doorn, F.", "King, M. L., Jr."]\n' in (
        content / "studies/van-doorn-king-2019.yml").read_text(encoding="utf-8")
    assert run("new-study", "--author", "{World Health Organization}", "--year", "2019",
               cwd=content.parent).returncode == 0
    assert 'authors: ["{World Health Organization}"]\n' in (
        content / "studies/world-health-organization-2019.yml").read_text(encoding="utf-8")


def _commands() -> dict:
    """Each command's parser, by name (argparse lists them only in its sub-parsers action)."""
    parser = cli.make_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_every_option_of_every_command_has_help_and_shows_it():
    top = run("--help")
    assert top.returncode == 0, top.stderr
    commands = _commands()
    assert len(commands) >= 9
    for name, parser in commands.items():
        assert name in top.stdout
        shown = run(name, "--help")
        assert shown.returncode == 0, shown.stderr
        text = " ".join(shown.stdout.split())  # argparse wraps long help over lines
        for action in parser._actions:
            assert action.help and action.help.strip(), f"{name} {action.option_strings or action.dest}: no help"
            assert " ".join(action.help.split()) in text, f"{name} --help does not show: {action.help}"
