"""Hostile input for the citizen forms: the values, how they are sent, and what must hold.

``tests/test_hostile_input.py`` drives every citizen form with them. This module knows
nothing of the portal's routes: it reads a form from the page's HTML (so a new field is
fuzzed without anyone listing it), builds submissions from a valid baseline and generated
or catalogued values, posts them as a browser (or an attacker) would, and checks the
answer:

- never a server error;
- the hostile markup it sent never comes back unescaped, on the page or on the page a
  success redirects to;
- a value that can only be wrong (NUL, too long, not a real date, a choice the page does
  not offer, a bad file) is refused with an error in the error summary, linked to its field;
- a refused submission changes nothing: every table of the project (outbox, documents and
  in-place updates included) and the evidence files on disk are as they were.
"""

from __future__ import annotations

import copy
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.helpers import error_summary, select

# --- How long to fuzz -----------------------------------------------------------------------------

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
FUZZ = settings(
    max_examples=400 if LONG else 15,
    deadline=None,
    # Each test builds its client and data once, then runs its examples inside savepoints.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# --- The catalogue --------------------------------------------------------------------------------

SCRIPT = '<script>alert("fz")</script>'
ATTRIBUTE = '"><img src=x onerror=alert("fz")>'
MARKUP = (SCRIPT, ATTRIBUTE)

STRINGS = [
    "",
    "   ",
    "x" * 10_000,
    "Ali\x00ce",
    "\x00",
    "\ud800",  # a lone surrogate: sent as the bytes UTF-8 would give it, which are invalid
    "a\udfffb",
    "invoice\u202egnp.exe",  # right-to-left override
    SCRIPT,
    ATTRIBUTE,
    "<b>bold</b>",
    "{{ request.user.email }}",
    "{% debug %}",
    "{% load log %}{{",
    "' OR '1'='1'; DROP TABLE accounts_customer; --",
    '"; SELECT pg_sleep(10); --',
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "1e309",
    "-1e309",
    "1000000000000000",  # 10^15
    "2147483648",
    "-2147483649",
    "NaN",
    "Infinity",
    "-0",
    "0x1F",
    "1_000",
    "١٢٣",
    "１２",
    "\t\r\n",
    "😀" * 40,
    "\u200b",
    "%00",
    "%s%s%n",
    "None",
    "[]",
]
# Day, month, year: impossible, out of range, and not numbers at all.
DATES = [
    ("30", "2", "2026"),
    ("0", "0", "0"),
    ("1", "1", "99999"),
    ("31", "4", "2026"),
    ("29", "2", "2025"),
    ("1", "13", "2020"),
    ("-1", "1", "2020"),
    ("1", "1", "1e309"),
    ("1", "1", "2147483648"),
    ("٣", "١", "٢٠٢٠"),
    ("1", "1", ""),
    ("", "", "2020"),
    ("<b>", "1", "2020"),
    ("01", "01", "0001"),
    ("31", "12", "9999"),
]


def png_bytes() -> bytes:
    from tests.claim_factory import png_bytes as png

    return png()


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str
    bad: bool  # a file nobody may keep: the page must say why, and keep nothing

    def __repr__(self) -> str:  # 12 MB in a failure report helps nobody
        return f"Upload({self.name!r}, {len(self.content)} bytes, bad={self.bad})"


def files() -> list[Upload]:
    big = b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024)
    html = b"<!DOCTYPE html><html><body>" + SCRIPT.encode() + b"</body></html>"
    return [
        Upload("empty.pdf", b"", "application/pdf", bad=True),
        Upload("large.pdf", big, "application/pdf", bad=True),
        Upload("letter.pdf", html, "application/pdf", bad=True),
        Upload("payslip.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", bad=True),
        Upload("../../etc/passwd.png", png_bytes(), "image/png", bad=False),
        Upload("invoice\u202egnp.png", png_bytes(), "image/png", bad=False),
        Upload(SCRIPT + ".png", png_bytes(), "image/png", bad=False),
    ]


# --- Reading a form from its page -----------------------------------------------------------------

DATE_SUFFIXES = ("_day", "_month", "_year")


