"""Consent records are append-only in the database too, and caseworkers get the
permissions to read consents and to decide correction requests.

The trigger refuses every UPDATE of a consent record but the one Django's ``SET_NULL``
makes when the recording user's account is deleted (``recorded_by_id`` to null, nothing
else). DELETE is left to the ORM's refusal, so the rows still go with their person
(``Customer`` deleted by the retention schedule: a cascade).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION representatives_consent_append_only() RETURNS trigger AS $$
BEGIN
    IF NEW.recorded_by_id IS NULL
       AND (to_jsonb(NEW) - 'recorded_by_id') = (to_jsonb(OLD) - 'recorded_by_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'consent records are append-only: record a new one'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER representatives_consent_append_only
    BEFORE UPDATE ON representatives_consentrecord
    FOR EACH ROW EXECUTE FUNCTION representatives_consent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS representatives_consent_append_only ON representatives_consentrecord;
DROP FUNCTION IF EXISTS representatives_consent_append_only();
"""

CASEWORKER = [
    ("representatives", "view_consentrecord"),
    ("representatives", "view_correctionrequest"),
    ("representatives", "change_correctionrequest"),
]
PERMISSIONS = {"caseworker": CASEWORKER, "team leader": CASEWORKER}


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
        ("representatives", "0005_consents_corrections"),
        ("accounts", "0003_staff_roles"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP),
        migrations.RunPython(grant, revoke),
    ]
