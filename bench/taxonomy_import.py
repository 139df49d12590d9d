"""Importing a download the size of the full ESCO one: time and peak memory, run by hand (issue 27).

Run: `.venv/bin/python bench/taxonomy_import.py [--occupations 3000 --skills 14000 --relations 120000]`

Writes ESCO-layout files of that size into a temporary folder (labels, several other names and
a description of ESCO's typical length per concept, quoted fields spanning lines), builds a
scratch SQLite database under var/bench/ (taxonomy_import.sqlite3, replaced on every run; set
DATABASE_URL to measure another database), and runs `manage.py import_taxonomy esco` twice: the
first import and the same again (which must change nothing). Peak memory is the process's
maximum resident set size (resource.getrusage), Django and the test data's writer included;
the import's own Python allocations are measured with tracemalloc in a third run. Target: peak
under 300 MB.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
DB = ROOT / "var" / "bench" / "taxonomy_import.sqlite3"
if "DATABASE_URL" not in os.environ:
    for leftover in DB.parent.glob(DB.name + "*"):
        leftover.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from skills.models import TaxonomyOccupation, TaxonomyRelation, TaxonomySkill  # noqa: E402

ESCO = "http://data.europa.eu/esco/"
WORDS = [
    "manage",
    "analyse",
    "develop",
    "team",
    "product",
    "market",
    "data",
    "quality",
    "safety",
    "design",
    "customer",
    "report",
    "plan",
    "budget",
    "train",
    "monitor",
    "software",
    "process",
    "equipment",
    "standards",
    "communicate",
    "maintain",
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def uri(kind: str, n: int) -> str:
    return f"{ESCO}{kind}/{n:08x}-0000-4000-8000-{n:012x}"


def write_download(folder: Path, *, occupations: int, skills: int, relations: int) -> int:
    """The three ESCO files, written a row at a time; returns their size in bytes."""
    rng = random.Random(27)
    with (folder / "occupations_en.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "conceptType",
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "regulatedProfessionNote",
                "scopeNote",
                "definition",
                "inScheme",
                "description",
                "code",
            ]
        )
        for n in range(occupations):
            alt = "\n".join(words(rng, 3) for _ in range(rng.randint(2, 8)))
            out.writerow(
                ["Occupation", uri("occupation", n), "2421", f"{words(rng, 3)} {n}", alt, "",
                 "released", "2023-12-20T13:13:42.123Z", "", "", "", f"{ESCO}concept-scheme/occupations",
                 words(rng, rng.randint(30, 90)), f"2421.{n}"]
            )  # fmt: skip
    with (folder / "skills_en.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "conceptType",
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "definition",
                "inScheme",
                "description",
            ]
        )
        for n in range(skills):
            alt = "\n".join(words(rng, 3) for _ in range(rng.randint(1, 6)))
            out.writerow(
                ["KnowledgeSkillCompetence", uri("skill", n), rng.choice(["skill/competence", "knowledge"]),
                 "cross-sector", f"{words(rng, 3)} {n}", alt, "", "released", "2023-12-20T13:13:42.123Z",
                 "", "", f"{ESCO}concept-scheme/member-skills", words(rng, rng.randint(10, 40))]
            )  # fmt: skip
    with (folder / "occupationSkillRelations_en.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["occupationUri", "relationType", "skillType", "skillUri"])
        per = relations // occupations
        for n in range(relations):
            skill = (n * 7919 + n // per) % skills
            kind = "essential" if rng.random() < 0.55 else "optional"
            out.writerow(
                [uri("occupation", n // per % occupations), kind, "skill/competence", uri("skill", skill)]
            )
    return sum(p.stat().st_size for p in folder.iterdir())


class Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed_import(folder: Path) -> float:
    start = time.perf_counter()
    call_command("import_taxonomy", "esco", str(folder), stdout=Quiet(), stderr=Quiet())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--occupations", type=int, default=3000)
    parser.add_argument("--skills", type=int, default=14000)
    parser.add_argument("--relations", type=int, default=120000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = write_download(
            folder, occupations=args.occupations, skills=args.skills, relations=args.relations
        )
        before = peak_mb()
        print(f"download: {size / 1e6:.1f} MB; process before the import: {before:.0f} MB peak RSS")
        first = timed_import(folder)
        rows = (
            TaxonomyOccupation.objects.count(),
            TaxonomySkill.objects.count(),
            TaxonomyRelation.objects.count(),
        )
        print(f"first import: {first:.1f} s; rows {rows}; peak RSS {peak_mb():.0f} MB")
        again = timed_import(folder)
        same = rows == (
            TaxonomyOccupation.objects.count(),
            TaxonomySkill.objects.count(),
            TaxonomyRelation.objects.count(),
        )
        print(f"second import: {again:.1f} s; same rows: {same}; peak RSS {peak_mb():.0f} MB")
        tracemalloc.start()
        traced = timed_import(folder)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"third import under tracemalloc: {traced:.1f} s; Python allocations peak {top / 1e6:.1f} MB")
        verdict = "under" if peak_mb() < 300 else "OVER"
        print(f"peak RSS {peak_mb():.0f} MB: {verdict} the 300 MB target")


if __name__ == "__main__":
    main()
