"""The retention schedule's dry run at national scale, on a database of its own
(``portal_bench``), never the development one. Run by ``make bench`` in a subprocess with
that database configured (or by hand: ``DATABASE_URL=… python -m bench.retention``).

1,000,000 customers (3% with a closed account, closed up to ten years ago), a claim each in
every state with dates over the last ten years (but a third of the closed accounts, whose
claims have gone), documents on two claims in five, 1,000,000 notifications with a delivery
each, 1,000,000 facts, 1,000,000 access events and 200,000 closed conversations with two
messages each: a realistic share of it past its period.

``apply_retention --dry-run`` is timed (target: under 60 s) and must delete nothing: the
rows of every table are counted before and after. Seeded with set-based SQL. Prints
figures; never fails on speed (it fails only if the dry run changed something).
"""

from __future__ import annotations

import io
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_RETENTION_CUSTOMERS", "1000000"))
PREFIX = "R-"  # customer references of their own, beside the other benchmarks'
TABLES = [
    "accounts_customer",
    "accounts_historicalcustomer",
    "accounts_fact",
    "accounts_accessevent",
    "benefits_claim",
    "benefits_document",
    "notifications_notification",
    "notifications_delivery",
    "conversations_conversation",
    "conversations_message",
]


def sql(statement: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})
        return cursor.rowcount


def step(label: str, statement: str, params: dict | None = None) -> None:
    started = time.perf_counter()
    rows = sql(statement, params)
    print(f"  {label:<44}{rows:>12,} rows {time.perf_counter() - started:>7.1f} s", flush=True)


