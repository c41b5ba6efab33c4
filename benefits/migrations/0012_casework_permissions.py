"""Casework permissions, least privilege: caseworkers decide claims and see the history and
access log; only team leaders reassign claims between caseworkers. Neither may change
rates or delete claims (no such permission is granted)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMON = [
    ("benefits", "decide_claims"),
    ("benefits", "view_historicalclaim"),
    ("accounts", "view_historicalcustomer"),
    ("accounts", "view_historicalfact"),
    ("accounts", "view_accessevent"),
]
PERMISSIONS = {
    "caseworker": COMMON,
    "team leader": [*COMMON, ("benefits", "reassign_claims")],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            for app_label, codename in perms:
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0011_straight_through_and_due_dates"),
        ("accounts", "0005_access_log_history_extra_support"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
