""" "Download my data": what the export holds, what it never holds, and the page around it.

The export of a person with every kind of record holds each kind and follows its schema;
the export of one household holds nothing of another's; staff's internal notes, hidden
timeline events and staff names never leave; the download asks for the password again,
is another person's 404, and refuses after seven days (a moved clock), when its file is
deleted. The worker path (a real Celery worker on the real Redis) is
tests/representatives/test_export_worker.py.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from representatives.export import building, pdf, registry, sections, services
from representatives.models import DataExport
from tests.accounts.test_security import PASSWORD
from tests.claim_factory import png_bytes, upload
from tests.conversations.helpers import ask
from tests.helpers import reload, select, text_of
from tests.representatives.export_factory import open_export, populate

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(building.__file__).with_name("schema.json")).read_text())


@pytest.fixture
def alice(citizen, caseworker):
    return populate(
        citizen, caseworker, given="Siân Zoë", family="Łopez-Evans", nino="JT123456A",
        words="Alpha", colour="red",
    )  # fmt: skip


@pytest.fixture
def bob(other_citizen, caseworker):
    return populate(
        other_citizen, caseworker, given="Bronwen", family="Otherton", nino="ZY654321B",
        words="Bravo", colour="blue",
    )  # fmt: skip


def made(person) -> DataExport:
    """An export built as the worker builds it (the task calls this same service)."""
    export = services.request_export(customer=person.customer, by=person.user)
    assert services.build_export(export_id=export.pk) == "ready"
    return reload(export)


def reauthenticate(client, export) -> None:
    """Give the password again, as the page asks before the download."""
    asked = client.get(reverse("representatives:export_download", args=[export.pk]))
    assert asked.status_code == 302
    assert asked["Location"].startswith("/account/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})


# --- What it holds -----------------------------------------------------------------------------


def test_the_export_of_a_full_record_holds_every_kind_of_record_and_follows_its_schema(alice, bob):
    opened = open_export(made(alice))
    data = opened.data

    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert list(data) == ["format_version", "made_at", "customer_reference", *registry.SECTIONS]
    # Every section walked, every kind of record present.
    assert data["profile"]["legal_given_names"] == "Siân Zoë"
    assert data["profile"]["ni_number"] == "JT123456A"
    assert [m["name"] for m in data["household"]] == ["Alpha Child"]
    capital = [f for f in data["facts"] if f["kind"] == "capital"]
    assert [(f["value"], f["recorded_by"]) for f in capital] == [
        (1000, "you"),
        (2500, "caseworker"),
        ("500.00", "you"),  # the change reported
    ]
    assert {"valid_from", "valid_to", "recorded_at"} <= set(capital[0])
    assert {c["id"] for c in data["claims"]} == alice.ids["claims"]
    assert all(c["timeline"] for c in data["claims"])
    assert any(c["information_requests"] for c in data["claims"])
    assert {d["id"] for d in data["decisions"]} == alice.ids["decisions"]
    assert {s["id"] for s in data["statements"]} == alice.ids["statements"]
    assert {p["id"] for p in data["payments"]} == alice.ids["payments"]
    assert {d["id"] for d in data["documents"]} == alice.ids["documents"]
    [conversation] = data["messages"]
    assert [m["from"] for m in conversation["messages"]] == ["customer", "staff"]
    assert conversation["messages"][1]["written_by"] == "agency"
    assert len(conversation["messages"][0]["attachments"]) == 1
    [appointment] = data["appointments"]
    assert appointment["outcome"] == "Alpha we will call you"
    journeys = data["journeys"]
    assert journeys["plans"]
    assert journeys["tasks"]
    assert journeys["goals"]
    assert journeys["changes_reported"]
    assert any(n["title"] == "Alpha notification" for n in data["notifications"])
    [representative] = data["representatives"]
    assert representative["name"] == "Alpha Helper"
    assert [a["what"] for a in representative["actions"]] == ["Sent a document"]
    assert [(c["purpose"], c["action"], c["party_id"]) for c in data["consents"]] == [
        ("share_with_representatives", "granted", representative["id"]),
        ("research_contact", "granted", None),
    ]
    assert all(c["wording"] for c in data["consents"])
    [looked] = data["access_log"]
    awarded = next(
        c for c in data["claims"] if c["id"] in {d["claim_id"] for d in data["decisions"]}
    )
    assert looked["who"] == "A caseworker"
    assert looked["what"] == f"A claim: {awarded['benefit']['name']} {awarded['reference']}"
    # The files the person sent are beside the data, where it says they are.
    paths = [d["file"] for d in data["documents"]]
    paths += [a["file"] for a in conversation["messages"][0]["attachments"]]
    assert all(path in opened.members for path in paths)
    assert sorted(opened.members[path] for path in paths) == sorted(alice.kept_files)
    assert {"data.json", "schema.json", "summary.pdf"} <= set(opened.names)


def test_the_summary_opens_as_a_pdf_with_the_persons_name(alice):
    opened = open_export(made(alice))

    assert "Siân Zoë Łopez-Evans" in opened.pdf_text
    assert "Everything we hold about you" in opened.pdf_text
    assert "Alpha message body" in opened.pdf_text


def test_without_the_unicode_font_the_summary_is_still_made(alice, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)  # no DejaVu there: the core font

    opened = open_export(made(alice))

    assert "Siân Zoë ?opez-Evans" in opened.pdf_text  # Ł is not in Windows-1252


def test_the_export_of_one_household_holds_nothing_of_another(alice, bob, caseworker):
    # A page of a list that showed both: Alice's log says so, without Bob.
    from accounts.models import AccessEvent

    AccessEvent.objects.create(
        customer_ids=[alice.customer.pk, bob.customer.pk], staff=caseworker, role="caseworker",
        what=AccessEvent.What.CUSTOMER, page=AccessEvent.Page.SEARCH, model="accounts.customer",
        object_ids=[alice.customer.pk, bob.customer.pk], search="Otherton",
        view="admin:accounts_customer_changelist",
    )  # fmt: skip

    opened = open_export(made(alice))
    everything = opened.everything()

    for word in (
        bob.given,
        bob.family,
        bob.nino,
        bob.customer.reference,
        bob.words,
        bob.user.email,
        "helper-bravo",
        *bob.references,
    ):
        assert word not in everything, word
    for content in bob.kept_files:
        assert content not in opened.members.values()
        assert all(content not in member for member in opened.members.values())
    # Ids: no record of Bob's, of any kind, is named in Alice's data.
    data = opened.data
    found = {
        "claims": {c["id"] for c in data["claims"]},
        "decisions": {d["id"] for d in data["decisions"]},
        "statements": {s["id"] for s in data["statements"]},
        "payments": {p["id"] for p in data["payments"]},
        "documents": {d["id"] for d in data["documents"]},
        "household": {m["id"] for m in data["household"]},
        "facts": {f["id"] for f in data["facts"]},
        "conversations": {c["id"] for c in data["messages"]},
        "appointments": {a["id"] for a in data["appointments"]},
        "representatives": {r["id"] for r in data["representatives"]},
        "consents": {c["id"] for c in data["consents"]},
    }
    for kind, ids in bob.ids.items():
        assert not ids & found[kind], kind
    for kind, ids in alice.ids.items():
        assert ids <= found[kind], kind  # the check above looked where Alice's records are
    assert any(word in everything for word in (alice.given, alice.nino, alice.words))
    assert "search results" in " ".join(row["what"] for row in data["access_log"])


def test_internal_notes_hidden_events_and_staff_names_never_leave(alice, caseworker):
    everything = open_export(made(alice)).everything()

    for text in alice.internal:
        assert text not in everything, text
    assert caseworker.email not in everything
    assert "replies@example.org" not in everything


def test_each_section_reads_a_fixed_number_of_queries_however_many_records(alice, citizen):
    def count() -> dict[str, int]:
        counts = {}
        for name, collect in registry.collectors():
            with CaptureQueriesContext(connection) as queries:
                collect(alice.customer)
            counts[name] = len(queries)
        return counts

    before = count()
    for n in range(3):  # more of everything that has parts: messages, files
        conversation = ask(citizen, subject=f"More {n}", files=[upload(f"x{n}.png", png_bytes())])
        assert conversation.pk
    after = count()

    assert after == before
    assert max(before.values()) <= 6


# --- Registering sections ----------------------------------------------------------------------


def test_a_section_not_in_the_schema_cannot_be_registered():
    with pytest.raises(Exception, match="No export section"):
        registry.register_section("shoe_size", sections.consents)


def test_a_section_cannot_be_filled_twice_by_accident():
    with pytest.raises(Exception, match="filled already"):
        registry.register_section("claims", sections.consents)


def test_a_section_registered_later_replaces_the_default_only_when_asked(alice, monkeypatch):
    monkeypatch.setattr(registry, "_COLLECTORS", dict(registry._COLLECTORS))
    registry.register_default("consents", lambda customer: registry.Collected([{"x": 1}]))
    assert registry._COLLECTORS["consents"] is sections.consents  # the default stays

    registry.register_section(
        "consents", lambda customer: registry.Collected([{"scope": "share"}]), replace=True
    )

    data, _files = building.collect(alice.customer, made_at=timezone.now(), progress=print)
    assert data["consents"] == [{"scope": "share"}]


def test_every_section_is_registered_and_described_in_the_schema():
    assert [name for name, _collect in registry.collectors()] == list(registry.SECTIONS)
    assert set(registry.SECTIONS) <= set(SCHEMA["required"])


# --- Asking for it ------------------------------------------------------------------------------


def test_a_double_submit_makes_one_export_and_one_job(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    url = reverse("representatives:export")
    with django_capture_on_commit_callbacks() as queued:
        first = citizen_client.post(url)
        second = citizen_client.post(url)

    assert first.status_code == second.status_code == 302
    assert DataExport.objects.filter(customer=citizen.customer).count() == 1
    assert len(queued) == 1


def test_the_page_shows_progress_with_a_link_to_check_again_and_polls_while_it_is_made(
    citizen_client, citizen
):
    export = services.request_export(customer=citizen.customer, by=citizen)
    DataExport.objects.filter(pk=export.pk).update(status="building", progress=40)

    page = citizen_client.get(reverse("representatives:export"))
    panel = citizen_client.get(
        reverse("representatives:export_status"), headers={"HX-Request": "true"}
    )

    assert "40% done." in text_of(select(page, "#export-progress")[0])
    assert select(page, 'a[href="/your-data/download/"]')  # "Check again", without JavaScript
    assert select(page, "#export-status[hx-trigger]")
    assert "Ask for a copy" not in page.content.decode()  # not a second while one is made
    assert "40% done." in panel.content.decode()


def test_when_it_is_ready_the_poll_stops_and_the_page_offers_the_download(citizen_client, alice):
    export = made(alice)

    panel = citizen_client.get(reverse("representatives:export_status"))

    assert not select(panel, "[hx-trigger]")
    link = reverse("representatives:export_download", args=[export.pk])
    assert select(panel, f'a[href="{link}"]')


def test_the_page_and_its_panel_take_few_queries(
    citizen_client, citizen, django_assert_max_num_queries
):
    """As many as any signed-in page (the session, the header's badges), plus one: the
    person's latest export."""
    services.request_export(customer=citizen.customer, by=citizen)
    with django_assert_max_num_queries(16):
        assert citizen_client.get(reverse("representatives:export")).status_code == 200
    # The panel, polled: the session's queries (seven, with allauth's "last seen") and one
    # for the export (joined to the person: their record is not read first).
    with django_assert_max_num_queries(8):
        assert citizen_client.get(reverse("representatives:export_status")).status_code == 200


# --- Downloading it -----------------------------------------------------------------------------


def test_the_download_asks_for_the_password_again_then_sends_the_zip_privately(
    citizen_client, alice
):
    export = made(alice)
    url = reverse("representatives:export_download", args=[export.pk])

    reauthenticate(citizen_client, export)
    response = citizen_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "your-data-" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_another_persons_export_is_not_found_even_after_the_password(citizen_client, alice, bob):
    theirs = made(bob)
    mine = made(alice)
    reauthenticate(citizen_client, mine)

    response = citizen_client.get(reverse("representatives:export_download", args=[theirs.pk]))

    assert response.status_code == 404


def test_a_document_whose_file_is_gone_is_named_without_it(alice):
    from benefits.models import Document

    document = Document.objects.get(pk=next(iter(alice.ids["documents"])))
    document.file.storage.delete(document.file.name)  # as a retention purge would

    opened = open_export(made(alice))

    [entry] = opened.data["documents"]
    assert entry["file"] is None
    assert not [name for name in opened.names if name.startswith("documents/")]
    assert [n for n in opened.names if n.startswith("messages/")]  # the others are there


def test_the_file_is_kept_privately_under_a_generated_name(alice):
    export = made(alice)

    assert export.file.name.startswith("exports/")
    assert alice.given not in export.file.name
    assert alice.customer.reference not in export.file.name
    assert len(Path(export.file.name).stem) == 32
    assert oct(Path(export.file.path).stat().st_mode & 0o777) == oct(0o600)


def test_after_seven_days_the_link_refuses_and_the_file_is_deleted(client, alice, monkeypatch):
    export = made(alice)
    path = Path(export.file.path)
    url = reverse("representatives:export_download", args=[export.pk])
    made_at = export.finished_at

    def at(moment):
        """The clock at ``moment``; signed in then (a session lasts 12 hours at most),
        with the password given again."""
        monkeypatch.setattr(timezone, "now", lambda: moment)
        client.force_login(alice.user)
        asked = client.get(url)
        if asked.status_code == 302:  # allauth reads the real clock: asked once only
            reauthenticate(client, export)

    at(made_at + services.LIFETIME - timedelta(seconds=1))
    assert services.expire_exports() == 0
    still = client.get(url)
    assert still.status_code == 200
    assert b"".join(still.streaming_content)[:2] == b"PK"

    at(made_at + services.LIFETIME)
    refused = client.get(url)
    assert refused.status_code == 410
    assert "This download has expired" in refused.content.decode()

    assert services.expire_exports() == 1
    assert not path.exists()
    assert reload(export).status == DataExport.Status.EXPIRED
    assert services.expire_exports() == 0  # run again: nothing more to do
    assert client.get(url).status_code == 410
    page = client.get(reverse("representatives:export"))
    assert "has expired. You can ask for a new one." in page.content.decode()


def test_a_new_copy_replaces_the_earlier_one(alice, django_capture_on_commit_callbacks):
    first = made(alice)
    old_path = Path(first.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        second = made(alice)

    assert reload(first).status == DataExport.Status.EXPIRED
    assert not old_path.exists()
    assert reload(second).is_downloadable()


# --- The job itself ------------------------------------------------------------------------------


def test_the_job_run_twice_builds_once(alice):
    export = services.request_export(customer=alice.customer, by=alice.user)

    assert services.build_export(export_id=export.pk) == "ready"
    assert services.build_export(export_id=export.pk) == "not waiting"
    assert DataExport.objects.get(pk=export.pk).attempts == 1


def test_the_job_records_its_progress_on_the_row_as_it_goes(citizen, monkeypatch):
    seen: list[tuple[str, int]] = []

    def watching(customer):
        row = DataExport.objects.get(customer=customer)
        seen.append((row.status, row.progress))
        return sections.consents(customer)

    monkeypatch.setattr(registry, "_COLLECTORS", {**registry._COLLECTORS, "consents": watching})
    export = services.request_export(customer=citizen.customer, by=citizen)

    services.build_export(export_id=export.pk)

    done_before = registry.SECTIONS.index("consents")  # sections collected before it
    assert seen == [("building", 70 * done_before // len(registry.SECTIONS))]
    assert reload(export).progress == 100


def test_a_failing_build_is_tried_again_then_fails_and_says_so(citizen, monkeypatch):
    from notifications.models import Notification

    def broken(customer):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(registry, "_COLLECTORS", {**registry._COLLECTORS, "facts": broken})
    export = services.request_export(customer=citizen.customer, by=citizen)

    outcomes = []
    for _attempt in range(services.MAX_ATTEMPTS):
        outcomes.append(services.build_export(export_id=export.pk))

    assert outcomes == ["retry"] * (services.MAX_ATTEMPTS - 1) + ["failed"]
    export = reload(export)
    assert export.status == DataExport.Status.FAILED
    assert "the database went away" in export.error
    assert Notification.objects.filter(
        customer=citizen.customer, title="We could not make your download"
    ).exists()


def test_beat_queues_again_what_the_fast_path_lost_and_what_a_dead_worker_left(
    citizen, monkeypatch
):
    queued: list[int] = []
    monkeypatch.setattr(services, "queue_build", queued.append)
    export = services.request_export(customer=citizen.customer, by=citizen)
    now = timezone.now()

    assert services.requeue_exports(now=now) == 0  # the fast path still has its minute
    assert services.requeue_exports(now=now + services.REQUEUE_AFTER + timedelta(seconds=1)) == 1
    assert queued == [export.pk]

    DataExport.objects.filter(pk=export.pk).update(status="building", started_at=now)
    later = now + services.STALE_BUILD + timedelta(minutes=2)
    assert services.requeue_exports(now=later) == 1
    assert reload(export).status == DataExport.Status.PENDING


def test_the_beat_schedule_expires_and_requeues_exports():
    import representatives.tasks  # noqa: F401  (what the worker loads at start)
    from portal.celery import app

    by_task = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}
    assert by_task["representatives.tasks.requeue_data_exports"]["schedule"] == timedelta(minutes=1)
    assert "representatives.tasks.expire_data_exports" in by_task
    assert app.tasks["representatives.tasks.build_data_export"]


def test_asking_inside_another_transaction_fails_loudly(citizen):
    from django.db import transaction

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.request_export(customer=citizen.customer, by=citizen)

    assert not DataExport.objects.exists()
