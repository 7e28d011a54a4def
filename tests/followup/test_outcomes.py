"""The coordinators' table of outcomes by clinic and by treatment: counts, medians, the answers
missing, and a plain warning where too few patients answered to compare."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.clinics.models import Clinic
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn
from oncoroute.followup.outcomes import NOT_RECORDED, CheckInFact, outcome_rows
from oncoroute.followup.services import check_in_answer
from oncoroute.privacy.models import AuditEvent
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.models import Quote
from oncoroute.referrals.services import answer_submit
from tests.factories import submitted_case
from tests.referrals.conftest import answer, send

from .conftest import back_home


def _answered(case_id: int, pain: int, walking: str = "aid", **more: Any) -> CheckInFact:
    answers = CheckInAnswers(pain=pain, walking=walking, response="stable", **more)
    return CheckInFact(case_id=case_id, interval="6w", answers=answers)


def test_counts_medians_and_missing_per_group() -> None:
    facts = [
        _answered(1, pain=2, walking="unaided"),
        _answered(2, pain=5, walking="aid"),
        _answered(3, pain=7, walking="unable", new_weakness=True),
        CheckInFact(case_id=4, interval="6w"),  # due, not answered
        CheckInFact(case_id=1, interval="3m"),  # due, not answered
        CheckInFact(case_id=5, interval="6w", answers=CheckInAnswers(vital_status="died")),
    ]
    groups = {1: ["Clinic X"], 2: ["Clinic X"], 3: ["Clinic X"], 4: ["Clinic X"], 5: ["Clinic Y"]}
    by_group = {row.group: row for row in outcome_rows(facts, groups)}
    x = by_group["Clinic X"]
    assert (x.patients, x.due, x.answered, x.missing, x.patients_answered) == (4, 5, 3, 2, 3)
    assert x.median_pain == 5 and x.pain_answers == 3
    assert x.median_walking == "aid" and x.walking_answers == 3
    assert x.warnings == 1 and x.died == 0 and x.responses["stable"] == 3
    y = by_group["Clinic Y"]
    assert (y.due, y.answered, y.missing, y.died, y.median_pain) == (1, 1, 0, 1, None)


def test_an_even_number_of_pains_has_the_middle_two_averaged() -> None:
    (row,) = outcome_rows([_answered(i, pain=p) for i, p in enumerate([1, 2, 6, 9])], {})
    assert row.group == NOT_RECORDED and row.median_pain == 4


def test_fewer_than_five_patients_answering_is_too_few_to_compare() -> None:
    four = [_answered(i, pain=3) for i in range(4)]
    # Five answers of the same four patients are still four patients.
    four.append(CheckInFact(case_id=0, interval="3m", answers=CheckInAnswers(pain=1)))
    (row,) = outcome_rows(four, {})
    assert row.answered == 5 and row.patients_answered == 4 and row.too_few
    (row,) = outcome_rows([*four, _answered(9, pain=3)], {})
    assert row.patients_answered == 5 and not row.too_few


def test_a_patient_counts_under_each_treatment_of_their_plan() -> None:
    rows = outcome_rows([_answered(1, pain=4)], {1: ["SBRT", "Spine stabilisation"]})
    assert [(row.group, row.answered) for row in rows] == [("SBRT", 1), ("Spine stabilisation", 1)]


@pytest.mark.django_db
def test_the_page_shows_each_clinic_and_treatment_with_the_small_number_warning(
    patient_case: Case, consented: Any, clinic_x: Clinic, coordinator: Any
) -> None:
    referral = send(consented, clinic_x, coordinator)
    quote = answer_submit(referral=referral, author=None, answer=AnswerIn(**answer()))
    Quote.objects.filter(pk=quote.pk).update(accepted_at=timezone.now())
    back_home(patient_case, coordinator, days_ago=50)  # 2w and 6w due
    first = CheckIn.objects.get(case=patient_case, interval="2w")
    check_in_answer(
        check_in=first, respondent="patient",
        answers=CheckInAnswers(pain=6, walking="aid", response="shrank"),
    )  # fmt: skip
    back_home(submitted_case(email="no-plan@example.com"), coordinator, days_ago=20)

    staff = Client()
    staff.force_login(coordinator)
    page = staff.get(reverse("followup_outcomes"))
    assert page.status_code == 200
    rows = {row.group: row for row in page.context["rows"]}
    assert set(rows) == {"Clinic X", NOT_RECORDED}
    x = rows["Clinic X"]
    assert (x.patients, x.due, x.answered, x.missing, x.median_pain) == (1, 2, 1, 1, 6)
    assert rows[NOT_RECORDED].due == 1 and rows[NOT_RECORDED].missing == 1
    text = page.content.decode()
    assert "Only 1 patient answered: too few to compare." in text
    assert "No accepted plan" in text and "Walks with a stick, crutches or a walker" in text

    by_treatment = staff.get(reverse("followup_outcomes"), {"by": "treatment", "interval": "2w"})
    groups = [row.group for row in by_treatment.context["rows"]]
    assert groups == [
        "Spinal stabilisation (instrumented fixation)",
        "Stereotactic radiosurgery / SBRT",
        NOT_RECORDED,
    ]
    assert all(row.due == 1 for row in by_treatment.context["rows"])
    read = AuditEvent.objects.filter(object_type="followup.outcomes").order_by("pk").last()
    assert read is not None and read.detail == {"by": "treatment", "interval": "2w"}
