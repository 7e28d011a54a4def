"""The trip's printed documents, as PDFs (fpdf2, with DejaVu Sans for Cyrillic):

- the MEDIF draft: the airline's medical information form (IATA MEDIF parts 1 and 2) filled in
  from the plan, for the coordinator and the treating doctor, in English; the one document with
  the patient's name and diagnosis, downloaded by a coordinator only and never emailed;
- the radionuclide treatment card: what was given and when, the precautions on the journey and
  whom to call, in English for the border and in the patient's language;
- the printable trip plan: days out, sessions, hospital nights, the earliest safe day home and
  why, the flight home, the checklist with who does what, and fitness to fly, in the patient's
  language.

`trip_sheet(trip)` reads everything a document needs into a `TripSheet` (plain data); each
renderer takes that sheet and returns the PDF's bytes."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from oncoroute.triage.selectors import latest_travel
from oncoroute.trips.checklists import CHECKLIST
from oncoroute.trips.fitness import (
    CLEARANCE_REQUIRED,
    LUTETIUM,
    RADIONUCLIDE,
    SURGERY,
    FitnessLine,
    Session,
    day_text,
    fitness_to_fly,
    home_reason,
    service_words,
)
from oncoroute.trips.models import Booking, ChecklistItem, Trip, TripPlan

# fontTools names every glyph it keeps at INFO: noise, and a hint of what the document says.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"

# SPEC §8 (Kendi 2020): carry the card for about three months after ¹⁷⁷Lu.
CARD_DAYS = timedelta(days=90)

# What each radionuclide service gives, in the words a border officer or a doctor reads.
RADIONUCLIDES = {
    "lu177_psma": "Lutetium-177 (¹⁷⁷Lu) PSMA-617",
    "lu177_dotatate": "Lutetium-177 (¹⁷⁷Lu) DOTATATE",
    "ra223": "Radium-223 (²²³Ra) dichloride",
}


@dataclass(frozen=True)
class ChecklistLine:
    code: str
    owner: str
    required: bool
    done: bool
    note: str = ""

    @property
    def label(self) -> str:
        """The item's words in the active language (read when the document is made)."""
        entry = CHECKLIST.get(self.code)
        return str(entry.label) if entry else self.code


@dataclass(frozen=True)
class TripSheet:
    """One trip and what its documents say of it, read once from the database."""

    reference: str
    language: str
    number: int
    trips: int
    outbound: date
    home: date
    travel: str
    travellers: int
    sessions: tuple[Session, ...]
    earlier_sessions: tuple[Session, ...]
    clinic_name: str
    clinic_city: str
    clinic_country: str  # ISO code: named in the document's language
    clinic_contact: str
    clinic_phone: str
    clinic_email: str
    coordinator: str
    checklist: tuple[ChecklistLine, ...] = ()
    flights: tuple[str, ...] = ()
    # Identity and health data: on the MEDIF and the treatment card only.
    patient_name: str = ""
    primary_cancer: str = ""
    plan_services: tuple[str, ...] = field(default=())

    @property
    def needs_clearance(self) -> bool:
        return self.travel == CLEARANCE_REQUIRED

    @property
    def radionuclide_sessions(self) -> tuple[Session, ...]:
        """Every radionuclide dose of the plan up to this trip's return: the card lists them."""
        every = self.earlier_sessions + self.sessions
        return tuple(s for s in every if s.service in RADIONUCLIDE)

    @property
    def has_radionuclide(self) -> bool:
        """A dose on this trip, or a ¹⁷⁷Lu dose before it whose three months reach it."""
        if any(s.service in RADIONUCLIDE for s in self.sessions):
            return True
        lutetium = [s.day for s in self.earlier_sessions if s.service in LUTETIUM]
        return bool(lutetium) and max(lutetium) + CARD_DAYS >= self.outbound

    def fitness(self) -> list[FitnessLine]:
        return fitness_to_fly(
            travel=self.travel,
            sessions=self.sessions,
            outbound=self.outbound,
            home=self.home,
            travellers=self.travellers,
        )


def plan_sessions(plan: TripPlan) -> list[Session]:
    """Every session of the plan as the planner last placed it (PLANNER.md §3's appointments),
    with the clinic's figures of its plan item."""
    items = list(plan.quote.opinion.items.all())
    return [
        Session(
            items[appointment["item"]].service,
            date.fromisoformat(appointment["date"]),
            items[appointment["item"]].hospital_nights,
            items[appointment["item"]].recovery_days,
        )
        for appointment in plan.result.get("appointments", [])
    ]


