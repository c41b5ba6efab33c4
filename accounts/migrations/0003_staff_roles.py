"""Create the caseworker and team leader groups with their model permissions.

Later migrations that add models grant their permissions to these groups in the same way.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASEWORKER = "caseworker"
TEAM_LEADER = "team leader"

PERMISSIONS = {
    CASEWORKER: [
        ("accounts", "view_customer"),
        ("accounts", "add_customer"),
        ("accounts", "change_customer"),
        ("accounts", "view_householdmember"),
        ("accounts", "add_householdmember"),
        ("accounts", "change_householdmember"),
        ("accounts", "view_fact"),
        ("accounts", "add_fact"),
    ],
    TEAM_LEADER: [
        ("accounts", "view_customer"),
        ("accounts", "add_customer"),
        ("accounts", "change_customer"),
        ("accounts", "view_householdmember"),
        ("accounts", "add_householdmember"),
        ("accounts", "change_householdmember"),
        ("accounts", "view_fact"),
        ("accounts", "add_fact"),
        ("accounts", "view_user"),
        ("portal", "view_heartbeat"),
        ("portal", "view_workerprobe"),
        ("portal", "add_workerprobe"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
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


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_customer_household_facts"),
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
