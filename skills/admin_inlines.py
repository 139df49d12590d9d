"""The rows the admin edits inside another's page: a track's ladder, a role's requirements, next
roles and certifications, a skill's learning resources.

Every row is a table row of its fields, without Django's caption above it (the row's name, which
repeats the page's own title and the row's fields: "Senior Product Manager: Data analytics at
Expert" over a row that picks Data analytics and Expert): templates/admin/skills/edit_inline/.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.forms.models import BaseInlineFormSet

from skills.admin_forms import LearningResourceForm, RoleSkillForm, TransitionForm
from skills.models import Certification, LearningResource, Role, RoleSkill, Transition

# The many-to-many tables Django creates have no model of ours to carry a __str__, so an inline row
# or a deletion summary read "Certification_roles object (3)". Name them for what they mean.
# (Any: mypy knows the tables Django builds only as Model, whose __str__ it will not let us replace.)
certification_roles: Any = Certification.roles.through
certification_roles.__str__ = lambda link: f"{link.certification} recommended for {link.role}"
role_industries: Any = Role.industries.through
role_industries.__str__ = lambda link: f"{link.role} in {link.industry}"


class Inline(admin.TabularInline):
    """A tabular inline whose rows carry no caption (see the module's docstring)."""

    template = "admin/skills/edit_inline/tabular.html"


class PickedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, naming the row already picked from ``picked``, the row its form's
    instance holds (joined by the inline's query), instead of asking the database for it: the
    stock widget asks once per row. Any other value (a row picked anew, on a form sent back with
    an error) is looked up as Django does."""

    picked: models.Model | None = None

    def optgroups(self, name, value, attr=None):
        picked = self.picked
        key = None if picked is None else str(getattr(picked, self.field.target_field.attname))
        if key is None or [str(v) for v in value if str(v) not in self.choices.field.empty_values] != [key]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(picked)
        options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class PickedRowsFormSet(BaseInlineFormSet):
    """Hands each form's pickers the rows its instance already holds (PickedAutocompleteSelect)."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
            if isinstance(widget, PickedAutocompleteSelect) and form.instance._meta.get_field(name).is_cached(
                form.instance
            ):
                widget.picked = getattr(form.instance, name)


class AutocompleteInline(Inline):
    """An inline whose rows pick a related row by typing (``autocomplete_fields``). The rows come
    with the rows they picked (select_related), and each picker names its row from there, so the
    page costs the same queries for 5 rows or 50."""

    formset = PickedRowsFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PickedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleInline(Inline):
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


class LearningResourceInline(Inline):
    """A skill's resources, lowest level first: what someone on the way up reads, takes or joins."""

    model = LearningResource
    form = LearningResourceForm
    fields = ["title", "slug", "kind", "level", "provider", "url", "hours"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["level", "title"]
    extra = 0
    verbose_name_plural = "learning resources (books, courses, communities… that help reach a level)"
