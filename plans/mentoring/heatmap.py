"""The skills heatmap across the people a person mentors: skills x people, each cell the gap to
that person's target role (or their level), with the team's totals per skill.

Every cell is a plans.readiness.SkillGap from CareerPlan.skill_gaps(), the plan page's own gap
rule: which level counts, and how a gap is worked out, are decided there and nowhere else.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO

from django.utils.functional import cached_property

from accounts.names import display_name
from base.words import counted
from plans.mentoring.forms import Show
from plans.models import CareerPlan
from plans.readiness import SkillGap
from skills.models import Skill

NOT_REQUIRED = "Not required"
NOT_ASSESSED = "Not assessed"
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection): such text is
# written with an apostrophe before it, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GAP_WORDS = {1: "one level", 2: "two levels"}


@dataclass(frozen=True)
class Person:
    plan: CareerPlan
    name: str

    @property
    def label(self) -> str:
        """The column's name: the person, and the plan when one person shares two."""
        return f"{self.name} ({self.plan.title})"


@dataclass(frozen=True)
class Cell:
    gap: SkillGap | None  # None: the person's target role does not require the skill
    show: Show

    @property
    def text(self) -> str:
        """What the cell says (never its colour alone): "−2", "Met", "3 of 4", "?", "—"."""
        if self.gap is None:
            return "—"
        if self.gap.current is None:
            return "?"
        if self.show == Show.LEVEL:
            return f"{self.gap.current} of {self.gap.required}"  # the gap in words too, not by colour alone
        return f"−{self.gap.gap}" if self.gap.gap else "Met"

    @property
    def words(self) -> str:
        """The cell in a sentence, for its title and for screen readers."""
        if self.gap is None:
            return "not required by their target role"
        if self.gap.current is None:
            return f"not assessed; {self.gap.required_label} required"
        if self.show == Show.LEVEL:
            return f"{self.gap.current_label} ({self.gap.current}); {self.gap.required_label} required"
        if not self.gap.gap:
            return f"met ({self.gap.current_label})"
        return f"{counted(self.gap.gap, 'level', 'levels')} short ({self.gap.current_label} of {self.gap.required_label})"

    @property
    def csv_value(self) -> str | int:
        if self.gap is None:
            return NOT_REQUIRED
        if self.gap.current is None:
            return NOT_ASSESSED
        return self.gap.current if self.show == Show.LEVEL else -(self.gap.gap or 0)

    @property
    def css(self) -> str:
        """The cell's colour class (the gap's, in either view): the plan page's gap badges."""
        if self.gap is None:
            return "heat-none"
        if self.gap.gap is None:
            return "heat-unknown"
        return f"gap-badge-{min(self.gap.gap, 3)}" if self.gap.gap else "heat-met"


@dataclass
class SkillRow:
    skill: Skill
    cells: list[Cell]
    people: int  # how many people the heatmap shows
    pairs: list[tuple[Person, Cell]] = field(default_factory=list)  # the phone's list

    @cached_property
    def short_by(self) -> Counter:
        """How many people are short by each number of levels (0: met)."""
        return Counter(c.gap.gap for c in self.cells if c.gap is not None and c.gap.gap is not None)

    @property
    def short(self) -> int:
        return sum(n for levels, n in self.short_by.items() if levels)

    @property
    def levels_short(self) -> int:
        return sum(levels * n for levels, n in self.short_by.items())

    @property
    def unassessed(self) -> int:
        return sum(1 for c in self.cells if c.gap is not None and c.gap.current is None)

    @property
    def not_required(self) -> int:
        return sum(1 for c in self.cells if c.gap is None)

    @property
    def totals(self) -> list[str]:
        """The team's totals for the skill, most levels short first: "4 of 6 people are two
        levels short", then those who meet it, have not assessed it, or do not need it."""
        of = f"of {self.people} {'person' if self.people == 1 else 'people'}"
        lines = [
            f"{n} {of} {'is' if n == 1 else 'are'} {GAP_WORDS.get(levels, f'{levels} levels')} short"
            for levels, n in sorted(self.short_by.items(), reverse=True)
            if levels
        ]
        if met := self.short_by.get(0):
            lines.append(f"{met} {of} {'meets' if met == 1 else 'meet'} it")
        if self.unassessed:
            lines.append(
                f"{self.unassessed} {of} {'has' if self.unassessed == 1 else 'have'} not assessed it"
            )
        if self.not_required:
            lines.append(f"{self.not_required} {of} {'does' if self.not_required == 1 else 'do'} not need it")
        return lines


@dataclass
class Heatmap:
    people: list[Person]
    rows: list[SkillRow] = field(default_factory=list)
    show: Show = Show.GAP

    @classmethod
    def of(cls, plans: list[CareerPlan], *, show: Show) -> "Heatmap":
        """The plans' gaps (from mentored_plans: no query), a row per skill any target role
        requires, the skills most people are short in first (then most levels short, then by
        name)."""
        people = [Person(plan, display_name(plan.owner)) for plan in plans]
        gaps = [{gap.skill.pk: gap for gap in plan.skill_gaps()} for plan in plans]
        skills = {gap.skill.pk: gap.skill for by_skill in gaps for gap in by_skill.values()}
        rows = []
        for pk, skill in skills.items():
            cells = [Cell(by_skill.get(pk), show) for by_skill in gaps]
            rows.append(SkillRow(skill, cells, len(people), list(zip(people, cells, strict=True))))
        rows.sort(key=lambda row: (-row.short, -row.levels_short, row.skill.name))
        return cls(people=people, rows=rows, show=show)

    def csv(self) -> str:
        """The same table as CSV: a row per skill, a column per person, then the team's totals."""
        out = StringIO()
        writer = csv.writer(out)
        writer.writerow(["Skill", *(safe(p.label) for p in self.people), "Team"])
        for row in self.rows:
            writer.writerow([safe(row.skill.name), *(c.csv_value for c in row.cells), "; ".join(row.totals)])
        return out.getvalue()


def safe(text: str) -> str:
    """Text a person wrote, as a spreadsheet shows it: never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
