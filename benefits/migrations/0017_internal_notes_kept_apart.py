"""Internal notes kept apart from what the person sees.

Caseworkers' notes get their own table (``CaseNote``), and an award statement gets the
citizen-facing ``adjustment_reason``. Before this, the one "why the amount differs" box
went onto the statement as the adjustment line's note, and caseworkers used it for
internal notes: on statements already issued, that text moves to a staff-only note on the
same statement, and the person's line says only that a caseworker changed the amount.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

NEUTRAL = "A caseworker changed the amount the rules worked out."


def move_adjustment_notes_to_staff(apps, schema_editor):
    AwardStatement = apps.get_model("benefits", "AwardStatement")
    CaseNote = apps.get_model("benefits", "CaseNote")
    for statement in AwardStatement.objects.filter(elements__contains=[{"code": "adjustment"}]):
        elements = []
        for element in statement.elements:
            note = str(element.get("note") or "").strip()
            if element.get("code") == "adjustment" and note and note != NEUTRAL:
                CaseNote.objects.create(
                    claim_id=statement.claim_id, statement=statement, by=statement.issued_by,
                    text=f"Reason typed for the adjustment on statement {statement.version}: {note}",
                )  # fmt: skip
                element = {**element, "note": NEUTRAL}
            elements.append(element)
        statement.elements = elements
        statement.adjustment_reason = NEUTRAL
        statement.save(update_fields=["elements", "adjustment_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0016_payments_never_overlap"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="awardstatement",
            name="adjustment_reason",
            field=models.TextField(
                blank=True,
                help_text="For the person: printed on the statement and in the letter.",
                max_length=2000,
                verbose_name="why the amount differs from the rules' amount",
            ),
        ),
        migrations.CreateModel(
            name="CaseNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="when")),
                ("text", models.TextField(max_length=4000, verbose_name="note")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="benefits.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "statement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="benefits.awardstatement",
                        verbose_name="about award statement",
                    ),
                ),
            ],
            options={
                "verbose_name": "internal note",
                "verbose_name_plural": "internal notes",
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["claim", "at"], name="ben_casenote_claim_idx")],
            },
        ),
        migrations.RunPython(move_adjustment_notes_to_staff, migrations.RunPython.noop),
    ]
