"""The taxonomy catalogue (issue 27): ESCO and O*NET downloads read into it, all or nothing.

The files under taxonomy_data/ are small, made for these tests in the official column layouts
(ESCO's CSV with quoted multi-line labels, O*NET's tab-separated text).
"""

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills.models import TaxonomyOccupation, TaxonomyRelation, TaxonomySkill

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "taxonomy_data"
ESCO = "http://data.europa.eu/esco/"
PRODUCT_MANAGER = ESCO + "occupation/11111111-1111-4111-8111-000000000002"


def run_import(standard: str, directory: Path) -> tuple[str, str]:
    out, err = _Buffer(), _Buffer()
    call_command("import_taxonomy", standard, str(directory), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class _Buffer:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        return "".join(self.parts)


def catalogue() -> tuple[list, list, list]:
    return (
        list(TaxonomyOccupation.objects.order_by("pk").values()),
        list(TaxonomySkill.objects.order_by("pk").values()),
        list(TaxonomyRelation.objects.order_by("pk").values()),
    )


def test_esco_download_fills_the_catalogue():
    out, err = run_import("esco", DATA / "esco")

    assert "ESCO: 3 occupations, 6 skills and 11 occupation-skill rows read." in out
    manager = TaxonomyOccupation.objects.get(external_id=PRODUCT_MANAGER)
    assert manager.title == "product manager"
    assert manager.code == "1213.7"
    owner = TaxonomyOccupation.objects.get(title="product owner")
    assert owner.alt_labels == "product lead\nowner of the product"
    needs = {(r.skill.title, r.kind) for r in manager.relations.select_related("skill")}
    assert needs == {
        ("perform market research", "essential"),
        ("manage product backlog", "essential"),
        ("pricing strategies", "optional"),
        ("lead a team", "optional"),
    }
    agile = TaxonomySkill.objects.get(title="agile project management")
    assert agile.skill_type == "knowledge"
    assert '"sprints"' in agile.description
    assert "occupationSkillRelations_en.csv: [" in err and "100% 11 rows" in err


def test_onet_download_fills_the_catalogue():
    out, _ = run_import("onet", DATA / "onet")

    assert "O*NET: 3 occupations, 4 skills and 24 occupation-skill rows read." in out
    gm = TaxonomyOccupation.objects.get(standard="onet", external_id="11-1021.00")
    assert gm.title == "General and Operations Managers"
    personnel = gm.relations.get(skill__external_id="2.B.5.d")
    assert personnel.skill.title == "Management of Personnel Resources"
    assert (personnel.importance, personnel.level) == (Decimal("4.00"), Decimal("5.12"))
    assert TaxonomyRelation.objects.filter(occupation__standard="onet").count() == 12


@pytest.mark.parametrize("standard", ["esco", "onet"])
def test_a_second_import_changes_nothing(standard):
    run_import(standard, DATA / standard)
    before = catalogue()

    run_import(standard, DATA / standard)

    assert catalogue() == before


def test_both_standards_live_side_by_side():
    run_import("esco", DATA / "esco")
    run_import("onet", DATA / "onet")

    assert TaxonomyOccupation.objects.filter(standard="esco").count() == 3
    assert TaxonomyOccupation.objects.filter(standard="onet").count() == 3


def test_a_changed_label_is_updated_in_place(tmp_path):
    run_import("esco", DATA / "esco")
    manager_pk = TaxonomyOccupation.objects.get(external_id=PRODUCT_MANAGER).pk
    folder = copy_of("esco", tmp_path)
    path = folder / "occupations_en.csv"
    path.write_text(path.read_text().replace("product manager,", "product manager (digital),"))

    run_import("esco", folder)

    assert TaxonomyOccupation.objects.get(pk=manager_pk).title == "product manager (digital)"
    assert TaxonomyOccupation.objects.count() == 3


def copy_of(standard: str, into: Path) -> Path:
    folder = into / standard
    shutil.copytree(DATA / standard, folder)
    return folder


def refused(standard: str, folder: Path) -> str:
    with pytest.raises(CommandError) as caught:
        run_import(standard, folder)
    return str(caught.value)


def test_a_truncated_file_is_refused_with_its_line_and_column(tmp_path):
    folder = copy_of("esco", tmp_path)
    path = folder / "occupationSkillRelations_en.csv"
    text = path.read_text()
    path.write_text(text[: text.rindex(",skill/competence,")])

    message = refused("esco", folder)

    assert message.startswith("occupationSkillRelations_en.csv, line 12, column 3 (skillType): ")
    assert "the row ends after 2 of 4 fields" in message
    assert "nothing was changed" in message
    assert catalogue() == ([], [], [])


def test_a_quote_cut_off_names_the_field_it_opened(tmp_path):
    folder = copy_of("esco", tmp_path)
    path = folder / "skills_en.csv"
    text = path.read_text()
    path.write_text(text[: text.index("team leadership") + 4])

    message = refused("esco", folder)

    # the record starts on line 5 (the header is 1, line 4's row is one line); altLabels is 6th
    assert message.startswith("skills_en.csv, line 5, column 6: ")
    assert catalogue() == ([], [], [])


def test_a_bad_import_leaves_an_earlier_import_as_it_was(tmp_path):
    run_import("onet", DATA / "onet")
    before = catalogue()
    folder = copy_of("onet", tmp_path)
    path = folder / "Skills.txt"
    path.write_text(path.read_text().replace("\tLV\t5.12\t", "\tLV\t9.50\t"))

    message = refused("onet", folder)

    assert message.startswith("Skills.txt, line 25, column 5 (Data Value): 9.50 is outside")
    assert catalogue() == before


def test_a_missing_file_is_named(tmp_path):
    folder = copy_of("esco", tmp_path)
    (folder / "skills_en.csv").unlink()

    assert refused("esco", folder).startswith("skills_en.csv, line 0, column -: missing")
    assert catalogue() == ([], [], [])


def test_a_missing_column_is_named(tmp_path):
    folder = copy_of("onet", tmp_path)
    path = folder / "Occupation Data.txt"
    path.write_text(path.read_text().replace("O*NET-SOC Code\t", "SOC\t", 1))

    message = refused("onet", folder)

    assert message.startswith(
        "Occupation Data.txt, line 1, column O*NET-SOC Code: missing from the header, which names: SOC, Title"
    )


# Broken rows, generated: each is put among the good rows of one file, and the import must be
# refused naming that file, the row's line and a column, with the catalogue left empty.
ESCO_RELATION = (
    "{occupation},{kind},skill/competence,{skill}",
    "occupationSkillRelations_en.csv",
)
broken_relation = st.one_of(
    st.builds(  # an unknown relation type
        lambda kind: (
            f"{ESCO}occupation/11111111-1111-4111-8111-000000000001,{kind},x,"
            f"{ESCO}skill/22222222-2222-4222-8222-000000000001"
        ),
        st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).filter(
            lambda k: k.strip() not in ("essential", "optional")
        ),
    ),
    st.builds(  # a URI the download does not hold
        lambda tail: f"{ESCO}occupation/{tail},essential,x,{ESCO}skill/22222222-2222-4222-8222-000000000001",
        st.text("0123456789abcdef-", min_size=1, max_size=36),
    ),
    st.integers(1, 3).map(lambda n: ",".join(["a"] * n)),  # too few fields (a cut row)
    st.integers(5, 9).map(lambda n: ",".join(["a"] * n)),  # too many
    st.text(",abc", min_size=0, max_size=10).map(lambda t: f'{t}"never closed'),
)
broken_rating = st.one_of(
    st.sampled_from(["IM", "LV"]).flatmap(
        lambda scale: st.one_of(
            st.text("abcxyz,.-", min_size=1, max_size=6), st.sampled_from(["-1", "7.01", "NaN"])
        ).map(lambda value: f"11-1021.00\t2.A.1.a\tReading Comprehension\t{scale}\t{value}")
    ),
    st.text("ABCDEFGHIJ", min_size=1, max_size=3)
    .filter(lambda s: s not in ("IM", "LV"))
    .map(lambda s: f"11-1021.00\t2.A.1.a\tReading Comprehension\t{s}\t3.00"),
    st.sampled_from(["99-9999.00", "15-1252", ""]).map(
        lambda c: f"{c}\t2.A.1.a\tReading Comprehension\tIM\t3.00"
    ),
    st.integers(1, 12).map(lambda n: "\t".join(["x"] * n)),
)
broken_bytes = st.binary(min_size=1, max_size=4).map(lambda b: b"\xff" + b)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_broken_row_is_refused_with_nothing_written(data):
    standard, name, row = data.draw(
        st.one_of(
            broken_relation.map(lambda r: ("esco", "occupationSkillRelations_en.csv", r)),
            broken_rating.map(lambda r: ("onet", "Skills.txt", r + _tail(r))),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_of(standard, Path(tmp))
        lines = (folder / name).read_bytes().splitlines(keepends=True)
        at = data.draw(st.integers(1, len(lines)))
        broken = data.draw(st.one_of(st.just(row.encode()), broken_bytes))
        lines.insert(at, broken + b"\n")
        (folder / name).write_bytes(b"".join(lines))

        message = refused(standard, folder)

    assert message.startswith(f"{name}, line {at + 1}, column "), message
    assert "nothing was changed" in message
    assert catalogue() == ([], [], [])
    assert User.objects.count() == 0


def _tail(row: str) -> str:
    """The eight columns after Data Value, for the rating rows built with five."""
    fields = row.split("\t")
    return "\tN\t0.1\t1\t2\tN\tN\t08/2023\tAnalyst" if len(fields) == 5 else ""


CUT_FILES = [
    ("esco", "occupationSkillRelations_en.csv", ","),
    ("onet", "Occupation Data.txt", "\t"),
    ("onet", "Skills.txt", "\t"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_file_cut_inside_a_row_is_refused_at_that_row(data):
    """Cut anywhere in a row before its last field (in the relations, anywhere in the row: a cut
    URI names no skill), the download is refused at that row. A cut inside the last field of
    other files can leave a row that reads as whole; docs/taxonomies.md says so."""
    standard, name, delimiter = data.draw(st.sampled_from(CUT_FILES))
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_of(standard, Path(tmp))
        lines = (folder / name).read_text().splitlines(keepends=True)
        index = data.draw(st.integers(1, len(lines) - 1))
        line = lines[index].rstrip("\r\n")
        last = len(line) - 1 if delimiter == "," else line.rindex(delimiter)
        cut = data.draw(st.integers(1, last))
        (folder / name).write_text("".join(lines[:index]) + line[:cut])

        message = refused(standard, folder)

    assert message.startswith(f"{name}, line {index + 1}, column "), message
    assert catalogue() == ([], [], [])


def write_esco(folder: Path, n: int) -> Path:
    """n occupations, n skills and n relations in ESCO's layout (the columns the import reads)."""
    folder.mkdir()
    occupation, skill = ESCO + "occupation/o{}", ESCO + "skill/s{}"
    (folder / "occupations_en.csv").write_text(
        "conceptUri,preferredLabel,altLabels,description,code\n"
        + "".join(f'{occupation.format(i)},job {i},"a\nb",does {i},{i}\n' for i in range(n))
    )
    (folder / "skills_en.csv").write_text(
        "conceptUri,skillType,preferredLabel,altLabels,description\n"
        + "".join(f"{skill.format(i)},knowledge,skill {i},,knows {i}\n" for i in range(n))
    )
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        + "".join(f"{occupation.format(i)},optional,knowledge,{skill.format(n - 1 - i)}\n" for i in range(n))
    )
    return folder


def import_queries(folder: Path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run_import("esco", folder)
    return [query["sql"] for query in queries]


def test_no_query_per_row(tmp_path):
    """Two reads (the id maps) at any size, and the writes are a few multi-row upserts: one per
    file and batch, split only where the database caps a statement's parameters (SQLite 999)."""
    small = import_queries(write_esco(tmp_path / "small", 5))
    large = import_queries(write_esco(tmp_path / "large", 1500))

    reads = [[sql for sql in queries if sql.startswith("SELECT")] for queries in (small, large)]
    assert [len(r) for r in reads] == [2, 2]
    assert len(small) == 7  # savepoint, 3 upserts, 2 id maps, release
    assert len(large) <= 4 + 3 * (1500 // 150 + 1)  # 1,500 rows a file, at least 150 a statement
    assert TaxonomyRelation.objects.count() == 1505
