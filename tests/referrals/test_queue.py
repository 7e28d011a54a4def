"""The coordinators' queue puts a case whose referral is past its deadline first within its
clinical priority, and marks it; clinical urgency still comes first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.models import Referral
from oncoroute.referrals.workflow import ReferralStatus
from tests.factories import submitted_case
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db
BADGE = "referral overdue"


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def routine(address: str, hours: int, **fields: Any) -> Case:
    case = submitted_case(address=address, **fields)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return case


def referred(case: Case, clinic: Clinic, coordinator: Any, *, late: bool, status: str = "") -> Case:
    consent_give(case=case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic)
    referral = send(case, clinic, coordinator)
    changes: dict[str, Any] = {"status": status} if status else {}
    if late:
        changes["deadline"] = timezone.now() - timedelta(hours=1)
    Referral.objects.filter(pk=referral.pk).update(**changes)
    return case


def test_an_overdue_referral_comes_first_within_its_priority_and_is_marked(
    coordinator_client: Client, coordinator: Any, clinic_x: Clinic
) -> None:
    emergency = routine("e", 0, symptoms=["limb_weakness"])
    oldest = routine("a", 50)
    late = referred(routine("b", 10), clinic_x, coordinator, late=True)
    on_time = referred(routine("c", 5), clinic_x, coordinator, late=False)
    answered_late = referred(
        routine("d", 1), clinic_x, coordinator, late=True, status=ReferralStatus.ANSWERED
    )

    response = coordinator_client.get(reverse("coordinator_queue"))

    assert [case.reference for case in response.context["page"]] == [
        emergency.reference,
        late.reference,
        oldest.reference,
        on_time.reference,
        answered_late.reference,
    ]
    page = response.content.decode()
    assert page.count(BADGE) == 1
    row = page[page.index(late.reference) :].split("</tr>")[0]
    assert BADGE in row


def test_an_overdue_referral_does_not_outrank_clinical_urgency(
    coordinator_client: Client, coordinator: Any, clinic_x: Clinic
) -> None:
    pain = routine("p", 0, symptoms=["nocturnal_pain"])
    late = referred(routine("r", 40), clinic_x, coordinator, late=True)
    references = [c.reference for c in coordinator_client.get("/coordinator/").context["page"]]
    assert references == [pain.reference, late.reference]
