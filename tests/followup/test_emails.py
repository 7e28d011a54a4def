"""Due check-ins are emailed once, by `oncoroute checkins` (and `oncoroute reminders`): the email
says only that a check-in is due, with a link whose path holds nothing but its token."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.workflow import CaseState
from oncoroute.followup.models import CheckIn
from oncoroute.followup.services import check_ins_send_due
from tests.factories import submitted_case

from .conftest import at, back_home, token_of

pytestmark = pytest.mark.django_db


def _to(case: Case) -> list[Any]:
    return [email for email in mail.outbox if email.to == [case.email]]


def test_a_due_check_in_is_emailed_once(home_case: Case) -> None:
    mail.outbox.clear()
    out = StringIO()
    call_command("checkins", stdout=out)
    assert "Emailed 1 follow-up check-in" in out.getvalue()
    (email,) = _to(home_case)
    assert home_case.reference in email.subject
    first = CheckIn.objects.filter(case=home_case).order_by("due_on").first()
    assert first is not None and first.emailed_at is not None and first.expires_at is not None
    assert check_ins_send_due() == 0
    call_command("reminders", stdout=StringIO())
    assert len(_to(home_case)) == 1


def test_the_email_holds_no_health_data_and_its_link_only_a_token(
    patient_case: Case, coordinator: Any
) -> None:
    case = submitted_case(
        email="family@example.com", primary_cancer="kidney", symptoms=["limb_weakness"],
        current_treatment="Sunitinib", message="Pain in the back at night", language="ru",
    )  # fmt: skip
    back_home(case, coordinator)
    mail.outbox.clear()
    check_ins_send_due()
    (email,) = _to(case)
    text = f"{email.subject}\n{email.body}"
    for health in (
        "kidney", "Kidney", "почк", "Sunitinib", "spine", "spinal", "позвоно", "спинн",
        "cancer", "рак", "weakness", "слабост", "pain", "Pain", "бол", "emergency", "неотложн",
        case.full_name,
    ):  # fmt: skip
        assert health not in text, health
    assert "через 2 недели" in email.body  # in the case's language
    (url,) = re.findall(r"https?://\S+", email.body)
    path = urlsplit(url).path
    assert path == f"/f/{token_of(email)}/" and not urlsplit(url).query
    assert case.reference not in url
    stored = CheckIn.objects.get(case=case, emailed_at__isnull=False)
    assert token_of(email) not in str(CheckIn.objects.filter(pk=stored.pk).values().get())


def test_several_check_ins_due_at_once_make_one_email_for_the_latest(
    patient_case: Case, coordinator: Any
) -> None:
    back_home(patient_case, coordinator, days_ago=100)  # 2w, 6w and 3m all past
    mail.outbox.clear()
    assert check_ins_send_due() == 1
    (email,) = _to(patient_case)
    assert "3 months" in email.body
    rows = {row.interval: row for row in CheckIn.objects.filter(case=patient_case)}
    assert rows["3m"].emailed_at and rows["2w"].cancelled_at and rows["6w"].cancelled_at
    assert rows["6m"].emailed_at is None and rows["6m"].cancelled_at is None


def test_no_email_for_a_closed_case_or_a_withdrawn_consent(
    patient_case: Case, other_case: Case, coordinator: Any
) -> None:
    back_home(patient_case, coordinator)
    back_home(other_case, coordinator)
    at(patient_case, CaseState.CLOSED)
    Consent.objects.filter(case=other_case).update(withdrawn_at=timezone.now())
    mail.outbox.clear()
    assert check_ins_send_due() == 0
    assert not mail.outbox


def test_nothing_is_emailed_before_its_day(patient_case: Case, coordinator: Any) -> None:
    back_home(patient_case, coordinator, days_ago=13)
    mail.outbox.clear()
    assert check_ins_send_due() == 0
    assert check_ins_send_due(today=timezone.localdate() + timedelta(days=1)) == 1
