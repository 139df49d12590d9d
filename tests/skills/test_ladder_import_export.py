"""Ladder files: import by slug (idempotent, all or nothing), export, and the two commands."""

import json
from collections.abc import Iterator

import pytest
import yaml
from django.core.management import CommandError, call_command

from skills.ladder import (
    SCHEMA_PATH,
    LadderError,
    export_ladder,
    import_ladder,
    load_ladder_file,
    schema_errors,
)
from skills.models import (
    MAX_LEVEL,
    Certification,
    GoalTemplate,
    Industry,
    Proficiency,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)
from tests.factories import (
    CertificationFactory,
    RoleFactory,
    RoleSkillFactory,
    TrackFactory,
    TransitionFactory,
)
from tests.shared_rows import rows_kept_until_exit

FRAMEWORK = [Track, Role, Transition, Skill, RoleSkill, Industry, Certification, GoalTemplate]


def ladder() -> dict:
    """A small but complete ladder document; each test gets a fresh copy to break."""
    return {
        "format": "careerpath-ladder",
        "version": 1,
        "skills": [
            {
                "name": "Data analytics",
                "slug": "data-analytics",
                "category": "hard",
                "description": "Reads data.",
            },
            {"name": "Communication", "slug": "communication", "category": "soft", "description": ""},
        ],
        "industries": [{"name": "Finance", "slug": "finance"}],
        "certifications": [
            {
                "name": "Certified Analyst",
                "slug": "certified-analyst",
                "abbreviation": "CA",
                "issuer": "Analysts' Guild",
                "url": "https://example.com/ca",
                "description": "For analysts.",
                "validity_months": 24,
                "recommended_for": ["senior-analyst"],
            }
        ],
        "tracks": [
            {
                "name": "Analysis",
                "slug": "analysis",
                "description": "From reports to insight.",
                "roles": [
                    {
                        "title": "Analyst",
                        "slug": "analyst",
                        "level": 1,
                        "summary": "Answers questions with data.",
                        "responsibilities": ["Build reports", "Answer ad-hoc questions"],
                        "entry_point": True,
                        "industries": ["finance"],
                        "requirements": [
                            {"skill": "data-analytics", "level": 2},
                            {"skill": "communication", "level": 2},
                        ],
                    },
                    {
                        "title": "Senior Analyst",
                        "slug": "senior-analyst",
                        "level": 2,
                        "summary": "Owns an analytics domain.",
                        "responsibilities": ["Own a metrics domain", "Coach analysts"],
                        "entry_point": False,
                        "industries": [],
                        "requirements": [
                            {"skill": "data-analytics", "level": 4},
                            {"skill": "communication", "level": 3},
                        ],
                    },
                ],
                "transitions": [
                    {"from": "analyst", "to": "senior-analyst", "note": "Own a domain end to end."}
                ],
            }
        ],
        "goal_templates": [
            {
                "title": "Learn SQL",
                "slug": "learn-sql",
                "description": "Finish a SQL course.",
                "horizon": "short",
                "duration_months": 3,
                "metric": "Lessons completed",
                "unit": "lessons",
                "baseline": 0,
                "target": 12.5,
                "track": "analysis",
                "skill": "data-analytics",
                "certification": "certified-analyst",
                "role": "senior-analyst",
            }
        ],
    }


def snapshot() -> dict:
    """Row counts of every framework table, many-to-many links included."""
    tables = FRAMEWORK + [Role.industries.through, Certification.roles.through]
    return {model.__name__: model.objects.count() for model in tables}


def export_all() -> dict:
    return export_ladder(Track.objects.all())


def write(path, data) -> str:
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def write_existing() -> int:
    """The small ladder imported, and an unrelated track made in the admin: its transition's key."""
    import_ladder(ladder())
    other = TransitionFactory(from_role__track=TrackFactory(name="Design"), from_role__title="Designer")
    RoleSkillFactory(role=other.from_role)
    return other.pk


