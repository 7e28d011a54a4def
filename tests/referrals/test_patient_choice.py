"""The patient chooses which shortlisted clinics may see the case (each tick the clinic-sharing
consent, each untick its withdrawal) and reads only the answers a coordinator released."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import CONSENT_TEXTS_BY_PURPOSE, SHARING_TEXTS
from oncoroute.cases.vocabulary import Urgency
from oncoroute.clinics.models import Clinic, Shortlist
from oncoroute.clinics.services import shortlist_save
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.models import Referral
from oncoroute.referrals.services import answer_release, answer_submit
from oncoroute.referrals.workflow import ReferralStatus
from tests.clinics.builders import offering
from tests.i18n.messages import PATIENT_MODULES, PATIENT_TEMPLATES, SRC, files
from tests.referrals.conftest import answer

pytestmark = pytest.mark.django_db

SHARING = Consent.Purpose.CLINIC_SHARING


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def digest(language: str) -> str:
    return hashlib.sha256(SHARING_TEXTS[language].encode()).hexdigest()


def page_url(case: Any) -> str:
    return reverse("patient_clinics", args=[case.reference])


def active(case: Any, clinic: Clinic) -> list[Consent]:
    return list(case.consents.filter(purpose=SHARING, clinic=clinic, withdrawn_at__isnull=True))


@pytest.fixture
def shortlisted(
    patient_case: Any, coordinator: Any, clinic_x: Clinic, clinic_y: Clinic
) -> Shortlist:
    """Clinic Y first, then X, with X's published SBRT price and Y's demo figures."""
    offering(clinic_x, "sbrt", 9_500, high=14_000, wait=7)
    offering(clinic_x, "mri", None, wait=1)
    clinic_x.summary = "Radiosurgery centre with a spine tumour board."
    clinic_x.save()
    clinic_y.demo_figures = True
    clinic_y.save()
    offering(clinic_y, "kyphoplasty", 8_000, high=11_000, currency="USD", wait=3)
    return shortlist_save(
        case=patient_case, actor=coordinator, clinic_slugs=["clinic-y", "clinic-x"]
    )


def test_the_page_lists_the_shortlist_in_plain_words(
    shortlisted: Shortlist, patient_case: Any, patient: Any
) -> None:
    client = signed_in(patient)
    case_page = client.get(reverse("patient_case", args=[patient_case.reference])).content
    assert page_url(patient_case).encode() in case_page
    assert b"You have not chosen any clinic yet." in case_page

    response = client.get(page_url(patient_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Clinic Y") < html.index("Clinic X")  # the coordinator's order
    assert "Somewhere, Spain" in html and "Somewhere, Türkiye" in html
    assert "Radiosurgery centre with a spine tumour board." in html  # why: the clinic's summary
    assert "9,500–14,000 EUR" in html and "wait about 7 days" in html
    assert "8,000–11,000 USD" in html and "wait about 3 days" in html
    assert "price not published" in html  # X's MRI
    assert html.count("Demo figures") == 1  # Y only
    assert SHARING_TEXTS["en"] in html  # the exact consent text, beside the ticks
    assert 'name="clinics" value="clinic-x"' in html and " checked" not in html


def test_nothing_to_choose_before_a_shortlist(patient_case: Any, patient: Any) -> None:
    client = signed_in(patient)
    case_page = client.get(reverse("patient_case", args=[patient_case.reference])).content
    assert page_url(patient_case).encode() not in case_page
    html = client.get(page_url(patient_case)).content.decode()
    assert "has not suggested any clinics yet" in html
    assert 'name="clinics"' not in html


def test_emergency_advice_comes_first(
    shortlisted: Shortlist, patient_case: Any, patient: Any
) -> None:
    Case.objects.filter(pk=patient_case.pk).update(urgency=Urgency.EMERGENCY)
    html = signed_in(patient).get(page_url(patient_case)).content.decode()
    advice = html.index("please go to your local emergency department today")
    assert advice < html.index("<h1>")


def test_a_tick_on_the_russian_page_is_the_consent_in_russian(
    shortlisted: Shortlist, patient_case: Any, patient: Any, clinic_x: Clinic, clinic_y: Clinic
) -> None:
    client = signed_in(patient, "ru")
    html = client.get(page_url(patient_case)).content.decode()
    assert SHARING_TEXTS["ru"] in html
    assert "Каким клиникам можно передать ваш случай?" in html
    assert f'value="{digest("ru")}"' in html

    before = timezone.now()
    response = client.post(page_url(patient_case), {"clinics": ["clinic-x"], "shown": digest("ru")})
    assert response.status_code == 302
    [consent] = active(patient_case, clinic_x)
    assert consent.language == "ru"
    assert consent.text_sha256 == digest("ru")
    assert consent.text_version == CONSENT_TEXTS_BY_PURPOSE[SHARING][0]
    assert consent.country == "TR"
    assert consent.given_at >= before
    assert not active(patient_case, clinic_y)

    followed = client.get(page_url(patient_case)).content.decode()
    assert "Теперь этим клиникам можно передать ваш случай: Clinic X." in followed
    assert 'value="clinic-x" checked' in followed
    case_page = client.get(reverse("patient_case", args=[patient_case.reference])).content
    assert "Вы разрешили передать случай: <strong>Clinic X</strong>" in case_page.decode()

    # Saving the same ticks again gives no second consent.
    client.post(page_url(patient_case), {"clinics": ["clinic-x"], "shown": digest("ru")})
    assert len(active(patient_case, clinic_x)) == 1


def test_a_tick_counts_only_for_the_text_the_page_showed(
    shortlisted: Shortlist, patient_case: Any, patient: Any
) -> None:
    client = signed_in(patient, "ru")
    # The page was read in English, then the language changed before saving.
    response = client.post(page_url(patient_case), {"clinics": ["clinic-x"], "shown": digest("en")})
    assert response.status_code == 422
    assert "Текст согласия ниже отличается" in response.content.decode()
    assert not patient_case.consents.filter(purpose=SHARING).exists()
    empty = client.post(page_url(patient_case), {})
    assert empty.status_code == 422
    unknown = client.post(page_url(patient_case), {"clinics": ["nowhere"], "shown": digest("ru")})
    assert unknown.status_code == 422
    assert not patient_case.consents.filter(purpose=SHARING).exists()


def test_unticking_withdraws_the_consent_and_that_clinics_referral(
    shortlisted: Shortlist,
    referral_x: Referral,
    patient_case: Any,
    patient: Any,
    clinic_x: Clinic,
    clinic_y: Clinic,
) -> None:
    client = signed_in(patient)
    html = client.get(page_url(patient_case)).content.decode()
    assert 'value="clinic-x" checked' in html and 'value="clinic-y" checked' in html
    assert "Your case has been sent to this clinic." in html

    response = client.post(page_url(patient_case), {"clinics": ["clinic-y"], "shown": digest("en")})
    assert response.status_code == 302
    assert not active(patient_case, clinic_x)
    assert len(active(patient_case, clinic_y)) == 1  # kept, not given twice
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.WITHDRAWN
    followed = client.get(page_url(patient_case)).content.decode()
    assert "These clinics no longer have access to your case: Clinic X." in followed


def test_a_consented_clinic_off_the_latest_shortlist_can_still_be_withdrawn(
    shortlisted: Shortlist, consented: Any, patient: Any, coordinator: Any, clinic_x: Clinic
) -> None:
    shortlist_save(case=consented, actor=coordinator, clinic_slugs=["clinic-y"])
    client = signed_in(patient)
    html = client.get(page_url(consented)).content.decode()
    assert 'value="clinic-x" checked' in html
    client.post(page_url(consented), {"clinics": ["clinic-y"], "shown": digest("en")})
    assert not active(consented, clinic_x)


def test_only_the_patient_who_owns_the_case(
    shortlisted: Shortlist,
    patient_case: Any,
    other_patient: Any,
    coordinator: Any,
    doctor_x: Any,
) -> None:
    url = page_url(patient_case)
    stranger = signed_in(other_patient)
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"clinics": ["clinic-x"], "shown": digest("en")}).status_code == 404
    for staff in (coordinator, doctor_x):
        assert signed_in(staff).get(url).status_code == 403
    assert not patient_case.consents.filter(purpose=SHARING).exists()


def test_only_a_released_answer_reaches_the_patient(
    referral_x: Referral, patient_case: Any, patient: Any, doctor_x: Any, coordinator: Any
) -> None:
    quote = answer_submit(
        referral=referral_x,
        author=doctor_x,
        answer=AnswerIn(**answer(excluded="Flights, hotel, interpreter.")),
    )
    case_page = reverse("patient_case", args=[patient_case.reference])
    unreleased = signed_in(patient).get(case_page).content.decode()
    for shown_only_when_released in ("Answers from clinics", "26,500.50", "Flights, hotel"):
        assert shown_only_when_released not in unreleased

    answer_release(opinion=quote.opinion, actor=coordinator)
    html = signed_in(patient).get(case_page).content.decode()
    assert "Answers from clinics" in html
    assert "Clinic X" in html
    assert "Spinal stabilisation (instrumented fixation)</strong>: 1 session" in html
    assert "5 nights in hospital, 7 days of recovery before flying" in html
    assert "5 sessions, one a day, starting 14 days after the previous step" in html
    assert "26,500.50 EUR" in html  # the exact total, contingency included
    assert "including 2,000 EUR set aside for complications" in html
    assert "Surgery, five nights, SBRT planning and fractions." in html
    assert "Flights, hotel, interpreter." in html
    assert quote.valid_until.strftime("%-d %b %Y") in html  # one date format per language

    russian = signed_in(patient, "ru").get(case_page).content.decode()
    assert "Ответы клиник" in russian
    assert "26\xa0500,50 EUR" in russian
    assert "5 ночей в больнице, 7 дней восстановления перед перелётом" in russian


def test_the_new_patient_pages_are_under_the_language_tests() -> None:
    templates = {str(path.relative_to(SRC)) for path in files(PATIENT_TEMPLATES)}
    assert "referrals/templates/referrals/patient_clinics.html" in templates
    assert "referrals/templates/referrals/_patient_case_clinics.html" in templates
    assert "referrals/patient_views.py" in PATIENT_MODULES
