"""The one reader of uploaded documents (base.documents): JSON and YAML read to the same values
within the same limits, each refusal naming its place; and the base layer imports no app."""

import ast
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from base.document_limits import Limits
from base.documents import DocumentRefused, decode, read_json, read_path, read_yaml
from tests.conftest import BASE_DIR

LIMITS = Limits(document="a test file", bytes=10_000, depth=5, items=3, fields=3, text=10, name=5)


def refusal(read, text: str) -> list[str]:
    with pytest.raises(DocumentRefused) as refused:
        read(text, LIMITS)
    return refused.value.lines()


@pytest.mark.parametrize("read", [read_json, read_yaml], ids=["json", "yaml"])
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"a": [1, 2, 3, 4]}', "a: a list of 4 items; no list in a test file holds more than 3"),
        (
            '{"a": 1, "b": 2, "c": 3, "d": 4}',
            "(document): an object of 4 fields; none in a test file has more than 3",
        ),
        ('{"a": "' + "x" * 11 + '"}', "a: is 11 characters long; no text in a test file is longer than 10"),
        (
            '{"abcdef": 1}',
            "(document): a field name is 6 characters long; no field name in a test file is longer than 5",
        ),
        (
            '{"a": ' + "1" * 16 + "}",
            "a: a whole number of 16 digits; no number in a test file has more than 15",
        ),
        (
            '{"a": -' + "1" * 16 + "}",
            "a: a whole number of 16 digits; no number in a test file has more than 15",
        ),
        (
            '{"a": 1.' + "1" * 30 + "}",
            "a: a number of 32 characters; no number in a test file has more than 30",
        ),
        ('{"a": "x\\u0000"}', "a: holds a NUL character (\\u0000), which no text here may hold"),
        (
            '{"a": ["\\udfff"]}',
            "a[0]: holds half of a UTF-16 surrogate pair (\\udfff), which is no character",
        ),
        ('{"a": 1, "a": 2}', "(document): gives the field 'a' twice"),
    ],
)
def test_json_and_yaml_are_refused_alike_naming_the_place(read, text, problem):
    """JSON is YAML too (flow style): both readers read each text to the same refusal."""
    assert refusal(read, text) == [problem]


@pytest.mark.parametrize("read", [read_json, read_yaml], ids=["json", "yaml"])
def test_nesting_past_the_limit_is_refused(read):
    assert refusal(read, "[[[[[[1]]]]]]")[0].endswith("nested more than 5 levels deep")
    assert read("[[[[[1]]]]]", LIMITS) == [[[[[1]]]]]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: .inf", "a: .inf is not a number a test file may hold"),
        ("a: -.inf", "a: -.inf is not a number a test file may hold"),
        ("a: .nan", "a: .nan is not a number a test file may hold"),
        ("a: 1.0e+999", "a: 1.0e+999 is too large a number for a test file"),
        ("1: a", "(document): a field name must be text, not 1"),
        (
            "a: !!binary aGk=",
            "a: a YAML !!binary value; a test file holds text, numbers, true, false, null, lists and mappings only",
        ),
    ],
)
def test_yaml_values_json_lacks_are_refused(text, problem):
    assert refusal(read_yaml, text) == [problem]


NOT_DECIMAL = (
    "not a number written in decimal (YAML reads 0x1F, 0b101, 017 and 1:30 as hexadecimal, binary, octal "
    "and base 60); write numbers in a test file in decimal, or text in quotes"
)


@pytest.mark.parametrize(
    "number", ["0x1F", "+0x1f", "0b101", "-0b1", "017", "-017", "00", "1:30", "-1:30", "190:20:30", "1:30.5"]
)
def test_yaml_numbers_not_written_in_decimal_are_refused(number):
    """YAML 1.1 reads these as numbers (0x1F is 31, 017 is 15, 1:30 is 90): a person who wrote
    them rarely means that, and int() of the text was a ValueError, a 500 from the admin."""
    assert refusal(read_yaml, f"a: {number}") == [f"a: {NOT_DECIMAL}"]
    assert refusal(read_yaml, f"{number}: a") == [f"(document): a field name must be text, not {NOT_DECIMAL}"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1_000", 1000),
        ("+5", 5),
        ("-0", 0),
        ("0", 0),
        ("0.", 0.0),
        ("1_0.5", 10.5),
        ("0o17", "0o17"),
        ("09", "09"),
    ],
)
def test_yaml_decimal_numbers_read_as_yaml_reads_them(text, value):
    """Underscores between digits are YAML's (1_000 is 1000); 0o17 and 09 are no YAML 1.1 number: text."""
    document = read_yaml(f"a: {text}", LIMITS)
    assert document == {"a": value} and type(document["a"]) is type(value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("!!int abc", NOT_DECIMAL),
        ("!!int 1.5", NOT_DECIMAL),
        ('!!int ""', NOT_DECIMAL),
        ("!!float abc", NOT_DECIMAL),
        ("!!float 0x1F", NOT_DECIMAL),
        ('!!float ""', NOT_DECIMAL),
        ("!!float 1:x", NOT_DECIMAL),
        ("!!bool maybe", "a YAML !!bool value that is neither true nor false"),
    ],
)
def test_yaml_explicit_tags_on_text_they_do_not_fit_are_refused(text, problem):
    assert refusal(read_yaml, f"a: {text}") == [f"a: {problem}"]