def travel_status(plan: TripPlan) -> str:
    """The stricter of the planner's last word and the latest triage's: clearance is asked for
    when either asks for it (SPEC §8)."""
    if plan.result.get("needs_clearance") or latest_travel(case=plan.case) == CLEARANCE_REQUIRED:
        return CLEARANCE_REQUIRED
    return "standard_precautions"


def trip_sheet(trip: Trip) -> TripSheet:
    """What the documents of `trip` say, read from its plan, case, clinic and checklist."""
    plan = trip.plan
    case, clinic = plan.case, plan.quote.referral.clinic
    sessions = plan_sessions(plan)
    coordinator = case.assigned_to
    return TripSheet(
        reference=str(case.reference),
        language=case.language,
        number=trip.number,
        trips=plan.trips.count(),
        outbound=trip.outbound,
        home=trip.home,
        travel=travel_status(plan),
        travellers=plan.travellers,
        sessions=tuple(s for s in sessions if trip.outbound < s.day <= trip.home),
        earlier_sessions=tuple(s for s in sessions if s.day <= trip.outbound),
        clinic_name=clinic.name,
        clinic_city=clinic.city,
        clinic_country=str(clinic.country),
        clinic_contact=clinic.contact_name,
        clinic_phone=clinic.contact_phone,
        clinic_email=clinic.contact_email,
        coordinator=coordinator.display_name if coordinator else "",
        checklist=tuple(
            ChecklistLine(
                item.code,
                item.owner,
                item.required,
                item.done_at is not None,
                str(item.note),
            )
            for item in trip.checklist.all()
        ),
        flights=tuple(
            f"{booking.get_kind_display()}: {booking.starts_on.isoformat()} {booking.details}"
            for booking in plan.bookings.filter(
                kind__in=[Booking.Kind.FLIGHT_OUT, Booking.Kind.FLIGHT_HOME],
                starts_on__in=[trip.outbound, trip.home],
            )
        ),
        patient_name=case.full_name,
        primary_cancer=case.primary_cancer_text,
        plan_services=tuple(item.service for item in plan.quote.opinion.items.all()),
    )


# The PDF --------------------------------------------------------------------------------------


