"""A case whose patient accepted clinic X's plan (posterior stabilisation with five nights in
hospital and seven days' recovery, then five SBRT fractions two weeks later), and its trips
planned from 1 March 2027 (a Monday)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from oncoroute.cases.models import Case
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.models import Quote
from oncoroute.referrals.services import plan_accept
from oncoroute.trips.models import TripPlan
from oncoroute.trips.services import JourneyFigures, trip_plan_save
from tests.referrals.answering import answered, awaiting_decision
from tests.referrals.conftest import clinic_x, consented, send

__all__ = ["clinic_x", "consented"]

MONDAY = date(2027, 3, 1)
FIGURES = JourneyFigures(
    earliest_arrival=MONDAY,
    one_way_fare=Decimal("250.00"),
    travellers=2,
    per_night=Decimal("90.00"),
    transfers=Decimal("120.00"),
    interpreter=Decimal("300.00"),
)


@pytest.fixture
def clinic_y(db: None) -> Clinic:
    from tests.clinics.builders import clinic

    return clinic("clinic-y", name="Clinic Y", country="ES")


@pytest.fixture
def accepted(consented: Any, clinic_x: Clinic, coordinator: Any) -> Quote:
    """Clinic X's plan, accepted by the patient: the case is planning the trip."""
    case = awaiting_decision(consented)
    quote = answered(send(case, clinic_x, coordinator), coordinator=coordinator)
    return plan_accept(case=case, quote=quote, actor=case.patient)


@pytest.fixture
def planning(accepted: Quote) -> Case:
    return Case.objects.get(pk=accepted.referral.case_id)


@pytest.fixture
def trip_plan(planning: Case, coordinator: Any) -> TripPlan:
    return trip_plan_save(case=planning, actor=coordinator, figures=FIGURES)
