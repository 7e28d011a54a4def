"""The whole referral path in Chromium: the patient lets two clinics see the case, the coordinator
sends it, clinic X's doctor opens it with its images and answers with an opinion and a two-item
quote, clinic Y declines, the coordinator releases X's answer and the patient reads it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import Browser, Page, expect

from oncoroute.accounts.roles import Role
from oncoroute.clinics.services import shortlist_save
from oncoroute.records.models import Series, Study
from oncoroute.referrals.models import Referral
from oncoroute.referrals.workflow import ReferralStatus
from tests.browser.conftest import screenshot, sign_in
from tests.clinics.builders import clinic, rates
from tests.factories import person

pytestmark = pytest.mark.django_db(transaction=True)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~"
    b"\x9bU\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4\x00\x00\x00\x00"
    b"IEND\xaeB`\x82"
)


def _doctor(email: str, works_at: Any) -> Any:
    doctor = person(Role.CLINIC_DOCTOR, email, first_name="Doctor")
    doctor.clinic = works_at
    doctor.save()
    return doctor


def _deidentified_study(case: Any) -> None:
    folder = f"records/{case.pk}"
    study = Study.objects.create(
        case=case,
        study_uid="1.2.826.0.1.1",
        deid_state=Study.Deid.DONE,
        deid_summary={"files_in": 1, "written": 1, "held_back": 0, "released": 0, "errors": 0},
        deid_archive=default_storage.save(
            f"{folder}/deid.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18)
        ),
    )
    Series.objects.create(
        study=study,
        series_uid="1.2.826.0.1.1.1",
        preview=default_storage.save(f"{folder}/preview.png", ContentFile(PNG)),
    )


def _signed_in(browser: Browser, base: str, user: Any, password: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, user, password)
    return page


def test_two_clinics_one_answer_one_decline_and_the_release(
    live_server: Any,
    browser: Browser,
    patient: Any,
    coordinator: Any,
    password: str,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    rates()
    clinic_x = clinic("clinic-x", name="Clinic X", country="TR")
    clinic_y = clinic("clinic-y", name="Clinic Y", country="ES")
    doctor_x = _doctor("doctor@clinic-x.example", clinic_x)
    doctor_y = _doctor("doctor@clinic-y.example", clinic_y)
    case = patient.cases.get()
    _deidentified_study(case)
    shortlist_save(case=case, actor=coordinator, clinic_slugs=["clinic-x", "clinic-y"])
    base = live_server.url

    family = _signed_in(browser, base, patient, password)
    family.goto(f"{base}/my/cases/{case.reference}/clinics/")
    for slug in ("clinic-x", "clinic-y"):
        family.locator(f'input[name="clinics"][value="{slug}"]').check()
    screenshot(family, "referral-1-patient-chooses")
    family.get_by_role("button", name="Save my choice").click()
    expect(family.get_by_role("status")).to_contain_text("Clinic X")

    desk = _signed_in(browser, base, coordinator, password)
    for name in ("Clinic X", "Clinic Y"):
        desk.goto(f"{base}/coordinator/cases/{case.reference}/")
        desk.locator("#id_clinic").select_option(label=f"{name} (Somewhere)")
        desk.locator("#id_question").fill("Is SBRT enough, or surgery first?")
        desk.get_by_role("button", name="Send the de-identified case").click()
        expect(desk.get_by_role("status")).to_contain_text(f"sent to {name}")
    screenshot(desk, "referral-2-coordinator-sent")
    to_x = Referral.objects.get(clinic=clinic_x)
    to_y = Referral.objects.get(clinic=clinic_y)

    clinic_page = _signed_in(browser, base, doctor_x, password)
    clinic_page.goto(f"{base}/portal/")
    expect(clinic_page.locator("body")).not_to_contain_text(case.full_name)
    clinic_page.get_by_role("link", name=f"R-{to_x.pk}").click()
    expect(clinic_page.get_by_role("heading", name="The question")).to_be_visible()
    preview = clinic_page.get_by_role("img", name=re.compile(r"^Preview of series"))
    expect(preview).to_be_visible()
    assert clinic_page.evaluate("img => img.naturalWidth", preview.element_handle()) > 0
    expect(clinic_page.get_by_role("link", name="Download the verified ZIP")).to_be_visible()
    for identity in (case.full_name, case.email, case.reference):
        expect(clinic_page.locator("body")).not_to_contain_text(identity)
    screenshot(clinic_page, "referral-3-clinic-x-case")

    clinic_page.get_by_role("link", name="Answer with an opinion and a quote").click()
    clinic_page.get_by_label("Your reading of the case").fill("Unstable L1: stabilise, then SBRT.")
    clinic_page.get_by_label("Specialties that reviewed it (comma-separated)").fill(
        "spine surgery, radiation oncology"
    )
    clinic_page.get_by_label("The plan was made at a multidisciplinary tumour board").check()
    steps = (("spine_stabilisation", "1", "5", "7"), ("sbrt", "5", "0", "0"))
    for index, (service, sessions, nights, recovery) in enumerate(steps):
        clinic_page.locator(f"#id_items-{index}-service").select_option(service)
        clinic_page.locator(f"#id_items-{index}-sessions").fill(sessions)
        clinic_page.locator(f"#id_items-{index}-hospital_nights").fill(nights)
        clinic_page.locator(f"#id_items-{index}-recovery_days").fill(recovery)
    clinic_page.locator("#id_quote-included").fill("Surgery, five nights, SBRT.")
    clinic_page.locator("#id_quote-excluded").fill("Flights and hotel.")
    clinic_page.locator("#id_quote-valid_until").fill("2099-12-31")
    clinic_page.locator("#id_quote-price_change_rule").fill("Fixed for 60 days.")
    lines = (("1", "Posterior stabilisation", "1", "18500"), ("2", "SBRT fraction", "5", "1200"))
    for index, (item, description, quantity, price) in enumerate(lines):
        clinic_page.locator(f"#id_lines-{index}-item").fill(item)
        clinic_page.locator(f"#id_lines-{index}-description").fill(description)
        clinic_page.locator(f"#id_lines-{index}-quantity").fill(quantity)
        clinic_page.locator(f"#id_lines-{index}-unit_price").fill(price)
    screenshot(clinic_page, "referral-4-clinic-x-answer-form")
    # Enter on the focused button: a mouse click here raced the layout of the long form.
    clinic_page.get_by_role("button", name="Send the answer").press("Enter")
    expect(clinic_page.get_by_role("status")).to_contain_text("sent to the coordinators")
    expect(clinic_page.locator("body")).to_contain_text("24,500 EUR")
    screenshot(clinic_page, "referral-5-clinic-x-answered")

    other = _signed_in(browser, base, doctor_y, password)
    other.goto(f"{base}/portal/referrals/{to_y.pk}/")
    other.get_by_text("Decline…").click()
    other.locator("#reason-declined").fill("We do not offer SBRT at present.")
    other.get_by_role("button", name="Decline", exact=True).click()
    expect(other.get_by_role("status")).to_contain_text(f"R-{to_y.pk} updated")
    screenshot(other, "referral-6-clinic-y-declined")
    other.goto(f"{base}/portal/referrals/{to_x.pk}/")
    expect(other.get_by_role("heading", name="We could not find this page")).to_be_visible()

    desk.goto(f"{base}/coordinator/cases/{case.reference}/")
    expect(desk.get_by_role("heading", name="Quotes side by side")).to_be_visible()
    desk.get_by_role("button", name="Release to the patient").click()
    expect(desk.get_by_role("status")).to_contain_text("released to the patient")
    screenshot(desk, "referral-7-coordinator-released")

    to_x.refresh_from_db()
    to_y.refresh_from_db()
    assert (to_x.status, to_y.status) == (ReferralStatus.ANSWERED, ReferralStatus.DECLINED)
    family.goto(f"{base}/my/cases/{case.reference}/")
    expect(family.locator("body")).to_contain_text("Clinic X")
    expect(family.get_by_test_id("quote-total")).to_contain_text("24,500 EUR")
    screenshot(family, "referral-8-patient-reads-the-answer")
