"""The take-next index (unassigned conversations waiting for us, in queue order), and the
staff groups' permissions: caseworkers answer conversations; team leaders also give them
to others and to teams (and are the supervisors), and edit topics and reply templates."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CASEWORKER = [
    "view_conversation", "work_conversations", "view_topic", "view_replytemplate",
]  # fmt: skip
PERMISSIONS = {
    "caseworker": CASEWORKER,
    "team leader": [
        *CASEWORKER, "transfer_conversations", "add_topic", "change_topic",
        "add_replytemplate", "change_replytemplate", "delete_replytemplate",
    ],
}  # fmt: skip


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
                content_type__app_label="conversations", codename__in=codenames
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
                    content_type__app_label="conversations", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", True), ("status", "waiting_for_us")),
                fields=["reply_due_on", "waiting_since"],
                name="conv_next",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
