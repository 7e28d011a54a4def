"""The clinic portal's referral list and the coordinator's case page run as many SQL queries for
twenty answered referrals as for one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.services import answer_submit, referral_move
from oncoroute.referrals.workflow import ReferralStatus
from tests.clinics.builders import clinic
from tests.factories import person, submitted_case
from tests.query_count import count_queries
from tests.referrals.conftest import answer, send

pytestmark = pytest.mark.django_db


def refer(case: Case, to: Clinic, coordinator: Any, doctor: Any, n: int) -> None:
    """Send the case to the clinic; the clinic answers two referrals in three, declines the rest."""
    consent_give(case=case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=to)
    referral = send(case, to, coordinator)
    if n % 3 == 2:
        referral_move(referral=referral, actor=doctor, to=ReferralStatus.DECLINED, reason="No.")
    else:
        answer_submit(referral=referral, author=doctor, answer=AnswerIn(**answer()))


def page_queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: first-visit writes are not the page's
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def grows(add: Callable[[int], None], queries: Callable[[], int]) -> tuple[int, int]:
    add(0)
    one = queries()
    for n in range(1, 20):
        add(n)
    return one, queries()


def test_the_portals_referral_list_does_not_grow_with_referrals(
    client: Client, clinic_x: Clinic, doctor_x: Any, coordinator: Any
) -> None:
    client.force_login(doctor_x)

    def add(n: int) -> None:
        case = submitted_case(address=f"10.0.0.{n}", full_name=f"Patient {n}")
        refer(case, clinic_x, coordinator, doctor_x, n)

    one, twenty = grows(add, lambda: page_queries(client, reverse("clinic_home")))
    assert one == twenty
    assert client.get(reverse("clinic_home")).content.decode().count("R-") >= 20


def test_the_coordinators_case_page_does_not_grow_with_referrals(
    client: Client, consented: Case, coordinator: Any
) -> None:
    client.force_login(coordinator)

    def add(n: int) -> None:
        to = clinic(f"clinic-{n}", name=f"Clinic {n}", country="TR")
        doctor = person(Role.CLINIC_DOCTOR, f"doctor{n}@clinic-{n}.example")
        doctor.clinic = to
        doctor.save()
        refer(consented, to, coordinator, doctor, n)

    url = reverse("coordinator_case", args=[consented.reference])
    one, twenty = grows(add, lambda: page_queries(client, url))
    assert one == twenty
    assert client.get(url).content.decode().count("Release to the patient") >= 13
