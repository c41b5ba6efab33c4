"""Helpers shared by the tests: waiting on a condition, the Celery queue, sending queued
account emails, reloading rows, the test database's address, and reading HTML as a parsed
tree instead of with regexes.

HTML is parsed with lxml. ``select`` takes XPath (anything starting with ``/``, ``./`` or
``(``) or a small subset of CSS: type, ``.class``, ``#id``, ``[attr]``, ``[attr="v"]``,
``[attr^="v"]``, ``[attr*="v"]``, joined by a space (descendant) or ``>`` (child). Anything
else is refused rather than guessed at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import quote

from lxml import html as lxml_html

# --- Waiting -----------------------------------------------------------------------------------


def wait_until[T](condition: Callable[[], T], *, timeout: float = 30.0, every: float = 0.05) -> T:
    """Poll ``condition`` until it returns something truthy, and return that.

    For results that another thread or process (a Celery worker) produces: the test waits
    on the result itself, never for a fixed time. Fails after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(every)


# --- Celery and the database -------------------------------------------------------------------


def purge_celery_queue() -> None:
    """Drop the tasks waiting on the test broker's queue (this run's own Redis database).

    Tasks queued while no worker ran (submitting a claim queues one, so does a notice)
    must not run in a later test that starts a worker.
    """
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)


def closed_port() -> int:
    """A local TCP port where nothing listens (found free, then freed): a stopped server."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def send_queued_emails() -> list:
    """Send the account emails waiting in the outbox, as a worker does after the request,
    and return everything the mail backend has received (``django.core.mail.outbox``)."""
    from django.core import mail

    from notifications.emails import send_email
    from notifications.models import WAITING, OutgoingEmail

    for pk in OutgoingEmail.objects.filter(status__in=WAITING).values_list("pk", flat=True):
        send_email(pk)
    return mail.outbox


def reload[T](obj: T) -> T:
    """A fresh copy of ``obj`` from the database, leaving ``obj`` itself as it was."""
    model = type(obj)
    return model._default_manager.get(pk=obj.pk)


def database_url(settings_dict: dict | None = None, *, name: str | None = None) -> str:
    """The ``postgres://`` URL of a database, from Django's settings for the connection.

    Defaults to the connection the tests use (whose NAME is the test database while tests
    run); ``name`` picks another database on the same server.
    """
    if settings_dict is None:
        from django.db import connection

        settings_dict = connection.settings_dict
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT")
    address = f"{host}:{port}" if port else host
    return f"postgres://{credentials}{address}/{name or settings_dict['NAME']}"


# --- HTML --------------------------------------------------------------------------------------


def tree(response_or_html) -> lxml_html.HtmlElement:
    """The page (a response or its HTML) parsed: the root ``<html>`` element.

    A fragment (an htmx partial) is parsed as the body of a page, so selectors work alike.
    """
    content = getattr(response_or_html, "content", response_or_html)
    if isinstance(content, bytes):
        content = content.decode()
    return lxml_html.document_fromstring(content or "<html></html>")


def _root(where) -> lxml_html.HtmlElement:
    return where if isinstance(where, lxml_html.HtmlElement) else tree(where)


_CSS_TOKEN = re.compile(
    r"""
      \s*(?P<child>>)\s*
    | (?P<space>\s+)
    | (?P<tag>[A-Za-z][\w-]*|\*)
    | \.(?P<cls>[\w-]+)
    | \#(?P<id>[\w-]+)
    | \[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[\^*]?=)\s*"(?P<value>[^"]*)"\s*)?\]
    """,
    re.VERBOSE,
)


def _xpath_literal(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    parts = value.split('"')
    return "concat(" + ", '\"', ".join(f'"{p}"' for p in parts) + ")"


def css_to_xpath(selector: str) -> str:
    """XPath for the CSS subset described at the top of this module."""
    steps: list[str] = []
    axis = ".//"
    tag, predicates = "", []

    def close() -> None:
        nonlocal tag, predicates
        if tag or predicates:
            steps.append(axis + (tag or "*") + "".join(f"[{p}]" for p in predicates))
        tag, predicates = "", []

    position = 0
    selector = selector.strip()
    while position < len(selector):
        match = _CSS_TOKEN.match(selector, position)
        if not match or match.end() == position:
            raise ValueError(f"unsupported CSS selector: {selector!r} (at {position})")
        position = match.end()
        if match["child"] or match["space"]:
            close()
            axis = "/" if match["child"] else "//"
        elif match["tag"]:
            if tag or predicates:
                raise ValueError(f"type selector must come first: {selector!r}")
            tag = match["tag"]
        elif match["cls"]:
            predicates.append(
                "contains(concat(' ', normalize-space(@class), ' '), "
                f"{_xpath_literal(' ' + match['cls'] + ' ')})"
            )
        elif match["id"]:
            predicates.append(f"@id={_xpath_literal(match['id'])}")
        else:
            attr, op, value = match["attr"], match["op"], match["value"]
            if op is None:
                predicates.append(f"@{attr}")
            elif op == "=":
                predicates.append(f"@{attr}={_xpath_literal(value)}")
            elif op == "^=":
                predicates.append(f"starts-with(@{attr}, {_xpath_literal(value)})")
            else:
                predicates.append(f"contains(@{attr}, {_xpath_literal(value)})")
    close()
    if not steps:
        raise ValueError(f"empty CSS selector: {selector!r}")
    return steps[0] + "".join(step for step in steps[1:])


def select(where, selector: str) -> list:
    """Elements (or, for XPath that selects them, strings) matching ``selector``, in
    document order. ``where`` is an element, a response, or HTML."""
    is_xpath = selector.startswith(("/", "./", "(", ".."))
    return _root(where).xpath(selector if is_xpath else css_to_xpath(selector))


def one(where, selector: str) -> lxml_html.HtmlElement:
    """The single element matching ``selector``; fails if there is none or more than one."""
    found = select(where, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}, not one"
    return found[0]


def text_of(element) -> str:
    """An element's text as a person reads it: entities decoded, white space collapsed, and
    a space where a tag was (``<dt>Name</dt><dd>Alice</dd>`` reads "Name Alice")."""
    content = element if isinstance(element, str) else " ".join(element.itertext())
    return " ".join(content.split())


def texts(where, selector: str) -> list[str]:
    """The text of each element matching ``selector``."""
    return [text_of(element) for element in select(where, selector)]


def attr(where, selector: str, name: str) -> str:
    """Attribute ``name`` of the single element matching ``selector``."""
    value = one(where, selector).get(name)
    assert value is not None, f"{selector!r} has no {name} attribute"
    return value


def input_value(where, name: str) -> str:
    """The value of the single form field called ``name`` (a text box or hidden input)."""
    return attr(where, f'input[name="{name}"]', "value")


def error_summary(where) -> list[tuple[str, str]]:
    """The error summary's items, in order: (link target or "", message). None: []."""
    return [
        ((item.xpath("string(.//a/@href)") or ""), text_of(item))
        for item in select(where, ".govuk-error-summary li")
    ]


def set_channels(user, channels: list[str], *, language: str = "en-gb") -> None:
    """The person's contact channels and language, through the service their page uses."""
    from accounts import services as accounts_services

    accounts_services.update_preferences(
        customer=user.customer, by=user, preferred_language=language,
        contact_channels=channels, accessibility_needs=[], reasonable_adjustments="",
    )  # fmt: skip
