"""Caseworkers and team leaders record appointees and organisations (after checking
evidence), see the people's representatives and what they did, and see "Download my data"
jobs (what failed and why). Only team leaders stop a representative from the workspace."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASEWORKER = [
    ("representatives", "view_representation"),
    ("representatives", "add_representation"),
    ("representatives", "view_representativeaction"),
    ("representatives", "view_organisation"),
    ("representatives", "add_organisation"),
    ("representatives", "change_organisation"),
    ("representatives", "view_dataexport"),
]
TEAM_LEADER = [*CASEWORKER, ("representatives", "change_representation")]
PERMISSIONS = {"caseworker": CASEWORKER, "team leader": TEAM_LEADER}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
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
        ("representatives", "0006_consent_append_only_and_permissions"),
        ("accounts", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
