"""Decision letters for benefit claims, rendered as accessible PDFs with fpdf2.

The letter is built from plain data (``DecisionLetter``) so that it can be rendered and
tested without the database; callers translate their claim, decision and award statement
into it. ``render_decision_letter`` returns the PDF as bytes.

Contract:

- Every fixed sentence goes through ``gettext`` inside ``translation.override(letter.language)``,
  and dates are formatted for that language ("24 December 2026" in English). Values such as
  the headline, reasons and amounts arrive already written and translated by the caller.
- The PDF carries its title, language, author (the agency) and subject, asks viewers to show
  the title rather than the file name, and has a document outline: the level-1 heading names
  the benefit and the outcome, and each part of the letter is a level-2 section under it.
  Those headings are also tagged H1/H2 in the structure tree. fpdf2 cannot tag the body
  text (py-pdf/fpdf2#792), so the file is not PDF/UA; its text is still in reading order.
- Output is deterministic: the creation date is midnight UTC on ``decided_on`` and fpdf2
  derives the file identifier from the content, so the same letter gives the same bytes.

Fonts: DejaVu Sans (regular and bold) from ``FONT_DIR`` is embedded when both files are
there, so names and addresses in any script it covers survive, including Welsh (ŵ, ŷ) and
Arabic. Without it the letter falls back to the core Helvetica font, which can only show
Windows-1252 (Latin-1 plus typographic quotes, dashes and €); any other character is
printed as "?" rather than failing, so a letter can always be produced.

Text shaping: fpdf2 shapes text only with the optional ``uharfbuzz`` package, which this
project does not install. It is switched on if it happens to be importable; otherwise
Arabic and other joining or right-to-left scripts are drawn unshaped, as isolated letters
in logical order. The text is still correct for copying, searching and screen readers.
"""

from __future__ import annotations

import calendar
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace, TextStyle
from fpdf.enums import TableBordersLayout
from fpdf.errors import FPDFException
from fpdf.prefs import ViewerPreferences
from fpdf.structure_tree import StructElem

from benefits.models import Claim
from benefits.rules.base import gbp, gbp_item

# Debian's fonts-dejavu-core puts the fonts here; tests point it elsewhere to exercise the
# core-font fallback.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR_FONT_FILE = "DejaVuSans.ttf"
BOLD_FONT_FILE = "DejaVuSans-Bold.ttf"

OUTCOMES = ("awarded", "refused", "reconsidered")

_UNICODE_FAMILY = "DejaVuSans"
_CORE_FAMILY = "Helvetica"
# What the core fonts can show: fpdf2 writes them with WinAnsiEncoding, which is cp1252.
_CORE_ENCODING = "windows-1252"

_MARGIN = 20  # mm
_BODY_PT = 11
_SMALL_PT = 9
_LINE = 6  # mm, line height for body text


@dataclass(frozen=True)
class LetterLine:
    """One line of the award statement; ``amount`` is already formatted for display."""

    label: str
    amount: str
    rule: str
    note: str = ""


@dataclass(frozen=True)
class DecisionLetter:
    agency_name: str
    customer_name: str
    address_lines: tuple[str, ...]
    customer_reference: str
    claim_reference: str
    benefit_name: str
    decided_on: date
    outcome: str
    headline: str
    reasons: tuple[str, ...]
    statement_version: int | None = None
    statement_lines: tuple[LetterLine, ...] = ()
    statement_total: str = ""
    payments: tuple[tuple[str, str], ...] = ()
    challenge_by: date | None = None
    language: str = "en"

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"Unknown outcome {self.outcome!r}; expected one of {OUTCOMES}")


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day when it is shorter (31 Jan → 28 Feb)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def render_decision_letter(letter: DecisionLetter) -> bytes:
    """Render ``letter`` as an A4 PDF in ``letter.language``."""
    with translation.override(letter.language):
        return bytes(_LetterWriter(letter).render())


def _long_date(day: date) -> str:
    return formats.date_format(day, "j F Y")