@pytest.fixture(scope="class")
def imported_once(django_db_setup, django_db_blocker) -> Iterator[int]:
    """`write_existing` once for a class (~100 statements, which each of its 34 tests wrote): the
    rows stay in a transaction rolled back after the class's last test (tests/shared_rows.py),
    and what a test writes is undone after it, as always."""
    with rows_kept_until_exit(django_db_blocker, write_existing) as pk:
        yield pk


@pytest.fixture
def existing(db, imported_once) -> Transition:
    """The admin-made track's transition, read afresh for each test."""
    return Transition.objects.get(pk=imported_once)


# --- Import -------------------------------------------------------------------------


def test_import_creates_every_entry(db):
    result = import_ladder(ladder())

    assert result.created == {
        "tracks": 1,
        "roles": 2,
        "transitions": 1,
        "skills": 2,
        "requirements": 4,
        "industries": 1,
        "certifications": 1,
        "goal_templates": 1,
    }
    assert result.total_updated == 0
    analyst = Role.objects.get(track__slug="analysis", slug="analyst")
    assert analyst.is_entry_point
    assert analyst.responsibility_list() == ["Build reports", "Answer ad-hoc questions"]
    assert list(analyst.industries.values_list("slug", flat=True)) == ["finance"]
    assert list(analyst.next_roles.values_list("slug", flat=True)) == ["senior-analyst"]
    assert RoleSkill.objects.get(role__slug="senior-analyst", skill__slug="data-analytics").level == 4
    certification = Certification.objects.get(slug="certified-analyst")
    assert (certification.abbreviation, certification.validity_months) == ("CA", 24)
    assert list(certification.roles.values_list("slug", flat=True)) == ["senior-analyst"]
    template = GoalTemplate.objects.get(slug="learn-sql")
    assert str(template.target) == "12.50"
    assert (template.role.slug, template.certification.slug, template.track.slug) == (
        "senior-analyst",
        "certified-analyst",
        "analysis",
    )


def test_importing_twice_changes_nothing(db):
    import_ladder(ladder())
    before, exported = snapshot(), export_all()

    result = import_ladder(ladder())

    assert (result.total_created, result.total_updated) == (0, 0)
    assert str(result) == "already up to date: nothing created or updated"
    assert snapshot() == before
    assert export_all() == exported


