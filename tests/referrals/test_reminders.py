"""`oncoroute reminders`: each overdue referral reminds its clinic and tells the coordinators once,
however often and however concurrently the command runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from oncoroute.referrals.models import Referral, ReferralEvent
from oncoroute.referrals.services import referrals_remind
from oncoroute.referrals.workflow import AWAITING_CLINIC, ReferralStatus

pytestmark = pytest.mark.django_db
REMINDED = ReferralEvent.Kind.REMINDED


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.COORDINATOR_EMAILS = ["coordinators@test.example"]


def reminders(capture: Callable[..., Any]) -> str:
    """Run the command as the scheduler does, with its emails sent once it has committed."""
    out = StringIO()
    with capture(execute=True):
        call_command("reminders", stdout=out)
    return out.getvalue()


def overdue(referral: Referral, hours: int = 3) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(deadline=timezone.now() - timedelta(hours=hours))
    return referral


def test_run_twice_an_overdue_referral_is_reminded_once(
    referral_x: Referral,
    doctor_x: Any,
    patient_case: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    overdue(referral_x)
    mail.outbox.clear()

    first = reminders(django_capture_on_commit_callbacks)
    second = reminders(django_capture_on_commit_callbacks)

    assert "of 1 overdue referral(s)" in first
    assert "of 0 overdue referral(s)" in second
    event = referral_x.events.get(kind=REMINDED)
    assert event.actor is None and event.data["overdue_hours"] == 3
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "coordinators@test.example",
        doctor_x.email,
    ]
    # The clinic never learns who the patient is; the coordinators get the case's reference (to
    # open it, as in the new-request email) and nothing else of the patient.
    clinic_email, coordinators_email = sorted(
        mail.outbox, key=lambda email: email.to != [doctor_x.email]
    )
    hidden = {
        clinic_email: (patient_case.full_name, patient_case.email, patient_case.reference),
        coordinators_email: (patient_case.full_name, patient_case.email),
    }
    for email, identity in hidden.items():
        assert f"R-{referral_x.pk}" in email.subject
        for value in identity:
            assert value not in email.subject and value not in email.body


def test_a_referral_not_yet_due_is_not_reminded(
    referral_x: Referral, doctor_x: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    assert "of 0 overdue referral(s)" in reminders(django_capture_on_commit_callbacks)
    assert not ReferralEvent.objects.filter(kind=REMINDED).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "status", [status for status in ReferralStatus if status not in AWAITING_CLINIC]
)
def test_a_referral_the_clinic_answered_declined_or_left_is_not_reminded(
    referral_x: Referral, doctor_x: Any, django_capture_on_commit_callbacks: Any, status: str
) -> None:
    overdue(referral_x)
    Referral.objects.filter(pk=referral_x.pk).update(status=status)
    mail.outbox.clear()
    assert "of 0 overdue referral(s)" in reminders(django_capture_on_commit_callbacks)
    assert not ReferralEvent.objects.filter(kind=REMINDED).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("status", sorted(AWAITING_CLINIC))
def test_each_status_awaiting_the_clinic_is_reminded_when_overdue(
    referral_x: Referral, status: str
) -> None:
    overdue(referral_x)
    Referral.objects.filter(pk=referral_x.pk).update(status=status)
    assert referrals_remind() == 1


def test_two_runs_at_once_remind_once(referral_x: Referral) -> None:
    """The second run listed the referral as due, but the first claimed it before it could."""
    overdue(referral_x)
    other_run: dict[str, int] = {}

    def first_run_claims_first(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if not other_run and sql.startswith("UPDATE") and "referrals_referral" in sql:
            other_run["started"] = 1
            other_run["reminded"] = referrals_remind()
        return execute(sql, *args)

    with connection.execute_wrapper(first_run_claims_first):
        second = referrals_remind()

    assert (other_run["reminded"], second) == (1, 0)
    assert referral_x.events.filter(kind=REMINDED).count() == 1