@dataclass(frozen=True)
class Field:
    """One thing a form sends. Date boxes are three fields sharing a ``base``."""

    name: str
    kind: str  # text number tel date radio checkboxes checkbox select hidden button file
    options: tuple[str, ...] = ()
    maxlength: int | None = None
    default: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        if self.kind == "date":
            for suffix in DATE_SUFFIXES:
                if self.name.endswith(suffix):
                    return self.name.removesuffix(suffix)
        return self.name

    @property
    def trusted(self) -> bool:
        """Sent by the page itself (hidden fields, buttons): tampering may be a 400."""
        return self.kind in ("hidden", "button")


def discover(page, *, page_url: str, action: str, method: str = "post") -> list[Field]:
    """The fields of the page's one form that sends to ``action``, as a browser sees them."""
    forms = [
        form
        for form in select(page, "form")
        if (form.get("method") or "get").lower() == method
        and urlsplit(form.get("action") or page_url).path == urlsplit(action).path
    ]
    assert forms, f"no {method} form sends to {action}"
    # The same form may be on the page twice (a task in two lists): the same fields.
    shapes = {tuple(sorted(e.get("name") or "" for e in f.xpath(".//*[@name]"))) for f in forms}
    assert len(shapes) == 1, f"{len(forms)} different {method} forms send to {action}"
    form = forms[0]
    fields: dict[str, Field] = {}

    def add(name: str, **kwargs) -> None:
        fields[name] = Field(name=name, **kwargs)

    groups: dict[str, list] = {}
    for element in form.xpath(".//input|.//textarea|.//select|.//button"):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        tag = element.tag
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag == "textarea":
            add(name, kind="text", maxlength=_int(element.get("maxlength")),
                default=(element.text or "",))  # fmt: skip
        elif tag == "select":
            options = tuple(o.get("value", o.text or "") for o in element.xpath(".//option"))
            chosen = [o.get("value", o.text or "") for o in element.xpath(".//option[@selected]")]
            add(name, kind="select", options=options, default=tuple(chosen or options[:1]))
        elif kind in ("radio", "checkbox"):
            groups.setdefault(name, []).append(element)
        elif kind in ("submit", "button"):
            if name not in fields:
                add(name, kind="button", options=(), default=(element.get("value", ""),))
            previous = fields[name]
            fields[name] = Field(name=name, kind="button", options=(*previous.options, element.get("value", "")),
                                 default=previous.default)  # fmt: skip
        elif kind == "hidden":
            add(name, kind="hidden", default=(element.get("value", ""),))
        elif kind == "file":
            add(name, kind="file")
        else:
            add(name, kind=_text_kind(element, kind), maxlength=_int(element.get("maxlength")),
                default=(element.get("value") or "",))  # fmt: skip
    for name, elements in groups.items():
        options = tuple(e.get("value", "on") for e in elements)
        checked = tuple(e.get("value", "on") for e in elements if e.get("checked") is not None)
        kind = elements[0].get("type").lower()
        if kind == "radio":
            add(name, kind="radio", options=options, default=checked[-1:])
        elif len(elements) == 1 and not (elements[0].get("id") or "").endswith("_0"):
            add(name, kind="checkbox", options=options, default=checked)
        else:
            add(name, kind="checkboxes", options=options, default=checked)
    return list(fields.values())


def _text_kind(element, kind: str) -> str:
    if "govuk-date-input__input" in element.get("class", ""):
        return "date"
    if kind == "tel":
        return "tel"
    if element.get("inputmode") in ("numeric", "decimal"):
        return "number"
    return "text"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- Submissions ----------------------------------------------------------------------------------

OMIT = object()  # the field is not sent at all
CSRF = "csrfmiddlewaretoken"


@dataclass
class Submission:
    """What is posted: values by field name (a list each), files by field name."""

    values: dict[str, list[str]]
    files: dict[str, Upload] = field(default_factory=dict)

    def copy(self) -> Submission:
        return Submission(copy.deepcopy(self.values), dict(self.files))

    def text(self) -> str:
        return " ".join(v for values in self.values.values() for v in values)

    def markup(self) -> list[str]:
        """The catalogue's markup this submission carries, in any value or file name."""
        sent = self.text() + " ".join(f.name for f in self.files.values())
        return [m for m in MARKUP if m in sent]


