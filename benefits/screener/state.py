"""The screener's answers, kept in the session as the household JSON the rules read."""

from __future__ import annotations

import copy
import time
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.redirects import forget_after_sign_in, go_after_sign_in
from benefits.rules.household_json import HouseholdInputError, household_from_json

SESSION_KEY = "screener"


def load(session) -> dict[str, Any]:
    """The answers, unless left untouched for longer than the idle timeout.

    Anonymous sessions last 12 hours; on a shared computer the next person must not find
    someone's dates of birth, health or bereavement answers waiting for them.
    """
    state = session.get(SESSION_KEY) or {}
    if state and time.time() - state.get("updated", 0) > settings.SESSION_IDLE_TIMEOUT:
        state = {}
    return {
        "answers": copy.deepcopy(state.get("answers") or {}),
        "history": list(state.get("history") or []),
        "pending": state.get("pending"),
    }


def answered_at(session) -> datetime | None:
    """When the answers were last changed."""
    updated = (session.get(SESSION_KEY) or {}).get("updated")
    return datetime.fromtimestamp(updated, tz=UTC) if updated else None


def save(session, state: dict[str, Any]) -> None:
    now = time.time()
    session[SESSION_KEY] = {**state, "updated": now}
    session.modified = True
    if state.get("history"):
        # Signing in with answers given before: ask first whether to keep them.
        go_after_sign_in(
            session, reverse("benefits:save"), until=now + settings.SESSION_IDLE_TIMEOUT
        )
    else:
        forget_after_sign_in(session)


def clear(session) -> None:
    session.pop(SESSION_KEY, None)
    forget_after_sign_in(session)


def get_answer(answers: dict[str, Any], fact: str):
    node: Any = answers
    for part in fact.split("."):
        if isinstance(node, list):
            index = int(part)
            node = node[index] if index < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
        if node is None:
            return None
    return node


def applies(answers: dict[str, Any], fact: str) -> bool:
    """Whether a question can be asked given the answers: partner questions need a
    partner, and a child's questions need that child to be one of the household's."""
    parts = fact.split(".")
    if parts[0] == "partner":
        return answers.get("has_partner") is True
    if parts[0] == "children" and len(parts) > 1:
        children = answers.get("children")
        return isinstance(children, list) and parts[1].isdigit() and int(parts[1]) < len(children)
    return True


def answered_facts(answers: dict[str, Any], asks) -> list[str]:
    """The facts the answers hold that the screener has a question for (``asks``), in the
    order they appear: the "check your answers" rows of answers that came from elsewhere."""
    facts: list[str] = []
    for key, value in answers.items():
        if key == "children" and isinstance(value, list):
            facts.append("children")
            for index, child in enumerate(value):
                facts += [
                    f"children.{index}.{f}"
                    for f in child
                    if f"children.{index}.{f}" and asks(f"children.{index}.{f}")
                ]
        elif isinstance(value, dict):
            facts += [f"{key}.{f}" for f in value if value[f] is not None and asks(f"{key}.{f}")]
        elif value is not None and asks(key):
            facts.append(key)
    return facts


def display_value(answers: dict[str, Any], fact: str):
    """The answer as the person gave it: the number of children, not the list."""
    value = get_answer(answers, fact)
    if fact == "children" and isinstance(value, list):
        return len(value)
    return value


def set_answer(answers: dict[str, Any], fact: str, value: Any) -> None:
    parts = fact.split(".")
    if fact == "has_partner" and value is False:
        answers.pop("partner", None)
    if fact == "children":
        existing = answers.get("children") or []
        answers["children"] = [
            *existing[:value],
            *({} for _ in range(value - len(existing[:value]))),
        ]
        return
    node: Any = answers
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[parts[-1]] = value


def drop_refused(state: dict[str, Any], *, on: date) -> list[str]:
    """Take out the answers the household format refuses, so that they are asked again,
    and return their facts (``children.0.date_of_birth``).

    The forms check every answer, so only answers kept from an older version of the
    questions (or a date of birth that has since become more than 130 years ago) get
    here: without this the screener would assess without them and ask the same question
    round and round.
    """
    answers = state["answers"]
    dropped: list[str] = []
    while True:
        try:
            household_from_json(answers, on=on)
        except HouseholdInputError as error:
            fact = _remove(answers, error.path)
            if fact is None or len(dropped) > 100:
                answers.clear()
                dropped.append("")
                break
            dropped.append(fact)
        else:
            break
    if dropped:

        def still_answered(fact: str) -> bool:
            # "" stands for every answer; a dropped child takes its answers with it.
            return all(d and fact != d and not fact.startswith(f"{d}.") for d in dropped)

        state["history"] = [fact for fact in state["history"] if still_answered(fact)]
        if state.get("pending") and not still_answered(state["pending"]):
            state["pending"] = None
    return dropped


def _remove(answers: dict[str, Any], path: tuple[str | int, ...]) -> str | None:
    """Remove the answer at ``path``; its fact, or None when there is nothing to remove."""
    if not path:
        return None
    node: Any = answers
    for part in path[:-1]:
        if not _holds(node, part):
            return None
        node = node[part]
    last = path[-1]
    if not _holds(node, last):
        return None
    if isinstance(node, list) and isinstance(last, int):
        node[last] = {}  # a child we know nothing about: the others keep their places
    else:
        del node[last]
    return ".".join(str(part) for part in path)


def _holds(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)
