"""The export's readable summary: ``summary.pdf``, made from the same data as ``data.json``.

It says, section by section and in the person's language, what we hold: their details,
household, circumstances with their history, claims and what happened on them, decisions,
statements, payments, documents, messages, appointments, plans, notifications,
representatives, consents and who looked at their record. The machine-readable detail
(every field, every file) is ``data.json``; the PDF is for reading.

Fonts as in decision letters (``benefits.claims.letters``): DejaVu Sans when it is
installed, so any name (Siân, Zoë, Łukasz, Ŵyn) prints; otherwise the core Helvetica,
with "?" for what Windows-1252 cannot show, so a summary can always be made.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF, TextStyle
from fpdf.errors import FPDFException
from fpdf.prefs import ViewerPreferences

from benefits.claims.letters import BOLD_FONT_FILE, FONT_DIR, REGULAR_FONT_FILE
from benefits.models import ClaimStatus, DecisionOutcome, DocumentState, PaymentStatus

_UNICODE_FAMILY = "DejaVuSans"
_CORE_FAMILY = "Helvetica"
_CORE_ENCODING = "windows-1252"
_MARGIN = 18
_LINE = 5.5
# Long lists are summed up, not printed whole: data.json has every row.
_MOST_ROWS = 200


class _SummaryPDF(FPDF):
    def __init__(self, *, family: str, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._family = family
        self._footer = footer

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self._family, "", 8)
        self.set_text_color(80)
        self.cell(0, 5, f"{self._footer} – {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def _when(value: Any) -> str:
    """A date or time from data.json (ISO text, or the Python value) as people write it."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        parsed: date | datetime | None = parse_datetime(value) if "T" in value else None
        parsed = parsed or parse_date(value[:10])
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    return date_format(value, "j F Y")