def _pdf_language_tag(code: str) -> str:
    # Django spells languages "en-gb"/"en_GB"; PDF wants an RFC 3066 tag such as "en-GB".
    language, _, region = code.replace("_", "-").partition("-")
    return f"{language.lower()}-{region.upper()}" if region else language.lower()


class _LetterPDF(FPDF):
    def __init__(self, *, footer: Callable[[int], str], family: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer = footer
        self._family = family
        self._heading_level: int | None = None

    def start_section(self, name: str, level: int = 0, strict: bool = True) -> None:
        self._heading_level = level
        try:
            super().start_section(name, level, strict)
        finally:
            self._heading_level = None

    def _add_marked_content(self, **kwargs: Any) -> StructElem:
        # fpdf2 tags section titles as figures with a title; screen readers should meet
        # them as headings, H1 for the decision and H2 for each part of the letter.
        if self._heading_level is not None and kwargs.get("struct_type") == "/Figure":
            kwargs["struct_type"] = f"/H{self._heading_level + 1}"
        return super()._add_marked_content(**kwargs)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self._family, "", _SMALL_PT)
        self.set_text_color(80)
        self.cell(0, 5, self._footer(self.page_no()), align="C")
        self.set_text_color(0)


class _LetterWriter:
    def __init__(self, letter: DecisionLetter) -> None:
        self.letter = letter
        self.unicode = (FONT_DIR / REGULAR_FONT_FILE).is_file() and (
            FONT_DIR / BOLD_FONT_FILE
        ).is_file()
        self.family = _UNICODE_FAMILY if self.unicode else _CORE_FAMILY
        self.pdf = _LetterPDF(footer=self._footer_text, family=self.family)

    def text(self, value: str) -> str:
        """``value`` as the chosen font can show it: unchanged, or with "?" for the unshowable."""
        if self.unicode:
            return value
        return value.encode(_CORE_ENCODING, errors="replace").decode(_CORE_ENCODING)

    def render(self) -> bytearray:
        self._set_up()
        self._sender_and_recipient()
        self._references()
        self._greeting()
        self._decision()
        self._reasons()
        self._statement()
        self._payments()
        self._challenge()
        return self.pdf.output()

    # -- document set-up ---------------------------------------------------------------

    def _set_up(self) -> None:
        pdf, letter = self.pdf, self.letter
        if self.unicode:
            pdf.add_font(_UNICODE_FAMILY, "", FONT_DIR / REGULAR_FONT_FILE)
            pdf.add_font(_UNICODE_FAMILY, "B", FONT_DIR / BOLD_FONT_FILE)
            # Without uharfbuzz fpdf2 refuses; scripts that need shaping then print unshaped.
            with contextlib.suppress(FPDFException):
                pdf.set_text_shaping(True)
        else:
            pdf.core_fonts_encoding = _CORE_ENCODING

        # Metadata strings are stored as UTF-16, so they need no replacement characters.
        pdf.set_title(self._title())
        pdf.set_lang(_pdf_language_tag(letter.language))
        pdf.set_author(letter.agency_name)
        pdf.set_subject(
            gettext("Decision on your claim for %(benefit)s, claim reference %(reference)s")
            % {"benefit": letter.benefit_name, "reference": letter.claim_reference}
        )
        pdf.set_creator(letter.agency_name)
        pdf.set_creation_date(datetime.combine(letter.decided_on, time(), tzinfo=UTC))
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)

        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(auto=True, margin=_MARGIN + 5)
        pdf.set_section_title_styles(
            TextStyle(
                font_family=self.family, font_style="B", font_size_pt=18, t_margin=4, b_margin=3
            ),
            TextStyle(
                font_family=self.family, font_style="B", font_size_pt=14, t_margin=6, b_margin=2
            ),
        )
        pdf.add_page()

    def _title(self) -> str:
        outcome = self.letter.outcome
        benefit = {"benefit": self.letter.benefit_name}
        if outcome == "awarded":
            return gettext("%(benefit)s: your claim is successful") % benefit
        if outcome == "refused":
            return gettext("%(benefit)s: your claim is not successful") % benefit
        return gettext("%(benefit)s: we have looked at our decision again") % benefit

    def _footer_text(self, page: int) -> str:
        return self.text(
            gettext("Claim reference %(reference)s – page %(page)s of %(pages)s")
            % {
                "reference": self.letter.claim_reference,
                "page": page,
                "pages": self.pdf.str_alias_nb_pages,
            }
        )

    # -- parts of the letter -----------------------------------------------------------

    def _paragraph(self, value: str, *, style: str = "", size: float = _BODY_PT) -> None:
        self.pdf.set_font(self.family, style, size)
        self.pdf.multi_cell(
            0, _LINE * size / _BODY_PT, self.text(value), align="L", new_x="LMARGIN", new_y="NEXT"
        )

    def _section(self, name: str, *, level: int = 1) -> None:
        self.pdf.start_section(self.text(name), level=level)

    def _sender_and_recipient(self) -> None:
        pdf, letter = self.pdf, self.letter
        self._paragraph(letter.agency_name, style="B", size=16)
        pdf.ln(8)
        for line in (letter.customer_name, *letter.address_lines):
            if line.strip():
                self._paragraph(line)
        pdf.ln(6)

    def _references(self) -> None:
        letter = self.letter
        rows = (
            (gettext("Date of this letter"), _long_date(letter.decided_on)),
            (gettext("Your customer reference"), letter.customer_reference),
            (gettext("Claim reference"), letter.claim_reference),
        )
        self.pdf.set_font(self.family, "", _BODY_PT)
        with self.pdf.table(
            col_widths=(65, 105),
            width=170,
            align="LEFT",
            text_align="LEFT",
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.NONE,
            line_height=_LINE,
            padding=(0.5, 0),
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(self.text(label), style=FontFace(emphasis="BOLD"))
                row.cell(self.text(value))
        self.pdf.ln(4)

    def _greeting(self) -> None:
        # Never "Dear ,": without a name the letter says hello.
        name = self.letter.customer_name.strip()
        self._paragraph(gettext("Dear %(name)s,") % {"name": name} if name else gettext("Hello,"))

    def _decision(self) -> None:
        self._section(self._title(), level=0)
        self._paragraph(self.letter.headline, style="B", size=13)

    def _reasons(self) -> None:
        self._section(gettext("Why we made this decision"))
        for index, reason in enumerate(self.letter.reasons):
            if index:
                self.pdf.ln(2)
            self._paragraph(reason)

    def _statement(self) -> None:
        letter = self.letter
        if not letter.statement_lines:
            return
        self._section(gettext("How we worked out your award"))
        if letter.statement_version is not None:
            self._paragraph(
                gettext("Award statement, version %(version)s")
                % {"version": letter.statement_version},
                size=_SMALL_PT,
            )
            self.pdf.ln(1)
        bold = FontFace(emphasis="BOLD")
        self.pdf.set_font(self.family, "", 10)
        with self.pdf.table(
            col_widths=(62, 70, 38),
            width=170,
            align="LEFT",
            text_align=("LEFT", "LEFT", "RIGHT"),
            headings_style=bold,
            line_height=5,
            padding=1.5,
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for name in (gettext("Element"), gettext("Rule"), gettext("Amount")):
                heading.cell(self.text(name))
            for line in letter.statement_lines:
                row = table.row()
                label = f"{line.label}\n{line.note}" if line.note else line.label
                row.cell(self.text(label))
                row.cell(self.text(line.rule))
                row.cell(self.text(line.amount))
            if letter.statement_total:
                row = table.row()
                row.cell(self.text(gettext("Total")), colspan=2, style=bold)
                row.cell(self.text(letter.statement_total), style=bold)

    def _payments(self) -> None:
        if not self.letter.payments:
            return
        self._section(gettext("Your next payments"))
        self.pdf.set_font(self.family, "", 10)
        with self.pdf.table(
            col_widths=(85, 45),
            width=130,
            align="LEFT",
            text_align=("LEFT", "RIGHT"),
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5,
            padding=1.5,
        ) as table:
            heading = table.row()
            heading.cell(self.text(gettext("Payment date")))
            heading.cell(self.text(gettext("Amount")))
            for when, amount in self.letter.payments:
                row = table.row()
                row.cell(self.text(when))
                row.cell(self.text(amount))

    def _challenge(self) -> None:
        letter = self.letter
        deadline = _long_date(letter.challenge_by or one_month_after(letter.decided_on))
        self._section(gettext("If you think this decision is wrong"))
        if letter.outcome == "reconsidered":
            # This letter is the mandatory reconsideration notice, so the next step is the
            # tribunal itself, and the deadline is for the appeal.
            paragraphs = (
                gettext(
                    "We have looked at our decision again. If you still think it is wrong, "
                    "you can appeal to an independent tribunal. Your appeal must reach the "
                    "tribunal by %(date)s."
                )
                % {"date": deadline},
                gettext(
                    "Send a copy of this letter with your appeal. The tribunal is independent "
                    "of us and will make its own decision."
                ),
            )
        else:
            paragraphs = (
                gettext(
                    "You can ask us to look at this decision again. This is called a mandatory "
                    "reconsideration. You must ask by %(date)s."
                )
                % {"date": deadline},
                gettext(
                    "You can ask online from your claim page, by phone or by post. Tell us why "
                    "you think the decision is wrong and send any evidence you have."
                ),
                gettext(
                    "We will send you a new letter when we have looked at the decision again. "
                    "If you still disagree, you can then appeal to an independent tribunal."
                ),
            )
        for index, paragraph in enumerate(paragraphs):
            if index:
                self.pdf.ln(2)
            self._paragraph(paragraph)


# --- The letter's data, from a claim and its decision ----------------------------------------

PERIODS = {"week": gettext_lazy("a week"), "month": gettext_lazy("a month"), "once": ""}


def _money(amount, period: str) -> str:
    return gbp_item(amount, str(PERIODS.get(period, "")))


def build_letter(claim: Claim, decision) -> DecisionLetter:
    """The letter's data, worded in the person's language (amounts, periods and dates too)."""
    language = "cy" if claim.customer.preferred_language == "cy" else "en"
    with translation.override(language):
        return _build_letter(claim, decision, language)


def _build_letter(claim: Claim, decision, language: str) -> DecisionLetter:
    statement = decision.statement
    lines: tuple[LetterLine, ...] = ()
    total = ""
    if statement is not None:
        from decimal import Decimal

        lines = tuple(
            LetterLine(
                label=e["label"],
                amount=_money(Decimal(e["amount"]), e.get("period", statement.period)),
                rule=e.get("rule", ""),
                note=e.get("note", ""),
            )
            for e in statement.elements
        )
        total = _money(statement.amount, statement.period)
    outcome = {"awarded": "awarded", "refused": "refused"}.get(decision.outcome, "reconsidered")
    if decision.outcome == "awarded" and statement is not None:
        headline = _("You will get %(benefit)s of %(amount)s.") % {
            "benefit": claim.benefit.name, "amount": total,
        }  # fmt: skip
    elif decision.outcome == "refused":
        headline = _("You cannot get %(benefit)s.") % {"benefit": claim.benefit.name}
    elif decision.outcome == "revised":
        headline = _("We have changed our decision on your %(benefit)s claim.") % {
            "benefit": claim.benefit.name
        }
    else:
        headline = _("We have not changed our decision on your %(benefit)s claim.") % {
            "benefit": claim.benefit.name
        }
    payments = (
        tuple(
            (date_format(p.due_on, "j F Y"), gbp(p.amount))
            for p in claim.payments.filter(statement=statement, status="scheduled")[:3]
        )
        if statement
        else ()
    )
    customer = claim.customer
    return DecisionLetter(
        agency_name=str(getattr(settings, "PORTAL_NAME", "")),
        customer_name=customer.full_name, address_lines=tuple(customer.address_lines),
        customer_reference=customer.reference, claim_reference=claim.reference or "",
        benefit_name=claim.benefit.name, decided_on=timezone.localdate(decision.decided_at),
        outcome=outcome, headline=headline,
        reasons=tuple(p for p in decision.reasons.splitlines() if p.strip()),
        statement_version=statement.version if statement else None,
        statement_lines=lines, statement_total=total, payments=payments,
        challenge_by=decision.challenge_by,
        language=language,
    )  # fmt: skip
