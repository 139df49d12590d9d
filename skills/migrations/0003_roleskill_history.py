"""History for role requirements, starting from a baseline of the requirements that exist now.

The baseline rows say what each requirement was when history began, so the first later level
change can be told as "3 → 4". They carry BASELINE_REASON and are never shown as changes
(skills.history reads them as the state before any window).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BASELINE_REASON = "Baseline: requirement history began"  # = skills.history.BASELINE_REASON


def record_baseline(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    RoleSkill = apps.get_model("skills", "RoleSkill")
    HistoricalRoleSkill = apps.get_model("skills", "HistoricalRoleSkill")
    now = timezone.now()
    HistoricalRoleSkill.objects.using(db_alias).bulk_create(
        HistoricalRoleSkill(
            id=requirement.pk,
            role_id=requirement.role_id,
            skill_id=requirement.skill_id,
            level=requirement.level,
            history_date=now,
            history_type="+",
            history_change_reason=BASELINE_REASON,
        )
        for requirement in RoleSkill.objects.using(db_alias).all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0002_ladder_editors_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRoleSkill",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Awareness"),
                            (2, "Working knowledge"),
                            (3, "Practitioner"),
                            (4, "Advanced"),
                            (5, "Expert"),
                        ],
                        verbose_name="required proficiency",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="skills.role",
                    ),
                ),
                (
                    "skill",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="skills.skill",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical skill requirement",
                "verbose_name_plural": "historical skill requirements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_baseline, migrations.RunPython.noop),
    ]
