"""What importing a ladder document would change, without changing anything: a dry run.

The preview runs import_ladder itself in a transaction that is then rolled back, noting each row
it creates or updates as Django's post_save and m2m_changed signals report it. So the preview is
exact (it is the import, not a second reading of the rules) and writes nothing: the rollback
undoes the rows and the ladder's version with them (base.versions).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save

from skills.ladder.writing import LADDER_MODELS, ImportResult, import_ladder


@dataclass
class KindChanges:
    """The entries of one kind (a model) an import creates and updates, by name."""

    singular: str
    plural: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def label(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"


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
        transaction.set_rollback(True)
    return LadderPreview(result=result, kinds=seen.by_kind())


class _Seen:
    """Rows created or updated, by model and primary key; a row created and then linked (a new
    role's industries) is one creation."""

    def __init__(self) -> None:
        self.rows: dict[tuple[type[models.Model], object], tuple[bool, str]] = {}

    def note(self, instance: models.Model, *, created: bool) -> None:
        model = type(instance)
        if model._meta.app_label != "skills" or model._meta.model_name not in LADDER_MODELS:
            return  # history rows (simple_history), anything else a signal handler saves
        key = (model, instance.pk)
        was_created = self.rows.get(key, (False, ""))[0]
        self.rows[key] = (was_created or created, str(instance))

    def by_kind(self) -> list[KindChanges]:
        kinds = []
        for model in apps.get_app_config("skills").get_models():
            names = [
                (created, name) for (row_model, _), (created, name) in self.rows.items() if row_model is model
            ]
            if not names:
                continue
            kind = KindChanges(str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
            kind.created = sorted((name for created, name in names if created), key=str.casefold)
            kind.updated = sorted((name for created, name in names if not created), key=str.casefold)
            kinds.append(kind)
        return kinds


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
