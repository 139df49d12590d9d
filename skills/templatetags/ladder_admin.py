"""``{{ user|may_import_ladder }}``: whether the admin offers "Import a ladder file" to this person."""

from django import template

from skills.ladder.writing import may_import_ladder as _may_import_ladder

register = template.Library()


@register.filter
def may_import_ladder(user) -> bool:
    return _may_import_ladder(user)
