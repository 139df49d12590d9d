"""What importing a ladder document would change, without changing anything: a dry run.

The preview runs import_ladder itself in a transaction that is then rolled back, noting each row
it creates or updates as Django's post_save and m2m_changed signals report it. So the preview is
exact (it is the import, not a second reading of the rules) and writes nothing: the rollback
undoes the rows and the ladder's version with them (base.versions).

A change to what an existing role requires (a requirement added, or its level changed; import
never removes one) says how many plans it reaches: plans whose current or target role that
role is. Plans live in an app above this one, which registers the count (register_plan_counter,
from PlansConfig.ready): one query for all the roles the file changes.
"""

import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save

from base.words import counted
from skills.ladder.writing import LADDER_MODELS, ImportResult, import_ladder
from skills.models import Role, RoleSkill

# {role pk: how many plans have it as their current or target role}, for the roles given.
PlanCounter = Callable[[Collection[int]], Mapping[int, int]]
_plan_counter: PlanCounter | None = None


def register_plan_counter(counter: PlanCounter) -> None:
    global _plan_counter
    _plan_counter = counter


@dataclass(frozen=True)
class Change:
    """One entry an import creates or updates, by name. ``plans``: for a change to what an
    existing role requires, how many plans name that role; None for any other change."""

    name: str
    plans: int | None = None

    def __str__(self) -> str:
        return self.name

    @property
    def reach(self) -> str:
        """'affects 3 plans'."""
        return f"affects {counted(self.plans or 0, 'plan', 'plans', spelled=False)}"


@dataclass
class KindChanges:
    """The entries of one kind (a model) an import creates and updates, by name."""

    singular: str
    plural: str
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)

    def label(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"

    @property
    def reaches_plans(self) -> bool:
        return any(change.plans is not None for change in self.created + self.updated)


@dataclass
class LadderPreview:
    result: ImportResult  # the counts import_ladder reports
    kinds: list[KindChanges]  # only the kinds with a change, in the skills app's model order

    @property
    def nothing_to_change(self) -> bool:
        return not (self.result.total_created or self.result.total_updated)

    def __str__(self) -> str:
        """'create 1 track, 2 roles; update 1 skill', in the order of the kinds."""
        created = [kind.label(len(kind.created)) for kind in self.kinds if kind.created]
        updated = [kind.label(len(kind.updated)) for kind in self.kinds if kind.updated]
        return f"create {', '.join(created) or 'nothing'}; update {', '.join(updated) or 'nothing'}"


def preview_ladder(data: dict) -> LadderPreview:
    """What import_ladder(data) would create and update, by kind and name; writes nothing.

    Raises LadderError, listing every problem, exactly when import_ladder would.
    """
    with transaction.atomic(), _recording() as seen:
        result = import_ladder(data)
        kinds = seen.by_kind()
        transaction.set_rollback(True)
    return LadderPreview(result=result, kinds=kinds)


@dataclass
class _Row:
    created: bool
    name: str
    needs_of: int | None  # the role whose requirements the row is, if it is one


class _Seen:
    """Rows created or updated, by model and primary key; a row created and then linked (a new
    role's industries) is one creation."""

    def __init__(self) -> None:
        self.rows: dict[tuple[type[models.Model], object], _Row] = {}

    def note(self, instance: models.Model, *, created: bool) -> None:
        model = type(instance)
        if model._meta.app_label != "skills" or model._meta.model_name not in LADDER_MODELS:
            return  # history rows (simple_history), anything else a signal handler saves
        key = (model, instance.pk)
        was_created = key in self.rows and self.rows[key].created
        needs_of = instance.role_id if isinstance(instance, RoleSkill) else None
        self.rows[key] = _Row(was_created or created, str(instance), needs_of)

    def plans_by_role(self) -> Mapping[int, int] | None:
        """How many plans name each existing role whose requirements change, in one query; None
        when no app counts plans."""
        if _plan_counter is None:
            return None
        roles = {row.needs_of for row in self.rows.values() if row.needs_of is not None}
        existing = {pk for pk in roles if not self.created(Role, pk)}
        return _plan_counter(existing) if existing else {}

    def created(self, model: type[models.Model], pk: object) -> bool:
        return (model, pk) in self.rows and self.rows[model, pk].created

    def by_kind(self) -> list[KindChanges]:
        plans = self.plans_by_role()
        kinds = []
        for model in apps.get_app_config("skills").get_models():
            rows = [row for (row_model, _), row in self.rows.items() if row_model is model]
            if not rows:
                continue
            kind = KindChanges(str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
            changes = sorted(
                ((row.created, Change(row.name, self.reach(row, plans))) for row in rows),
                key=lambda pair: pair[1].name.casefold(),
            )
            kind.created = [change for created, change in changes if created]
            kind.updated = [change for created, change in changes if not created]
            kinds.append(kind)
        return kinds

    def reach(self, row: _Row, plans: Mapping[int, int] | None) -> int | None:
        if plans is None or row.needs_of is None or self.created(Role, row.needs_of):
            return None  # not a requirement, or one of a role the file creates: no plan names it
        return plans.get(row.needs_of, 0)


@contextmanager
def _recording() -> Iterator[_Seen]:
    """Note the rows this thread saves or links while the block runs. Signals are process-wide:
    the thread check keeps a concurrent request's writes (threaded servers) out of this preview."""
    seen, thread = _Seen(), threading.get_ident()

    def saved(sender, instance, created, **kwargs) -> None:
        if threading.get_ident() == thread:
            seen.note(instance, created=created)

    def linked(sender, instance, action, **kwargs) -> None:
        if action in ("post_add", "post_remove", "post_clear") and threading.get_ident() == thread:
            seen.note(instance, created=False)

    uid = f"ladder-preview-{id(seen)}"
    post_save.connect(saved, weak=False, dispatch_uid=uid)
    m2m_changed.connect(linked, weak=False, dispatch_uid=uid)
    try:
        yield seen
    finally:
        post_save.disconnect(dispatch_uid=uid)
        m2m_changed.disconnect(dispatch_uid=uid)