def _label(choices: type, value: str) -> str:
    """A code as the pages word it ("in_review" → "Being looked at"); unknown codes as they are."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items()) or "–"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class SummaryWriter:
    def __init__(self, data: dict[str, Any], *, language: str, made_at: datetime) -> None:
        self.data = data
        self.language = language
        self.made_at = made_at
        self.unicode = (FONT_DIR / REGULAR_FONT_FILE).is_file() and (
            FONT_DIR / BOLD_FONT_FILE
        ).is_file()
        self.family = _UNICODE_FAMILY if self.unicode else _CORE_FAMILY

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.encode(_CORE_ENCODING, errors="replace").decode(_CORE_ENCODING)

    def render(self) -> bytes:
        with translation.override(self.language):
            profile = self.data["profile"]
            reference = profile["reference"]
            self.pdf = _SummaryPDF(
                family=self.family,
                footer=self.text(_("Your data, customer reference %(ref)s") % {"ref": reference}),
            )
            self._set_up()
            self._sections()
            return bytes(self.pdf.output())

    # -- layout -------------------------------------------------------------------------

    def _set_up(self) -> None:
        pdf = self.pdf
        if self.unicode:
            pdf.add_font(_UNICODE_FAMILY, "", FONT_DIR / REGULAR_FONT_FILE)
            pdf.add_font(_UNICODE_FAMILY, "B", FONT_DIR / BOLD_FONT_FILE)
            with contextlib.suppress(FPDFException):
                pdf.set_text_shaping(True)
        else:
            pdf.core_fonts_encoding = _CORE_ENCODING
        title = _("Everything we hold about you")
        pdf.set_title(title)
        language, _sep, region = self.language.replace("_", "-").partition("-")
        pdf.set_lang(f"{language.lower()}-{region.upper()}" if region else language.lower())
        agency = str(getattr(settings, "PORTAL_AGENCY", ""))
        pdf.set_author(agency)
        pdf.set_creator(agency)
        pdf.set_creation_date(self.made_at)
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(auto=True, margin=_MARGIN + 4)
        pdf.set_section_title_styles(
            TextStyle(font_family=self.family, font_style="B", font_size_pt=18, b_margin=3),
            TextStyle(
                font_family=self.family, font_style="B", font_size_pt=13, t_margin=6, b_margin=2
            ),
        )
        pdf.add_page()
        pdf.set_font(self.family, "", 10)

    def heading(self, title: str, level: int = 1) -> None:
        self.pdf.start_section(self.text(title), level=level)

    def para(self, value: str, *, bold: bool = False, size: float = 10) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, _LINE, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def line(self, label: str, value: Any) -> None:
        self.para(f"{label}: {value if isinstance(value, str) else _plain(value)}")

    def gap(self) -> None:
        self.pdf.ln(2)

    def none(self, sentence: str) -> None:
        self.para(sentence)

    def more(self, rows: list, shown: int) -> None:
        if len(rows) > shown:
            self.para(
                _("And %(count)s more: every one is in data.json.") % {"count": len(rows) - shown}
            )

    # -- the sections -------------------------------------------------------------------

    def _sections(self) -> None:
        d = self.data
        p = d["profile"]
        name = " ".join(x for x in (p["legal_given_names"], p["legal_family_name"]) if x)
        self.heading(_("Everything we hold about you"), level=0)
        self.para(name or _("(name not given)"), bold=True, size=13)
        self.line(_("Customer reference"), p["reference"])
        self.line(_("Made on"), _when(self.made_at))
        self.para(
            _(
                "This summary is for reading. The file data.json in the same download holds "
                "every record in full, in a form other services can read, described by "
                "schema.json. The documents and files you sent us are in the folders "
                "documents and messages."
            )
        )
        self._profile(p)
        self._household(d["household"])
        self._facts(d["facts"])
        self._claims(d["claims"])
        self._decisions(d["decisions"])
        self._statements(d["statements"])
        self._payments(d["payments"])
        self._documents(d["documents"])
        self._messages(d["messages"])
        self._appointments(d["appointments"])
        self._journeys(d["journeys"])
        self._notifications(d["notifications"])
        self._representatives(d["representatives"])
        self._consents(d["consents"])
        self._access_log(d["access_log"])

    def _profile(self, p: dict) -> None:
        self.heading(_("Your details"))
        self.line(_("Given names"), p["legal_given_names"] or "–")
        self.line(_("Family name"), p["legal_family_name"] or "–")
        self.line(_("Preferred name"), p["preferred_name"] or "–")
        self.line(_("Date of birth"), _when(p["date_of_birth"]))
        self.line(_("National Insurance number"), p["ni_number"] or "–")
        address = ", ".join(v for v in p["address"].values() if v)
        self.line(_("Address"), address or "–")
        self.line(_("Email"), p["email"] or "–")
        self.line(_("Phone"), p["phone"] or "–")
        self.line(_("Sign-in email"), p["sign_in_email"] or "–")
        self.line(_("Preferred language"), p["preferred_language"])
        self.line(_("How we contact you"), p["contact_channels"])
        self.line(_("Accessibility needs"), p["accessibility_needs"])
        self.line(_("Other reasonable adjustments"), p["reasonable_adjustments"] or "–")
        for bank in p["bank_accounts"]:
            self.line(
                _("Bank account (in use)") if bank["in_use"] else _("Bank account (earlier)"),
                f"{bank['account_name']}, {bank['sort_code']}, {bank['account_number']}",
            )

    def _household(self, rows: list) -> None:
        self.heading(_("Your household"))
        if not rows:
            return self.none(_("You have not told us about anyone living with you."))
        for m in rows:
            left = _("left %(date)s") % {"date": _when(m["left_on"])} if m["left_on"] else ""
            self.para(
                f"{m['name']} ({m['relationship']}), "
                + _("born %(date)s") % {"date": _when(m["date_of_birth"])}
                + f", {_('lives with you from')} {_when(m['joined_on'])} {left}".rstrip()
            )
        return None

    def _facts(self, rows: list) -> None:
        self.heading(_("Your circumstances and their history"))
        if not rows:
            return self.none(_("We hold no circumstances for you."))
        self.para(
            _(
                "Each line is one thing we were told: what was true, from when until when, "
                "when we were told and by whom. Nothing is overwritten: a later line about "
                "the same dates replaces an earlier one for those dates only."
            )
        )
        for f in rows[:_MOST_ROWS]:
            until = _when(f["valid_to"]) if f["valid_to"] else _("no end")
            self.para(
                f"{f['label']}: {_plain(f['value'])} — {_when(f['valid_from'])} – {until}; "
                + _("recorded %(when)s by %(who)s")
                % {"when": _when(f["recorded_at"]), "who": f["recorded_by"]}
            )
        self.more(rows, _MOST_ROWS)
        return None

    def _claims(self, rows: list) -> None:
        self.heading(_("Your claims"))
        if not rows:
            return self.none(_("You have no claims."))
        for c in rows:
            self.para(
                f"{c['benefit']['name']} – {c['reference'] or _('draft')} "
                f"({_label(ClaimStatus, c['status'])})",
                bold=True,
            )
            self.line(_("Started"), _when(c["created_at"]))
            self.line(_("Sent"), _when(c["submitted_at"]))
            self.line(_("Decided"), _when(c["decided_at"]))
            for e in c["timeline"]:
                what = e["reason"] or _label(ClaimStatus, e["to_status"])
                self.para(f"  {_when(e['at'])}: {what} ({e['by']})")
            for r in c["information_requests"]:
                self.para(
                    "  "
                    + _("We asked: %(what)s (reply by %(due)s)")
                    % {"what": r["what_is_needed"], "due": _when(r["due_on"])}
                )
                if r["answer"]:
                    self.para("  " + _("You answered: %(answer)s") % {"answer": r["answer"]})
            self.gap()
        return None

    def _decisions(self, rows: list) -> None:
        self.heading(_("Decisions"))
        if not rows:
            return self.none(_("There are no decisions on your claims."))
        for d in rows:
            self.para(
                f"{d['claim_reference']}: {_label(DecisionOutcome, d['outcome'])}, "
                f"{_when(d['decided_at'])}",
                bold=True,
            )
            self.para(d["reasons"])
        return None

    def _statements(self, rows: list) -> None:
        self.heading(_("Award statements"))
        if not rows:
            return self.none(_("You have no award statements."))
        for s in rows:
            self.para(
                f"{s['claim_reference']} v{s['version']}: £{_plain(s['amount'])} "
                f"{s['period']}, {_('from')} {_when(s['effective_from'])}"
            )
        return None

    def _payments(self, rows: list) -> None:
        self.heading(_("Payments"))
        if not rows:
            return self.none(_("There are no payments."))
        for p in rows[:_MOST_ROWS]:
            self.para(
                f"{_when(p['due_on'])}: £{_plain(p['amount'])} "
                f"({_label(PaymentStatus, p['status'])}) – "
                f"{p['claim_reference']}, {_when(p['period_start'])} – {_when(p['period_end'])}"
            )
        self.more(rows, _MOST_ROWS)
        return None

    def _documents(self, rows: list) -> None:
        self.heading(_("Documents you sent"))
        if not rows:
            return self.none(_("You have not sent us any documents."))
        for doc in rows:
            self.para(
                f"{doc['original_name']} – {doc['evidence_kind']} "
                f"({_label(DocumentState, doc['state'])}), "
                f"{_when(doc['uploaded_at'])}: {doc['file'] or '–'}"
            )
        return None

    def _messages(self, rows: list) -> None:
        self.heading(_("Messages"))
        if not rows:
            return self.none(_("You have no conversations with us."))
        for c in rows:
            self.para(f"{c['reference']}: {c['subject']} ({c['status']})", bold=True)
            for m in c["messages"]:
                who = _("You") if m["from"] == "customer" else _("Us")
                self.para(f"{_when(m['sent_at'])} – {who}", bold=True, size=9)
                self.para(m["body"])
                for a in m["attachments"]:
                    self.para(f"  {a['original_name']}: {a['file'] or '–'}", size=9)
            self.gap()
        return None

    def _appointments(self, rows: list) -> None:
        self.heading(_("Appointments"))
        if not rows:
            return self.none(_("You have no appointments."))
        for a in rows:
            self.para(
                f"{a['reference']}: {_when(a['starts_at'])}, {a['channel']}, {a['purpose']} "
                f"({a['status']})"
            )
            if a["outcome"]:
                self.para("  " + a["outcome"])
        return None

    def _journeys(self, section: dict) -> None:
        self.heading(_("Your plans, to-do list and goals"))
        if not any(section.values()):
            return self.none(_("You have no plans, tasks, goals or reported changes."))
        for j in section["plans"]:
            self.para(f"{j['life_event']} ({j['status']}), {_when(j['event_date'])}")
        for t in section["tasks"][:_MOST_ROWS]:
            done = _("done %(when)s") % {"when": _when(t["done_at"])} if t["done_at"] else ""
            self.para(f"  {t['title']} {done}".rstrip())
        for g in section["goals"]:
            self.para(_("Goal: %(title)s") % {"title": g["title"]})
        for c in section["changes_reported"]:
            self.para(
                _("Change reported: %(kind)s, on %(date)s")
                % {"kind": c["kind"], "date": _when(c["happened_on"])}
            )
        return None

    def _notifications(self, rows: list) -> None:
        self.heading(_("What we told you"))
        if not rows:
            return self.none(_("We have sent you no notifications."))
        for n in rows[:_MOST_ROWS]:
            self.para(f"{_when(n['created_at'])}: {n['title']}")
        self.more(rows, _MOST_ROWS)
        return None

    def _representatives(self, rows: list) -> None:
        self.heading(_("People who act for you, and what they did"))
        if not rows:
            return self.none(_("Nobody acts for you."))
        for r in rows:
            self.para(
                f"{r['organisation'] or r['name']} ({r['kind']}, {r['status']}): "
                + ", ".join(r["scopes"]),
                bold=True,
            )
            for a in r["actions"][:_MOST_ROWS]:
                self.para(f"  {_when(a['at'])}: {a['by_name']} – {a['what']}")
            self.more(r["actions"], _MOST_ROWS)
        return None

    def _consents(self, rows: list) -> None:
        self.heading(_("What you agreed to"))
        if not rows:
            return self.none(_("We hold no consent records for you."))
        for c in rows:
            self.para(_plain(c))
        return None

    def _access_log(self, rows: list) -> None:
        self.heading(_("Who has looked at your record"))
        if not rows:
            return self.none(_("None of our staff has opened your record yet."))
        for row in rows[-_MOST_ROWS:]:
            self.para(f"{_when(row['at'])}: {row['who']} – {row['what']}")
        self.more(rows, _MOST_ROWS)
        return None


def render_summary(data: dict[str, Any], *, language: str, made_at: datetime) -> bytes:
    return SummaryWriter(data, language=language, made_at=made_at).render()
