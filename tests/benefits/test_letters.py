"""Decision letters: rendered to PDF bytes, read back with pypdf as a reader would."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pypdf
import pytest

from benefits.claims import letters
from benefits.claims.letters import (
    DecisionLetter,
    LetterLine,
    one_month_after,
    render_decision_letter,
)

HAS_DEJAVU = (letters.FONT_DIR / letters.REGULAR_FONT_FILE).is_file() and (
    letters.FONT_DIR / letters.BOLD_FONT_FILE
).is_file()

AWARD = DecisionLetter(
    agency_name="Citizen Services",
    customer_name="Siân Llŵyd",
    address_lines=("12 Heol y Bryn", "Aberystwyth", "SY23 1AA"),
    customer_reference="C-ABCD-2345",
    claim_reference="CL-WXYZ-6789",
    benefit_name="Carer’s Allowance",
    decided_on=date(2026, 11, 24),
    outcome="awarded",
    headline="You will get Carer’s Allowance of £83.30 a week",
    reasons=(
        "You care for your mother for at least 35 hours a week.",
        "Your earnings after deductions are below the weekly limit.",
    ),
    statement_version=2,
    statement_lines=(
        LetterLine(label="Basic rate", amount="£83.30 a week", rule="Weekly rate for carers"),
        LetterLine(
            label="Adult dependant increase",
            amount="£0.00",
            rule="Only paid on claims made before April 2010",
            note="Not included: your claim started after April 2010.",
        ),
    ),
    statement_total="£83.30 a week",
    payments=(("1 December 2026", "£166.60"), ("15 December 2026", "£166.60")),
    challenge_by=date(2026, 12, 24),
)

REFUSAL = DecisionLetter(
    agency_name="Citizen Services",
    customer_name="Amélie Dubois",
    address_lines=("4 Rue Street", "Leeds", "LS1 4AP"),
    customer_reference="C-QRST-3456",
    claim_reference="CL-MNPQ-7890",
    benefit_name="Maternity Allowance",
    decided_on=date(2026, 3, 31),
    outcome="refused",
    headline="You cannot get Maternity Allowance",
    reasons=("You did not work for at least 26 weeks in the 66 weeks before your baby is due.",),
)


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All pages' text with line breaks and runs of spaces folded, as a reader hears it."""
    return " ".join(" ".join(page.extract_text() for page in read(pdf).pages).split())


@pytest.fixture
def missing_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(letters, "FONT_DIR", tmp_path / "no-fonts-here")


def test_award_letter_shows_references_headline_and_reasons():
    pdf = render_decision_letter(AWARD)

    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in (
        "Citizen Services",
        "C-ABCD-2345",
        "CL-WXYZ-6789",
        "24 November 2026",
        "Carer’s Allowance: your claim is successful",
        "You will get Carer’s Allowance of £83.30 a week",
        "Why we made this decision",
        "You care for your mother for at least 35 hours a week.",
        "Your earnings after deductions are below the weekly limit.",
        "Claim reference CL-WXYZ-6789 – page 1 of",
    ):
        assert expected in text


def test_award_statement_lists_every_line_including_nil_lines_and_the_total():
    text = text_of(render_decision_letter(AWARD))

    assert "Award statement, version 2" in text
    for expected in (
        "Basic rate",
        "Weekly rate for carers",
        "Adult dependant increase",
        "Not included: your claim started after April 2010.",
        "£0.00",
        "Total £83.30 a week",
    ):
        assert expected in text


def test_award_letter_lists_next_payments():
    text = text_of(render_decision_letter(AWARD))

    assert "Your next payments" in text
    assert "1 December 2026 £166.60" in text
    assert "15 December 2026 £166.60" in text


def test_letter_tells_how_to_ask_for_mandatory_reconsideration_by_the_deadline():
    text = text_of(render_decision_letter(AWARD))

    assert "If you think this decision is wrong" in text
    assert "mandatory reconsideration. You must ask by 24 December 2026." in text
    assert "online from your claim page, by phone or by post" in text
    assert "appeal to an independent tribunal" in text


def test_refusal_letter_has_decision_and_reasons_but_no_award_statement():
    text = text_of(render_decision_letter(REFUSAL))

    assert "Amélie Dubois" in text
    assert "C-QRST-3456" in text
    assert "CL-MNPQ-7890" in text
    assert "Maternity Allowance: your claim is not successful" in text
    assert "You cannot get Maternity Allowance" in text
    assert REFUSAL.reasons[0] in text
    assert "How we worked out your award" not in text
    assert "Your next payments" not in text


def test_challenge_deadline_defaults_to_one_month_after_the_decision():
    text = text_of(render_decision_letter(REFUSAL))

    assert "You must ask by 30 April 2026." in text


