"""Questions whose answers the rules need: they now name the household facts they set."""

from django.db import migrations

PATHS = {
    ("becoming-a-carer", "cared_for_gets_benefit"): "claimant.cared_for_gets_qualifying_benefit",
    ("bereavement", "was_partner"): "bereavement.was_married_or_civil_partners",
}
NEW_QUESTIONS = {
    "bereavement": {
        "slug": "paid_ni",
        "text": "Did they pay National Insurance for at least 25 weeks, or die because of an accident at work or a disease caused by work?",
        "kind": "yes_no",
        "path": "bereavement.partner_paid_ni_or_industrial_cause",
        "hint": "Bereavement Support Payment depends on their National Insurance record.",
    },
}


def forwards(apps, schema_editor):
    LifeEvent = apps.get_model("journeys", "LifeEvent")
    for event in LifeEvent.objects.filter(
        code__in={code for code, _ in PATHS} | set(NEW_QUESTIONS)
    ):
        questions = [
            {**q, "path": PATHS.get((event.code, q["slug"]), q.get("path", ""))}
            for q in event.questions
        ]
        extra = NEW_QUESTIONS.get(event.code)
        if extra and all(q["slug"] != extra["slug"] for q in questions):
            questions.append(extra)
        event.questions = questions
        event.save(update_fields=["questions"])


class Migration(migrations.Migration):
    dependencies = [("journeys", "0002_life_events")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
