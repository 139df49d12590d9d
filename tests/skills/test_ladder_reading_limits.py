"""A ladder file is read within the same limits as an export, through the same reader
(base.documents), at both of its doors: `manage.py import_ladder` and the admin's upload. A value
past them is refused naming the entry and the field, and nothing is written. A 5,000-digit
number was a traceback from the command (Python's 4,300-digit limit in int()) and a 500 from the
admin; a YAML date the calendar lacks (2020-13-45) was a traceback too."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command

from skills.admin_import import PENDING
from skills.models import Role, Skill, Track
from tests.goals.import_fixtures import as_ladder_editor
from tests.skills.test_admin_ladder_upload import UPLOAD

pytestmark = pytest.mark.django_db

DIGITS = "9" * 5000


@pytest.fixture
def editor_client(client, bob):
    client.force_login(as_ladder_editor(bob))
    return client


def ladder_json(level: str = "1", title: str = '"Analyst"') -> str:
    """A one-role ladder as JSON text, with the role's level and title written as given."""
    return (
        '{"format": "careerpath-ladder", "version": 1, "skills": [], "tracks": [{"name": "Analysis", '
        '"slug": "analysis", "roles": [{"title": '
        + title
        + ', "slug": "analyst", "level": '
        + level
        + "}]}]}"
    )


def ladder_yaml(level: str = "1", description: str = "Reads data.") -> str:
    return (
        "format: careerpath-ladder\nversion: 1\n"
        f"skills:\n- name: Data analytics\n  slug: data-analytics\n  category: hard\n  description: {description}\n"
        f"tracks:\n- name: Analysis\n  slug: analysis\n  roles:\n  - title: Analyst\n    slug: analyst\n    level: {level}\n"
    )


LEVEL_REFUSED = (
    "tracks[0].roles[0] (analyst): level: a whole number of 5,000 digits; "
    "no number in a ladder file has more than 15"
)

HOSTILE = [
    ("digits.json", ladder_json(level=DIGITS), LEVEL_REFUSED),
    ("digits.yaml", ladder_yaml(level=DIGITS), LEVEL_REFUSED),
    (
        "nul.json",
        ladder_json(title='"Ana\\u0000lyst"'),
        "tracks[0].roles[0] (analyst): title: holds a NUL character (\\u0000), which no text here may hold",
    ),
    (
        "surrogate.yaml",
        ladder_yaml(description='"Reads \\ud800 data."'),
        "skills[0] (data-analytics): description: holds half of a UTF-16 surrogate pair (\\ud800), "
        "which is no character",
    ),
    (
        "nan.yaml",
        ladder_yaml(level=".nan"),
        "tracks[0].roles[0] (analyst): level: .nan is not a number a ladder file may hold",
    ),
    (
        "long.json",
        ladder_json(title=json.dumps("x" * 100_001)),
        "tracks[0].roles[0] (analyst): title: is 100,001 characters long; no text in a ladder file is longer than 100,000",
    ),
]