def baseline(fields: list[Field], valid: dict, *, method: str = "post") -> Submission:
    """What the page sends untouched, with the case's valid answers typed in."""
    values = {f.name: list(f.default) for f in fields if f.kind != "file" and f.default}
    if method == "post":
        # A browser sends the CSRF token in the body; the fuzzing leaves it alone (and the
        # test client does not check it).
        values[CSRF] = ["token"]
    for name, value in valid.items():
        values[name] = list(value) if isinstance(value, (list, tuple)) else [str(value)]
    return Submission(values)


def dmy(name: str, day: date) -> dict[str, str]:
    """A date field's three boxes, typed."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


# --- What must be refused -------------------------------------------------------------------------

# Characters no number, amount, time or sort code has.
_NOT_NUMBER = re.compile(r"[^\d\s.,+\-_eE£:]")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# A phone number: digits with a leading +, between spaces, hyphens, dots and brackets.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_PHONE = re.compile(r"(\+?[0-9]+)?")


def as_received(value: str) -> str:
    """``value`` as Django reads it: invalid UTF-8 (a lone surrogate) becomes U+FFFD."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def must_refuse(
    fields: list[Field], submission: Submission, *, only_with: dict[str, str] | None = None
) -> set[str]:
    """The bases of the fields whose value no form of the portal may accept.

    ``only_with`` names fields that mean something only beside a file (what a document
    shows): without that file they are not read, so not refused."""
    wrong: set[str] = set()
    by_base: dict[str, list[Field]] = {}
    for f in fields:
        by_base.setdefault(f.base, []).append(f)
    for base, group in by_base.items():
        first = group[0]
        if (only_with or {}).get(base) and (only_with or {})[base] not in submission.files:
            continue
        if first.kind == "date":
            parts = [
                (submission.values.get(f"{base}{suffix}") or [""])[-1] for suffix in DATE_SUFFIXES
            ]
            if not _acceptable_date(*parts):
                wrong.add(base)
            continue
        if first.kind == "file":
            upload = submission.files.get(first.name)
            if upload is not None and upload.bad:
                wrong.add(base)
            continue
        values = [as_received(v) for v in submission.values.get(first.name, [])]
        if _wrong(first, values):
            wrong.add(base)
    return wrong


def _wrong(f: Field, values: list[str]) -> bool:
    """Whether what is sent for one field (not a date, not a file) can only be wrong."""
    if f.kind in ("text", "number", "tel"):
        value = values[-1] if values else ""
        return (
            "\x00" in value
            or (f.maxlength is not None and len(value.strip()) > f.maxlength)
            or (f.kind == "number" and bool(_NOT_NUMBER.search(value)))
            or (f.kind == "tel" and not _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", value)))
        )
    if f.kind in ("radio", "select"):
        # The last of several values is the one a form reads; empty is for "required".
        return bool(values) and values[-1] != "" and values[-1] not in f.options
    if f.kind == "checkboxes":
        return any(v not in f.options for v in values)
    return False


def _acceptable_date(day: str, month: str, year: str) -> bool:
    """Whether the three boxes could be a date some question accepts: all empty, or a real
    date in plain digits. (Whether it is in the question's range, the form decides.)"""
    parts = [as_received(p).strip() for p in (day, month, year)]
    if not any(parts):
        return True
    if not all(_ASCII_DIGITS.fullmatch(p) for p in parts):
        return False
    if len(parts[2]) != 4 or len(parts[0]) > 2 or len(parts[1]) > 2:
        return False
    try:
        date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return False
    return True


# --- Strategies -----------------------------------------------------------------------------------

_any_char = st.characters(exclude_categories=())  # lone surrogates included
texts = st.one_of(
    st.sampled_from(STRINGS),
    st.text(_any_char, max_size=30),
    st.text(_any_char, max_size=20).map(lambda s: SCRIPT + s),
    st.integers(min_value=150, max_value=12_000).map(lambda n: "y" * n),
)
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1e309", "1000000000000000", "2147483648", "0.001", "-5", "£1,000.50", "12:60"]
    ),
)
date_parts = st.one_of(
    st.integers(min_value=-10, max_value=100_000).map(str),
    st.sampled_from(["", "0", "00", "30", "31", "32", "13", "99999", "1e309", "٣", "２", " 1 "]),
    texts,
)
MASS_ASSIGNMENT = ["status", "customer", "customer_id", "user", "amount", "is_staff", "reference"]


