"""The rows the admin edits inside another's page: a track's ladder, a role's requirements, next
roles and certifications, a skill's learning resources."""

from typing import Any

from django.contrib import admin
from django.db import models

from skills.admin_forms import LearningResourceForm, RoleSkillForm, TransitionForm
from skills.models import Certification, LearningResource, Role, RoleSkill, Transition

# The many-to-many tables Django creates have no model of ours to carry a __str__, so an inline row
# or a deletion summary read "Certification_roles object (3)". Name them for what they mean.
# (Any: mypy knows the tables Django builds only as Model, whose __str__ it will not let us replace.)
certification_roles: Any = Certification.roles.through
certification_roles.__str__ = lambda link: f"{link.certification} recommended for {link.role}"
role_industries: Any = Role.industries.through
role_industries.__str__ = lambda link: f"{link.role} in {link.industry}"


class AutocompleteInline(admin.TabularInline):
    """An inline whose rows pick a related row by typing (``autocomplete_fields``)."""

    def get_queryset(self, request):
        # Each row's picker shows the chosen row's name: joined here, not one query per row.
        return super().get_queryset(request).select_related(*self.autocomplete_fields)


class RoleInline(admin.TabularInline):
    """A track's ladder, bottom rung first."""

    model = Role
    fields = ["title", "slug", "level", "is_entry_point"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["level", "title"]
    show_change_link = True
    extra = 0


class RequirementInline(AutocompleteInline):
    model = RoleSkill
    form = RoleSkillForm
    fields = ["skill", "level"]
    autocomplete_fields = ["skill"]
    ordering = ["-level", "skill__name"]
    extra = 1
    verbose_name = "skill requirement"
    verbose_name_plural = "skill requirements"


class TransitionOutInline(AutocompleteInline):
    model = Transition
    form = TransitionForm
    fk_name = "from_role"
    fields = ["to_role", "note"]
    autocomplete_fields = ["to_role"]
    extra = 0
    verbose_name = "next role"
    verbose_name_plural = "next roles (transitions out of this role)"


class RecommendedCertificationInline(AutocompleteInline):
    model = Certification.roles.through
    autocomplete_fields = ["certification"]
    extra = 0
    verbose_name = "recommended certification"
    verbose_name_plural = "recommended certifications"


class LearningResourceInline(admin.TabularInline):
    """A skill's resources, lowest level first: what someone on the way up reads, takes or joins."""

    model = LearningResource
    form = LearningResourceForm
    fields = ["title", "slug", "kind", "level", "provider", "url", "hours"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["level", "title"]
    extra = 0
    verbose_name_plural = "learning resources (books, courses, communities… that help reach a level)"
