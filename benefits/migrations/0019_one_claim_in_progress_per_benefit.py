"""One claim in progress (draft or sent, not yet decided) per person and benefit."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_access_log_history_extra_support"),
        ("benefits", "0018_close_duplicate_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="claim",
            name="benefits_claim_one_draft_per_benefit",
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "draft",
                            "submitted",
                            "in_review",
                            "information_requested",
                            "reconsideration_requested",
                        ],
                    )
                ),
                fields=("customer", "benefit"),
                name="benefits_claim_one_in_progress_per_benefit",
            ),
        ),
    ]
