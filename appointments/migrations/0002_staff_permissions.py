"""Appointments' permissions for the staff groups, least privilege: caseworkers see the
offices, availability and slots, work their teams' appointments (record the outcome) and
their follow-ups; team leaders also set availability and generate slots. Nobody deletes an
appointment (no such permission is granted)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASEWORKER = [
    ("appointments", "view_office"),
    ("appointments", "view_availability"),
    ("appointments", "view_slot"),
    ("appointments", "view_appointment"),
    ("appointments", "work_appointments"),
    ("appointments", "view_followup"),
    ("appointments", "change_followup"),
]
PERMISSIONS = {
    "caseworker": CASEWORKER,
    "team leader": [
        *CASEWORKER,
        ("appointments", "add_office"),
        ("appointments", "change_office"),
        ("appointments", "add_availability"),
        ("appointments", "change_availability"),
        ("appointments", "change_slot"),
    ],
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
        ("appointments", "0001_initial"),
        ("accounts", "0003_staff_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