def test_yaml_mapping_tag_on_text_is_refused_as_invalid_yaml():
    assert refusal(read_yaml, "a: !!map x") == [
        "line 1, column 4: invalid YAML: expected a mapping node, but found scalar"
    ]


# Text YAML 1.1 may read as a number, a constant or a date, and tags that ask for one.
NUMBERISH = st.text(alphabet="0123456789abefxoABEFINT_+-.:eE nf", max_size=12)
SCALARS = st.one_of(
    NUMBERISH,
    st.sampled_from(["0x1F", "+0x1f", "0b101", "0o17", "017", "00", "1:30", "1:30.5", "0x_"]),
    st.sampled_from(["1_000", "1__000", "1_", "0_", "+5", "-0", "0.", ".5", "1.e+5", "1e5"]),
    st.sampled_from([".inf", "-.inf", ".nan", ".NaN", "~", "yes", "No"]),
)
TAGS = st.sampled_from(
    ["", "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!map ", "!!seq ", "!!binary "]
)


@settings(max_examples=500, deadline=None, derandomize=True)  # the same examples on every run
@given(tag=TAGS, scalar=SCALARS, as_key=st.booleans())
def test_any_yaml_scalar_is_read_or_refused_never_a_crash(tag, scalar, as_key):
    """Read or DocumentRefused, nothing else; and a whole number read is the number its decimal
    digits write (never 0x1F read as 31, 017 as 15 or 1:30 as 90)."""
    quoted = json.dumps(scalar) if not scalar or scalar.strip() != scalar else scalar
    text = f"{tag}{quoted}: a" if as_key else f"a: {tag}{quoted}"
    try:
        document = read_yaml(text, LIMITS)
    except DocumentRefused:
        return
    values = list(document) if as_key else list(document.values())
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            assert value == int(scalar.replace("_", ""))
        elif isinstance(value, float):
            assert math.isfinite(value) and ":" not in scalar


def test_yaml_reads_to_the_values_json_reads():
    yaml_text = "a: 2020-01-01\nb: [1, 2.5, true, null, '3']\nc: 2001-02-03T04:05:06Z\n"
    json_text = '{"a": "2020-01-01", "b": [1, 2.5, true, null, "3"], "c": "2001-02-03T04:05:06Z"}'
    limits = Limits(document="a test file", bytes=10_000)
    assert read_yaml(yaml_text, limits) == read_json(json_text, limits)


def test_yaml_aliases_are_refused_where_they_are():
    assert refusal(read_yaml, "a: &x [1]\nb: *x\n") == [
        "line 2, column 4: YAML anchors and aliases (& and *) are not allowed in a test file: write each entry out"
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"x" * 10_001, "the file is 10,001 bytes; a test file may be 10,000 bytes at most"),
        (b"\xff{}", "the file is not UTF-8 text: save it as UTF-8 and upload it again"),
    ],
)
def test_a_file_too_large_or_not_utf8_is_refused_unread(tmp_path, raw, problem):
    with pytest.raises(DocumentRefused) as refused:
        decode(raw, LIMITS)
    assert refused.value.lines() == [problem]
    path = tmp_path / "file.json"
    path.write_bytes(raw)
    with pytest.raises(DocumentRefused) as refused:
        read_path(path, LIMITS)
    assert refused.value.lines() == [problem]


def test_a_byte_order_mark_is_dropped():
    assert json.loads(decode(b"\xef\xbb\xbf{}", LIMITS)) == {}


def test_a_json_syntax_error_says_where_and_whether_the_file_was_cut_short():
    assert refusal(read_json, '{"a": [1, 2') == [
        "line 1, column 12: invalid JSON: Expecting ',' delimiter (the file ends there: is it cut short?)"
    ]
    assert refusal(read_json, '{"a": "abc') == [
        "line 1, column 7: invalid JSON: Unterminated string starting at (the file ends there: is it cut short?)"
    ]
    assert refusal(read_json, '{"a": x, "b": 1}') == ["line 1, column 7: invalid JSON: Expecting value"]


APPS = {"accounts", "careerpath", "goals", "plans", "skills"}


def test_the_base_layer_imports_no_app():
    """base is the lowest layer: every app reads and limits through it, so it reads none of them."""
    offending = []
    for path in sorted((Path(BASE_DIR) / "base").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offending += [f"{path.name}: {name}" for name in names if name.partition(".")[0] in APPS]
    assert offending == []
