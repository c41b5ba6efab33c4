"""Caseworkers and team leaders see deliveries and work the print queue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_delivery", "view_printqueueentry", "change_printqueueentry"]
GROUPS = ["caseworker", "team leader"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="notifications", codename__in=CODENAMES
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="notifications", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_preferences_reminders"),
        ("accounts", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
