"""1:1s in the export (docs/export-format.md, "A 1:1"): checking a file's 1:1s and writing them on
import. goals.portability's checker and writer call these for each plan; a file written before
1:1s has none, which reads as an empty list."""

from datetime import datetime

from goals.oneonones.models import ActionItem, OneOnOne, OneOnOneNote, Side, TalkingPoint
from skills.ladder.errors import ProblemPath, show
from skills.models import EARLIEST_DATE, LATEST_DATE

ROWS = (TalkingPoint, OneOnOneNote, ActionItem)


def planned_moment(text: str) -> datetime:
    """When a 1:1 starts: a time with its offset from UTC that may lie ahead, within the forms'
    years (1900 to 2200); ValueError saying what is wrong otherwise."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"{show(text)} is not a date and time: write it as 2026-06-15T14:30:00+02:00"
        ) from None
    if value.utcoffset() is None:
        raise ValueError(f"{show(text)} has no offset from UTC: write the time with its offset")
    if not EARLIEST_DATE.year <= value.year <= LATEST_DATE.year:
        raise ValueError(f"{show(text)} is not between {EARLIEST_DATE.year} and {LATEST_DATE.year}")
    return value


def one_on_ones_check(checker, plan: dict, base: ProblemPath) -> None:
    """Every problem of the plan's 1:1s, by the models' own rules (checker.values), named where it is."""
    for o, one in enumerate(plan.get("one_on_ones", [])):
        where = base + ["one_on_ones", o]
        try:
            planned_moment(one["starts_at"])
        except ValueError as problem:
            checker.problems.append((where + ["starts_at"], str(problem)))
        checker.values(OneOnOne, one, where, ["minutes", "created_at"])
        for p, point in enumerate(one["talking_points"]):
            checker.values(TalkingPoint, point, where + ["talking_points", p], ["text", "created_at"])
        for n, note in enumerate(one["notes"]):
            checker.values(OneOnOneNote, note, where + ["notes", n], ["body", "created_at"])
        names = ["text", "becomes", "activity_kind", "due_on", "status", "created_at", "decided_at"]
        for i, item in enumerate(one["action_items"]):
            checker.values(ActionItem, item, where + ["action_items", i], names)


def one_on_ones_write(writer, plan, items: list[dict]) -> None:
    """The plan's 1:1s, on no share (the mentor's access stayed on the instance it was given on):
    the owner's rows by the importing person, the mentor's by no one, each keeping its side."""
    for doc in items:
        one = OneOnOne.objects.create(
            plan=plan,
            starts_at=planned_moment(doc["starts_at"]),
            minutes=doc["minutes"],
            started_by=doc["started_by"],
            created_at=datetime.fromisoformat(doc["created_at"]),  # checked as the file's other times
        )

        def by(row: dict) -> dict:
            return {"side": row["by"], "author": writer.user if row["by"] == Side.OWNER else None}

        for row in doc["talking_points"]:
            writer.add(
                TalkingPoint(one_on_one=one, text=row["text"], suggested=row["suggested"], **by(row)),
                created_at=row["created_at"],
            )
        for row in doc["notes"]:
            writer.add(
                OneOnOneNote(one_on_one=one, body=row["body"], **by(row)), created_at=row["created_at"]
            )
        for row in doc["action_items"]:
            item = ActionItem(
                one_on_one=one,
                text=row["text"],
                becomes=row["becomes"],
                activity_kind=row["activity_kind"],
                due_on=row["due_on"],
                status=row["status"],
                decided_at=datetime.fromisoformat(row["decided_at"]) if row["decided_at"] else None,
                **by(row),
            )
            writer.add(item, created_at=row["created_at"])
