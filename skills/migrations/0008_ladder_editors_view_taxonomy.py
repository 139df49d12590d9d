"""Ladder editors search the taxonomy catalogue: the group may view its three models, no more
(the catalogue changes only by import_taxonomy). Permissions are created first, as in 0005."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Ladder editors"  # = 0002_ladder_editors_group.GROUP_NAME
CODENAMES = [f"view_{model}" for model in ("taxonomyoccupation", "taxonomyskill", "taxonomyrelation")]


def grant(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.using(db_alias).filter(content_type__app_label="skills", codename__in=CODENAMES)
    )
    if len(permissions) != len(CODENAMES):
        found = {permission.codename for permission in permissions}
        raise RuntimeError(f"Missing skills permissions: {sorted(set(CODENAMES) - found)}")
    group, _ = Group.objects.using(db_alias).get_or_create(name=GROUP_NAME)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db_alias = schema_editor.connection.alias
    group = Group.objects.using(db_alias).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(db_alias).filter(
                content_type__app_label="skills", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0007_taxonomy_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
