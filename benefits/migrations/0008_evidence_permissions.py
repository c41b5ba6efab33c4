"""Caseworkers and team leaders see the evidence, requests, decisions, statements and
payments of claims, and the notifications sent; they accept or reject documents."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVIDENCE = [
    "view_document",
    "change_document",
    "view_informationrequest",
    "view_decision",
    "view_awardstatement",
    "view_payment",
    "view_notification",
]
PERMISSIONS = {
    "caseworker": EVIDENCE,
    "team leader": EVIDENCE,
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
            *Permission.objects.filter(
                content_type__app_label__in=["benefits", "notifications"], codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label__in=["benefits", "notifications"],
                    codename__in=codenames,
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0007_claims_evidence_decisions_payments"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
