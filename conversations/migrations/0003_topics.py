"""The topics people choose from when they ask a question. Editable in the admin afterwards.

The content is data, not code: staff change it in the admin, so it is not marked for
translation here. No team yet: each agency gives the topics to its own teams.
"""

from django.db import migrations

TOPICS = [
    {
        "code": "your-claim",
        "name": "A claim or application",
        "hint": "Where your claim is up to, or a question about an application you have sent.",
        "service_level_days": 2,
        "display_order": 10,
    },
    {
        "code": "payments",
        "name": "Payments",
        "hint": "A payment that is late, missing or not the amount you expected.",
        "service_level_days": 2,
        "display_order": 20,
    },
    {
        "code": "documents",
        "name": "Documents and evidence",
        "hint": "Sending us a document, or a question about one we asked you for.",
        "service_level_days": 2,
        "display_order": 30,
    },
    {
        "code": "change-in-your-life",
        "name": "A change in your life",
        "hint": (
            "Something has changed, such as your address, your income or who lives with you. "
            "You can also report a change from Your services."
        ),
        "service_level_days": 2,
        "display_order": 40,
    },
    {
        "code": "complaint",
        "name": "A complaint",
        "hint": "You are unhappy with our service or how we treated you. We answer complaints within 5 working days.",
        "service_level_days": 5,
        "display_order": 80,
    },
    {
        "code": "something-else",
        "name": "Something else",
        "hint": "",
        "service_level_days": 2,
        "display_order": 90,
    },
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("conversations", "Topic")
    for entry in TOPICS:
        Topic.objects.update_or_create(code=entry["code"], defaults=entry)


def backwards(apps, schema_editor):
    Topic = apps.get_model("conversations", "Topic")
    # A topic a conversation uses is kept (PROTECT): only the unused ones go.
    Topic.objects.filter(code__in=[t["code"] for t in TOPICS], conversations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("conversations", "0002_take_next_index_and_staff_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
