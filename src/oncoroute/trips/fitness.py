"""Fitness to fly for one trip (SPEC §8 and §8.1), as plain sentences: what has to be in place
before the flight out and before the flight home after each session of the trip, and who sees
to it.

Plain data in, plain data out: the trip's sessions (`Session`), the patient's travel status as
the latest triage gives it, and the trip's days. Nothing here reads the database; the words are
marked for translation because the patient reads them on the printable plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from oncoroute.itinerary import earliest_flight_day, min_days_before_flight

# Open spinal surgery under general anaesthesia (SPEC §8.1: the CAA's neurosurgery figure).
SURGERY = frozenset({"spine_decompression", "spine_stabilisation", "separation_surgery"})
# Radionuclide therapies: a treatment card for the journey (SPEC §8, Kendi 2020).
RADIONUCLIDE = frozenset({"lu177_psma", "lu177_dotatate", "ra223"})
LUTETIUM = frozenset({"lu177_psma", "lu177_dotatate"})

CLEARANCE_REQUIRED = "specialist_clearance_required"

# The trip planner's services in words a patient reads, in their language (the itinerary core's
# SERVICE_LABELS are English only, for coordinators and the command line).
SERVICE_WORDS = {
    "spine_decompression": gettext_lazy("spinal decompression surgery"),
    "spine_stabilisation": gettext_lazy("spinal stabilisation surgery"),
    "separation_surgery": gettext_lazy("separation surgery"),
    "kyphoplasty": gettext_lazy("kyphoplasty"),
    "vertebroplasty": gettext_lazy("vertebroplasty"),
    "embolisation": gettext_lazy("embolisation"),
    "biopsy": gettext_lazy("bone biopsy"),
    "sbrt": gettext_lazy("stereotactic radiotherapy (SBRT)"),
    "cebrt": gettext_lazy("radiotherapy (conventional EBRT)"),
    "lu177_psma": gettext_lazy("lutetium-177 PSMA therapy"),
    "lu177_dotatate": gettext_lazy("lutetium-177 DOTATATE therapy"),
    "ra223": gettext_lazy("radium-223 therapy"),
    "consultation": gettext_lazy("consultation"),
    "mri": gettext_lazy("MRI scan"),
    "ct": gettext_lazy("CT scan"),
    "pet_ct": gettext_lazy("PET-CT scan"),
    "medical_oncology": gettext_lazy("medical oncology visit"),
    "pain_palliative": gettext_lazy("pain and palliative care visit"),
}


def service_words(service: str) -> str:
    """The service in the active language; an unknown id is shown as it is."""
    words = SERVICE_WORDS.get(service)
    return str(words) if words is not None else service


def day_text(day: date) -> str:
    """A day as the reader's language writes it: "10 February 2027", "10 февраля 2027 г."."""
    return date_format(day, "j E Y")


@dataclass(frozen=True)
class Session:
    """One session of the accepted plan on its day, with the clinic's figures for it."""

    service: str
    day: date
    hospital_nights: int = 0
    recovery_days: int = 0

    @property
    def discharge(self) -> date:
        return date.fromordinal(self.day.toordinal() + self.hospital_nights)

    @property
    def first_flight(self) -> date:
        """SPEC §8.1: the first day the patient may fly after this session."""
        return earliest_flight_day(self.service, self.day, self.hospital_nights, self.recovery_days)

    @property
    def minimum_days(self) -> int:
        return min_days_before_flight(self.service)


# Who sees to a line: the values of ChecklistItem.Owner (kept as plain strings here).
FAMILY, COORDINATOR, CLINIC, HOME_DOCTOR = "family", "coordinator", "clinic", "home_doctor"


@dataclass(frozen=True)
class FitnessLine:
    """One thing to have in place before a flight: a sentence, who sees to it, by when."""

    code: str
    text: str
    owner: str
    required: bool
    before: date | None = None


def home_reason(sessions: Sequence[Session]) -> str:
    """Why the trip's flight home is on its day, in the reader's language: the session whose
    no-fly window ends last (the later one of two ending together), with SPEC §8.1's rule."""
    if not sessions:
        return ""
    last = max(sessions, key=lambda s: (s.first_flight, s.day))
    words = {
        "service": service_words(last.service),
        "day": day_text(last.day),
        "discharge": day_text(last.discharge),
        "first": day_text(last.first_flight),
    }
    if last.hospital_nights:
        said = _("%(service)s on %(day)s, home from hospital on %(discharge)s") % words
    else:
        said = _("%(service)s on %(day)s") % words
    rules = [
        ngettext(
            "at least %(days)s day after the procedure",
            "at least %(days)s days after the procedure",
            last.minimum_days,
        )
        % {"days": last.minimum_days}
    ]
    if last.recovery_days:
        rules.append(
            ngettext(
                "%(days)s day of recovery the clinic asks for",
                "%(days)s days of recovery the clinic asks for",
                last.recovery_days,
            )
            % {"days": last.recovery_days}
        )
    if last.hospital_nights:
        rules.append(_("not before the day after leaving hospital"))
    sentence = _("%(said)s: the first safe day to fly is %(first)s (%(rules)s).") % {
        **words,
        "said": said,
        "rules": "; ".join(rules),
    }
    return sentence[:1].upper() + sentence[1:]


