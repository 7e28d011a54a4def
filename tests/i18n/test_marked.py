"""Every word a patient or relative reads on a page or in an email is marked for translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise

from oncoroute.triage.forms import FindingsForm, LesionForm
from tests.i18n.messages import PATIENT_TEMPLATES, SRC, files

# The pages of coordinators, clinic doctors and staff: marked for translation, in English for now
# (no Russian is required of them).
MARKED_ONLY: tuple[str, ...] = (
    "cases/templates/cases/queue.html",
    "cases/templates/cases/coordinator_case.html",
    "cases/templates/cases/email/coordinators_new_request.txt",
    "cases/templates/cases/email/message_to_coordinators.txt",
    "triage/templates/triage/*.html",
    "clinics/templates/clinics/case_clinics.html",
    "clinics/templates/clinics/compare.html",
    "clinics/templates/clinics/_match_summary.html",
    "clinics/templates/clinics/_case_card.html",
    "referrals/templates/referrals/answer.html",
    "referrals/templates/referrals/_opinion.html",
    "referrals/templates/referrals/_case_referrals.html",
    "referrals/templates/referrals/clinic_home.html",
    "referrals/templates/referrals/referral_detail.html",
    "referrals/templates/referrals/email/clinic_new.txt",
    "referrals/templates/referrals/email/clinic_reminder.txt",
    "referrals/templates/referrals/email/coordinator_overdue.txt",
    "referrals/templates/referrals/coordinator_home_doctor.html",
    "referrals/templates/referrals/email/clinic_consultation.txt",
    "privacy/templates/privacy/erasure_requests.html",
    "followup/templates/followup/followup_case.html",
    "followup/templates/followup/outcomes.html",
    "followup/templates/followup/email/coordinators_warning.txt",
    "trips/templates/trips/coordinator_trips.html",
    "trips/templates/trips/handover.html",
)

# Words that stay as they are in every language.
UNTRANSLATED = frozenset({"onco", "route", "oncoroute"})
LETTER = re.compile(r"[^\W\d_]")
HOLE = "\x00"  # stands for a tag, a variable or a marked text in the rebuilt source
BLOCK_TAGS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def _unmarked_source(source: str) -> str:
    """The template with every tag, variable, comment and marked block replaced by a hole:
    only the text written straight into the template is left."""
    kept: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
            continue
        kept.append(HOLE)
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in BLOCK_TAGS:
                closing = BLOCK_TAGS[name]
    return "".join(kept)


TAG = re.compile(r"<[^<>]*>")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
READ_ATTRIBUTE = re.compile(r"\b(alt|title|aria-label|placeholder)=\"([^\"]*)\"")
# A fragment of a tag that a template block fills in (e.g. ` class="account"`): no text.
ATTRIBUTE_FRAGMENT = re.compile(r'^\s*([\w-]+="[^"]*"\s*)+$')


def unmarked_texts(source: str, *, html: bool = True) -> list[str]:
    """Words of the template that are not marked for translation: text nodes and the
    attributes people read (alt, title, aria-label, placeholder), or all text of an email."""
    bare = _unmarked_source(source)
    texts = [bare]
    if html:
        bare = HTML_COMMENT.sub(HOLE, SCRIPT_OR_STYLE.sub(HOLE, bare))
        texts = [value for tag in TAG.findall(bare) for _, value in READ_ATTRIBUTE.findall(tag)]
        texts.append(TAG.sub(HOLE, bare))
    found = []
    for text in texts:
        for piece in text.split(HOLE):
            if ATTRIBUTE_FRAGMENT.match(piece):
                continue
            words = [w for w in re.findall(r"\S+", piece) if LETTER.search(w)]
            if any(w.strip(".,:;!?()«»“”") not in UNTRANSLATED for w in words):
                found.append(" ".join(piece.split()))
    return found


def test_an_unmarked_sentence_is_found() -> None:
    source = (
        '{% load i18n %}<p title="Hover text">{% translate "Marked" %}</p>'
        "<div>Not marked {{ value }}</div>{% blocktranslate %}Marked too{% endblocktranslate %}"
        '<img alt="A picture"><script>var english = "ignored";</script>'
        "{% comment %}A note for developers{% endcomment %}<a>oncoroute</a>"
    )
    assert unmarked_texts(source) == ["Hover text", "A picture", "Not marked"]
    assert unmarked_texts("Dear {{ name }},\n{% translate 'Hi' %}", html=False) == ["Dear"]


def test_a_fully_marked_template_passes() -> None:
    source = (
        '{% load i18n %}<h1 class="big">{% translate "Title" %}</h1>'
        '<a href="{% url "landing" %}" aria-label="{% translate "Home" %}">→</a>'
        "<p>{{ case.reference }} — {{ case.patient_status }}</p>"
    )
    assert unmarked_texts(source) == []


def _name(path: Path) -> str:
    return str(Path(path).relative_to(SRC))


def _assert_marked(path: Path) -> None:
    found = unmarked_texts(path.read_text(), html=path.suffix == ".html")
    assert not found, f"{path.relative_to(SRC)} has text not marked for translation: {found}"


@pytest.mark.parametrize("path", files(PATIENT_TEMPLATES), ids=_name)
def test_patient_facing_templates_mark_every_sentence(path: Path) -> None:
    _assert_marked(path)


@pytest.mark.parametrize("path", files(MARKED_ONLY), ids=_name)
def test_coordinator_and_clinic_templates_mark_every_sentence(path: Path) -> None:
    _assert_marked(path)


def test_every_findings_field_has_a_marked_label() -> None:
    """A field the clinical core adds later needs its label written in the form's table."""
    fields = {**FindingsForm().fields, **LesionForm().fields}
    unmarked = [name for name, field in fields.items() if not isinstance(field.label, Promise)]
    assert not unmarked, f"findings fields without a marked label: {unmarked}"
