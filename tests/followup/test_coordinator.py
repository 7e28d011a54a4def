"""The coordinator's follow-up page of a case: record the return home and the schedule, read each
check-in with its answer in plain labels, send a link again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn, FollowUp
from oncoroute.followup.services import check_in_answer

from .conftest import at, back_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(coordinator: Any) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


def test_the_coordinator_records_the_return_and_a_schedule(
    staff: Client, patient_case: Case
) -> None:
    at(patient_case, "follow_up")
    path = reverse("followup_schedule_set", args=[patient_case.reference])
    refused = staff.post(path, {"returned_on": "2026-01-10", "schedule": "2w, soon"}, follow=True)
    assert "is not an interval" in refused.content.decode()
    assert not FollowUp.objects.exists()
    staff.post(path, {"returned_on": "2026-01-10", "schedule": "6w 2w"})
    assert FollowUp.objects.get().schedule == ["2w", "6w"]
    assert CheckIn.objects.filter(case=patient_case).count() == 2


def test_the_page_shows_each_answer_in_labels_and_resends_a_link(
    staff: Client, patient_case: Case, coordinator: Any
) -> None:
    back_home(patient_case, coordinator, days_ago=50)
    two, six = CheckIn.objects.filter(case=patient_case).order_by("due_on")[:2]
    answers = CheckInAnswers(pain=7, walking="assisted", bladder_bowel=True, response="grew")
    check_in_answer(check_in=two, respondent="relative", answers=answers)
    page = staff.get(reverse("followup_case", args=[patient_case.reference]))
    text = page.content.decode()
    for phrase in (
        "A relative or friend of the patient",
        "7/10",
        "Walks only with another person&#x27;s help",
        "The disease has grown or spread",
        "Warning signs",
        "not sent yet",
    ):
        assert phrase in text, phrase
    mail.outbox.clear()
    resend = reverse("followup_link_resend", args=[patient_case.reference])
    staff.post(resend, {"check_in": six.pk})
    assert len(mail.outbox) == 1 and CheckIn.objects.get(pk=six.pk).emailed_at is not None
    staff.post(resend, {"check_in": two.pk}, follow=True)  # answered: refused
    assert len(mail.outbox) == 1
    assert CheckIn.objects.get(pk=two.pk).emailed_at is None
