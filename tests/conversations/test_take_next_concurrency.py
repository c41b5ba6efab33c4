"""Two caseworkers pressing "Take the next conversation" at the same moment, on two real
PostgreSQL connections from two threads: each gets a different conversation (the row the
first one locked is skipped, ``SKIP LOCKED``), and with only one waiting, one gets it and
the other gets none, without waiting for the first to finish."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from conversations import casework
from conversations.models import Conversation, ConversationStatus, InternalNote
from tests.conftest import make_staff
from tests.conversations.casework_factory import conversation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race_for_next_conversation(people: list[User]) -> list[int | None]:
    """Each person calls take_next_conversation on their own connection, released together."""
    barrier = threading.Barrier(len(people))
    taken: list[int | None] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(person: User) -> None:
        try:
            connection.ensure_connection()  # connect first, so both queries start together
            barrier.wait(timeout=10)
            found = casework.take_next_conversation(by=person)
            with lock:
                taken.append(found.pk if found else None)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "take_next_conversation hung"
    assert not errors, errors
    return taken


def test_two_caseworkers_taking_the_next_conversation_together_get_different_ones(citizen):
    casey = make_staff("casey@example.org", group="caseworker")
    cara = make_staff("cara@example.org", group="caseworker")
    today = timezone.localdate()

    for _round in range(6):
        waiting = {
            conversation(citizen, due=today - timedelta(days=2)).pk,
            conversation(citizen, due=today - timedelta(days=1)).pk,
            conversation(citizen, due=today).pk,
        }

        taken = race_for_next_conversation([casey, cara])

        assert None not in taken
        assert len(set(taken)) == 2
        assert set(taken) <= waiting
        owners = set(
            Conversation.objects.filter(pk__in=taken).values_list("assigned_to", flat=True)
        )
        assert owners == {casey.pk, cara.pk}
        (left,) = waiting - set(taken)
        assert Conversation.objects.get(pk=left).assigned_to is None
        Conversation.objects.filter(pk__in=waiting).update(status=ConversationStatus.CLOSED)


def test_when_one_conversation_waits_one_caseworker_gets_it_and_the_other_gets_none(citizen):
    casey = make_staff("casey@example.org", group="caseworker")
    cara = make_staff("cara@example.org", group="caseworker")

    for _round in range(8):
        only = conversation(citizen)

        taken = race_for_next_conversation([casey, cara])

        assert sorted(taken, key=lambda pk: pk is None) == [only.pk, None]
        assert Conversation.objects.get(pk=only.pk).assigned_to_id in (casey.pk, cara.pk)
        # One "Assigned to" note: the one who got nothing wrote nothing.
        assert InternalNote.objects.filter(conversation=only).count() == 1
        Conversation.objects.filter(pk=only.pk).update(status=ConversationStatus.CLOSED)
