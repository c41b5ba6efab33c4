"""Consent records: append-only, read at a moment by ``has_consent``, seen and withdrawn by
the person on "Your consents"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from representatives import consents
from representatives.consents import (
    CHECK_WITH_AGENCIES,
    REPRESENTATIVES,
    RESEARCH,
    Party,
    grant_consent,
    has_consent,
    withdraw_consent,
)
from representatives.models import AppendOnly, ConsentRecord, Representation
from tests.conftest import make_person
from tests.helpers import one, select, text_of, texts

pytestmark = pytest.mark.django_db


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _representation(user, name="Sam Shah") -> Representation:
    return Representation.objects.create(
        customer=user.customer, name=name, status=Representation.Status.ACTIVE,
        scopes=["see", "told"], created_by=user,
    )  # fmt: skip


# --- Append-only ---------------------------------------------------------------------------


def test_a_consent_record_cannot_be_changed_or_deleted_through_the_orm(citizen):
    record = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    record.note = "changed"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    with pytest.raises(AppendOnly):
        ConsentRecord.objects.filter(pk=record.pk).update(note="changed")
    with pytest.raises(AppendOnly):
        ConsentRecord.objects.filter(pk=record.pk).delete()
    assert ConsentRecord.objects.get(pk=record.pk).note == ""


def test_the_database_refuses_an_update_even_in_raw_sql(citizen):
    record = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE representatives_consentrecord SET action = 'withdrawn' WHERE id = %s",
            [record.pk],
        )
    assert ConsentRecord.objects.get(pk=record.pk).action == "granted"


def test_records_outlive_the_account_that_recorded_them_and_go_with_their_person(citizen):
    adviser = make_person("adviser@example.org", customer=False)
    record = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=adviser)
    assert record.recorded_as == ConsentRecord.RecordedAs.REPRESENTATIVE

    adviser.delete()  # SET_NULL: the one update the trigger allows
    kept = ConsentRecord.objects.get(pk=record.pk)
    assert (kept.recorded_by_id, kept.recorded_as) == (None, "representative")

    citizen.customer.delete()  # the retention schedule removes the person: a cascade
    assert not ConsentRecord.objects.filter(pk=record.pk).exists()


def test_a_withdrawal_is_a_new_record_and_the_grant_is_untouched(citizen):
    grant = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    withdrawal = withdraw_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    assert withdrawal.pk != grant.pk
    assert [r.action for r in ConsentRecord.objects.order_by("pk")] == ["granted", "withdrawn"]
    assert ConsentRecord.objects.get(pk=grant.pk).action == "granted"
    assert withdrawal.wording == grant.wording
    assert withdrawal.wording_version == grant.wording_version == 1


# --- has_consent, at a moment ----------------------------------------------------------------


def test_a_withdrawn_consent_is_false_from_the_moment_of_withdrawal(monkeypatch, citizen):
    start = timezone.now()
    _at(monkeypatch, start)
    grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    assert has_consent(customer=citizen.customer, purpose=RESEARCH)

    withdrawn_at = start + timedelta(days=3)
    _at(monkeypatch, withdrawn_at)
    withdraw_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    assert not has_consent(customer=citizen.customer, purpose=RESEARCH)
    # What held before the withdrawal still reads as it was then.
    assert has_consent(
        customer=citizen.customer, purpose=RESEARCH, on=withdrawn_at - timedelta(seconds=1)
    )
    _at(monkeypatch, withdrawn_at + timedelta(days=1))
    assert not has_consent(customer=citizen.customer, purpose=RESEARCH)


def test_a_consent_ends_when_it_expires(monkeypatch, citizen):
    start = timezone.now()
    _at(monkeypatch, start)
    grant_consent(
        customer=citizen.customer, purpose=RESEARCH, by=citizen,
        expires_at=start + timedelta(days=30),
    )  # fmt: skip

    _at(monkeypatch, start + timedelta(days=30) - timedelta(seconds=1))
    assert has_consent(customer=citizen.customer, purpose=RESEARCH)
    _at(monkeypatch, start + timedelta(days=30))
    assert not has_consent(customer=citizen.customer, purpose=RESEARCH)


def test_nothing_agreed_is_no_consent_and_an_unknown_purpose_fails_loudly(citizen):
    assert not has_consent(customer=citizen.customer, purpose=RESEARCH)
    with pytest.raises(consents.UnknownPurpose):
        has_consent(customer=citizen.customer, purpose="sell_my_data")


def test_consent_to_one_party_is_not_consent_to_another(citizen, other_citizen):
    sam, kim = _representation(citizen), _representation(citizen, "Kim")
    grant_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
        party=Party.representation(sam.pk),
    )  # fmt: skip

    assert has_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, party=Party.representation(sam.pk)
    )
    assert not has_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, party=Party.representation(kim.pk)
    )
    assert not has_consent(
        customer=other_citizen.customer, purpose=REPRESENTATIVES,
        party=Party.representation(sam.pk),
    )  # fmt: skip


def test_granting_again_what_is_in_force_records_nothing(citizen):
    first = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    again = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    assert again.pk == first.pk
    assert ConsentRecord.objects.count() == 1


def test_withdrawing_twice_records_one_withdrawal(citizen):
    grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    withdraw_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    withdraw_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)

    assert ConsentRecord.objects.filter(action="withdrawn").count() == 1


# --- Not based on consent ------------------------------------------------------------------


def test_a_public_task_is_not_withdrawable_and_does_not_rest_on_consent(citizen):
    told = grant_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES, by=None)
    assert (told.legal_basis, told.recorded_as) == ("public_task", "system")

    with pytest.raises(consents.NotWithdrawable):
        withdraw_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES, by=citizen)

    assert ConsentRecord.objects.count() == 1
    assert has_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES)


def test_the_person_cannot_withdraw_a_public_task_from_their_page(citizen_client, citizen):
    told = grant_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES, by=None)
    url = f"/your-data/consents/{told.pk}/withdraw/"

    page = citizen_client.get("/your-data/consents/")
    assert not select(page, f'a[href="{url}"]')
    assert "not based on your consent" in page.content.decode()

    response = citizen_client.post(url)
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 1


# --- The sharing paths ---------------------------------------------------------------------
#
# Today nothing in the code sends a person's data to anyone else: partner services on a
# journey's plan are listed for the person to contact themselves, and notifications go to
# the person's own contact details. The first sharing paths are the representatives' "be
# told" copies (the delegation work calls ``representatives_to_tell``) and the next
# issue's referrals to partners (``has_consent(purpose=REFERRAL, party=Party.partner(id))``).


def test_a_representatives_copies_stop_when_the_person_withdraws(monkeypatch, citizen):
    sam, kim = _representation(citizen), _representation(citizen, "Kim")
    start = timezone.now()
    _at(monkeypatch, start)
    for rep in (sam, kim):
        grant_consent(
            customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
            party=Party.representation(rep.pk),
        )  # fmt: skip
    assert consents.representatives_to_tell(
        customer=citizen.customer, representation_ids=[sam.pk, kim.pk]
    ) == {sam.pk, kim.pk}

    _at(monkeypatch, start + timedelta(hours=1))
    withdraw_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
        party=Party.representation(sam.pk),
    )  # fmt: skip

    assert not consents.may_tell_representative(customer=citizen.customer, representation_id=sam.pk)
    assert consents.may_tell_representative(customer=citizen.customer, representation_id=kim.pk)
    assert consents.representatives_to_tell(
        customer=citizen.customer, representation_ids=[sam.pk, kim.pk]
    ) == {kim.pk}


def test_a_sharing_path_must_name_whom_it_shares_with(citizen):
    with pytest.raises(ValueError, match="representation"):
        has_consent(customer=citizen.customer, purpose=REPRESENTATIVES)
    with pytest.raises(ValueError, match="no party"):
        has_consent(customer=citizen.customer, purpose=RESEARCH, party=Party.partner(1))


def test_what_must_stop_with_a_withdrawal_runs_in_its_transaction(monkeypatch, citizen):
    sam = _representation(citizen)
    party = Party.representation(sam.pk)
    grant_consent(customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen, party=party)
    stopped = []
    monkeypatch.setitem(consents.ON_WITHDRAWN, REPRESENTATIVES, [stopped.append])

    withdrawal = withdraw_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen, party=party
    )
    withdraw_consent(customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen, party=party)

    assert stopped == [withdrawal]  # once: the second press recorded nothing


def test_many_representatives_are_checked_in_one_query(citizen, django_assert_num_queries):
    reps = [_representation(citizen, f"Rep {i}") for i in range(12)]
    for rep in reps[::2]:
        grant_consent(
            customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
            party=Party.representation(rep.pk),
        )  # fmt: skip

    with django_assert_num_queries(1):
        told = consents.representatives_to_tell(
            customer=citizen.customer.pk, representation_ids=[r.pk for r in reps]
        )
    assert told == {r.pk for r in reps[::2]}


# --- The person's page ---------------------------------------------------------------------


def test_the_person_sees_what_they_agreed_to_in_the_words_they_were_shown(
    citizen_client, citizen, other_citizen
):
    sam = _representation(citizen)
    grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    grant_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
        party=Party.representation(sam.pk),
    )  # fmt: skip
    grant_consent(customer=citizen.customer, purpose=CHECK_WITH_AGENCIES, by=None)
    grant_consent(customer=other_citizen.customer, purpose=consents.RESEARCH, by=other_citizen)

    response = citizen_client.get("/your-data/consents/")

    html = response.content.decode()
    titles = texts(response, ".govuk-summary-card__title")
    assert "Contact me for research about the service" in titles
    assert "Share with my representatives as I choose: Sam Shah" in titles
    assert "Check my details with HMRC and other agencies to work out my claim" in titles
    assert consents.PURPOSES[RESEARCH].wording(1) in html
    assert "This is not based on your consent" in html
    # Two withdraw links: the two consents, not the public task; none of the other person's.
    assert len(select(response, 'a[href*="/withdraw/"]')) == 2
    other = ConsentRecord.objects.get(customer=other_citizen.customer)
    assert f"/your-data/consents/{other.pk}/" not in html


def test_withdrawing_from_the_page_asks_then_records_a_withdrawal(citizen_client, citizen):
    grant = grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    url = f"/your-data/consents/{grant.pk}/withdraw/"

    ask = citizen_client.get(url)
    assert ask.status_code == 200
    assert "Are you sure" in text_of(one(ask, "h1"))
    assert ConsentRecord.objects.count() == 1  # asking changes nothing

    done = citizen_client.post(url, follow=True)

    assert not has_consent(customer=citizen.customer, purpose=RESEARCH)
    latest = ConsentRecord.objects.order_by("-pk").first()
    assert (latest.action, latest.recorded_as, latest.recorded_by) == (
        "withdrawn", "person", citizen,
    )  # fmt: skip
    assert "You have withdrawn your consent" in done.content.decode()
    assert "Withdrawn or ended" in done.content.decode()
    assert not select(done, f'a[href="{url}"]')


def test_another_persons_consent_cannot_be_withdrawn(citizen_client, other_citizen):
    theirs = grant_consent(customer=other_citizen.customer, purpose=RESEARCH, by=other_citizen)

    assert citizen_client.post(f"/your-data/consents/{theirs.pk}/withdraw/").status_code == 404
    assert has_consent(customer=other_citizen.customer, purpose=RESEARCH)


def test_the_consents_page_runs_the_same_queries_however_many_records(
    citizen_client, citizen, django_assert_max_num_queries
):
    sam = _representation(citizen)
    grant_consent(customer=citizen.customer, purpose=RESEARCH, by=citizen)
    grant_consent(
        customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
        party=Party.representation(sam.pk),
    )  # fmt: skip
    citizen_client.get("/your-data/consents/")
    with CaptureQueriesContext(connection) as few:
        assert citizen_client.get("/your-data/consents/").status_code == 200
    for i in range(15):
        rep = _representation(citizen, f"Rep {i}")
        grant_consent(
            customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
            party=Party.representation(rep.pk),
        )  # fmt: skip
        if i % 2:
            withdraw_consent(
                customer=citizen.customer, purpose=REPRESENTATIVES, by=citizen,
                party=Party.representation(rep.pk),
            )  # fmt: skip

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert citizen_client.get("/your-data/consents/").status_code == 200