def seed() -> None:
    from accounts.models import User

    staff, _ = User.objects.get_or_create(email="retention-bench@example.org", is_staff=True)
    params = {"count": CUSTOMERS, "prefix": PREFIX, "like": PREFIX + "%", "staff": staff.pk}
    print(f"Seeding {CUSTOMERS:,} customers and their records:")
    # Ages spread over ten years by a multiplicative hash of i, so every period has some
    # rows on either side of its cut-off.
    step(
        "customers (3% closed)",
        """
        INSERT INTO accounts_customer
            (reference, legal_given_names, legal_family_name, preferred_name, date_of_birth,
             ni_number, email, phone, address_line_1, address_line_2, town, postcode,
             preferred_language, contact_channels, accessibility_needs, reasonable_adjustments,
             needs_extra_support, created_at, updated_at, account_closed_at)
        SELECT %(prefix)s || lpad(to_hex(i), 10, '0'), 'Test', 'Person ' || i, '',
               DATE '1950-01-01' + ((i::bigint * 7919) %% 20000)::int, NULL,
               'retention' || i || '@example.org', '', '1 High Street', '', 'Leeds', 'LS1 4DY',
               'en-gb', '{email}', '{}', '', false, now(), now(),
               CASE WHEN i %% 100 < 3
                    THEN now() - make_interval(days => ((i::bigint * 2654435761) %% 3650)::int)
               END
        FROM generate_series(1, %(count)s) AS i
        """,
        params,
    )
    step(
        "claims (one each but a third of closed accounts)",
        """
        WITH b AS (SELECT array_agg(id ORDER BY id) AS ids FROM benefits_benefit),
        s AS (
            SELECT c.id AS customer_id, b.ids,
                   (ARRAY['draft','submitted','in_review','awarded','awarded','awarded',
                          'refused','refused','closed','withdrawn'])[1 + c.id %% 10] AS status,
                   now() - make_interval(days => ((c.id * 2654435761) %% 3650)::int) AS at
            FROM accounts_customer c, b
            WHERE c.reference LIKE %(like)s
              AND (c.account_closed_at IS NULL OR c.id %% 3 <> 0)
        )
        INSERT INTO benefits_claim
            (customer_id, benefit_id, reference, status, answers, version, created_at,
             updated_at, submitted_at, decided_at, answers_sha256, priority)
        SELECT customer_id, ids[1 + customer_id %% array_length(ids, 1)],
               CASE WHEN status <> 'draft' THEN 'CL-R' || lpad(customer_id::text, 10, '0') END,
               status, '{}', 1, at - interval '30 days', at,
               CASE WHEN status <> 'draft' THEN at - interval '30 days' END,
               CASE WHEN status IN ('awarded', 'refused', 'closed') THEN at END, '', 0
        FROM s
        """,
        params,
    )
    step(
        "documents (on two in five claims)",
        """
        INSERT INTO benefits_document
            (claim_id, evidence_kind, original_name, file, content_type, size, sha256,
             stored_sha256, state, state_reason, automated_check, uploaded_at)
        SELECT c.id, 'Payslip', 'payslip.pdf', 'bench/' || c.id || '.pdf', 'application/pdf',
               1000, repeat('0', 64), '', 'accepted', '', '', c.created_at
        FROM benefits_claim c
        WHERE c.reference LIKE 'CL-R%%' AND c.id %% 5 < 2
        """,
    )
    step(
        "notifications (one each)",
        """
        INSERT INTO notifications_notification
            (customer_id, kind, title, body, link, created_at, read_at)
        SELECT c.id, 'status', 'Your claim', '', '',
               now() - make_interval(days => ((c.id * 40503) %% 1460)::int), NULL
        FROM accounts_customer c
        WHERE c.reference LIKE %(like)s
        """,
        params,
    )
    step(
        "deliveries (one per notification)",
        """
        INSERT INTO notifications_delivery
            (notification_id, channel, status, attempts, last_error, next_attempt_at,
             sent_at, provider_id, created_at, updated_at)
        SELECT n.id, 'email', 'sent', 1, '', n.created_at, n.created_at, '', n.created_at,
               n.created_at
        FROM notifications_notification n
        JOIN accounts_customer c ON c.id = n.customer_id AND c.reference LIKE %(like)s
        """,
        params,
    )
    step(
        "facts (one each)",
        """
        INSERT INTO accounts_fact
            (customer_id, kind, value, effective_from, recorded_at, source, note)
        SELECT id, 'weekly_earnings', '"120.00"', DATE '2020-01-01', now(), 'customer', ''
        FROM accounts_customer WHERE reference LIKE %(like)s
        """,
        params,
    )
    step(
        "access events (one each)",
        """
        INSERT INTO accounts_accessevent
            (customer_id, customer_ids, staff_id, role, at, what, page, model, object_id,
             object_ids, search, view)
        SELECT id, ARRAY[id], %(staff)s, 'Caseworker',
               now() - make_interval(days => ((id * 48271) %% 1460)::int),
               'customer', 'detail', 'accounts.customer', id, '{}', '', 'bench'
        FROM accounts_customer WHERE reference LIKE %(like)s
        """,
        params,
    )
    step(
        "closed conversations (one in five customers)",
        """
        WITH t AS (SELECT min(id) AS topic FROM conversations_topic)
        INSERT INTO conversations_conversation
            (customer_id, topic_id, subject, reference, status, created_at, last_message_at,
             needs_supervisor, supervisor_reason, closed_at)
        SELECT c.id, t.topic, 'A question', 'MSG-R' || lpad(c.id::text, 12, '0'), 'closed',
               now() - make_interval(days => ((c.id * 69621) %% 1460)::int),
               now() - make_interval(days => ((c.id * 69621) %% 1460)::int), false, '', now()
        FROM accounts_customer c, t
        WHERE c.reference LIKE %(like)s AND c.id %% 5 = 0
        """,
        params,
    )
    step(
        "messages (two per conversation)",
        """
        INSERT INTO conversations_message (conversation_id, author, body, sent_at)
        SELECT v.id, m.author, 'A message about the claim.', v.created_at
        FROM conversations_conversation v
        CROSS JOIN (VALUES ('customer'), ('staff')) AS m(author)
        WHERE v.reference LIKE 'MSG-R%%'
        """,
    )
    started = time.perf_counter()
    sql("ANALYZE")
    print(f"  {'ANALYZE':<44}{'':>17} {time.perf_counter() - started:>7.1f} s")


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own names)
            result[table] = cursor.fetchone()[0]
        return result


def main() -> int:
    from accounts.retention import schedule
    from representatives.models import RetentionRun

    seed()
    before = counts()
    out = io.StringIO()
    started = time.perf_counter()
    call_command("apply_retention", "--dry-run", stdout=out, stderr=io.StringIO())
    elapsed = time.perf_counter() - started
    after = counts()
    run = RetentionRun.objects.latest("started_at")

    print(
        f"apply_retention --dry-run over {CUSTOMERS:,} customers: {elapsed:.1f} s (target: < 60 s)"
    )
    for rule in schedule():
        print(f"  {rule.key:<44}{run.counts[rule.key]:>12,} due")
    print(f"  {'total due':<44}{run.total:>12,}")
    changed = {
        table: (before[table], after[table]) for table in TABLES if before[table] != after[table]
    }
    if changed:
        print(f"FAILED: the dry run changed rows: {changed}")
        return 1
    print(
        f"  rows in {len(TABLES)} tables unchanged ({sum(after.values()):,} rows): nothing deleted"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
