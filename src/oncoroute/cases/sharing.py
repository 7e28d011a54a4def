"""What a clinic may see of a case, and sharing it only under an active, clinic-specific consent.

There is no clinic portal yet: ``deidentified_case_view`` is the one shape a clinic gets, built
from an allow-list, so a field added to Case later stays private until it is listed here.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation

from oncoroute.accounts.models import User
from oncoroute.cases import events
from oncoroute.cases.models import Case, CaseShare, Consent
from oncoroute.cases.vocabulary import CONSENT_TEXT_VERSION, CONSENT_TEXTS
from oncoroute.clinical import SUMMARY_KEYS
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.privacy.residency import region_for_country, transfer_record
from oncoroute.triage.report import StoredTriage

# Everything a clinic doctor may receive about a case; nothing else leaves.
DEIDENTIFIED_KEYS = frozenset(
    {"pseudonym", "age_band", "sex", "primary_cancer", "spine_regions", "triage"}
)
# The triage summary holds scores, bands and therapy ids only: never names, contacts or free text.
TRIAGE_SUMMARY_KEYS = tuple(SUMMARY_KEYS)
SHARING_TEXTS = {
    "en": (
        "I agree that oncoroute shares my case, without my name or contact details, with the "
        "clinic named here, in the country named here, so that its doctors can give an opinion."
    ),
    "ru": (
        "Я даю согласие на то, чтобы oncoroute передал мой случай — без моего имени и контактных "
        "данных — названной здесь клинике в названной здесь стране, чтобы её врачи дали своё "
        "заключение."
    ),
}
MARKETING_TEXTS = {
    "en": "I would like to receive oncoroute's news and offers by email. (Optional.)",
    "ru": "Я хочу получать новости и предложения oncoroute по электронной почте. (По желанию.)",
}
IDENTITY_SHARING_TEXTS = {
    "en": (
        "I accept this clinic's plan and agree that oncoroute gives the clinic named here, in "
        "the country named here, my name, date of birth and contact details, so that it can "
        "book my treatment and stay in touch with me about it."
    ),
    "ru": (
        "Я принимаю план этой клиники и даю согласие на то, чтобы oncoroute передал названной "
        "здесь клинике в названной здесь стране моё имя, дату рождения и контактные данные, "
        "чтобы она могла записать меня на лечение и связываться со мной по его поводу."
    ),
}
# Purpose → (version, its text in each language): each consent keeps the language and the hash
# of the exact text shown.
CONSENT_TEXTS_BY_PURPOSE = {
    Consent.Purpose.HEALTH_DATA: (CONSENT_TEXT_VERSION, CONSENT_TEXTS),
    Consent.Purpose.CLINIC_SHARING: ("clinic-sharing-2026-11", SHARING_TEXTS),
    Consent.Purpose.MARKETING: ("marketing-2026-11", MARKETING_TEXTS),
    Consent.Purpose.IDENTITY_SHARING: ("identity-sharing-2026-12", IDENTITY_SHARING_TEXTS),
}


def consent_text(purpose: str, language: str | None = None) -> tuple[str, str, str]:
    """A consent's text as shown in `language` (by default the page's): the language it is in,
    its version and the text; English where the purpose has no text in that language."""
    version, texts = CONSENT_TEXTS_BY_PURPOSE[Consent.Purpose(purpose)]
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in texts:
        language = "en"
    return language, version, texts[language]


class SharingRefused(Exception):
    """No active consent of the patient covers sharing this case with this clinic."""


def case_pseudonym(case: Case) -> str:
    """A stable id for a case that reveals neither its reference nor its row number."""
    key = settings.SECRET_KEY.encode()
    return "P-" + hmac.new(key, f"case|{case.pk}".encode(), hashlib.sha256).hexdigest()[:16]


def age_band(age: object) -> str | None:
    if not isinstance(age, int) or isinstance(age, bool):
        return None
    if age >= 90:
        return "90+"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def deidentified_case_view(case: Case) -> dict[str, Any]:
    """The de-identified case for a clinic: only the keys in DEIDENTIFIED_KEYS."""
    snapshot = case.triage_snapshots.order_by("-recorded_at", "-pk").first()
    findings = snapshot.findings if snapshot else {}
    summary = StoredTriage.from_stored(snapshot.report).summary if snapshot else None
    view = {
        "pseudonym": case_pseudonym(case),
        "age_band": age_band(findings.get("age")),
        "sex": findings.get("sex"),
        # "other" with its free-text name would be free text: the category only.
        "primary_cancer": case.primary_cancer,
        "spine_regions": list(case.spine_regions),
        "triage": summary.shareable(TRIAGE_SUMMARY_KEYS) if summary else {},
    }
    assert set(view) <= DEIDENTIFIED_KEYS  # noqa: S101 - the allow-list is the contract
    return view


# Sent inside the withdrawing transaction: what was shared under the consent stops with it.
consent_withdrawn = Signal()


def sharing_consent_active(*, case: Case, clinic: Any) -> Consent | None:
    return (
        case.consents.filter(
            purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic, withdrawn_at__isnull=True
        )
        .order_by("-given_at", "-pk")
        .first()
    )


@transaction.atomic
def consent_give(*, case: Case, actor: User | None, purpose: str, clinic: Any = None) -> Consent:
    """Record a consent with the exact text's version and hash, its language and the time: the
    text of the page's language, which is the one the person was shown."""
    language, version, text = consent_text(purpose)
    consent = Consent(
        case=case,
        purpose=purpose,
        clinic=clinic,
        country=clinic.country if clinic is not None else "",
        text_version=version,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        language=language,
        given_at=timezone.now(),
    )
    consent.full_clean()
    consent.save()
    audit_record(actor=actor, action=Action.CONSENT, obj=consent, detail={"given": purpose})
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User) -> Consent:
    """Withdraw a consent; sharing under it stops at once."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        events.consent_withdrawn_event(case=consent.case, actor=actor, purpose=consent.purpose)
        audit_record(
            actor=actor, action=Action.CONSENT, obj=consent, detail={"withdrawn": consent.purpose}
        )
        consent_withdrawn.send(sender=Consent, consent=consent)
    return consent


@transaction.atomic
def case_share(*, case: Case, clinic: Any, actor: User) -> tuple[CaseShare, dict[str, Any]]:
    """Share the de-identified case with a clinic; refused without the patient's consent for it."""
    consent = sharing_consent_active(case=case, clinic=clinic)
    if consent is None:
        audit_record(
            actor=actor,
            action=Action.SHARE,
            obj=case,
            outcome="denied",
            detail={"clinic": clinic.pk, "reason": "no active sharing consent"},
        )
        raise SharingRefused(f"The patient has not agreed to sharing with {clinic}.")
    share = CaseShare.objects.create(case=case, clinic=clinic, consent=consent, shared_by=actor)
    events.case_shared_event(case=case, actor=actor, clinic_id=clinic.pk)
    audit_record(actor=actor, action=Action.SHARE, obj=case, detail={"clinic": clinic.pk})
    transfer_record(
        actor=actor,
        case=case,
        destination=region_for_country(str(clinic.country)),
        reason=f"share with clinic {clinic.pk}",
    )
    return share, deidentified_case_view(case)
