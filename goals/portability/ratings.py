"""Mentors' ratings and the owner's chosen levels in the export (docs/export-format.md, "A
rating"): written with each plan, checked and written back on import. A file written before
ratings has neither, which reads as none: the self-assessments count, as they did. Imports
nothing of goals.portability (its export, checker and writer call these)."""

from datetime import datetime

from plans.models import CareerPlan
from plans.ratings.models import SkillRating
from plans.readiness import ChosenLevel
from skills.ladder.errors import ProblemPath, show
from skills.models import Skill


def ratings_doc(plan: CareerPlan, local_id) -> dict:
    """The plan's ratings (plan.ratings prefetched with their skills, oldest first), each by the
    name its rater had ("" for a former member: no address, no account), and the owner's current
    choices naming a rating by its id in the document."""
    ids: dict[int, str] = {}
    ratings = []
    for rating in plan.ratings.all():
        ids[rating.pk] = local_id("rating")
        ratings.append(
            {
                "id": ids[rating.pk],
                "skill": rating.skill.slug,
                "level": rating.level,
                "note": rating.note,
                "rater": rating.rater_name,
                "created_at": rating.created_at.isoformat(),
            }
        )
    slugs = {rating.skill_id: rating.skill.slug for rating in plan.ratings.all()}
    chosen = ChosenLevel.read_all(plan.chosen_levels)
    missing = [skill_id for skill_id in chosen if skill_id not in slugs]
    if missing:  # an agreed level of a skill no one rated: rare, one query
        slugs |= dict(Skill.objects.filter(pk__in=missing).values_list("pk", "slug"))
    chosen_levels = [
        {
            "skill": slugs[skill_id],
            "level": choice.level,
            "rating": ids.get(choice.rating) if choice.rating is not None else None,
            "chosen_at": choice.chosen_at.isoformat(),
        }
        for skill_id, choice in sorted(chosen.items())
        if skill_id in slugs
    ]
    return {"ratings": ratings, "chosen_levels": chosen_levels}


def rating_skills(plans: list[CareerPlan]) -> set[Skill]:
    """The skills the plans' ratings name, for the document's ladder."""
    return {rating.skill for plan in plans for rating in plan.ratings.all()}


def rating_references(plan: dict) -> list[tuple[str, list]]:
    """The skills a plan's ratings and chosen levels name, with where (for the import's preview)."""
    refs = [(r["skill"], ["ratings", i, "skill"]) for i, r in enumerate(plan.get("ratings", []))]
    return refs + [
        (c["skill"], ["chosen_levels", i, "skill"]) for i, c in enumerate(plan.get("chosen_levels", []))
    ]


def ratings_check(checker, plan: dict, base: ProblemPath) -> None:
    """Every problem of the plan's ratings and chosen levels, named where it is: the models' rules
    for each value (checker.values), ids used once, a choice naming a rating of its own skill and
    level on this plan, one choice a skill."""
    ratings: dict[str, dict] = {}
    for r, rating in enumerate(plan.get("ratings", [])):
        where = base + ["ratings", r]
        if rating["id"] in ratings:
            checker.problems.append((where + ["id"], f"{show(rating['id'])} is the id of another rating too"))
        ratings[rating["id"]] = rating
        checker.values(SkillRating, rating, where, ["level", "note", "created_at"])
    skills: set[str] = set()
    for c, choice in enumerate(plan.get("chosen_levels", [])):
        where = base + ["chosen_levels", c]
        if choice["skill"] in skills:
            checker.problems.append((where + ["skill"], "has a level chosen twice on this plan"))
        skills.add(choice["skill"])
        # A moment as every other one is read (a rating's created_at's rule), said of chosen_at.
        before = len(checker.problems)
        checker.values(SkillRating, {"created_at": choice["chosen_at"]}, where, ["created_at"])
        checker.problems[before:] = [
            (where + ["chosen_at"], message) for _, message in checker.problems[before:]
        ]
        named = choice["rating"]
        if named is None:
            continue
        rating = ratings.get(named)
        if rating is None:
            checker.problems.append((where + ["rating"], f"{show(named)} is not a rating of this plan"))
        elif (rating["skill"], rating["level"]) != (choice["skill"], choice["level"]):
            checker.problems.append(
                (where + ["rating"], f"{show(named)} is not a rating of this skill at this level")
            )


def ratings_write(plan: CareerPlan, doc: dict, skills: dict[str, Skill]) -> None:
    """The plan's ratings, by their raters' names and on no share or account (the mentor's access
    stayed on the instance it was given on: a former mentor's, here), and the owner's choices.
    Those of a skill this CareerPath lacks are left out (the preview says so)."""
    items = [item for item in doc.get("ratings", []) if item["skill"] in skills]
    rows = SkillRating.objects.bulk_create(
        [
            SkillRating(
                plan=plan,
                skill=skills[item["skill"]],
                rater_name=item["rater"],
                level=item["level"],
                note=item["note"],
                created_at=datetime.fromisoformat(item["created_at"]),
            )
            for item in items
        ]
    )
    pks = {item["id"]: row.pk for item, row in zip(items, rows, strict=True)}
    chosen = {}
    for item in doc.get("chosen_levels", []):
        if item["skill"] not in skills or (item["rating"] is not None and item["rating"] not in pks):
            continue
        rating = pks.get(item["rating"]) if item["rating"] is not None else None
        entry = ChosenLevel(
            level=item["level"], chosen_at=datetime.fromisoformat(item["chosen_at"]), rating=rating
        )
        chosen[str(skills[item["skill"]].pk)] = entry.as_json()
    if chosen:
        CareerPlan.objects.filter(pk=plan.pk).update(chosen_levels=chosen)
        plan.chosen_levels = chosen
