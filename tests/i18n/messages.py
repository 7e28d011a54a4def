"""The messages of the pages a patient or relative sees, read from their templates and modules
as `makemessages` reads them (templates through Django's own `templatize`), with Babel."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from django.utils.translation.template import templatize

SRC = Path(__file__).resolve().parents[2] / "src" / "oncoroute"
PO_RU = SRC / "locale" / "ru" / "LC_MESSAGES" / "django.po"

# What a patient or relative reads: the public pages (the request form, the clinic directory),
# sign-in, their own case, records and privacy pages, the choice of clinics and their released
# answers, and every email to the sender.
PATIENT_TEMPLATES: tuple[str, ...] = (
    "web/templates/web/base.html",
    "web/templates/web/_field.html",
    "web/templates/allauth/layouts/base.html",
    "web/templates/allauth/layouts/manage.html",
    "web/templates/allauth/elements/*.html",
    "accounts/templates/account/*.html",
    "accounts/templates/accounts/*.html",
    "web/templates/40*.html",
    "web/templates/500.html",
    "web/templates/503.html",
    "web/templates/web/_failing_page.html",
    "web/templates/web/_error_page.html",
    "web/templates/web/_footer.html",
    "cases/templates/cases/landing.html",
    "cases/templates/cases/_request_fields.html",
    "cases/templates/cases/request_received.html",
    "cases/templates/cases/request_link.html",
    "cases/templates/cases/guide_*.html",
    "cases/templates/cases/patient_*.html",
    "cases/templates/cases/_timeline.html",
    "cases/templates/cases/_request_facts.html",
    "cases/templates/cases/_messages.html",
    "cases/templates/cases/email/acknowledgement.txt",
    "cases/templates/cases/email/emergency_advice.txt",
    "cases/templates/cases/email/patient_news.txt",
    "records/templates/records/*.html",
    "privacy/templates/privacy/my_privacy.html",
    "clinics/templates/clinics/directory.html",
    "clinics/templates/clinics/public_compare.html",
    "clinics/templates/clinics/clinic.html",
    "clinics/templates/clinics/_clinic_card.html",
    "clinics/templates/clinics/_credentials.html",
    "referrals/templates/referrals/patient_clinics.html",
    "referrals/templates/referrals/_patient_case_clinics.html",
    "referrals/templates/referrals/patient_answers.html",
    "referrals/templates/referrals/_plan_items.html",
    "referrals/templates/referrals/patient_home_doctor.html",
    "referrals/templates/referrals/home_doctor_view.html",
    "referrals/templates/referrals/home_doctor_gone.html",
    "referrals/templates/referrals/email/home_doctor_link.txt",
    "referrals/templates/referrals/_patient_consultations.html",
    "referrals/templates/referrals/email/patient_consultation.txt",
    "cases/templates/cases/_emergency_advice.html",
    "followup/templates/followup/check_in*.html",
    "followup/templates/followup/email/check_in_due.txt",
    "trips/templates/trips/patient_itinerary.html",
    "trips/templates/trips/_picture.html",
    "trips/templates/trips/_days.html",
    "trips/templates/trips/_costs.html",
    "trips/templates/trips/_handover_*.html",
)
# The modules whose marked strings reach those pages: the request form and its vocabulary, the
# patient's status lines and timeline, the emails' subjects, the patients' messages.
PATIENT_MODULES: tuple[str, ...] = (
    "cases/forms.py",
    "cases/vocabulary.py",
    "cases/workflow.py",
    "cases/models.py",
    "cases/tasks.py",
    "cases/views.py",
    "cases/guide.py",
    "privacy/views.py",
    "privacy/export.py",
    "records/views.py",
    "records/models.py",
    # Why an upload was refused, shown on the records card (records.content.RecordRefused).
    "records/content.py",
    "records/partial.py",
    "records/services.py",
    "records/tasks.py",
    "clinics/forms.py",
    "clinics/labels.py",
    "referrals/patient_views.py",
    "referrals/acceptance.py",
    "referrals/home_doctor_views.py",
    "referrals/tasks.py",
    "followup/vocabulary.py",
    "followup/forms.py",
    "followup/services.py",
    "trips/checklists.py",
    "trips/models.py",
    "trips/views.py",
    "trips/handover_summary.py",
    "trips/fitness.py",
    "trips/documents.py",
)

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

Message = tuple[str | tuple[str, ...], str | None]


def files(patterns: tuple[str, ...]) -> list[Path]:
    found = []
    for pattern in patterns:
        matches = sorted(SRC.glob(pattern))
        assert matches, f"no file matches {pattern}"
        found.extend(matches)
    return found


def _extract(code: str) -> Iterator[Message]:
    stream = io.BytesIO(code.encode())
    for _lineno, message, _comments, context in extract("python", stream, keywords=KEYWORDS):
        yield message, context


def template_messages(path: Path) -> list[Message]:
    """The msgids of a template as makemessages would extract them."""
    code = templatize(path.read_text(), origin=str(path))
    # Each msgid is one literal on one line (repr); the blanked-out markup around it is not
    # Python, and its indentation must not trouble the tokenizer.
    return list(_extract("\n".join(line.lstrip() for line in code.splitlines())))


def module_messages(path: Path) -> list[Message]:
    return list(_extract(path.read_text()))


def patient_messages() -> dict[Message, list[str]]:
    """Every message of the patient's pages, with the files it comes from."""
    found: dict[Message, list[str]] = {}
    for path in files(PATIENT_TEMPLATES):
        for message in template_messages(path):
            found.setdefault(message, []).append(str(path.relative_to(SRC)))
    for path in files(PATIENT_MODULES):
        for message in module_messages(path):
            found.setdefault(message, []).append(str(path.relative_to(SRC)))
    return found
