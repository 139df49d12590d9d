"""No application code names an entry of a shipped ladder: CareerPath works for any ladder.

The shipped ladders are data (skills/ladders/). A slug of theirs in a view, model, template or
script would make a page work for them alone, so this test reads every source file of the
application and looks for every slug the shipped files define: tracks, roles, skills,
industries, certifications, goal templates and learning resources. Migrations are left out: they are history and
stay as they were written.

A slug with a hyphen is looked for anywhere. A one-word slug ("communication", "finance") is
also an English word, so it is looked for only where code names a value, as a quoted string;
prose in templates and comments may say "mentoring". Every shipped slug has at least five
letters, so none is a short code word ("name", "data") that this would catch by accident.
"""

import re
from pathlib import Path

from django.conf import settings

from skills.ladder import load_ladder_file
from skills.management.commands.load_demo_data import LADDERS_DIR

BASE_DIR = Path(settings.BASE_DIR)
APPLICATION = ["accounts", "api", "base", "careerpath", "goals", "plans", "skills", "templates", "static/js"]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js", ".json"}

# (file, slug): why the word there is not the ladder's entry.
NOT_LADDER_ENTRIES = {
    ("plans/models.py", "mentoring"): "Activity.Kind.MENTORING, a kind of activity, not the skill",
    ("skills/resources.py", "mentoring"): "LearningResource.Kind.MENTORING, a kind of resource",
    ("skills/ladder.schema.json", "mentoring"): "the resource kinds a ladder file may name",
    ("goals/portability/export.schema.json", "mentoring"): "the activity kinds an export may name",
    ("goals/mentoring/urls.py", "mentoring"): "the URL namespace of the mentoring pages (/mentoring/)",
}


def shipped_slugs() -> set[str]:
    slugs = set()
    for path in sorted(LADDERS_DIR.glob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        data = load_ladder_file(path)
        for section in ("skills", "industries", "certifications", "goal_templates", "tracks", "resources"):
            slugs |= {entry["slug"] for entry in data.get(section, [])}
        slugs |= {role["slug"] for track in data.get("tracks", []) for role in track["roles"]}
    return slugs


def application_files() -> list[Path]:
    files = []
    for top in APPLICATION:
        for path in (BASE_DIR / top).rglob("*"):
            relative = path.relative_to(BASE_DIR)
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            if "migrations" in relative.parts or relative.parts[:2] == ("skills", "ladders"):
                continue
            files.append(path)
    return files


def pattern(slugs: set[str]) -> re.Pattern:
    """One pattern for all the slugs, so each file is read through once, not once a slug: a slug
    with a hyphen where it stands alone, a one-word slug as a quoted string (its closing quote
    only looked at, so that it may open the next string). The slug found is the group "slug"."""

    def any_of(names: list[str]) -> str:
        return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))

    hyphened = any_of([slug for slug in slugs if "-" in slug])
    words = any_of([slug for slug in slugs if "-" not in slug])
    return re.compile(
        rf"""(?<![\w-])(?P<slug>{hyphened})(?![\w-])|(?P<quote>["'])(?P<word>{words})(?=(?P=quote))"""
    )


def test_the_search_covers_both_ladders_and_the_application():
    slugs = shipped_slugs()
    files = {str(path.relative_to(BASE_DIR)) for path in application_files()}

    assert {
        "product-management",
        "software-engineering",
        "product-manager",
        "senior-software-engineer",
    } <= slugs
    assert {
        "plans/views.py",
        "skills/views.py",
        "templates/dashboard.html",
        "static/js/role-picker.js",
    } <= files
    assert min(len(slug) for slug in slugs) >= 5


def test_no_application_code_names_a_shipped_slug():
    slugs = pattern(shipped_slugs())
    found = []
    for path in application_files():
        relative = str(path.relative_to(BASE_DIR))
        text = path.read_text(encoding="utf-8")
        for match in slugs.finditer(text):
            slug = match["slug"] or match["word"]
            if (relative, slug) not in NOT_LADDER_ENTRIES:
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {slug}")

    assert sorted(found) == []


def test_no_application_code_writes_a_page_path_by_hand():
    """URLs come from reverse() or {% url %}, so an app links another's page without knowing its path."""
    by_hand = re.compile(r"""["'`]/(plans|goals|ladders|accounts)/""")
    found = [
        f"{path.relative_to(BASE_DIR)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in application_files()
        if not path.relative_to(BASE_DIR).match("api/routes_*.py")  # the API's URL map, as urls.py files are
        for text in [path.read_text(encoding="utf-8")]
        for match in by_hand.finditer(text)
    ]

    assert found == []
