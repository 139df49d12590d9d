"""Every change to the career framework moves the ladder's version (base.versions)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from base import versions


def ladder_changed(**kwargs) -> None:
    versions.bump(versions.LADDER)


def connect() -> None:
    for model in apps.get_app_config("skills").get_models():
        post_save.connect(ladder_changed, sender=model, dispatch_uid=f"ladder-save-{model.__name__}")
        post_delete.connect(ladder_changed, sender=model, dispatch_uid=f"ladder-delete-{model.__name__}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                ladder_changed, sender=field.remote_field.through, dispatch_uid=f"ladder-m2m-{field}"
            )
