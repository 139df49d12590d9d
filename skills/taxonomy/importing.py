"""taxonomy_import: a standard's download written into the catalogue, all or nothing.

Each file is read once, row by row, and written in batches of BATCH rows with an upsert on the
standard's own ids (bulk_create with update_conflicts), so memory holds one batch and the id
maps (about 17,000 ESCO ids), not the file, and importing the same download again rewrites the
same values. The whole import is one transaction: a bad row anywhere rolls back every batch
written before it.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from skills.taxonomy.models import Standard, TaxonomyOccupation, TaxonomyRelation, TaxonomySkill
from skills.taxonomy.reading import ESCO_DIALECT, ONET_DIALECT, Reader, Row

BATCH = 2000
Progress = Callable[[str, int, float], None]

ESCO_OCCUPATION_COLUMNS = ("conceptUri", "preferredLabel", "altLabels", "description", "code")
ESCO_SKILL_COLUMNS = ("conceptUri", "skillType", "preferredLabel", "altLabels", "description")
ESCO_RELATION_COLUMNS = ("occupationUri", "relationType", "skillUri")
ONET_OCCUPATION_COLUMNS = ("O*NET-SOC Code", "Title", "Description")
ONET_SKILL_COLUMNS = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
ONET_SCALES = {"IM": (Decimal(1), Decimal(5)), "LV": (Decimal(0), Decimal(7))}
SOC_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")


@dataclass
class ImportCounts:
    occupations: int = 0
    skills: int = 0
    relations: int = 0
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.occupations} occupations, {self.skills} skills and "
            f"{self.relations} occupation-skill rows read"
        )


def _upsert(model, rows: dict, unique: list[str], update: list[str]) -> None:
    # A dict per batch: PostgreSQL refuses an upsert that touches one row twice in a statement.
    if rows:
        model.objects.bulk_create(
            rows.values(), update_conflicts=True, unique_fields=unique, update_fields=update
        )
        rows.clear()


def _batched(reader: Reader, progress: Progress | None) -> Iterable[list[Row]]:
    batch: list[Row] = []
    count = 0
    for row in reader:
        batch.append(row)
        count += 1
        if len(batch) == BATCH:
            yield batch
            batch = []
            if progress:
                progress(reader.path.name, count, reader.fraction)
    yield batch
    if progress:
        progress(reader.path.name, count, 1.0)


def _ids(model, standard: str) -> dict[str, int]:
    return dict(model.objects.filter(standard=standard).values_list("external_id", "pk"))


@transaction.atomic
def taxonomy_import(
    *, standard: str, directory: Path, language: str = "en", progress: Progress | None = None
) -> ImportCounts:
    """Read one download into the catalogue; DownloadError names the first bad row."""
    if standard == Standard.ESCO:
        return _esco(directory, language, progress)
    return _onet(directory, progress)


def _esco(directory: Path, language: str, progress: Progress | None) -> ImportCounts:
    counts = ImportCounts()
    reader = Reader(
        directory / f"occupations_{language}.csv",
        dialect=ESCO_DIALECT,
        columns=ESCO_OCCUPATION_COLUMNS,
    )
    for batch in _batched(reader, progress):
        rows = {}
        for row in batch:
            uri = row.required("conceptUri")
            rows[uri] = TaxonomyOccupation(
                standard=Standard.ESCO,
                external_id=uri,
                code=row["code"][:32],
                title=row.required("preferredLabel"),
                alt_labels=row["altLabels"],
                description=row["description"],
            )
        counts.occupations += len(batch)
        _upsert(
            TaxonomyOccupation,
            rows,
            ["standard", "external_id"],
            ["code", "title", "alt_labels", "description"],
        )
    reader = Reader(directory / f"skills_{language}.csv", dialect=ESCO_DIALECT, columns=ESCO_SKILL_COLUMNS)
    for batch in _batched(reader, progress):
        skill_rows: dict[str, TaxonomySkill] = {}
        for row in batch:
            uri = row.required("conceptUri")
            skill_rows[uri] = TaxonomySkill(
                standard=Standard.ESCO,
                external_id=uri,
                title=row.required("preferredLabel"),
                skill_type=row["skillType"][:32],
                alt_labels=row["altLabels"],
                description=row["description"],
            )
        counts.skills += len(batch)
        _upsert(
            TaxonomySkill,
            skill_rows,
            ["standard", "external_id"],
            ["title", "skill_type", "alt_labels", "description"],
        )
    counts.relations = _esco_relations(directory, language, progress)
    return counts


def _esco_relations(directory: Path, language: str, progress: Progress | None) -> int:
    occupations = _ids(TaxonomyOccupation, Standard.ESCO)
    skills = _ids(TaxonomySkill, Standard.ESCO)
    kinds = {TaxonomyRelation.Kind.ESSENTIAL, TaxonomyRelation.Kind.OPTIONAL}
    reader = Reader(
        directory / f"occupationSkillRelations_{language}.csv",
        dialect=ESCO_DIALECT,
        columns=ESCO_RELATION_COLUMNS,
    )
    count = 0
    for batch in _batched(reader, progress):
        rows = {}
        for row in batch:
            occupation = occupations.get(row["occupationUri"])
            if occupation is None:
                row.error("occupationUri", f"no occupation with this URI in occupations_{language}.csv")
            skill = skills.get(row["skillUri"])
            if skill is None:
                row.error("skillUri", f"no skill with this URI in skills_{language}.csv")
            kind = row["relationType"]
            if kind not in kinds:
                row.error("relationType", f"{kind!r} is neither 'essential' nor 'optional'")
            rows[occupation, skill] = TaxonomyRelation(occupation_id=occupation, skill_id=skill, kind=kind)
        count += len(batch)
        _upsert(TaxonomyRelation, rows, ["occupation", "skill"], ["kind"])
    return count


def _onet(directory: Path, progress: Progress | None) -> ImportCounts:
    counts = ImportCounts()
    reader = Reader(directory / "Occupation Data.txt", dialect=ONET_DIALECT, columns=ONET_OCCUPATION_COLUMNS)
    for batch in _batched(reader, progress):
        rows = {}
        for row in batch:
            code = row.required("O*NET-SOC Code")
            if not SOC_CODE.fullmatch(code):
                row.error("O*NET-SOC Code", f"{code!r} is not an O*NET-SOC code like 15-1252.00")
            rows[code] = TaxonomyOccupation(
                standard=Standard.ONET,
                external_id=code,
                code=code,
                title=row.required("Title"),
                description=row["Description"],
            )
        counts.occupations += len(batch)
        _upsert(
            TaxonomyOccupation,
            rows,
            ["standard", "external_id"],
            ["code", "title", "description"],
        )
    counts.skills, counts.relations = _onet_ratings(directory, progress)
    return counts


def _onet_value(row: Row) -> tuple[str, Decimal]:
    scale = row["Scale ID"]
    if scale not in ONET_SCALES:
        row.error("Scale ID", f"{scale!r} is neither IM (importance) nor LV (level)")
    try:
        value = Decimal(row["Data Value"])
    except InvalidOperation:
        row.error("Data Value", f"{row['Data Value']!r} is not a number")
    low, high = ONET_SCALES[scale]
    if not value.is_finite() or not low <= value <= high:
        row.error("Data Value", f"{value} is outside the {scale} scale's {low}-{high}")
    return scale, value.quantize(Decimal("0.01"))


def _onet_ratings(directory: Path, progress: Progress | None) -> tuple[int, int]:
    """Skills.txt: the skills themselves (35 elements) and two rows per pair, IM and LV."""
    occupations = _ids(TaxonomyOccupation, Standard.ONET)
    skills = _ids(TaxonomySkill, Standard.ONET)
    reader = Reader(directory / "Skills.txt", dialect=ONET_DIALECT, columns=ONET_SKILL_COLUMNS)
    count = 0
    for batch in _batched(reader, progress):
        new_skills: dict[str, TaxonomySkill] = {}
        ratings: dict[str, dict] = {"IM": {}, "LV": {}}
        for row in batch:
            occupation = occupations.get(row["O*NET-SOC Code"])
            if occupation is None:
                row.error("O*NET-SOC Code", "no occupation with this code in Occupation Data.txt")
            element = row.required("Element ID")
            name = row.required("Element Name")
            if element not in skills:
                new_skills[element] = TaxonomySkill(standard=Standard.ONET, external_id=element, title=name)
            scale, value = _onet_value(row)
            ratings[scale][occupation, element] = value
        if new_skills:
            _upsert(TaxonomySkill, new_skills, ["standard", "external_id"], ["title"])
            skills = _ids(TaxonomySkill, Standard.ONET)
        count += len(batch)
        for scale, column in (("IM", "importance"), ("LV", "level")):
            rows = {
                key: TaxonomyRelation(
                    occupation_id=key[0],
                    skill_id=skills[key[1]],
                    kind=TaxonomyRelation.Kind.RATED,
                    **{column: value},
                )
                for key, value in ratings[scale].items()
            }
            _upsert(TaxonomyRelation, rows, ["occupation", "skill"], ["kind", column])
    return len(skills), count
