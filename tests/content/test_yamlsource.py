import re
import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.content.files import MAX_FILE_BYTES, read_text
from generator.content.yamlsource import load_yaml
from generator.content.yamltags import EventLoader as _Loader


def messages(text: str) -> list[str]:
    return [str(p) for p in load_yaml(text, "f.yml").problems]


def test_lines_are_recorded_for_every_key():
    loaded = load_yaml("title: A\nfacets:\n  design: qualitative\n  setting: [a, b]\n", "f.yml")
    assert loaded.data == {"title": "A", "facets": {"design": "qualitative", "setting": ["a", "b"]}}
    assert loaded.line(("facets", "design")) == 3
    assert loaded.line(("facets", "setting", 1)) == 4
    assert loaded.line(("facets", "missing")) == 2  # falls back to the nearest parent


def test_duplicate_keys_are_reported_not_silently_overwritten():
    assert messages("title: A\nyear: 2009\ntitle: B\n") == [
        "f.yml:3: title: duplicate key 'title' (first at line 1) (hint: a key may appear once; merge the two entries)"
    ]


def test_malformed_yaml_gives_line_and_column():
    assert messages("title: A\nauthors: [Smith\nyear: 2009\n") == [
        "f.yml:3: invalid YAML: did not find expected ',' or ']' (line 3, column 5) "
        "(hint: check indentation, and quote text containing ': ' or '#')"
    ]


def test_object_constructing_tags_are_refused():
    assert messages("title: !!python/object/apply:os.system [echo hi]\n") == [
        "f.yml:1: title: YAML tag !!python/object/apply:os.system is not allowed (hint: remove the tag)"
    ]


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    start = time.perf_counter()
    problems = messages(bomb)
    assert time.perf_counter() - start < 1
    assert problems[:2] == [
        "f.yml:1: a: YAML anchors (&name) are not allowed (hint: remove '&a'; write each value out in full)",
        "f.yml:2: b: YAML anchors (&name) are not allowed (hint: remove '&b'; write each value out in full)"]
    assert problems[2] == "f.yml:2: b[0]: YAML aliases (*name) are not allowed (hint: write the value out in full)"


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file(text):
    assert messages(text) == ["f.yml: the file is empty (hint: see the template in docs/format)"]


def test_front_matter_lines_are_shifted():
    assert messages("title: A\ntitle: B\n") != [str(p) for p in load_yaml("title: A\ntitle: B\n", "f.yml", 2).problems]
    assert str(load_yaml("title: A\ntitle: B\n", "f.yml", 2).problems[0]).startswith("f.yml:3: title:")


def test_non_utf8_and_oversized_files():
    text, problems = read_text(b"title: caf\xe9\n", "f.yml")
    assert text is None
    assert [str(p) for p in problems] == ["f.yml:1: not valid UTF-8 (byte 0xe9) (hint: save the file with UTF-8 encoding)"]
    text, problems = read_text(b"x" * (MAX_FILE_BYTES + 1), "f.yml")
    assert text is None and "over the limit of 262,144" in str(problems[0])


def test_byte_order_mark_is_accepted():
    text, problems = read_text("\ufefftitle: A\n".encode(), "f.yml")
    assert text == "title: A\n" and not problems


# The loader resolves tags with its own, leaner copy of PyYAML's rule: it must pick the tag PyYAML would — except
# that a number is a number only in decimal digits. YAML 1.1's other number forms (PyYAML reads 012 as 10, 1:30 as
# 90, 0x1F as 31, 1_000 as 1000) and its '=' (the "value" type) are kept as text, exactly as written.
YAML_1_1_ONLY = re.compile(r"^[-+]?(?:0[0-9_]|0[xXbB]|[0-9_.]*_|[0-9_]*:)|^=$")