def _values_for(f: Field, values: dict[str, list[str]]) -> st.SearchStrategy:
    """A hostile value for one field, or leave it alone, or leave it out."""
    keep = st.just(None)
    omit = st.just(OMIT)
    if f.kind in ("text", "tel"):
        one = texts
    elif f.kind == "number":
        one = st.one_of(numbers, texts)
    elif f.kind == "date":
        one = date_parts
    elif f.kind in ("radio", "select", "button"):
        one = st.one_of(st.sampled_from(f.options or ("",)), texts)
    elif f.kind == "checkboxes":
        return st.one_of(
            keep, omit,
            st.lists(st.one_of(st.sampled_from(f.options), texts), max_size=4),
        )  # fmt: skip
    elif f.kind == "checkbox":
        one = st.one_of(st.sampled_from(("on", "", "false", "0")), texts)
    else:  # hidden
        one = st.one_of(numbers, texts)
    return st.one_of(keep, omit, one.map(lambda v: [v]))


def submissions(fields: list[Field], base: Submission) -> st.SearchStrategy[Submission]:
    """A baseline with any of its fields replaced, left out, or joined by fields the page
    never shows (owner, status, amount)."""
    plain = [f for f in fields if f.kind != "file"]
    uploads = [f for f in fields if f.kind == "file"]
    changes = st.fixed_dictionaries({f.name: _values_for(f, base.values) for f in plain})
    file_choices = st.fixed_dictionaries(
        {
            f.name: st.one_of(
                st.none(),
                st.sampled_from(files()),
                st.text(_any_char, min_size=1, max_size=40).map(
                    lambda name: Upload(name + ".png", png_bytes(), "image/png", bad=False)
                ),
            )
            for f in uploads
        }
    )
    extra = st.dictionaries(st.sampled_from(MASS_ASSIGNMENT), texts.map(lambda v: [v]), max_size=2)

    def build(args) -> Submission:
        changed, chosen_files, more = args
        submission = base.copy()
        for name, value in changed.items():
            if value is OMIT:
                submission.values.pop(name, None)
            elif value is not None:
                submission.values[name] = value
        for name, value in more.items():
            submission.values.setdefault(name, value)
        submission.files = {name: f for name, f in chosen_files.items() if f is not None}
        return submission

    return st.tuples(changes, file_choices, extra).map(build)


def catalogue(
    fields: list[Field], base: Submission, *, method: str = "post"
) -> Iterable[Submission]:
    """The catalogue, sent deterministically: each entry in every field at once, so every
    run tries every entry in every field."""
    plain = [
        f for f in fields if f.kind in ("text", "number", "tel", "radio", "select", "checkboxes")
    ]
    bases = sorted({f.base for f in fields if f.kind == "date"})
    uploads = [f for f in fields if f.kind == "file"]
    if method == "post":
        # Nothing at all, as a script sending the CSRF token in a header would.
        yield Submission({})
    for value in STRINGS if plain else []:
        submission = base.copy()
        for f in plain:
            submission.values[f.name] = [value]
        if uploads:  # a bad file beside every other bad value: all must be said at once
            submission.files = {f.name: files()[0] for f in uploads}
        yield submission
    for day, month, year in DATES:
        if not bases:
            break
        submission = base.copy()
        for b in bases:
            submission.values |= {f"{b}_day": [day], f"{b}_month": [month], f"{b}_year": [year]}
        yield submission
    for upload in files() if uploads else []:
        submission = base.copy()
        submission.files = {f.name: upload for f in uploads}
        yield submission


# --- Posting --------------------------------------------------------------------------------------