def test_an_import_moves_the_ladders_version_once_whatever_it_writes(db):
    """Pages cached under the ladder's version token are stale after an import: it gets a new
    token, written once in the import's transaction, not once for each of the rows it writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from base import versions

    before = versions.current(versions.LADDER)
    with CaptureQueriesContext(connection) as queries:
        result = import_ladder(ladder())

    assert result.total_created > 10
    assert versions.current(versions.LADDER) != before
    written = [q["sql"] for q in queries.captured_queries if '"base_version"' in q["sql"]]
    assert len(written) == 1, written


def test_an_import_refused_midway_leaves_the_ladders_version_as_it_was(db):
    from base import versions

    import_ladder(ladder())
    before = versions.current(versions.LADDER)
    broken = ladder()
    broken["tracks"][0]["roles"][1]["requirements"].append({"skill": "no-such-skill", "level": 2})

    with pytest.raises(LadderError):
        import_ladder(broken)

    assert versions.current(versions.LADDER) == before


def test_optional_fields_may_be_left_out(db):
    minimal = {
        "format": "careerpath-ladder",
        "version": 1,
        "tracks": [
            {"name": "Ops", "slug": "ops", "roles": [{"title": "Operator", "slug": "operator", "level": 1}]}
        ],
    }
    import_ladder(minimal)

    role = Role.objects.get(slug="operator")
    assert (role.summary, role.responsibilities, role.is_entry_point) == ("", "", False)
    assert import_ladder(minimal).total_updated == 0


# --- Bad files: the message names the entry and the field; nothing is written -------


def unknown_skill(data):
    data["tracks"][0]["roles"][1]["requirements"][0]["skill"] = "market-sizing"


def duplicate_skill_slug(data):
    data["skills"].append({"name": "Analytics", "slug": "data-analytics", "category": "hard"})


def duplicate_role_slug(data):
    data["tracks"][0]["roles"].append({"title": "Analyst II", "slug": "analyst", "level": 2})


def duplicate_requirement(data):
    data["tracks"][0]["roles"][0]["requirements"].append({"skill": "communication", "level": 3})


def duplicate_transition(data):
    data["tracks"][0]["transitions"].append({"from": "analyst", "to": "analysis/senior-analyst"})


def role_level_too_high(data):
    data["tracks"][0]["roles"][1]["level"] = MAX_LEVEL + 1


def role_level_zero(data):
    data["tracks"][0]["roles"][0]["level"] = 0


def proficiency_too_high(data):
    data["tracks"][0]["roles"][1]["requirements"][1]["level"] = 6


def transition_to_missing_role(data):
    data["tracks"][0]["transitions"].append({"from": "senior-analyst", "to": "chief-data-officer"})


def self_transition(data):
    data["tracks"][0]["transitions"].append({"from": "analyst", "to": "analyst"})


def missing_title(data):
    del data["tracks"][0]["roles"][1]["title"]


def misspelt_field(data):
    data["tracks"][0]["roles"][0]["entry_pont"] = True


def wrong_type(data):
    data["tracks"][0]["roles"][0]["entry_point"] = "yes"


def unknown_industry(data):
    data["tracks"][0]["roles"][0]["industries"] = ["retail"]


def target_equals_baseline(data):
    data["goal_templates"][0]["target"] = 0


def recommended_for_unknown_role(data):
    data["certifications"][0]["recommended_for"] = ["senior-analyst", "lead-analyst"]


def name_taken_by_another_slug(data):
    data["skills"][1]["slug"] = "talking"


BAD_DOCUMENTS = [
    (
        unknown_skill,
        "tracks[0].roles[1] (senior-analyst): requirements[0].skill: unknown skill 'market-sizing'",
    ),
    (
        duplicate_skill_slug,
        "skills[3] (data-analytics): slug: duplicate slug 'data-analytics' (also at skills[0])",
    ),
    (
        duplicate_role_slug,
        "tracks[0].roles[2] (analyst): slug: duplicate slug 'analyst' (also at tracks[0].roles[0])",
    ),
    (
        duplicate_requirement,
        "tracks[0].roles[0] (analyst): requirements[2].skill: duplicate skill 'communication' "
        "(also at tracks[0].roles[0].requirements[1])",
    ),
    (
        duplicate_transition,
        "tracks[0].transitions[1] (analyst → analysis/senior-analyst): duplicate transition "
        "(also at tracks[0].transitions[0])",
    ),
    (
        role_level_too_high,
        f"tracks[0].roles[1] (senior-analyst): level: {MAX_LEVEL + 1} is out of range 1..{MAX_LEVEL}",
    ),
    (role_level_zero, f"tracks[0].roles[0] (analyst): level: 0 is out of range 1..{MAX_LEVEL}"),
    (
        proficiency_too_high,
        "tracks[0].roles[1] (senior-analyst): requirements[1].level: 6 is out of range 1..5",
    ),
    (
        transition_to_missing_role,
        "tracks[0].transitions[1] (senior-analyst → chief-data-officer): to: "
        "unknown role 'chief-data-officer' on track 'analysis'",
    ),
    (self_transition, "tracks[0].transitions[1] (analyst → analyst): to: is the same role as 'from'"),
    (missing_title, "tracks[0].roles[1] (senior-analyst): title: is required"),
    (misspelt_field, "tracks[0].roles[0] (analyst): entry_pont: unknown field (allowed: title, slug, level"),
    (wrong_type, "tracks[0].roles[0] (analyst): entry_point: must be true or false, not text"),
    (unknown_industry, "tracks[0].roles[0] (analyst): industries[0]: unknown industry 'retail'"),
    (target_equals_baseline, "goal_templates[0] (learn-sql): target: must differ from the baseline"),
    (recommended_for_unknown_role, "certifications[0] (certified-analyst): recommended_for[1]: unknown role"),
    (name_taken_by_another_slug, "skills[1] (talking): name: 'Communication' is already the name of skill"),
]


def test_ladder_error_is_a_value_error():
    assert issubclass(LadderError, ValueError)


def test_bare_role_slug_on_two_tracks_must_name_its_track(db):
    data = ladder()
    data["tracks"].append(
        {
            "name": "Research",
            "slug": "research",
            "roles": [{"title": "Senior", "slug": "senior-analyst", "level": 2}],
        }
    )
    with pytest.raises(
        LadderError, match=r"recommended_for\[0\]: role 'senior-analyst' is on several tracks"
    ):
        import_ladder(data)

    data["certifications"][0]["recommended_for"] = ["analysis/senior-analyst"]
    data["goal_templates"][0]["role"] = "senior-analyst"  # bare is fine: the template names its track
    import_ladder(data)
    assert Certification.objects.get().roles.get().track.slug == "analysis"


def test_not_a_ladder_document_is_rejected(db):
    assert schema_errors([1, 2]) == ["(document): must be an object, not a list"]
    with pytest.raises(LadderError, match="format: must be 'careerpath-ladder', not 'something-else'"):
        import_ladder({"format": "something-else", "version": 1})


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "broken.json",
            '{"format": "careerpath-ladder",\n "version": 1,,\n}',
            "line 2, column 15: invalid JSON",
        ),
        ("broken.yaml", "format: careerpath-ladder\nskills:\n  - name: [unclosed\n", "invalid YAML"),
        ("ladder.txt", "{}", "unsupported file type '.txt'"),
    ],
)
def test_malformed_file_gives_ladder_error_with_its_position(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)

    with pytest.raises(LadderError, match=message):
        load_ladder_file(path)


def test_yaml_and_json_files_load_the_same_document(tmp_path):
    assert load_ladder_file(write(tmp_path / "a.yaml", ladder())) == load_ladder_file(
        write(tmp_path / "a.json", ladder())
    )


def test_schema_limits_match_the_models():
    schema = json.loads(SCHEMA_PATH.read_text())
    role_level = schema["$defs"]["role"]["properties"]["level"]
    assert (role_level["minimum"], role_level["maximum"]) == (1, MAX_LEVEL)
    assert (schema["$defs"]["proficiency"]["minimum"], schema["$defs"]["proficiency"]["maximum"]) == (
        min(Proficiency.values),
        max(Proficiency.values),
    )


# --- Management commands ------------------------------------------------------------


def test_import_command_reports_what_it_created_then_nothing(db, tmp_path, capsys):
    path = write(tmp_path / "analysis.yaml", ladder())

    call_command("import_ladder", path)
    call_command("import_ladder", path)

    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: created 1 track, 2 roles, 1 transition, 2 skills, 4 skill requirements, " + (
        "1 industry, 1 certification, 1 goal template; updated nothing"
    )
    assert out[1] == f"{path}: already up to date: nothing created or updated"


def test_import_command_with_malformed_json_raises_command_error(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": ')

    with pytest.raises(CommandError, match="invalid JSON"):
        call_command("import_ladder", str(path))


def test_import_that_fails_midway_through_writing_leaves_nothing_behind(db, monkeypatch):
    # The second role's save fails. By then the industry, both skills, the track, the first
    # role, its industry link and its two requirements are written: all must be rolled back.
    original_save, saves, written = Role.save, [], {}

    def save_failing_on_the_second_role(role, *args, **kwargs):
        saves.append(role.slug)
        if len(saves) == 2:
            written.update(snapshot())
            raise RuntimeError("disk full")
        return original_save(role, *args, **kwargs)

    monkeypatch.setattr(Role, "save", save_failing_on_the_second_role)

    with pytest.raises(RuntimeError, match="disk full"):
        import_ladder(ladder())

    assert saves == ["analyst", "senior-analyst"]
    assert written["Track"] == written["Role"] == 1 and written["RoleSkill"] == 2  # it did fail midway
    assert snapshot() == dict.fromkeys(written, 0)


# --- Hostile files are refused, quickly and with a message ----------------------------------

BILLION_LAUGHS = "\n".join(
    ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["tracks: *i"]
)


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    assert path.stat().st_size < 1500  # 9^9 strings once expanded

    with pytest.raises(LadderError, match=r"line 2, column \d+: YAML anchors and aliases"):
        load_ladder_file(path)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_is_refused_with_a_message(tmp_path, suffix):
    path = tmp_path / f"deep{suffix}"
    path.write_text("[" * 50_000 + "]" * 50_000)

    with pytest.raises(LadderError, match="nested more than 20 levels deep"):
        load_ladder_file(path)


def test_a_file_over_two_megabytes_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"tracks": [], "padding": "' + "x" * (2 * 1024 * 1024) + '"}')

    with pytest.raises(LadderError, match="a ladder file may be 2,097,152 bytes at most"):
        load_ladder_file(path)


# --- On a ladder already imported ---------------------------------------------------------


class TestOnAnImportedLadder:
    """Tests that start from `existing`: the small ladder imported and a track made in the
    admin, written once for the class (tests/shared_rows.py), while the module's other tests
    start from an empty database."""

    def test_reimport_updates_changed_fields_by_slug(self, existing):
        data = ladder()
        data["tracks"][0]["roles"][1]["summary"] = "Owns the metrics of a whole business line."
        data["tracks"][0]["roles"][1]["requirements"][0]["level"] = 5
        data["tracks"][0]["roles"][1]["industries"] = ["finance"]
        data["certifications"][0]["validity_months"] = None
        before = snapshot()

        result = import_ladder(data)

        assert result.total_created == 0
        assert result.updated == {"roles": 1, "requirements": 1, "certifications": 1}
        senior = Role.objects.get(slug="senior-analyst")
        assert senior.summary == "Owns the metrics of a whole business line."
        assert senior.requirements.get(skill__slug="data-analytics").level == 5
        assert Certification.objects.get(slug="certified-analyst").validity_months is None
        assert snapshot() == before | {"Role_industries": before["Role_industries"] + 1}

    def test_import_never_deletes_what_a_file_leaves_out(self, existing):
        data = ladder()
        data["tracks"][0]["transitions"] = []
        data["tracks"][0]["roles"][1]["requirements"] = []
        before = snapshot()

        assert import_ladder(data).total_updated == 0
        assert snapshot() == before

    def test_responsibilities_typed_in_the_admin_with_crlf_are_not_rewritten(self, existing):
        Role.objects.filter(slug="analyst").update(
            responsibilities="Build reports\r\n\r\n  Answer ad-hoc questions\r\n"
        )

        assert import_ladder(ladder()).total_updated == 0
        assert Role.objects.get(slug="analyst").responsibilities.startswith("Build reports\r\n")

    def test_certification_keeps_its_recommendations_on_other_tracks(self, existing):
        certification = Certification.objects.get(slug="certified-analyst")
        designer = existing.from_role
        certification.roles.add(designer)

        assert import_ladder(ladder()).total_updated == 0
        assert set(certification.roles.all()) == {designer, Role.objects.get(slug="senior-analyst")}

    def test_transition_may_lead_to_a_role_on_another_track(self, existing):
        data = ladder()
        data["tracks"][0]["transitions"].append(
            {"from": "senior-analyst", "to": f"design/{existing.to_role.slug}", "note": "Move into design."}
        )

        assert import_ladder(data).created == {"transitions": 1}
        assert Role.objects.get(slug="senior-analyst").next_roles.get() == existing.to_role

    @pytest.mark.parametrize(
        ("spoil", "message"), BAD_DOCUMENTS, ids=[spoil.__name__ for spoil, _ in BAD_DOCUMENTS]
    )
    def test_bad_document_names_entry_and_field_and_writes_nothing(self, existing, spoil, message):
        data = ladder()
        data["tracks"][0]["name"] = "Renamed in the same file"  # a valid change that must not be written
        data["skills"].append({"name": "SQL", "slug": "sql", "category": "hard"})  # nor this new row
        spoil(data)
        before, exported = snapshot(), export_all()

        with pytest.raises(LadderError) as caught:
            import_ladder(data)

        assert message in str(caught.value)
        assert snapshot() == before
        assert export_all() == exported

    def test_every_problem_is_reported_at_once(self, existing):
        data = ladder()
        unknown_skill(data)
        self_transition(data)

        with pytest.raises(LadderError) as caught:
            import_ladder(data)

        assert len(caught.value.errors) == 2
        assert "unknown skill 'market-sizing'" in caught.value.errors[0]
        assert "cannot transition to itself" in caught.value.errors[1]

    def test_export_then_import_into_an_empty_database_gives_the_same_framework(self, existing):
        CertificationFactory(name="Design Lead", slug="design-lead").roles.add(existing.to_role)
        original = export_all()
        for model in FRAMEWORK:
            model.objects.all().delete()
        assert sum(snapshot().values()) == 0

        import_ladder(original)

        assert export_all() == original

    def test_export_includes_only_what_the_tracks_reference(self, existing):
        Skill.objects.create(name="Unused", slug="unused", category="soft")

        data = export_ladder(Track.objects.filter(slug="analysis"))

        assert [track["slug"] for track in data["tracks"]] == ["analysis"]
        assert [skill["slug"] for skill in data["skills"]] == ["data-analytics", "communication"]
        assert [c["slug"] for c in data["certifications"]] == ["certified-analyst"]
        assert [t["slug"] for t in data["goal_templates"]] == ["learn-sql"]
        assert schema_errors(data) == []

    def test_export_is_stable_and_in_ladder_order(self, existing):
        RoleFactory(track=Track.objects.get(slug="analysis"), title="Analytics Intern", level=1)

        first, second = export_all(), export_all()

        assert json.dumps(first) == json.dumps(second)
        analysis = next(track for track in first["tracks"] if track["slug"] == "analysis")
        assert [role["slug"] for role in analysis["roles"]] == [
            "analyst",
            "analytics-intern",
            "senior-analyst",
        ]

    def test_import_command_with_a_bad_file_raises_command_error_and_writes_nothing(self, existing, tmp_path):
        data = ladder()
        unknown_skill(data)
        path = write(tmp_path / "bad.json", data)
        before = snapshot()

        with pytest.raises(CommandError) as caught:
            call_command("import_ladder", path)

        assert "not imported, nothing was changed" in str(caught.value)
        assert (
            "tracks[0].roles[1] (senior-analyst): requirements[0].skill: unknown skill 'market-sizing'"
            in str(caught.value)
        )
        assert snapshot() == before

    def test_export_command_writes_json_to_stdout(self, existing, capsys):
        call_command("export_ladder", "analysis")

        data = json.loads(capsys.readouterr().out)
        assert data == export_ladder(Track.objects.filter(slug="analysis"))

    def test_export_command_to_a_file_then_import_restores_the_framework(self, existing, tmp_path):
        path = tmp_path / "export.yaml"
        call_command("export_ladder", "analysis", "design", "-o", str(path))
        original = export_all()
        assert yaml.safe_load(path.read_text())["format"] == "careerpath-ladder"  # YAML from the extension
        for model in FRAMEWORK:
            model.objects.all().delete()

        call_command("import_ladder", str(path))

        assert export_all() == original

    def test_export_command_format_option_overrides_the_extension(self, existing, tmp_path):
        path = tmp_path / "export.txt"
        call_command("export_ladder", "analysis", "--format", "yaml", "-o", str(path))

        assert yaml.safe_load(path.read_text()) == export_ladder(Track.objects.filter(slug="analysis"))

    def test_export_command_with_an_unknown_track_fails(self, existing):
        with pytest.raises(CommandError, match="unknown track: nope"):
            call_command("export_ladder", "analysis", "nope")