def pyyaml_tag_in_our_rule(value: str, implicit: tuple[bool, bool]) -> str:
    """PyYAML's tag, but text for the YAML 1.1-only number forms (and '=')."""
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, implicit)
    numeric = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:value")
    return "tag:yaml.org,2002:str" if tag in numeric and YAML_1_1_ONLY.match(value) else tag


TRICKY_SCALARS = ["", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "true", "False", "1", "-1",
                  "+1", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1.5", "-.inf", ".NaN", "1e3", "6.8523015e+5",
                  "2024-03-01", "2024-3-1 10:00:00Z", "2001-12-14t21:59:43.10-05:00", "<<", "=", "!x", "&a", "*a",
                  ".", "-", "text", "10.1080/13691450802567416", "Smith, J.", "1994-95", "12 March 2024", "00.5",
                  "-012", "+0x1f", "1_0.5", "190:20:30.15", "0", "-0", "+0.5", "0.", "1.0e+3"]
KEPT_AS_TEXT = {"0x1F", "017", "0b101", "1_000", "1:30", "=", "00.5", "-012", "+0x1f", "1_0.5", "190:20:30.15"}


@pytest.mark.parametrize("value", TRICKY_SCALARS)
def test_scalar_tags_are_resolved_as_pyyaml_resolves_them(value):
    ours, theirs = _Loader(""), yaml.resolver.Resolver()
    for implicit in [(True, False), (False, True), (True, True), (False, False)]:
        assert ours.resolve(yaml.ScalarNode, value, implicit) == pyyaml_tag_in_our_rule(value, implicit)
    assert (pyyaml_tag_in_our_rule(value, (True, False)) != theirs.resolve(yaml.ScalarNode, value, (True, False))) \
        == (value in KEPT_AS_TEXT)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert ours.resolve(kind, None, (True, True)) == theirs.resolve(kind, None, (True, True))


@given(st.text(max_size=12), st.booleans())
def test_any_scalar_gets_pyyaml_s_tag(value, plain):
    implicit = (plain, not plain)
    assert _Loader("").resolve(yaml.ScalarNode, value, implicit) == pyyaml_tag_in_our_rule(value, implicit)


def test_documents_load_as_pyyaml_loads_them():
    text = ("title: 'On: colons'\nyear: 2009\nvolume: '36'\nok: yes\nnone: ~\nwhen: 2024-03-01\nratio: 1.5\n"
            "authors:\n- Smith, J.\n- Jones, K.\nfacets: {design: null, methods: [a, b]}\n"
            "summary: >\n  Folded\n  text.\nnotes: |\n  Kept\n  lines.\nempty:\nquoted: \"a\\tb\\n\"\n"
            "? [complex]\n: dropped\nlast: x\n")
    loaded = load_yaml(text, "f.yml")
    expected = yaml.safe_load(text.replace("? [complex]\n: dropped\n", ""))
    assert loaded.data == expected
    assert [str(p) for p in loaded.problems] == ["f.yml:20: keys must be plain names (no lists, maps or '<<' merges)"]


def test_yaml_1_1_number_forms_are_kept_as_written():
    text = "volume: 012\nissue: 1:30\npages: 0x1F\nsize: 1_000\nyear: 2009\nratio: 1.5\n"
    assert load_yaml(text, "f.yml").data == {"volume": "012", "issue": "1:30", "pages": "0x1F", "size": "1_000",
                                              "year": 2009, "ratio": 1.5}


def test_an_alias_of_a_key_is_refused_like_any_alias():
    anchor = "f.yml:1: a: YAML anchors (&name) are not allowed (hint: remove '&k'; write each value out in full)"
    assert messages("&k a: 1\nb: *k\n") == [
        anchor, "f.yml:2: b: YAML aliases (*name) are not allowed (hint: write the value out in full)"]
    assert messages("&k a: 1\nb: {*k : 2}\n") == [
        anchor, "f.yml:2: b.?: YAML aliases (*name) are not allowed (hint: write the value out in full)"]
