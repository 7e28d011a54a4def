"""The structured summary of the handover home: what was done abroad, what the patient takes home,
what to watch for and whom to call. One typed reader (`HandoverSummary.from_stored`) for the sealed
JSON of `Handover.summary`, used by every page that shows it; its codes carry their labels here,
so the doctor at home reads them in the patient's language and the clinic's.

Free text (a procedure's levels, a medicine's name, an implant's maker) is shown as written:
levels and international drug names read the same in every language; the one free sentence
(other things to watch for) is written in English and, when the patient reads another language,
in theirs too."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoroute.cases.vocabulary import CORD_COMPRESSION_SIGNS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PROCEDURES: dict[str, StrOrPromise] = {
    "stabilisation": gettext_lazy("Spinal stabilisation with screws and rods"),
    "decompression": gettext_lazy("Decompression of the spinal cord or nerve roots"),
    "separation_surgery": gettext_lazy("Separation surgery before radiotherapy"),
    "vertebroplasty": gettext_lazy("Vertebroplasty (bone cement)"),
    "kyphoplasty": gettext_lazy("Kyphoplasty (balloon and bone cement)"),
    "ablation": gettext_lazy("Thermal ablation of the tumour"),
    "embolisation": gettext_lazy("Embolisation of the tumour's blood vessels"),
    "biopsy": gettext_lazy("Biopsy of the lesion"),
    "other": gettext_lazy("Other procedure"),
}

TECHNIQUES: dict[str, StrOrPromise] = {
    "sbrt": gettext_lazy("Stereotactic body radiotherapy (SBRT)"),
    "conventional": gettext_lazy("Conventional external beam radiotherapy"),
}

IMPLANTS: dict[str, StrOrPromise] = {
    "screws_rods": gettext_lazy("Pedicle screws and rods"),
    "cement": gettext_lazy("Bone cement in the vertebra"),
    "cage": gettext_lazy("Vertebral body replacement cage"),
    "other": gettext_lazy("Other implant"),
}

MRI: dict[str, StrOrPromise] = {
    "conditional": gettext_lazy("MR Conditional: MRI only under the maker's conditions"),
    "safe": gettext_lazy("MR Safe"),
    "unsafe": gettext_lazy("MR Unsafe: no MRI"),
    "unknown": gettext_lazy("Not stated: ask the clinic before any MRI"),
}

UNITS: dict[str, StrOrPromise] = {
    "mg": gettext_lazy("mg"),
    "mcg": gettext_lazy("mcg"),
    "g": gettext_lazy("g"),
    "ml": gettext_lazy("ml"),
    "iu": gettext_lazy("IU"),
}

HOW_OFTEN: dict[str, StrOrPromise] = {
    "once_daily": gettext_lazy("once a day"),
    "twice_daily": gettext_lazy("twice a day"),
    "three_times_daily": gettext_lazy("three times a day"),
    "four_times_daily": gettext_lazy("four times a day"),
    "weekly": gettext_lazy("once a week"),
    "every_4_weeks": gettext_lazy("once every 4 weeks"),
    "as_needed": gettext_lazy("only when needed"),
}

# Signs beyond the cord-compression ones, ticked by the coordinator as the treatment calls for.
MORE_SIGNS: dict[str, StrOrPromise] = {
    "wound": gettext_lazy("The wound becomes red, swollen or hot, leaks fluid or opens"),
    "fever": gettext_lazy("A temperature of 38 °C or higher"),
    "pain": gettext_lazy("Pain that the prescribed medicines do not control"),
    "clot": gettext_lazy("A swollen, painful calf, or sudden breathlessness or chest pain"),
    "skin": gettext_lazy("Blistering or broken skin where the radiotherapy was given"),
}

# Always in the handover, whatever was ticked: NICE NG234's neurological signs, in plain words.
CORD_SIGNS: tuple[StrOrPromise, ...] = tuple(CORD_COMPRESSION_SIGNS.values())
CORD_ACTION = gettext_lazy(
    "Even one of these signs can mean pressure on the spinal cord: go to the nearest emergency "
    "department or call the local emergency number the same day, and say that the patient has "
    "spinal metastases treated abroad. Quick treatment protects the ability to walk."
)

MAX_DOSE_GY = Decimal(100)
MAX_FRACTIONS = 50
# Beyond any spinal schedule in use (single-fraction SBRT reaches 24 Gy): a typing slip.
MAX_GY_PER_FRACTION = Decimal(30)


def _date(value: Any) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any, limit: int = 300) -> str:
    return str(value or "").strip()[:limit]


@dataclass(frozen=True)
class Procedure:
    """A procedure done abroad: what, on which day, and its levels or details as written."""

    kind: str
    done_on: date | None
    detail: str = ""

    @property
    def label(self) -> StrOrPromise:
        return PROCEDURES.get(self.kind, self.kind)


@dataclass(frozen=True)
class Radiotherapy:
    """One course: where, how, the total dose in gray and the number of fractions."""

    site: str
    technique: str
    dose_gy: Decimal | None
    fractions: int | None
    finished_on: date | None

    @property
    def label(self) -> StrOrPromise:
        return TECHNIQUES.get(self.technique, self.technique)

    @property
    def gy_per_fraction(self) -> Decimal | None:
        if not self.dose_gy or not self.fractions:
            return None
        return (self.dose_gy / self.fractions).quantize(Decimal("0.01")).normalize()


@dataclass(frozen=True)
class Implant:
    """An implant left in the patient: what, at which levels, whether MRI is allowed."""

    kind: str
    levels: str
    mri: str = "unknown"
    maker: str = ""

    @property
    def label(self) -> StrOrPromise:
        return IMPLANTS.get(self.kind, self.kind)

    @property
    def mri_label(self) -> StrOrPromise:
        return MRI.get(self.mri, self.mri)


@dataclass(frozen=True)
class Medicine:
    """A medicine to take at home: its international name, dose, how often, until when."""

    name: str
    amount: Decimal | None
    unit: str
    how_often: str
    until: date | None = None

    @property
    def unit_label(self) -> StrOrPromise:
        return UNITS.get(self.unit, self.unit)

    @property
    def how_often_label(self) -> StrOrPromise:
        return HOW_OFTEN.get(self.how_often, self.how_often)


@dataclass(frozen=True)
class Contacts:
    """Whom to call: the clinic's contact and the service's coordinator."""

    clinic_name: str = ""
    clinic_person: str = ""
    clinic_phone: str = ""
    clinic_email: str = ""
    coordinator_name: str = ""
    coordinator_phone: str = ""
    coordinator_email: str = ""


@dataclass(frozen=True)
class HandoverSummary:
    """The structured summary as stored (sealed) in `Handover.summary`."""

    procedures: tuple[Procedure, ...] = ()
    radiotherapy: tuple[Radiotherapy, ...] = ()
    implants: tuple[Implant, ...] = ()
    no_implants: bool = False
    medicines: tuple[Medicine, ...] = ()
    no_medicines: bool = False
    more_signs: tuple[str, ...] = ()
    # Other things to watch for: in English, and in the patient's language when it is another.
    watch_note: str = ""
    watch_note_patient: str = ""
    contacts: Contacts = field(default_factory=Contacts)

    @property
    def is_empty(self) -> bool:
        return self == HandoverSummary()

    @property
    def cord_signs(self) -> tuple[StrOrPromise, ...]:
        return CORD_SIGNS

    @property
    def cord_action(self) -> StrOrPromise:
        return CORD_ACTION

    @property
    def more_sign_labels(self) -> list[StrOrPromise]:
        return [MORE_SIGNS[code] for code in self.more_signs if code in MORE_SIGNS]

    @classmethod
    def from_stored(cls, data: dict[str, Any] | None) -> HandoverSummary:
        data = data or {}
        contacts = data.get("contacts") or {}
        return cls(
            procedures=tuple(
                Procedure(
                    kind=_text(row.get("kind"), 40),
                    done_on=_date(row.get("done_on")),
                    detail=_text(row.get("detail")),
                )
                for row in data.get("procedures", [])
            ),
            radiotherapy=tuple(
                Radiotherapy(
                    site=_text(row.get("site"), 100),
                    technique=_text(row.get("technique"), 40),
                    dose_gy=_decimal(row.get("dose_gy")),
                    fractions=int(row["fractions"]) if row.get("fractions") is not None else None,
                    finished_on=_date(row.get("finished_on")),
                )
                for row in data.get("radiotherapy", [])
            ),
            implants=tuple(
                Implant(
                    kind=_text(row.get("kind"), 40),
                    levels=_text(row.get("levels"), 100),
                    mri=_text(row.get("mri"), 40) or "unknown",
                    maker=_text(row.get("maker"), 200),
                )
                for row in data.get("implants", [])
            ),
            no_implants=bool(data.get("no_implants")),
            medicines=tuple(
                Medicine(
                    name=_text(row.get("name"), 150),
                    amount=_decimal(row.get("amount")),
                    unit=_text(row.get("unit"), 10),
                    how_often=_text(row.get("how_often"), 40),
                    until=_date(row.get("until")),
                )
                for row in data.get("medicines", [])
            ),
            no_medicines=bool(data.get("no_medicines")),
            more_signs=tuple(str(code) for code in data.get("more_signs", [])),
            watch_note=_text(data.get("watch_note"), 2000),
            watch_note_patient=_text(data.get("watch_note_patient"), 2000),
            contacts=Contacts(**{k: _text(contacts.get(k), 254) for k in vars(Contacts())}),
        )

    def to_stored(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            return value

        stored: dict[str, Any] = plain(asdict(self))
        return stored


def patient_language(code: str) -> str:
    """The page language the patient reads: theirs when the pages speak it, else English."""
    return code if code in dict(settings.LANGUAGES) else "en"


def handover_languages(code: str) -> list[str]:
    """The patient's language, then the clinic's (English: the clinics' pages are English)."""
    return list(dict.fromkeys([patient_language(code), "en"]))


def summary_problems(summary: HandoverSummary, *, today: date, language: str) -> list[str]:
    """Why the summary cannot be the handover, one plain sentence each; empty when it can.
    `language` is the patient's (Case.language)."""
    problems: list[str] = []
    if not summary.procedures and not summary.radiotherapy:
        problems.append(_("Add the procedures done or the radiotherapy given: say what was done."))
    for n, procedure in enumerate(summary.procedures, start=1):
        problems += _procedure_problems(n, procedure, today)
    for n, course in enumerate(summary.radiotherapy, start=1):
        problems += _radiotherapy_problems(n, course, today)
    problems += _implant_problems(summary)
    problems += _medicine_problems(summary)
    if any(code not in MORE_SIGNS for code in summary.more_signs):
        problems.append(_("Choose the signs to watch for from the list."))
    if patient_language(language) != "en" and bool(summary.watch_note) != bool(
        summary.watch_note_patient
    ):
        problems.append(
            _(
                "Write the other things to watch for both in English and in the patient's "
                "language, or in neither."
            )
        )
    problems += _contact_problems(summary.contacts)
    return problems


def _procedure_problems(n: int, procedure: Procedure, today: date) -> list[str]:
    problems = []
    if procedure.kind not in PROCEDURES:
        problems.append(_("Procedure %(n)s: choose what was done.") % {"n": n})
    elif procedure.kind == "other" and not procedure.detail:
        problems.append(_("Procedure %(n)s: say what the other procedure was.") % {"n": n})
    if procedure.done_on is None:
        problems.append(_("Procedure %(n)s: give the day it was done.") % {"n": n})
    elif procedure.done_on > today:
        problems.append(_("Procedure %(n)s: the day cannot be in the future.") % {"n": n})
    return problems


def _radiotherapy_problems(n: int, course: Radiotherapy, today: date) -> list[str]:
    problems = []
    if not course.site:
        problems.append(_("Radiotherapy %(n)s: name the site treated, e.g. T12–L1.") % {"n": n})
    if course.technique not in TECHNIQUES:
        problems.append(_("Radiotherapy %(n)s: choose the technique.") % {"n": n})
    dose_ok = course.dose_gy is not None and 0 < course.dose_gy <= MAX_DOSE_GY
    if not dose_ok:
        problems.append(
            _("Radiotherapy %(n)s: the total dose must be more than 0 and at most %(max)s Gy.")
            % {"n": n, "max": MAX_DOSE_GY}
        )
    fractions_ok = course.fractions is not None and 1 <= course.fractions <= MAX_FRACTIONS
    if not fractions_ok:
        problems.append(
            _("Radiotherapy %(n)s: the number of fractions must be from 1 to %(max)s.")
            % {"n": n, "max": MAX_FRACTIONS}
        )
    per_fraction = course.gy_per_fraction
    if dose_ok and fractions_ok and per_fraction is not None and per_fraction > MAX_GY_PER_FRACTION:
        problems.append(
            _(
                "Radiotherapy %(n)s: more than %(max)s Gy a fraction (%(dose)s Gy, fractions: "
                "%(fractions)s); check the dose and the fractions."
            )
            % {"n": n, "dose": course.dose_gy, "fractions": course.fractions,
               "max": MAX_GY_PER_FRACTION}
        )  # fmt: skip
    if course.finished_on is None:
        problems.append(_("Radiotherapy %(n)s: give the day of the last fraction.") % {"n": n})
    elif course.finished_on > today:
        problems.append(
            _("Radiotherapy %(n)s: the last fraction cannot be in the future.") % {"n": n}
        )
    return problems


def _implant_problems(summary: HandoverSummary) -> list[str]:
    problems = []
    if not summary.implants and not summary.no_implants:
        problems.append(_("List the implants left in the patient, or tick that there are none."))
    if summary.implants and summary.no_implants:
        problems.append(_("Implants are listed and “no implants” is ticked: keep one of them."))
    for n, implant in enumerate(summary.implants, start=1):
        if implant.kind not in IMPLANTS:
            problems.append(_("Implant %(n)s: choose what it is.") % {"n": n})
        elif implant.kind == "other" and not implant.maker:
            problems.append(_("Implant %(n)s: say what the other implant is.") % {"n": n})
        if not implant.levels:
            problems.append(_("Implant %(n)s: give its levels, e.g. T11–L1.") % {"n": n})
        if implant.mri not in MRI:
            problems.append(_("Implant %(n)s: say whether MRI is allowed.") % {"n": n})
    return problems


def _medicine_problems(summary: HandoverSummary) -> list[str]:
    problems = []
    if not summary.medicines and not summary.no_medicines:
        problems.append(_("List the medicines to take at home, or tick that there are none."))
    if summary.medicines and summary.no_medicines:
        problems.append(_("Medicines are listed and “no medicines” is ticked: keep one of them."))
    for n, medicine in enumerate(summary.medicines, start=1):
        if not medicine.name:
            problems.append(_("Medicine %(n)s: give its name.") % {"n": n})
        if medicine.amount is None or medicine.amount <= 0 or medicine.unit not in UNITS:
            problems.append(_("Medicine %(n)s: give the dose, a number and its unit.") % {"n": n})
        if medicine.how_often not in HOW_OFTEN:
            problems.append(_("Medicine %(n)s: say how often to take it.") % {"n": n})
    return problems


def _contact_problems(contacts: Contacts) -> list[str]:
    problems = []
    if not contacts.clinic_name or not contacts.clinic_person:
        problems.append(_("Give the clinic and the person there to call."))
    if not (contacts.clinic_phone or contacts.clinic_email):
        problems.append(_("Give the clinic's phone or email address."))
    if not contacts.coordinator_name:
        problems.append(_("Give the coordinator's name."))
    if not (contacts.coordinator_phone or contacts.coordinator_email):
        problems.append(_("Give the coordinator's phone or email address."))
    for address in (contacts.clinic_email, contacts.coordinator_email):
        if address:
            try:
                validate_email(address)
            except ValidationError:
                problems.append(_("%(address)s is not an email address.") % {"address": address})
    return problems
