"""Before one claim in progress per person and benefit becomes a constraint (0017): where a
person has more than one, the earliest sent is kept; later ones that were sent are closed
(the person is told why, on its timeline), and drafts are removed, their documents moved
to the claim that is kept so no evidence is lost."""

from django.db import migrations
from django.db.models import Count

IN_PROGRESS = [
    "draft",
    "submitted",
    "in_review",
    "information_requested",
    "reconsideration_requested",
]
REASON = (
    "We closed this application because you sent another one for the same benefit. "
    "We are dealing with claim %(reference)s instead."
)


def close_duplicates(apps, schema_editor):
    Claim = apps.get_model("benefits", "Claim")
    ClaimEvent = apps.get_model("benefits", "ClaimEvent")
    Document = apps.get_model("benefits", "Document")
    in_progress = Claim.objects.filter(status__in=IN_PROGRESS)
    groups = in_progress.values("customer_id", "benefit_id").annotate(n=Count("pk")).filter(n__gt=1)
    for group in groups:
        kept, *others = in_progress.filter(
            customer_id=group["customer_id"], benefit_id=group["benefit_id"]
        ).order_by("submitted_at", "created_at", "pk")  # drafts (never sent) sort last
        for claim in others:
            if claim.status == "draft":
                Document.objects.filter(claim=claim).update(claim=kept)
                claim.delete()
                continue
            ClaimEvent.objects.create(
                claim=claim, from_status=claim.status, to_status="closed", kind="status",
                reason=REASON % {"reference": kept.reference or ""}, visible_to_customer=True,
            )  # fmt: skip
            claim.status = "closed"
            claim.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("benefits", "0017_internal_notes_kept_apart")]

    operations = [migrations.RunPython(close_duplicates, migrations.RunPython.noop)]
