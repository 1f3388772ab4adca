"""Hostile input to the loader (issue 17, round two): every file of a pull request is treated as hostile. Whatever
a file is — a link, a pipe, a huge file, a deeply nested or oddly tagged document, text with invisible characters —
the contributor sees a problem naming the file, the line and the field, and nothing outside the repository is read."""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from generator import markup
from generator.content import check_content, load_outline, yamlsource
from generator.content.files import MAX_FILE_BYTES, read_file, read_text
from generator.content.yamlsource import MAX_NESTING, load_yaml

SYMLINK = "is a symbolic link; symbolic links are not followed (hint: commit the file itself, not a link to it)"


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)  # paths in messages are shown relative to the working folder


def messages(text: str) -> list[str]:
    return [str(p) for p in load_yaml(text, "f.yml").problems]


def found(content: Path) -> list[str]:
    return [str(p) for p in check_content(content)[1]]


def refused(content: Path) -> list[str]:
    emap, problems = check_content(content)
    assert emap is None
    return [str(p) for p in problems]


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO opened for reading blocks until someone writes)."""
    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside content/, holding what a link in a pull request might point at."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text("---\ntitle: SECRET-THEME\n---\nSECRET body\n", encoding="utf-8")
    (folder / "secret.yml").write_text("title: [SECRET-VALUE\npassword: SECRET-VALUE\n", encoding="utf-8")
    return folder


# ------------------------------------------------------------------ 1. symbolic links and files that are not files


def test_a_theme_linked_to_a_file_elsewhere_is_refused_and_not_read(content: Path, outside: Path):
    (content / "themes/leak.md").symlink_to(outside / "secret.md")
    problems = refused(content)
    assert problems == [f"content/themes/leak.md: {SYMLINK}"]
    assert not any("SECRET" in p for p in problems)


def test_a_study_linked_to_a_file_elsewhere_puts_nothing_of_it_in_messages(content: Path, outside: Path):
    (content / "studies/leak-2020.yml").symlink_to(outside / "secret.yml")
    problems = refused(content)
    assert f"content/studies/leak-2020.yml: {SYMLINK}" in problems
    assert not any("SECRET" in p for p in problems)


@pytest.mark.parametrize("target", ["/proc/self/mem", "/etc/shadow", "/dev/zero", "missing-file.yml"])
def test_links_to_special_missing_or_private_files_are_refused_quickly(content: Path, target: str):
    (content / "studies/link-2020.yml").symlink_to(target)
    start = time.perf_counter()
    assert f"content/studies/link-2020.yml: {SYMLINK}" in refused(content)
    assert time.perf_counter() - start < 5


def test_a_link_to_a_huge_file_is_refused_without_reading_it(content: Path, outside: Path):
    huge = outside / "huge.yml"
    with huge.open("wb") as f:  # sparse: a gigabyte that takes no room
        f.truncate(1 << 30)
    (content / "studies/huge-2020.yml").symlink_to(huge)
    start = time.perf_counter()
    assert f"content/studies/huge-2020.yml: {SYMLINK}" in refused(content)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("where", ["review.yml", "studies", "themes", "studies/more", "themes/more"])
def test_linked_review_and_folders_are_refused(content: Path, tmp_path: Path, where: str):
    real = tmp_path / "real"
    (content / where).rename(real) if (content / where).exists() else real.mkdir()
    (content / where).symlink_to(real)
    assert f"content/{where}: {SYMLINK}" in refused(content)


def test_a_linked_content_folder_is_refused(content: Path, tmp_path: Path):
    real = tmp_path / "real-content"
    content.rename(real)
    content.symlink_to(real)
    assert refused(content) == [f"content: {SYMLINK}"]
    assert load_outline(content)[2][0].message.startswith("is a symbolic link")


def test_a_huge_regular_file_is_refused_before_it_is_read(content: Path, monkeypatch: pytest.MonkeyPatch):
    with (content / "studies/big-2020.yml").open("wb") as f:
        f.truncate(1 << 30)
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    start = time.perf_counter()
    assert "content/studies/big-2020.yml: file is 1,073,741,824 bytes, over the limit of 262,144 " \
           "(hint: a study file is a few kilobytes; move long text elsewhere)" in refused(content)
    assert time.perf_counter() - start < 5
    assert all(n <= MAX_FILE_BYTES + 1 for n in read)


def test_a_file_that_grows_while_read_is_cut_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "grows.yml"
    path.write_bytes(b"title: x\n")
    real_fstat = os.fstat

    class Small:  # the file says it is small, then delivers more
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 9 if name == "st_size" else getattr(self._st, name)

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    path.write_bytes(b"x" * (MAX_FILE_BYTES * 3))
    text, problems = read_file(path, "grows.yml")
    assert text is None
    assert [str(p) for p in problems] == [
        "grows.yml: file is over the limit of 262,144 bytes (hint: a study file is a few kilobytes; move long text "
        "elsewhere)"]


def test_a_named_pipe_is_refused_without_waiting(content: Path):
    os.mkfifo(content / "studies/pipe-2020.yml")
    os.mkfifo(content / "review.yml.fifo")
    with deadline(10):
        problems = refused(content)
    assert "content/studies/pipe-2020.yml: is a named pipe, not a file; only plain files are read " \
           "(hint: remove it)" in problems


def test_a_review_file_that_is_a_pipe_is_refused_without_waiting(content: Path):
    (content / "review.yml").unlink()
    os.mkfifo(content / "review.yml")
    with deadline(10):
        problems = refused(content)
    assert "content/review.yml: is a named pipe, not a file; only plain files are read (hint: remove it)" in problems


def test_a_socket_is_refused(content: Path, tmp_path: Path):
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(content / "themes/sock.md"))
        assert "content/themes/sock.md: is a socket, not a file; only plain files are read (hint: remove it)" \
            in refused(content)


def test_read_file_never_follows_a_link(tmp_path: Path):
    (tmp_path / "real.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "link.yml").symlink_to(tmp_path / "real.yml")
    assert read_file(tmp_path / "link.yml", "link.yml")[0] is None
    assert [str(p) for p in read_file(tmp_path / "link.yml", "link.yml")[1]] == [f"link.yml: {SYMLINK}"]
    assert read_file(tmp_path / "real.yml", "real.yml") == ("title: x\n", [])


def test_an_unreadable_file_is_a_problem_not_a_traceback(content: Path, monkeypatch: pytest.MonkeyPatch):
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if str(path).endswith("silva-2020.yml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert "content/studies/silva-2020.yml: cannot be read: Permission denied " \
           "(hint: check the file's permissions)" in refused(content)


# ------------------------------------------------------------------ 3. deep nesting


@pytest.mark.parametrize("text, line", [
    ("title: " + "[" * 1000 + "]" * 1000 + "\n", 1),
    ("title: " + "{a: " * 1000 + "x" + "}" * 1000 + "\n", 1),
    ("year: 2020\ntitle:\n" + "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "- a\n", 2 + MAX_NESTING),
    ("year: 2020\ntitle:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(60)) + "  " * 61 + "a: b\n",
     2 + MAX_NESTING),
])
def test_deep_nesting_is_refused_at_the_line_where_it_passes_the_limit(text: str, line: int):
    assert messages(text) == [
        f"f.yml:{line}: title: nested more than {MAX_NESTING} levels deep "
        "(hint: a content file needs 5 levels at most; check the brackets and the indentation)"]


def test_block_sequences_on_one_line_are_nesting_too():
    text = "- " * 100 + "a\n"
    assert messages(text) == [f"f.yml:1: nested more than {MAX_NESTING} levels deep "
                              "(hint: a content file needs 5 levels at most; check the brackets and the indentation)"]


def test_nesting_up_to_the_limit_is_read():
    text = "title: " + "[" * (MAX_NESTING - 1) + "x" + "]" * (MAX_NESTING - 1) + "\n"
    loaded = load_yaml(text, "f.yml")
    assert not loaded.problems
    value = loaded.data["title"]
    for _ in range(MAX_NESTING - 1):
        value = value[0]
    assert value == "x"


def test_thirty_thousand_levels_neither_crash_nor_take_long():
    """A 60 KB file of brackets made the C composer recurse until the process died (a segmentation fault)."""
    code = ("import time; from generator.content.yamlsource import load_yaml\n"
            "for text in ['title: ' + '[' * 30000 + ']' * 30000, '- ' * 30000 + 'a', 'a: ' + '{a: ' * 30000]:\n"
            "    start = time.perf_counter(); p = load_yaml(text, 'f.yml').problems\n"
            "    assert time.perf_counter() - start < 1, text[:20]\n"
            "    print(p[0].message)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [f"nested more than {MAX_NESTING} levels deep"] * 3


def test_deep_nesting_in_a_theme_and_the_review(content: Path):
    (content / "themes/costs.md").write_text("---\ntitle: " + "[" * 5000 + "\n---\nBody\n", encoding="utf-8")
    text = (content / "review.yml").read_text(encoding="utf-8")
    (content / "review.yml").write_text(text + "extra: " + "{a: " * 5000 + "\n", encoding="utf-8")
    problems = refused(content)
    assert f"content/themes/costs.md:2: title: nested more than {MAX_NESTING} levels deep " \
           "(hint: a content file needs 5 levels at most; check the brackets and the indentation)" in problems
    assert any(p.startswith("content/review.yml:") and f"extra: nested more than {MAX_NESTING}" in p
               for p in problems)


# ------------------------------------------------------------------ 6. control, bidirectional and other characters

CHAR_HINT = "(hint: remove it; retype the text)"


@pytest.mark.parametrize("escape, named", [
    (r"\v", "the control character U+000B"),
    (r"\e", "the control character U+001B"),
    (r"\0", "the control character U+0000"),
    (r"\x7f", "the control character U+007F"),
    (r"\x80", "the control character U+0080"),
    (r"\N", "the control character U+0085"),
    (r"\x9f", "the control character U+009F"),
    (r"\uFFFE", "the noncharacter U+FFFE"),
    (r"\uFDD0", "the noncharacter U+FDD0"),
    (r"\U0010FFFF", "the noncharacter U+10FFFF"),
    (r"\U0001FFFE", "the noncharacter U+1FFFE"),
    (r"\u202E", "the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    (r"\u2066", "the bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    (r"\L", "the line separator U+2028"),
    (r"\P", "the paragraph separator U+2029"),
])
def test_escaped_characters_are_refused_with_field_and_line(escape: str, named: str):
    assert messages(f'year: 2020\ntitle: "a{escape}b"\n') == [f"f.yml:2: title: contains {named} {CHAR_HINT}"]


def test_escaped_surrogates_are_refused_by_the_parser():
    assert messages('title: "a\\uD800b"\n') == [
        "f.yml:1: invalid YAML: found invalid Unicode character escape code (line 1, column 12) "
        "(hint: check indentation, and quote text containing ': ' or '#')"]


def test_surrogates_given_to_the_loader_are_refused():
    """Text from a file cannot hold one (it is decoded from UTF-8), but the loader takes any str."""
    assert messages("title: a\ud800b\n") == [f"f.yml:1: title: contains the surrogate U+D800 {CHAR_HINT}"]


def test_tab_and_newline_escapes_are_fine():
    assert load_yaml('title: "a\\tb\\nc\\rd"\n', "f.yml").data == {"title": "a\tb\nc\rd"}


def test_characters_in_keys_and_list_items_are_refused():
    assert messages('"ti\\x1btle": x\nauthors:\n- "A\\u202eB"\n') == [
        f"f.yml:1: ti\ufffdtle: contains the control character U+001B {CHAR_HINT}",
        f"f.yml:3: authors[0]: contains the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) {CHAR_HINT}",
    ]


@pytest.mark.parametrize("raw, named", [
    ("\x0b", "the control character U+000B"),
    ("\x1b", "the control character U+001B"),
    ("\x7f", "the control character U+007F"),
    ("\x85", "the control character U+0085"),
    ("\u202e", "the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2069", "the bidirectional control U+2069 (POP DIRECTIONAL ISOLATE)"),
    ("\ufdd0", "the noncharacter U+FDD0"),
    ("\U0001fffe", "the noncharacter U+1FFFE"),
    ("\u2028", "the line separator U+2028"),
])
def test_characters_typed_into_values_are_refused_with_field_and_line(raw: str, named: str):
    text = f"year: 2020\nauthors:\n- Smith, J.\n- Jo{raw}nes, K.\ntitle: after\n"
    assert messages(text) == [f"f.yml:4: authors[1]: contains {named} {CHAR_HINT}"]


def test_a_line_separator_does_not_shift_the_lines_of_later_problems():
    text = "summary: one\u2028two\u2029three\nyear: 2020\nyear: 2021\n"
    assert messages(text) == [
        f"f.yml:1: summary: contains the line separator U+2028 {CHAR_HINT}",
        "f.yml:3: year: duplicate key 'year' (first at line 2) (hint: a key may appear once; merge the two entries)",
    ]


def test_a_line_separator_cannot_hide_a_key_in_a_comment():
    """GitHub shows one comment line; PyYAML alone would read a second line with a key on it."""
    assert messages("title: A\n# a comment\u2028year: 1999\n") == [
        f"f.yml:2: contains the line separator U+2028 {CHAR_HINT}"]


def test_bidirectional_controls_in_a_comment_are_refused():
    assert messages("title: A # \u202eremmoc\n") == [
        f"f.yml:1: contains the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) {CHAR_HINT}"]


def test_characters_in_theme_front_matter_body_and_review(content: Path):
    (content / "themes/costs.md").write_text(
        "---\ntitle: \"Co\\u202ests\"\norder: 3\n---\nFirst line.\nSecond \u202eline.\n", encoding="utf-8")
    text = (content / "review.yml").read_text(encoding="utf-8")
    (content / "review.yml").write_text(text.replace('citation: "Østergaard', 'citation: "\\x0cØstergaard', 1),
                                        encoding="utf-8")
    problems = refused(content)
    assert f"content/themes/costs.md:2: title: contains the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) " \
           f"{CHAR_HINT}" in problems
    assert f"content/themes/costs.md:6: contains the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) " \
           f"{CHAR_HINT}" in problems
    assert f"content/review.yml:6: published.citation: contains the control character U+000C {CHAR_HINT}" \
        in problems


def test_characters_that_look_odd_but_are_fine():
    """Zero-width joiners (emoji, Indic scripts), soft hyphens, right-to-left text itself and marks are kept."""
    text = 'title: "\u05e9\u05dc\u05d5\u05dd \u200f x\u00ady \U0001F469\u200d\U0001F52C \u200c"\n'
    assert messages(text) == []


# ------------------------------------------------------------------ 4. reserved ids


@pytest.mark.parametrize("name, expected", [
    ("studies/index.yml", "content/studies/index.yml: bad file name: 'index' is reserved for the studies index "
                          "(studies/) (hint: name a study after its first author and year, e.g. smith-2021.yml)"),
    ("studies/page.yml", "content/studies/page.yml: bad file name: 'page' is reserved for the studies index's "
                         "further pages (studies/page/2/, ...) (hint: name a study after its first author and year, "
                         "e.g. smith-2021.yml)"),
    ("themes/index.md", "content/themes/index.md: bad file name: 'index' is reserved for the themes index (themes/) "
                        "(hint: name a theme with a word or two, e.g. costs.md)"),
])
def test_reserved_ids_are_refused(content: Path, name: str, expected: str):
    src = "studies/silva-2020.yml" if name.startswith("studies") else "themes/costs.md"
    (content / name).write_text((content / src).read_text(encoding="utf-8"), encoding="utf-8")
    assert expected in refused(content)


def test_reserved_ids_cover_every_page_render_writes(content: Path, monkeypatch: pytest.MonkeyPatch):
    """Every page the generator writes under studies/ or themes/ is a study's or theme's own, or has a reserved
    name (listed pages forced on by short pages, so the further pages of each list are written too)."""
    from generator.content import load_map
    from generator.content.schema import RESERVED_IDS
    from generator.outputs import compose, studies_index, themes

    monkeypatch.setattr(studies_index, "STUDIES_PER_PAGE", 2)
    monkeypatch.setattr(themes, "FINDINGS_PER_PAGE", 1)
    emap = load_map(content)
    own = {"studies": {s.id for s in emap.studies}, "themes": {t.id for t in emap.themes}}
    written = [k for k in compose.SiteOutputs(emap, today=_dt.date(2024, 6, 1)).pages() if k.startswith(("studies/", "themes/"))]
    assert "studies/page/2.md" in written and "themes/participation/page/2.md" in written
    for key in written:
        folder, name = key.split("/")[0], key.split("/")[1].split(".")[0]
        if name not in own[folder]:
            assert name in RESERVED_IDS["study" if folder == "studies" else "theme"], key


# ------------------------------------------------------------------ 7. explicit tags with values of another kind


@pytest.mark.parametrize("line, expected", [
    ("year: !!bool maybe", "year: 'maybe' is not a valid !!bool value (hint: write true or false, or remove the tag)"),
    ("year: !!timestamp soon",
     "year: 'soon' is not a valid !!timestamp value (hint: write a date as YYYY-MM-DD, or remove the tag)"),
    ('year: !!int ""', "year: '' is not a valid !!int value (hint: write a whole number, or remove the tag)"),
    ('year: !!int "-"', "year: '-' is not a valid !!int value (hint: write a whole number, or remove the tag)"),
    ("year: !!int 0x7DA", "year: '0x7DA' is not a valid !!int value (hint: write a whole number, or remove the tag)"),
    ("year: !!float x", "year: 'x' is not a valid !!float value (hint: write a number such as 1.5, or remove the tag)"),
    ("year: !!null x", "year: 'x' is not a valid !!null value (hint: write null, or remove the tag)"),
    ("year: !!timestamp 2024-02-30", "year: cannot read value '2024-02-30': day is out of range for month"),
])
def test_malformed_tagged_values_are_problems(line: str, expected: str):
    assert messages(f"title: A\n{line}\n") == [f"f.yml:2: {expected}"]


def test_tagged_values_of_their_kind_are_read():
    loaded = load_yaml("a: !!int '12'\nb: !!bool 'true'\nc: !!str 12\nd: !!float '1.5'\ne: !!null ''\n", "f.yml")
    assert loaded.data == {"a": 12, "b": True, "c": "12", "d": 1.5, "e": None} and not loaded.problems


def test_a_malformed_tag_in_a_theme_is_a_problem(content: Path):
    (content / "themes/costs.md").write_text('---\ntitle: Costs\norder: !!int ""\n---\nBody\n', encoding="utf-8")
    assert "content/themes/costs.md:3: order: '' is not a valid !!int value " \
           "(hint: write a whole number, or remove the tag)" in refused(content)


# ------------------------------------------------------------------ 11. YAML 1.1 number forms are kept as written


@pytest.mark.parametrize("value", ["012", "-012", "1:30", "190:20:30", "0x1F", "0b101", "1_000", "+1_000",
                                   "0o17", "1_000.5", "190:20:30.15", "00.5", "=",
                                   ])
def test_yaml_1_1_number_forms_are_kept_as_written(value: str):
    loaded = load_yaml(f"volume: {value}\n", "f.yml")
    assert loaded.data == {"volume": value} and not loaded.problems


@pytest.mark.parametrize("value, number", [("12", 12), ("-3", -3), ("+7", 7), ("0", 0), ("1.5", 1.5), ("0.5", 0.5),
                                           ("1.0e+3", 1000.0)])
def test_decimal_numbers_are_numbers(value: str, number: float):
    assert load_yaml(f"n: {value}\n", "f.yml").data == {"n": number}


def test_study_fields_keep_the_form_as_written(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8") + "volume: 012\nissue: 1:30\npages: 0x1F\n", encoding="utf-8")
    emap, problems = check_content(content)
    assert emap is not None, problems
    silva = emap.study("silva-2020")
    assert (silva.volume, silva.issue, silva.pages) == ("012", "1:30", "0x1F")


def test_a_year_in_another_number_form_is_refused(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("year: 2020", "year: 0x7E4"), encoding="utf-8")
    assert refused(content) == ["content/studies/silva-2020.yml:3: year: expected a whole number, got '0x7E4'"]


@pytest.mark.parametrize("author", [", K.", " , K.", ","])
def test_an_author_without_a_family_name_is_refused(content: Path, author: str):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace('["Silva, A."]', f'["Silva, A.", "{author}"]'),
                     encoding="utf-8")
    assert refused(content) == [
        f"content/studies/silva-2020.yml:2: authors[1]: {author!r} has no family name before the comma "
        "(hint: write each author as \"Family, I.\", e.g. \"Silva, A.\")"]


def test_a_review_author_without_a_family_name_is_refused(content: Path):
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace('"Ó Súilleabháin, P."', '", P."'), encoding="utf-8")
    assert "content/review.yml:4: authors[1]: ', P.' has no family name before the comma " \
           "(hint: write each author as \"Family, I.\", e.g. \"Silva, A.\")" in refused(content)


# ------------------------------------------------------------------ 12. nothing in content/ is skipped silently


def test_folders_in_the_study_and_theme_folders_are_problems(content: Path):
    (content / "studies/2021").mkdir()
    (content / "studies/2021/smith-2021.yml").write_text("title: lost\n", encoding="utf-8")
    (content / "studies/x.yml").mkdir()
    (content / "themes/drafts").mkdir()
    problems = refused(content)
    assert [p for p in problems if "folder" in p] == [
        "content/studies/2021: is a folder; study files go directly in content/studies/ "
        "(hint: move the files in it up into content/studies/, or remove it)",
        "content/studies/x.yml: is a folder; study files go directly in content/studies/ "
        "(hint: move the files in it up into content/studies/, or remove it)",
        "content/themes/drafts: is a folder; theme files go directly in content/themes/ "
        "(hint: move the files in it up into content/themes/, or remove it)",
    ]


def test_hidden_files_are_warnings_that_name_them(content: Path):
    (content / "studies/.gitkeep").write_text("", encoding="utf-8")
    (content / "themes/.DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (content / ".editorconfig").write_text("", encoding="utf-8")
    emap, problems = check_content(content)
    assert emap is not None
    assert [str(p) for p in problems] == [
        "content/.editorconfig: warning: hidden file, not read (hint: remove it unless your tools need it)",
        "content/studies/.gitkeep: warning: hidden file, not read (hint: remove it unless your tools need it)",
        "content/themes/.DS_Store: warning: hidden file, not read (hint: remove it unless your tools need it)",
    ]
    assert [str(p) for p in emap.warnings] == [str(p) for p in problems]


def test_a_hidden_study_is_an_error(content: Path):
    """A hidden file named like a study is a study that would be lost."""
    (content / "studies/silva-2020.yml").rename(content / "studies/.silva-2020.yml")
    assert "content/studies/.silva-2020.yml: hidden file, not read, though named like a study " \
           "(hint: rename it to silva-2020.yml, or remove it)" in refused(content)


def test_other_files_in_the_content_folder_are_warnings(content: Path):
    (content / "notes.md").write_text("notes\n", encoding="utf-8")
    (content / "drafts").mkdir()
    emap, problems = check_content(content)
    assert emap is not None
    assert [str(p) for p in problems] == [
        "content/drafts: warning: not read: content/ holds review.yml, studies/ and themes/ "
        "(hint: keep other files outside content/)",
        "content/notes.md: warning: not read: content/ holds review.yml, studies/ and themes/ "
        "(hint: keep other files outside content/)",
    ]


@pytest.mark.parametrize("name, expected", [
    ("silva-2020.yml.bak", "content/studies/silva-2020.yml.bak: not a study file: study files are named "
                           "<study-id>.yml (hint: remove it; silva-2020.yml is already there)"),
    ("smith-2023.yml.bak", "content/studies/smith-2023.yml.bak: not a study file: study files are named "
                           "<study-id>.yml (hint: remove it, or if it is a study, name it smith-2023.yml)"),
    ("README.txt", "content/studies/README.txt: not a study file: study files are named <study-id>.yml "
                   "(hint: remove it, or if it is a study, name it readme.yml)"),
    ("smith-2023.yaml", "content/studies/smith-2023.yaml: bad file name: a study file must end in .yml "
                        "(hint: rename it to smith-2023.yml)"),
])
def test_other_files_among_the_studies_get_a_sensible_hint(content: Path, name: str, expected: str):
    (content / "studies" / name).write_text("title: x\n", encoding="utf-8")
    assert expected in refused(content)


def test_crlf_line_endings_just_work(content: Path):
    for path in [content / "review.yml", *(content / "studies").iterdir(), *(content / "themes").iterdir()]:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    emap, problems = check_content(content)
    assert emap is not None, problems
    assert [t.id for t in emap.themes] == ["participation", "wellbeing", "costs"]
    assert "\r" not in emap.themes[2].body
    study = content / "studies/silva-2020.yml"
    study.write_bytes(study.read_bytes().replace(b"year: 2020", b"year: twenty"))
    assert refused(content) == ["content/studies/silva-2020.yml:3: year: expected a whole number, got 'twenty'"]


def test_crlf_theme_lines(content: Path):
    (content / "themes/costs.md").write_bytes(b"---\r\ntitle: Costs\r\norder: x\r\n---\r\nBody\r\n")
    assert refused(content) == [
        "content/themes/costs.md:3: order: expected a whole number, got 'x'",
    ]


def test_read_text_makes_line_endings_plain():
    assert read_text(b"a: 1\r\nb: 2\rc: 3\n", "f.yml") == ("a: 1\nb: 2\nc: 3\n", [])


@pytest.mark.parametrize("text, expected", [
    ("title: &a value\n",
     "f.yml:1: title: YAML anchors (&name) are not allowed (hint: remove '&a'; write each value out in full)"),
    ("authors:\n- &first Smith, J.\n",
     "f.yml:2: authors[0]: YAML anchors (&name) are not allowed (hint: remove '&first'; write each value out in "
     "full)"),
    ("facets: &f {a: b}\n",
     "f.yml:1: facets: YAML anchors (&name) are not allowed (hint: remove '&f'; write each value out in full)"),
    ("&k title: x\n",
     "f.yml:1: title: YAML anchors (&name) are not allowed (hint: remove '&k'; write each value out in full)"),
])
def test_anchors_are_refused_even_without_an_alias(text: str, expected: str):
    assert messages(text) == [expected]


def test_a_second_document_is_refused():
    assert messages("title: A\n---\ntitle: B\n") == [
        "f.yml:2: invalid YAML: a second document begins here (line 2, column 1) "
        "(hint: a content file holds one document; remove the '---' line)"]


def test_problems_never_show_what_a_link_points_at(content: Path, outside: Path):
    (content / "studies/a-2020.yml").symlink_to(outside / "secret.yml")
    (content / "studies/b-2020.yml").symlink_to(outside)
    (content / "themes/c.md").symlink_to(outside / "secret.md")
    text = "\n".join(refused(content))
    assert "SECRET" not in text and str(outside) not in text


def test_a_file_is_read_with_a_bounded_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "ok.yml"
    path.write_bytes(b"title: x\n" * 1000)
    asked = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, n))
    text, problems = read_file(path, "ok.yml")
    assert not problems and text == "title: x\n" * 1000
    assert max(asked) <= 9000 + 1


def test_a_file_full_of_forbidden_characters_is_refused_quickly(content: Path):
    text = "title: x\n" + "# \u202e\n" * 50_000
    start = time.perf_counter()
    problems = messages(text)
    assert time.perf_counter() - start < 2
    assert len(problems) == yamlsource.MAX_CHAR_PROBLEMS + 1
    assert problems[0] == f"f.yml:2: contains the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) {CHAR_HINT}"
    assert problems[-1] == "f.yml: 49,980 more places hold such characters (hint: remove them all; retype the text)"
    (content / "themes/costs.md").write_text("---\ntitle: Costs\n---\n" + "\x0b\n" * 50_000, encoding="utf-8")
    start = time.perf_counter()
    assert "content/themes/costs.md: 49,980 more places hold such characters (hint: remove them all; retype the " \
           "text)" in refused(content)
    assert time.perf_counter() - start < 2


def test_an_unreadable_folder_is_a_problem_not_a_traceback(content: Path, monkeypatch: pytest.MonkeyPatch):
    real_scandir = os.scandir

    def deny(path):
        if str(path).endswith("studies"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    assert "content/studies: cannot be read: Permission denied (hint: check the folder's permissions)" \
        in refused(content)


def test_the_format_reference_states_the_limits():
    from generator.content.schema import RESERVED_IDS
    reference = (ROOT / "docs/format.md").read_text(encoding="utf-8")
    assert f"nested {MAX_NESTING} levels deep at most" in reference
    assert f"HTML elements {markup.MAX_NESTING} levels deep at most" in " ".join(reference.split())
    assert f"at most {MAX_FILE_BYTES // 1024} KB" in reference
    assert all(f"`{name}`" in reference for ids in RESERVED_IDS.values() for name in ids)


# ------------------------------------------------------------------------------------------ Markdown nesting

def test_a_markdown_field_nested_too_deeply_is_refused_with_its_line(content: Path):
    path = content / "studies/silva-2020.yml"
    path.write_text(path.read_text(encoding="utf-8") + 'summary: "' + ">" * 100_000 + 'a"\n', encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    assert refused(content) == [
        f"content/studies/silva-2020.yml:{line}: summary: nests block quotes, lists or HTML elements more than 100 "
        "levels deep (hint: a line starting with many '>' or list markers, or HTML tags left open, nest one level "
        "each)"]


def test_a_synthesis_nested_too_deeply_is_refused(content: Path):
    path = content / "themes/costs.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "<div>" * 50_000 + "\n", encoding="utf-8")
    assert refused(content) == [
        "content/themes/costs.md:6: the synthesis nests block quotes, lists or HTML elements more than 100 levels "
        "deep (hint: a line starting with many '>' or list markers, or HTML tags left open, nest one level each)"]