@pytest.mark.parametrize(("name", "text", "problem"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_command_refuses_a_value_past_the_limits_naming_entry_and_field(tmp_path, name, text, problem):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(CommandError) as refused:
        call_command("import_ladder", str(path))
    assert str(refused.value) == f"{path}: not imported, nothing was changed:\n  {problem}"
    assert not Track.objects.exists()


@pytest.mark.parametrize(("name", "text", "problem"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_admin_upload_refuses_a_value_past_the_limits_naming_entry_and_field(
    editor_client, name, text, problem
):
    upload = SimpleUploadedFile(name, text.encode("utf-8", "surrogatepass"))
    response = editor_client.post(UPLOAD, {"file": upload})
    assert response.status_code == 200
    assert [str(line) for line in response.context["problems"]] == [problem]
    assert PENDING not in editor_client.session
    assert not Track.objects.exists()


def test_the_command_exits_non_zero_without_a_traceback(tmp_path, capsys):
    """What a person at the shell sees: the problem on standard error, exit status 1. In this
    process rather than a new one, through what manage.py runs (ManagementUtility finding the
    command, the command's run_from_argv), less its django.setup(): this process has done that,
    and doing it again would point logging at this test's captured stderr. The exit status is the
    SystemExit it raises; an exception it let out would be the traceback. No database is open to
    it (no db fixture): the file is refused before any."""
    path = tmp_path / "digits.json"
    path.write_text(ladder_json(level=DIGITS))
    argv = ["manage.py", "import_ladder", str(path)]
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).fetch_command(argv[1]).run_from_argv(argv)
    stderr = capsys.readouterr().err
    assert exited.value.code == 1, stderr
    assert "Traceback" not in stderr
    assert LEVEL_REFUSED in stderr


def test_a_yaml_date_is_read_as_text_as_json_would_write_it(tmp_path):
    """PyYAML made 2020-01-01 a date (a description that is 'not text') and 2020-13-45 a
    traceback; a ladder file holds JSON's values only, so both are text."""
    for day in ("2020-01-01", "2020-13-45"):
        path = tmp_path / "dated.yaml"
        path.write_text(ladder_yaml(description=day))
        call_command("import_ladder", str(path))
        assert Skill.objects.get(slug="data-analytics").description == day
    assert Role.objects.get(slug="analyst").level == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "!!binary aGVsbG8=",
            "a YAML !!binary value; a ladder file holds text, numbers, true, false, null, lists and mappings only",
        ),
        (
            "!!timestamp 2020-13-45",
            "a YAML !!timestamp value; a ladder file holds text, numbers, true, false, null, lists and mappings only",
        ),
        (
            "!!set {a, b}",
            "a YAML !!set value; a ladder file holds text, numbers, true, false, null, lists and mappings only",
        ),
    ],
)
def test_yaml_values_json_lacks_are_refused(tmp_path, text, problem):
    path = tmp_path / "tagged.yaml"
    path.write_text(ladder_yaml(description=text))
    with pytest.raises(CommandError) as refused:
        call_command("import_ladder", str(path))
    assert f"skills[0] (data-analytics): description: {problem}" in str(refused.value)


def test_a_field_given_twice_in_yaml_is_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text(ladder_yaml().replace("  category: hard\n", "  category: hard\n  category: soft\n"))
    with pytest.raises(CommandError) as refused:
        call_command("import_ladder", str(path))
    assert "skills[0] (data-analytics): gives the field 'category' twice" in str(refused.value)


# --- The schema bounds what the reader leaves open --------------------------------------------


def _unbounded(schema: dict, defs: dict, where: str = "") -> list[str]:
    """Every list without maxItems, text without maxLength (or a fixed set of values) and number
    without both bounds in a schema, following its $refs."""
    if "$ref" in schema:
        target = defs[schema["$ref"].rpartition("/")[2]]
        return _unbounded({**target, **{k: v for k, v in schema.items() if k != "$ref"}}, defs, where)
    if "enum" in schema or "const" in schema:
        return []
    found = []
    types = schema.get("type", [])
    types = types if isinstance(types, list) else [types]
    if "array" in types:
        found += [] if "maxItems" in schema else [f"{where}: no maxItems"]
        found += _unbounded(schema["items"], defs, f"{where}[]")
    if "string" in types and "maxLength" not in schema:
        found.append(f"{where}: no maxLength")
    if {"integer", "number"} & set(types) and not {"minimum", "maximum"} <= set(schema):
        found.append(f"{where}: no minimum and maximum")
    for name, field in schema.get("properties", {}).items():
        found += _unbounded(field, defs, f"{where}.{name}" if where else name)
    return found


def test_the_schema_bounds_every_list_text_and_number():
    from skills.ladder import SCHEMA_PATH

    schema = json.loads(SCHEMA_PATH.read_text())
    assert _unbounded(schema, schema["$defs"]) == []


def test_a_list_past_the_schema_is_refused_in_few_words(tmp_path):
    document = json.loads(ladder_json())
    document["tracks"][0]["roles"][0]["responsibilities"] = ["Build reports"] * 101
    document["skills"] = [
        {"name": f"Skill {n}", "slug": f"skill-{n}", "category": "hard"} for n in range(2001)
    ]
    path = tmp_path / "long-lists.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as refused:
        call_command("import_ladder", str(path))
    assert str(refused.value).splitlines()[1:] == [
        "  skills: holds 2001 items, at most 2000",
        "  tracks[0].roles[0] (analyst): responsibilities: holds 101 items, at most 100",
    ]