def _bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def encode(submission: Submission) -> tuple[bytes, str]:
    """The request body and its content type, bytes for bytes: a lone surrogate goes as the
    invalid UTF-8 it would be, which Django's test client would refuse to encode."""
    pairs = [(name, value) for name, values in submission.values.items() for value in values]
    if not submission.files:
        body = urlencode([(_bytes(k), _bytes(v)) for k, v in pairs]).encode("ascii")
        return body, "application/x-www-form-urlencoded"
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in pairs:
        parts += [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="' + _quoted(name) + b'"\r\n\r\n',
            _bytes(value) + b"\r\n",
        ]
    for name, upload in submission.files.items():
        parts += [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="' + _quoted(name) + b'"; filename="'
            + _quoted(upload.name) + b'"\r\n',
            f"Content-Type: {upload.content_type}\r\n\r\n".encode(),
            upload.content + b"\r\n",
        ]  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _quoted(value: str) -> bytes:
    return (
        _bytes(value)
        .replace(b"\\", b"\\\\")
        .replace(b'"', b"%22")
        .replace(b"\r", b"%0D")
        .replace(b"\n", b"%0A")
    )


def send(client, url: str, submission: Submission, *, method: str = "post"):
    if method == "get":
        body, _type = encode(Submission(submission.values))
        return client.get(f"{url}?{body.decode('ascii')}")
    body, content_type = encode(submission)
    return client.generic("POST", url, body, content_type=content_type)


# --- What must hold -------------------------------------------------------------------------------


def snapshot_sql() -> str:
    """One statement: each project table's row count and a digest of its rows."""
    from django.apps import apps

    labels = {
        "accounts", "benefits", "notifications", "journeys", "conversations", "appointments",
        "portal", "account", "mfa",
    }  # fmt: skip
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in labels and model._meta.managed
        }
    )
    # Table names from the models, not from anyone's input.
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    return " UNION ALL ".join(
        f"SELECT '{table}', count(*), {digest} FROM \"{table}\" t"  # noqa: S608
        for table in tables
    )


_SNAPSHOT: list[str] = []


def database_state() -> dict[str, tuple[int, str]]:
    from django.db import connection

    if not _SNAPSHOT:
        _SNAPSHOT.append(snapshot_sql())
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT[0])
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def files_on_disk() -> set[str]:
    from django.conf import settings

    root = Path(settings.PRIVATE_FILES_ROOT)
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


def unescaped(response, markup: list[str]) -> list[str]:
    """The hostile markup that came back as markup: verbatim, as a script, or as an event
    handler attribute."""
    content = response.content.decode("utf-8", "replace")
    found = [m for m in markup if m in content]
    if "text/html" in response.get("Content-Type", "") and content.strip():
        from tests.helpers import tree

        page = tree(content)
        for script in select(page, "//script"):
            if "alert(" in (script.text or ""):
                found.append("<script> with the payload")
        for element in page.iter():
            for name, value in getattr(element, "attrib", {}).items():
                if name.lower().startswith("on") and "alert(" in value:
                    found.append(f"{name}= attribute with the payload")
    return found


def error_targets(page) -> tuple[list[tuple[str, str]], set[str]]:
    """The error summary's items, and the field bases its links point to.

    A link that points at nothing on the page counts as a broken link (``#missing``)."""
    items = error_summary(page)
    bases: set[str] = set()
    for href, _message in items:
        if not href:
            continue
        target = href.removeprefix("#")
        elements = select(page, f'//*[@id="{target}"]') if '"' not in target else []
        if not elements:
            bases.add(f"#missing:{target}")
            continue
        name = elements[0].get("name") or ""
        for suffix in DATE_SUFFIXES:
            name = name.removesuffix(suffix)
        if not name:  # a date's wrapper or a group: its first input
            inner = elements[0].xpath(".//input[@name]")
            name = inner[0].get("name") if inner else ""
        bases.add(name)
    return items, bases


def local_redirect(location: str) -> bool:
    """A redirect that stays on this site: a path, never ``//host``, ``/\\host`` or a scheme."""
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and not location.startswith(("//", "/\\", "\\"))


def path_of(url: str) -> str:
    return quote(urlsplit(url).path)
