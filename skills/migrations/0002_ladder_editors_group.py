"""The "Ladder editors" group: staff who curate the career framework and nothing else.

Permissions are normally created by a post_migrate signal, which has not run yet while
this migration runs on a fresh database, so they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Ladder editors"
# Every concrete skills model. The auto-created through tables (Certification.roles,
# Role.industries) have no permissions of their own: the admin checks the related model's.
MODELS = ["track", "industry", "role", "transition", "skill", "roleskill", "certification", "goaltemplate"]
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = list(
        Permission.objects.using(db_alias).filter(content_type__app_label="skills", codename__in=codenames)
    )
    if len(permissions) != len(codenames):
        found = {permission.codename for permission in permissions}
        raise RuntimeError(f"Missing skills permissions: {sorted(set(codenames) - found)}")
    group, _ = Group.objects.using(db_alias).get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0001_framework"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
