"""Caseworkers and team leaders read claims and their timelines."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "caseworker": ["view_claim", "change_claim", "view_claimevent"],
    "team leader": ["view_claim", "change_claim", "view_claimevent"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="benefits", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="benefits", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0005_claims_and_events")]

    operations = [migrations.RunPython(grant, revoke)]