@pytest.mark.parametrize(
    ("decided_on", "deadline"),
    [
        (date(2026, 11, 24), date(2026, 12, 24)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
    ],
)
def test_one_month_after_keeps_the_day_or_uses_the_months_last_day(decided_on, deadline):
    assert one_month_after(decided_on) == deadline


def test_reconsidered_letter_points_to_the_tribunal():
    reconsidered = DecisionLetter(
        **{**REFUSAL.__dict__, "outcome": "reconsidered", "challenge_by": date(2026, 5, 1)}
    )

    text = text_of(render_decision_letter(reconsidered))

    assert "Maternity Allowance: we have looked at our decision again" in text
    assert "Your appeal must reach the tribunal by 1 May 2026." in text
    assert "mandatory reconsideration" not in text


def test_unknown_outcome_is_rejected():
    with pytest.raises(ValueError, match="Unknown outcome"):
        DecisionLetter(**{**REFUSAL.__dict__, "outcome": "maybe"})


def test_letter_metadata_names_title_author_subject_and_language():
    reader = read(render_decision_letter(AWARD))

    assert reader.metadata.title == "Carer’s Allowance: your claim is successful"
    assert reader.metadata.author == "Citizen Services"
    assert reader.metadata.subject == (
        "Decision on your claim for Carer’s Allowance, claim reference CL-WXYZ-6789"
    )
    assert reader.metadata.creation_date.date() == date(2026, 11, 24)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_letter_outline_has_the_decision_heading_with_its_sections_below():
    outline = read(render_decision_letter(AWARD)).outline

    assert outline[0].title == "Carer’s Allowance: your claim is successful"
    assert [section.title for section in outline[1]] == [
        "Why we made this decision",
        "How we worked out your award",
        "Your next payments",
        "If you think this decision is wrong",
    ]


def test_letter_is_a4():
    page = read(render_decision_letter(AWARD)).pages[0]

    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_letter_in_welsh_formats_dates_in_welsh_and_declares_the_language():
    welsh = DecisionLetter(**{**AWARD.__dict__, "language": "cy"})

    pdf = render_decision_letter(welsh)

    assert "24 Tachwedd 2026" in text_of(pdf)
    assert read(pdf).trailer["/Root"]["/Lang"] == "cy"


@pytest.mark.skipif(not HAS_DEJAVU, reason="needs fonts-dejavu-core")
def test_names_in_any_script_survive_the_round_trip():
    letter = DecisionLetter(
        **{
            **AWARD.__dict__,
            "address_lines": ("Tŷ Gwyn", "Ffordd yr Ŵyn", "Caerdydd"),
        }
    )

    text = text_of(render_decision_letter(letter))

    assert "Siân Llŵyd" in text
    assert "Tŷ Gwyn" in text
    assert "Ffordd yr Ŵyn" in text


@pytest.mark.skipif(not HAS_DEJAVU, reason="needs fonts-dejavu-core")
def test_arabic_name_renders_without_error():
    letter = DecisionLetter(**{**AWARD.__dict__, "customer_name": "سلمى حداد"})

    pdf = render_decision_letter(letter)

    # Without uharfbuzz the letters are unshaped, but the characters are all there.
    assert set("سلمى حداد") - {" "} <= set(text_of(pdf))


@pytest.mark.usefixtures("missing_fonts")
def test_without_dejavu_the_letter_falls_back_to_helvetica_with_question_marks():
    letter = DecisionLetter(**{**AWARD.__dict__, "address_lines": ("Tŷ Gwyn", "سلمى", "Caerdydd")})

    pdf = render_decision_letter(letter)

    text = text_of(pdf)
    assert b"/BaseFont /Helvetica" in pdf
    assert b"DejaVu" not in pdf
    assert "Siân Ll?yd" in text
    assert "T? Gwyn" in text
    assert "????" in text
    # Windows-1252 still covers the pound sign and typographic apostrophes.
    assert "You will get Carer’s Allowance of £83.30 a week" in text
    # Metadata is stored as Unicode, so it keeps every character.
    assert read(pdf).metadata.title == "Carer’s Allowance: your claim is successful"


def test_same_letter_renders_the_same_bytes():
    first = hashlib.sha256(render_decision_letter(AWARD)).hexdigest()
    second = hashlib.sha256(render_decision_letter(AWARD)).hexdigest()

    assert first == second


@pytest.mark.usefixtures("missing_fonts")
def test_fallback_letter_is_deterministic_too():
    assert render_decision_letter(REFUSAL) == render_decision_letter(REFUSAL)


def test_headings_are_tagged_as_headings_for_screen_readers():
    root = read(render_decision_letter(AWARD)).trailer["/Root"]
    (document,) = root["/StructTreeRoot"]["/K"]
    document = document.get_object()

    headings = [(kid.get_object()["/S"], kid.get_object()["/T"]) for kid in document["/K"]]

    assert headings == [
        ("/H1", "Carer’s Allowance: your claim is successful"),
        ("/H2", "Why we made this decision"),
        ("/H2", "How we worked out your award"),
        ("/H2", "Your next payments"),
        ("/H2", "If you think this decision is wrong"),
    ]
