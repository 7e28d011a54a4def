"""Fitness to fly for one trip (SPEC §8 and §8.1), from plain data: what is required before
the flight out and the flight home, and who sees to it, worked by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from oncoroute.trips.fitness import (
    CLINIC,
    COORDINATOR,
    FAMILY,
    HOME_DOCTOR,
    FitnessLine,
    Session,
    fitness_to_fly,
    home_reason,
    needs_treatment_card,
)

OUT, HOME = date(2027, 3, 7), date(2027, 3, 20)
STANDARD, CLEARANCE = "standard_precautions", "specialist_clearance_required"


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def codes(lines: list[FitnessLine]) -> list[str]:
    return [line.code for line in lines]


def by_code(lines: list[FitnessLine], code: str) -> FitnessLine:
    (line,) = [line for line in lines if line.code == code]
    return line


def test_after_spinal_surgery_the_first_flight_waits_for_the_longer_of_7_days_and_recovery() -> (
    None
):
    # Surgery on 8 March, 5 nights: discharged 13 March; the clinic asks 7 days → 20 March
    # (later than 8 + 7 = 15 March).
    surgery = Session("spine_stabilisation", date(2027, 3, 8), hospital_nights=5, recovery_days=7)
    assert surgery.discharge == date(2027, 3, 13)
    assert surgery.first_flight == date(2027, 3, 20)
    lines = fitness_to_fly(travel=STANDARD, sessions=[surgery], outbound=OUT, home=HOME)
    wait = by_code(lines, "wait_after")
    assert wait.before == date(2027, 3, 20)
    assert wait.owner == COORDINATOR
    assert "no flight before 20 March 2027" in wait.text


def test_standard_precautions_ask_no_clearance_and_no_medif() -> None:
    lines = fitness_to_fly(
        travel=STANDARD, sessions=[Session("sbrt", date(2027, 3, 8))], outbound=OUT, home=HOME
    )
    assert not {"clearance_out", "medif_out", "clearance_home", "medif_home"} & set(codes(lines))
    assert {"assistance", "blood_clots", "warning_signs", "oxygen_stretcher"} <= set(codes(lines))


def test_clearance_required_asks_the_specialists_word_and_a_signed_medif_for_both_flights() -> None:
    lines = fitness_to_fly(
        travel=CLEARANCE, sessions=[Session("kyphoplasty", date(2027, 3, 8), 1)], outbound=OUT,
        home=HOME,
    )  # fmt: skip
    assert codes(lines)[:2] == ["clearance_out", "medif_out"]
    for code, owner, day in (
        ("clearance_out", HOME_DOCTOR, OUT),
        ("medif_out", HOME_DOCTOR, OUT),
        ("clearance_home", CLINIC, HOME),
        ("medif_home", CLINIC, HOME),
    ):
        line = by_code(lines, code)
        assert (line.owner, line.required, line.before) == (owner, True, day)
    assert "MEDIF" in by_code(lines, "medif_home").text


def test_surgery_without_clearance_still_asks_the_clinics_discharge_advice() -> None:
    surgery = Session("spine_decompression", date(2027, 3, 8), hospital_nights=4)
    lines = fitness_to_fly(travel=STANDARD, sessions=[surgery], outbound=OUT, home=HOME)
    assert by_code(lines, "discharge_advice").owner == CLINIC
    without = fitness_to_fly(
        travel=STANDARD, sessions=[Session("sbrt", date(2027, 3, 8))], outbound=OUT, home=HOME
    )
    assert "discharge_advice" not in codes(without)


def test_a_consultation_or_a_scan_has_no_wait_before_flying() -> None:
    sessions = [Session("consultation", date(2027, 3, 8)), Session("mri", date(2027, 3, 8))]
    lines = fitness_to_fly(travel=STANDARD, sessions=sessions, outbound=OUT, home=HOME)
    assert "wait_after" not in codes(lines)


def test_a_patient_travelling_alone_after_surgery_is_asked_to_bring_a_companion() -> None:
    surgery = [Session("separation_surgery", date(2027, 3, 8), hospital_nights=5)]
    alone = fitness_to_fly(travel=STANDARD, sessions=surgery, outbound=OUT, home=HOME)
    assert by_code(alone, "escort").owner == FAMILY
    escorted = fitness_to_fly(
        travel=STANDARD, sessions=surgery, outbound=OUT, home=HOME, travellers=2
    )
    assert "escort" not in codes(escorted)


def test_radionuclide_therapy_adds_the_treatment_card_for_the_journey_home() -> None:
    sessions = [Session("lu177_psma", date(2027, 3, 8))]
    lines = fitness_to_fly(travel=STANDARD, sessions=sessions, outbound=OUT, home=HOME)
    card = by_code(lines, "treatment_card")
    assert (card.owner, card.before) == (FAMILY, HOME)
    assert needs_treatment_card(sessions)
    assert not needs_treatment_card([Session("sbrt", date(2027, 3, 8))])


def test_the_day_home_is_explained_by_the_session_whose_window_ends_last() -> None:
    # Kyphoplasty on 8 March (1 night, 2 days' recovery) → 11 March; SBRT on 10 March → 11 March
    # too: the later session is named.
    sessions = [
        Session("kyphoplasty", date(2027, 3, 8), hospital_nights=1, recovery_days=2),
        Session("sbrt", date(2027, 3, 10)),
    ]
    assert sessions[0].first_flight == sessions[1].first_flight == date(2027, 3, 11)
    reason = home_reason(sessions)
    assert reason.startswith("Stereotactic radiotherapy (SBRT) on 10 March 2027")
    assert "the first safe day to fly is 11 March 2027 (at least 1 day after the procedure)" in (
        reason
    )
    assert home_reason([]) == ""


def test_the_day_home_reads_in_russian() -> None:
    surgery = Session("kyphoplasty", date(2027, 3, 8), hospital_nights=1, recovery_days=2)
    with translation.override("ru"):
        reason = home_reason([surgery])
    assert reason == (
        "Кифопластика 8 марта 2027, выписка из больницы 9 марта 2027: первый безопасный день "
        "для перелёта — 11 марта 2027 (не меньше 2 дней после процедуры; 2 дня восстановления, "
        "которые просит клиника; не раньше следующего дня после выписки)."
    )


def test_an_unknown_service_is_an_error_never_a_wait_of_zero() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        _ = Session("acupuncture", date(2027, 3, 8)).first_flight