def fitness_to_fly(
    *, travel: str, sessions: Sequence[Session], outbound: date, home: date, travellers: int = 1
) -> list[FitnessLine]:
    """What is required to fly out on `outbound` and home on `home` after `sessions`."""
    lines: list[FitnessLine] = []
    clearance = travel == CLEARANCE_REQUIRED
    services = {session.service for session in sessions}
    if clearance:
        lines += [
            FitnessLine(
                "clearance_out",
                _(
                    "Before the flight out: the treating specialist (spine surgeon or "
                    "oncologist) confirms in writing that the patient is fit to fly."
                ),
                HOME_DOCTOR,
                True,
                outbound,
            ),
            FitnessLine(
                "medif_out",
                _(
                    "Before the flight out: the airline's medical information form (MEDIF), "
                    "signed by the treating doctor and accepted by the airline."
                ),
                HOME_DOCTOR,
                True,
                outbound,
            ),
        ]
    for session in sessions:
        if session.first_flight <= session.day and not session.hospital_nights:
            continue
        lines.append(_after_session(session))
    if clearance:
        lines += [
            FitnessLine(
                "clearance_home",
                _(
                    "Before the flight home: the clinic's doctor confirms in writing that the "
                    "patient is fit to fly after the treatment."
                ),
                CLINIC,
                True,
                home,
            ),
            FitnessLine(
                "medif_home",
                _(
                    "Before the flight home: a new MEDIF for the return flight, signed by the "
                    "clinic's doctor after the last session and accepted by the airline."
                ),
                CLINIC,
                True,
                home,
            ),
        ]
    elif services & SURGERY:
        lines.append(
            FitnessLine(
                "discharge_advice",
                _(
                    "Before the flight home: the clinic's written discharge advice, saying when "
                    "it is safe to fly. After recent surgery the airline may ask for a MEDIF."
                ),
                CLINIC,
                True,
                home,
            )
        )
    lines += [
        FitnessLine(
            "assistance",
            _(
                "Wheelchair assistance at every airport and help with boarding, booked with the "
                "airline for each flight. The patient lifts nothing heavy; a brace if the "
                "doctor prescribed one."
            ),
            COORDINATOR,
            True,
            outbound,
        ),
        FitnessLine(
            "oxygen_stretcher",
            _(
                "Oxygen on board or a stretcher only with the airline's approval through a "
                "MEDIF: tell the coordinator at once if the patient is breathless at rest or "
                "cannot sit upright for the whole flight."
            ),
            FAMILY,
            False,
            outbound,
        ),
        FitnessLine(
            "blood_clots",
            _(
                "Blood clots: cancer and long flights both raise the risk. Ask the treating "
                "team about moving about, drinking water, compression stockings and, if the "
                "risk is high, medicine to prevent clots."
            ),
            FAMILY,
            True,
            outbound,
        ),
        FitnessLine(
            "warning_signs",
            _(
                "Warning signs that need emergency care at once, wherever you are: new or "
                "worse back pain, weakness or numbness in the legs, trouble passing urine or "
                "controlling the bowels."
            ),
            FAMILY,
            True,
        ),
    ]
    if travellers < 2 and (clearance or services & SURGERY):
        lines.append(
            FitnessLine(
                "escort",
                _("A companion to travel with the patient, to carry the luggage and help."),
                FAMILY,
                True,
                outbound,
            )
        )
    if services & RADIONUCLIDE:
        lines.append(
            FitnessLine(
                "treatment_card",
                _(
                    "Carry the radionuclide treatment card on the journey home and show it if "
                    "a radiation detector at an airport or border goes off."
                ),
                FAMILY,
                True,
                home,
            )
        )
    return lines


def _after_session(session: Session) -> FitnessLine:
    words = {
        "service": service_words(session.service),
        "day": day_text(session.day),
        "first": day_text(session.first_flight),
    }
    return FitnessLine(
        "wait_after",
        _("After the %(service)s on %(day)s: no flight before %(first)s.") % words,
        COORDINATOR,
        True,
        session.first_flight,
    )


def needs_treatment_card(sessions: Sequence[Session]) -> bool:
    return any(session.service in RADIONUCLIDE for session in sessions)
