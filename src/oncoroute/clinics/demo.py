"""The demo directory: the six clinics the service's article names, with their real cities,
countries, time zones and working weeks (public holidays come from the `holidays` library when
asked, see `clinic_open_days`). Everything else (services, prices, waits, doctors, contacts, who
verified what) is invented, and every page that shows it says "Demo figures"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import yaml
from django.utils import timezone

from oncoroute.clinics.models import MONDAY_TO_FRIDAY, Clinic, ExchangeRate
from oncoroute.clinics.services import directory_import, exchange_rates_set

DEMO_RATES_SOURCE = "Demo rates (invented figures, not for quoting)"
# Units per 1 EUR: invented, of a plausible order of magnitude.
DEMO_RATES = {
    "USD": Decimal("1.08"),
    "GBP": Decimal("0.85"),
    "TRY": Decimal("37.5"),
    "ILS": Decimal("4.0"),
    "KRW": Decimal("1480"),
    "RUB": Decimal("98"),
    "KZT": Decimal("520"),
}
DEMO_FEE = (
    "Demo figures: referral fee of 10 % of the treatment invoice, paid by the clinic to "
    "oncoroute; it does not affect ranking."
)

# slug, name, city, country, time zone, address, languages, currency, SBRT device
_CLINICS: list[tuple[str, str, str, str, str, str, list[str], str, str]] = [
    ("american-hospital-istanbul", "American Hospital", "Istanbul", "TR", "Europe/Istanbul",
     "Nişantaşı, Şişli, Istanbul", ["tr", "en", "ru", "ar"], "USD", "CyberKnife"),
    ("koc-university-hospital", "Koç University Hospital", "Istanbul", "TR", "Europe/Istanbul",
     "Topkapı, Zeytinburnu, Istanbul", ["tr", "en", "ar"], "EUR", "TrueBeam linac"),
    ("liv-hospital-ulus", "Liv Hospital Ulus", "Istanbul", "TR", "Europe/Istanbul",
     "Ulus, Beşiktaş, Istanbul", ["tr", "en", "ru", "az"], "USD", "Versa HD linac"),
    ("assuta-tel-aviv", "Assuta", "Tel Aviv", "IL", "Asia/Jerusalem",
     "Ramat HaHayal, Tel Aviv", ["he", "en", "ru", "ar"], "USD", "CyberKnife"),
    ("teknon-barcelona", "Centro Médico Teknon", "Barcelona", "ES", "Europe/Madrid",
     "Carrer de Vilana, Barcelona", ["es", "ca", "en", "ru"], "EUR", "Versa HD linac"),
    ("snuh-seoul", "Seoul National University Hospital", "Seoul", "KR", "Asia/Seoul",
     "Daehak-ro, Jongno-gu, Seoul", ["ko", "en", "ru"], "KRW", "TrueBeam linac"),
]  # fmt: skip

# service → (price from, price to, waiting days) per clinic, in the clinic's currency;
# None for a price the clinic has not published.
_PRICES: dict[str, dict[str, tuple[int | None, int | None, int]]] = {
    "american-hospital-istanbul": {
        "sbrt": (9_500, 14_000, 7), "cebrt": (3_500, 6_000, 5),
        "vertebroplasty": (6_000, 8_500, 4), "kyphoplasty": (8_000, 11_000, 5),
        "spine_decompression": (18_000, 26_000, 10), "spine_stabilisation": (20_000, 30_000, 10),
        "mri": (450, 700, 1), "pet_ct": (1_200, 1_600, 3), "medical_oncology": (300, 500, 2),
        "pain_palliative": (250, 400, 2),
    },
    "koc-university-hospital": {
        "sbrt": (8_000, 12_000, 10), "cebrt": (None, None, 7),
        "vertebroplasty": (5_000, 7_000, 6), "spine_decompression": (None, None, 12),
        "spine_stabilisation": (17_000, 24_000, 12), "separation_surgery": (None, None, 14),
        "embolisation": (4_000, 6_000, 6), "mri": (350, 550, 2), "ct": (200, 350, 1),
        "pet_ct": (1_000, 1_400, 4), "lu177_psma": (None, None, 21),
        "medical_oncology": (250, 400, 3),
    },
    "liv-hospital-ulus": {
        "sbrt": (8_500, 13_000, 6), "cebrt": (3_000, 5_000, 4), "kyphoplasty": (7_500, 10_000, 3),
        "spine_decompression": (16_000, 24_000, 8), "spine_stabilisation": (18_000, 27_000, 8),
        "mri": (400, 600, 1), "pet_ct": (1_100, 1_500, 2), "pain_palliative": (200, 350, 1),
        "medical_oncology": (250, 450, 2),
    },
    "assuta-tel-aviv": {
        "sbrt": (16_000, 24_000, 14), "cebrt": (7_000, 10_000, 10),
        "vertebroplasty": (9_000, 12_000, 10), "kyphoplasty": (11_000, 15_000, 10),
        "spine_decompression": (30_000, 42_000, 14), "separation_surgery": (35_000, 48_000, 18),
        "spine_stabilisation": (32_000, 45_000, 14), "embolisation": (8_000, 11_000, 10),
        "ra223": (None, None, 14), "lu177_psma": (None, None, 21), "mri": (900, 1_300, 4),
        "pet_ct": (2_000, 2_800, 5), "medical_oncology": (600, 900, 5),
    },
    "teknon-barcelona": {
        "sbrt": (14_000, 20_000, 12), "cebrt": (6_000, 9_000, 8),
        "vertebroplasty": (7_500, 10_000, 9), "kyphoplasty": (9_500, 13_000, 9),
        "spine_stabilisation": (26_000, 36_000, 15), "embolisation": (6_000, 8_500, 10),
        "spine_decompression": (24_000, 34_000, 15), "medical_oncology": (350, 550, 4),
        "mri": (600, 900, 3), "ct": (300, 450, 2), "pet_ct": (1_500, 2_100, 6),
        "pain_palliative": (400, 600, 3),
    },
    "snuh-seoul": {
        "sbrt": (18_000_000, 26_000_000, 21), "cebrt": (8_000_000, 12_000_000, 14),
        "vertebroplasty": (7_000_000, 10_000_000, 14), "spine_decompression": (None, None, 21),
        "lu177_dotatate": (None, None, 28), "mri": (900_000, 1_300_000, 7),
        "pet_ct": (1_800_000, 2_600_000, 7), "medical_oncology": (400_000, 700_000, 7),
    },
}  # fmt: skip

_TRACERS = {"koc-university-hospital": ["FDG", "PSMA"], "assuta-tel-aviv": ["FDG", "PSMA"]}
_INCLUDES = {
    "sbrt": "planning CT and MRI fusion, up to 5 fractions, follow-up visit",
    "spine_decompression": "surgery, implants, 5 nights in hospital",
    "spine_stabilisation": "surgery, implants, 5 nights in hospital",
    "separation_surgery": "surgery, 6 nights in hospital",
    "vertebroplasty": "procedure, cement, 1 night in hospital",
    "kyphoplasty": "procedure, balloon kit, 1 night in hospital",
}
_DEPARTMENTS = ["Spine surgery", "Radiation oncology"]
# Israel's working week is Sunday to Thursday; the others see outpatients Monday to Friday
# (weekend radiotherapy fractions, where a clinic gives them, are not appointment days).
_WORKING_DAYS = {"IL": [6, 0, 1, 2, 3]}
# Invented people: name, specialty, department, languages, years in practice.
_DOCTORS: dict[str, list[tuple[str, str, str, list[str], int]]] = {
    "american-hospital-istanbul": [
        ("Dr Selin Arman", "Neurosurgeon, spine", "Spine surgery", ["tr", "en"], 18),
        ("Dr Kerem Oral", "Radiation oncologist", "Radiation oncology", ["tr", "en", "ru"], 12),
    ],
    "koc-university-hospital": [
        ("Dr Defne Ulus", "Orthopaedic spine surgeon", "Spine surgery", ["tr", "en"], 15),
        ("Dr Baran Keskin", "Radiation oncologist", "Radiation oncology", ["tr", "en"], 9),
    ],
    "liv-hospital-ulus": [
        ("Dr Murat Ece", "Neurosurgeon, spine", "Spine surgery", ["tr", "en", "az"], 20),
        ("Dr Aylin Tez", "Radiation oncologist", "Radiation oncology", ["tr", "en", "ru"], 11),
    ],
    "assuta-tel-aviv": [
        ("Dr Noa Ben-Ami", "Spine surgeon", "Spine surgery", ["he", "en", "ru"], 16),
        ("Dr Yoav Peretz", "Radiation oncologist", "Radiation oncology", ["he", "en"], 22),
    ],
    "teknon-barcelona": [
        ("Dr Laia Puig", "Neurosurgeon, spine", "Spine surgery", ["es", "ca", "en"], 14),
        ("Dr Pau Ferrer", "Radiation oncologist", "Radiation oncology", ["es", "en"], 19),
    ],
    "snuh-seoul": [
        ("Dr Min-jun Seo", "Spine surgeon", "Spine surgery", ["ko", "en"], 17),
        ("Dr Ji-woo Han", "Radiation oncologist", "Radiation oncology", ["ko", "en"], 13),
    ],
}


def _offerings(slug: str, currency: str, device: str, today: date) -> list[dict[str, Any]]:
    offerings = []
    for service, (low, high, wait) in _PRICES[slug].items():
        offering: dict[str, Any] = {"service": service, "waiting_days": wait}
        if service == "sbrt":
            offering["detail"] = device
        if service == "pet_ct":
            offering["tracers"] = _TRACERS.get(slug, ["FDG"])
        if low is not None:
            offering.update(
                price_min=low,
                price_max=high,
                currency=currency,
                price_includes=_INCLUDES.get(service, "the procedure and its report"),
                price_valid_until=today + timedelta(days=365),
            )
        offerings.append(offering)
    return offerings


def _credentials(country: str, today: date) -> list[dict[str, Any]]:
    jci = {
        "kind": "accreditation",
        "name": "JCI",
        "verified_by": "oncoroute registry desk (demo)",
        "register": "Joint Commission International, accredited organisations search",
        "verified_on": today - timedelta(days=120),
        "expires_on": today + timedelta(days=600),
    }
    licence = {
        "kind": "authorisation",
        "name": f"Hospital operating licence ({country})",
        "verified_by": "oncoroute registry desk (demo)",
        "register": f"National register of health facilities ({country})",
        "verified_on": today - timedelta(days=90),
        "expires_on": today + timedelta(days=900),
    }
    return [jci, licence]


def _doctors(slug: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "specialty": specialty,
            "department": department,
            "languages": languages,
            "years_in_practice": years,
            "profile": f"{specialty} (demo profile).",
        }
        for name, specialty, department, languages, years in _DOCTORS[slug]
    ]


def demo_directory(today: date) -> dict[str, Any]:
    """The demo directory in the import file's YAML shape, dated around `today`."""
    clinics = []
    for slug, name, city, country, zone, address, languages, currency, device in _CLINICS:
        clinics.append(
            {
                "slug": slug,
                "name": name,
                "country": country,
                "city": city,
                "time_zone": zone,
                "address": address,
                "contact_name": "International patient office (demo)",
                "contact_email": f"international@{slug}.example",
                "languages": languages,
                "working_days": list(_WORKING_DAYS.get(country, MONDAY_TO_FRIDAY)),
                "commercial_relationship": DEMO_FEE,
                "demo_figures": True,
                "accreditations": _credentials(country, today),
                "departments": _DEPARTMENTS,
                "doctors": _doctors(slug),
                "offerings": _offerings(slug, currency, device, today),
            }
        )
    return {"format": "oncoroute-directory-1", "clinics": clinics}


def clinics_demo_load(today: date | None = None) -> int:
    """Load the demo clinics and exchange rates unless they are there; return clinics added."""
    today = today or timezone.localdate()
    if not ExchangeRate.objects.exists():
        exchange_rates_set(
            base="EUR", as_of=today - timedelta(days=1), rates=DEMO_RATES, source=DEMO_RATES_SOURCE
        )
    slugs = [spec[0] for spec in _CLINICS]
    if Clinic.objects.filter(slug__in=slugs).count() == len(slugs):
        return 0
    text = yaml.safe_dump(demo_directory(today), sort_keys=False, allow_unicode=True)
    report = directory_import(path_or_text=text, format="yaml")
    if not report.ok:
        raise ValueError("; ".join(str(problem) for problem in report.problems))
    return len(report.created)
