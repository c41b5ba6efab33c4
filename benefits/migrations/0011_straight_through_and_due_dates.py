"""Straight-through decisions for the simplest benefits; due dates and priorities for
claims already sent."""

from datetime import timedelta

from django.db import migrations

STRAIGHT_THROUGH = ["carers_allowance", "attendance_allowance", "jsa"]


def add_working_days(start, days):
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def forwards(apps, schema_editor):
    Benefit = apps.get_model("benefits", "Benefit")
    Claim = apps.get_model("benefits", "Claim")
    Benefit.objects.filter(code__in=STRAIGHT_THROUGH).update(straight_through=True)
    for claim in Claim.objects.filter(
        submitted_at__isnull=False, due_by__isnull=True
    ).select_related("benefit", "customer"):
        claim.due_by = add_working_days(claim.submitted_at.date(), claim.benefit.service_level_days)
        claim.priority = (
            2
            if claim.customer.needs_extra_support
            else (1 if claim.customer.accessibility_needs else 0)
        )
        claim.save(update_fields=["due_by", "priority"])


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0010_casework"),
        ("accounts", "0005_access_log_history_extra_support"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