class _Pdf(FPDF):
    """A4, DejaVu Sans, a footer line on every page."""

    def __init__(self, footer: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title("oncoroute")
        self.set_creator("oncoroute")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def title_line(self, text: str, size: float = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 11.5)
        self.set_fill_color(232, 238, 244)
        self.cell(0, 7.5, " " + text, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def para(self, text: str, size: float = 10, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def field(self, label: str, value: str, label_width: float = 58) -> None:
        """A label and its value beside it (a line to write on, when there is no value)."""
        value = value or "_" * 48
        width = self.epw - label_width
        self.set_font(FONT, "B", 9.5)
        label_lines = self.line_count(label_width, label)
        self.set_font(FONT, "", 9.5)
        height = 5 * max(label_lines, self.line_count(width, value))
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        self.set_font(FONT, "B", 9.5)
        self.multi_cell(label_width, 5, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT, "", 9.5)
        self.multi_cell(width, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(top + height + 1.5)

    def line_count(self, width: float, text: str) -> int:
        lines = self.multi_cell(width, 5, text, align="L", dry_run=True, output="LINES")
        return len(lines) if isinstance(lines, list) else 1

    def bullet(self, text: str, mark: str = "•", size: float = 9.5) -> None:
        self.set_font(FONT, "", size)
        self.cell(6, size * 0.5, mark)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.8)

    def rows(
        self, widths: tuple[int, ...], header: tuple[str, ...], rows: Sequence[Sequence[str]]
    ) -> None:
        self.set_font(FONT, "", 9)
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=5,
            headings_style=_headings(),
            padding=1.2,
        ) as table:
            table.row(header)
            for row in rows:
                table.row(row)
        self.ln(1)

    def bytes(self) -> bytes:
        return bytes(self.output())


def _headings() -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(232, 238, 244))


@contextmanager
def _language(code: str) -> Iterator[None]:
    try:
        code = translation.get_supported_language_variant(code)
    except LookupError:
        code = settings.LANGUAGE_CODE
    with translation.override(code):
        yield


BOX, TICKED = "☐", "☒"


def _country(sheet: TripSheet) -> str:
    return str(countries.name(sheet.clinic_country)) or sheet.clinic_country


def _box(checked: bool | None, text: str) -> str:
    return f"{TICKED if checked else BOX} {text}"


# The MEDIF draft ------------------------------------------------------------------------------


def medif_draft_pdf(sheet: TripSheet) -> bytes:
    """IATA MEDIF parts 1 and 2 for the trip's flights, filled in as far as the plan knows; the
    treating doctor checks, completes and signs it. English, whatever the patient reads."""
    with translation.override("en"):
        return _medif(sheet)


def _session_text(session: Session) -> str:
    text = f"{service_words(session.service)}, {session.day.isoformat()}"
    if session.hospital_nights:
        text += (
            f" (in hospital {session.hospital_nights} night"
            f"{'s' if session.hospital_nights > 1 else ''}, discharged "
            f"{session.discharge.isoformat()})"
        )
    return text + f"; earliest flight {session.first_flight.isoformat()}"


def _medif(sheet: TripSheet) -> bytes:
    pdf = _Pdf(f"MEDIF draft · case {sheet.reference} · trip {sheet.number} · not valid unsigned")
    pdf.title_line("Medical information form for air travel (MEDIF) — DRAFT")
    pdf.para(
        "Prepared by oncoroute from the accepted treatment plan, following the IATA MEDIF "
        "(part 1: the passenger; part 2: the attending physician). The treating doctor checks "
        "every entry, completes the blanks and signs part 2. Use the airline's own MEDIF where "
        "it has one, copying these entries into it.",
        size=8.5,
    )
    surgery = any(s.service in SURGERY for s in sheet.sessions)
    pdf.heading("Part 1 — the passenger (completed by the coordinator)")
    pdf.field("A. Passenger name", sheet.patient_name)
    pdf.field("Case reference", sheet.reference)
    pdf.field(
        "B. Journey",
        f"Trip {sheet.number} of {sheet.trips}. Flight out {sheet.outbound.isoformat()} to "
        f"{sheet.clinic_city}, {_country(sheet)}; flight home {sheet.home.isoformat()}.",
    )
    pdf.field("Flights booked", "; ".join(sheet.flights) or "Not booked yet: flight numbers ______")
    pdf.field(
        "C. Nature of incapacity",
        f"Spinal metastases (primary cancer: {sheet.primary_cancer}); travelling for treatment "
        f"at {sheet.clinic_name}, {sheet.clinic_city}.",
    )
    pdf.field(
        "D. Stretcher needed",
        f"{_box(None, 'Yes')}   {_box(None, 'No')}   (the treating doctor decides)",
    )
    pdf.field(
        "E. Escort",
        f"{_box(sheet.travellers > 1, 'Yes')}   {_box(sheet.travellers == 1, 'No')}   "
        + (
            f"{sheet.travellers - 1} companion(s) travelling with the patient, not medically "
            "qualified."
            if sheet.travellers > 1
            else "No companion booked."
        ),
    )
    pdf.field(
        "F. Wheelchair",
        f"{_box(True, 'Requested')}   {_box(None, 'WCHR')}   {_box(None, 'WCHS')}   "
        f"{_box(None, 'WCHC')}\nSpinal metastases: pathological-fracture precautions (no heavy "
        "lifting); the doctor ticks the level of help.",
    )
    pdf.field("G. Ambulance at the airports", f"{_box(None, 'Yes')}   {_box(None, 'No')}")
    pdf.field(
        "H. Other ground or in-flight needs",
        "Help with boarding and luggage." + (" Brace if prescribed." if surgery else ""),
    )
    pdf.heading("Part 2 — the attending physician (completed and signed by the doctor)")
    pdf.field("Physician's name", "")
    pdf.field("Address, telephone, email", "")
    pdf.field(
        "1. Diagnosis in detail (with vital signs)",
        f"Metastatic cancer to the spine; primary: {sheet.primary_cancer}.\nVital signs: ______",
    )
    pdf.field("Date of first symptoms / diagnosis", "")
    this_trip = [_session_text(s) for s in sheet.sessions] or ["None on this trip."]
    pdf.field("2. Procedures on this trip", "\n".join(this_trip))
    if sheet.earlier_sessions:
        pdf.field(
            "Earlier procedures of the plan",
            "\n".join(_session_text(s) for s in sheet.earlier_sessions),
        )
    pdf.field("3. Prognosis for the trip", f"{_box(None, 'Good')}   {_box(None, 'Poor')}")
    pdf.field("4. Contagious or communicable disease", f"{_box(None, 'Yes')}   {_box(None, 'No')}")
    pdf.field(
        "5. Condition likely to cause distress or discomfort to other passengers",
        f"{_box(None, 'Yes')}   {_box(None, 'No')}",
    )
    pdf.field(
        "6. Can use a normal seat with the seat back upright",
        f"{_box(None, 'Yes')}   {_box(None, 'No')}",
    )
    pdf.field(
        "7. Can take care of own needs on board unassisted (meals, toilet)",
        f"{_box(None, 'Yes')}   {_box(None, 'No')}",
    )
    pdf.field(
        "8. If escorted, is the arrangement satisfactory",
        f"{_box(None, 'Yes')}   {_box(None, 'No')}   {_box(None, 'Medical escort needed')}",
    )
    pdf.field(
        "9. Supplementary oxygen",
        f"{_box(None, 'No')}   {_box(None, 'Yes')}: ____ L/min, "
        f"{_box(None, 'continuous')} {_box(None, 'intermittent')}; on the ground too: "
        f"{_box(None, 'Yes')} {_box(None, 'No')}",
    )
    pdf.field("10. Medication to take on board", "")
    pdf.field("11. Other remarks", _medif_remarks(sheet))
    pdf.ln(2)
    pdf.field("Signature and date", "")
    pdf.field("Stamp", "")
    return pdf.bytes()


def _medif_remarks(sheet: TripSheet) -> str:
    remarks = []
    if sheet.needs_clearance:
        remarks.append(
            "Triage: the treating specialist's clearance to fly is required before each flight "
            "(one or more of: cord compression on imaging, unstable spine, KPS 40 or less, "
            "haemoglobin below 7.5 g/dL)."
        )
    else:
        remarks.append("Triage: standard precautions for spinal metastases.")
    if any(s.service in RADIONUCLIDE for s in sheet.sessions):
        remarks.append(
            "Radionuclide therapy on this trip: the patient carries a treatment card for "
            "radiation detectors."
        )
    remarks.append(
        "Earliest flights: the later of our minimum after each procedure (7 days after open "
        "spinal surgery, 2 after kyphoplasty, vertebroplasty or embolisation, 1 after biopsy, "
        "radiotherapy or radionuclide therapy) and the clinic's recovery advice."
    )
    remarks.append("Cabin altitude about 8,000 ft: inspired oxygen equivalent to about 15 %.")
    return "\n".join(remarks)


# The radionuclide treatment card --------------------------------------------------------------


def treatment_card_pdf(sheet: TripSheet) -> bytes:
    """The card the patient carries: in English for airport and border officers, then again in
    the patient's language when it is another. Only for a trip with a radionuclide session."""
    if not sheet.has_radionuclide:
        raise ValueError("no radionuclide therapy on this trip")
    pdf = _Pdf(f"oncoroute · {sheet.reference}")
    languages = ["en"]
    with _language(sheet.language):
        if translation.get_language() != "en":
            languages.append(translation.get_language())
    for index, language in enumerate(languages):
        if index:
            pdf.add_page()
        with translation.override(language):
            _card(pdf, sheet)
    return pdf.bytes()


def card_until(sheet: TripSheet) -> date | None:
    """The last day to carry the card: about three months after the last ¹⁷⁷Lu dose (SPEC §8);
    None when the trip had only radium-223, for which the clinic says how long."""
    lutetium = [s.day for s in sheet.radionuclide_sessions if s.service in LUTETIUM]
    return max(lutetium) + CARD_DAYS if lutetium else None


def _card(pdf: _Pdf, sheet: TripSheet) -> None:
    pdf.title_line(_("Radionuclide treatment card"))
    pdf.para(
        _(
            "The holder of this card was treated with a radioactive medicine for cancer. Small "
            "amounts of radiation can be measured from the body for some time after the "
            "treatment and may set off radiation detectors at airports and borders. This is "
            "expected after the treatment."
        )
    )
    pdf.field(_("Name"), sheet.patient_name)
    pdf.heading(_("What was given"))
    rows = [
        (
            RADIONUCLIDES[s.service],
            day_text(s.day),
            f"{sheet.clinic_name}, {sheet.clinic_city}",
            "",
        )
        for s in sheet.radionuclide_sessions
    ]
    pdf.rows((60, 34, 50, 30), (_("Medicine"), _("Date"), _("Clinic"), _("Activity")), rows)
    pdf.para(_("The clinic writes in the activity given and stamps the card."), size=8.5)
    until = card_until(sheet)
    if until:
        pdf.para(
            _(
                "Carry this card on every journey until %(day)s (about three months after "
                "the last dose)."
            )
            % {"day": day_text(until)},
            bold=True,
        )
    else:
        pdf.para(
            _("Carry this card on every journey until the clinic says it is no longer needed."),
            bold=True,
        )
    pdf.heading(_("Precautions on the journey"))
    for line in (
        _(
            "Follow the clinic's written instructions for the days after each dose: how long to "
            "keep a distance from other people, above all from children and pregnant women, "
            "and how long to sleep apart."
        ),
        _("Use the toilet sitting down, flush after use and wash your hands well every time."),
        _(
            "Wipe up any spilled urine, vomit or blood with tissues, flush them away and wash "
            "your hands."
        ),
        _("If a radiation detector goes off at an airport or border, show this card."),
    ):
        pdf.bullet(line)
    pdf.heading(_("Whom to call"))
    contacts = ", ".join(
        part for part in (sheet.clinic_contact, sheet.clinic_phone, sheet.clinic_email) if part
    )
    clinic = f"{sheet.clinic_name}, {sheet.clinic_city}"
    pdf.field(_("The treating clinic"), f"{clinic}: {contacts}" if contacts else clinic)
    pdf.field(_("Your coordinator"), _coordinator_line(sheet))
    pdf.field(
        _("An emergency"),
        _("Call the local emergency number (112 in Europe) and show this card."),
    )


def _coordinator_line(sheet: TripSheet) -> str:
    where = _("a message on your case page, %(url)s") % {"url": settings.SITE_URL}
    if sheet.coordinator:
        return f"{sheet.coordinator}: {where}"
    return where


# The printable trip plan ----------------------------------------------------------------------


def trip_plan_pdf(sheet: TripSheet) -> bytes:
    """The trip day by day, the checklist and fitness to fly, in the patient's language."""
    with _language(sheet.language):
        return _plan(sheet)


def _owner(code: str) -> str:
    try:
        return str(ChecklistItem.Owner(code).label)
    except ValueError:
        return code


def _days(sheet: TripSheet) -> list[tuple[str, str]]:
    place = f"{sheet.clinic_city} ({sheet.clinic_name})"
    days: list[tuple[date, int, str]] = [
        (sheet.outbound, 0, _("Flight out to %(place)s") % {"place": place})
    ]
    for session in sheet.sessions:
        days.append((session.day, 1, _first_upper(service_words(session.service))))
        if session.hospital_nights:
            days.append(
                (
                    session.day,
                    2,
                    ngettext(
                        "In hospital: %(nights)s night, home from hospital on %(day)s",
                        "In hospital: %(nights)s nights, home from hospital on %(day)s",
                        session.hospital_nights,
                    )
                    % {"nights": session.hospital_nights, "day": day_text(session.discharge)},
                )
            )
    days.append((sheet.home, 3, _("Flight back home")))
    return [(day_text(day), text) for day, _order, text in sorted(days, key=lambda d: d[:2])]


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plan(sheet: TripSheet) -> bytes:
    pdf = _Pdf(
        f"oncoroute · {sheet.reference} · " + _("Trip %(number)s") % {"number": sheet.number}
    )
    pdf.title_line(
        _("Your trip plan: trip %(number)s of %(trips)s")
        % {"number": sheet.number, "trips": sheet.trips}
    )
    pdf.para(
        _("Case %(reference)s. Treatment at %(clinic)s, %(city)s, %(country)s.")
        % {
            "reference": sheet.reference,
            "clinic": sheet.clinic_name,
            "city": sheet.clinic_city,
            "country": _country(sheet),
        }
    )
    pdf.heading(_("Day by day"))
    pdf.rows((46, 128), (_("Day"), _("What happens")), _days(sheet))
    pdf.heading(_("The earliest safe day home"))
    reason = home_reason(sheet.sessions)
    pdf.para(_("Flight home: %(day)s.") % {"day": day_text(sheet.home)}, bold=True)
    if reason:
        pdf.para(reason)
    pdf.para(
        _(
            "The day home is never earlier than the safe minimum after each procedure, and "
            "never earlier than the recovery the clinic asks for. Only the clinic's doctor can "
            "make it later."
        ),
        size=8.5,
    )
    pdf.heading(_("Before you travel: the checklist"))
    rows = [
        (
            line.label + ("" if line.required else " " + _("(if needed)")),
            _owner(line.owner),
            _("Done") if line.done else _("To do"),
        )
        for line in sheet.checklist
    ]
    pdf.rows((110, 38, 26), (_("What"), _("Who"), _("Status")), rows)
    pdf.heading(_("Fitness to fly"))
    for line in sheet.fitness():
        pdf.bullet(f"{line.text} ({_owner(line.owner)})")
    pdf.heading(_("Questions"))
    pdf.para(_("Your coordinator: %(who)s.") % {"who": _coordinator_line(sheet)})
    return pdf.bytes()
