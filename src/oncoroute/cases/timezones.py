"""The patient's own time zone: from their country, through the IANA zone table; where the
country has several zones, the patient is asked which one is theirs."""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

SYSTEM_ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


@functools.cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO 3166 country code → its IANA zones, from tzdata's zone.tab (or the system's)."""
    try:
        text = (resources.files("tzdata.zoneinfo") / "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        text = SYSTEM_ZONE_TAB.read_text() if SYSTEM_ZONE_TAB.exists() else ""
    zones: dict[str, list[str]] = {}
    known = available_timezones()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone, *_comment = line.split("\t")
        if zone in known:
            zones.setdefault(country, []).append(zone)
    return {country: tuple(found) for country, found in zones.items()}


def country_zones(country: str) -> tuple[str, ...]:
    return _zones_by_country().get(str(country).upper(), ())


def zone_of(*, country: str, chosen: str) -> str | None:
    """The zone to show the patient's times in: the one they chose (if it is their country's),
    else the country's only zone; None when the country has several and none is chosen."""
    zones = country_zones(country)
    if chosen and (chosen in zones or (not zones and chosen in available_timezones())):
        return chosen
    return zones[0] if len(zones) == 1 else None


# A country's zone until the patient says which of its zones is theirs: the zone of its
# capital (or of most of its people). A country missing here reads in UTC, labelled so.
COUNTRY_TIME_ZONES: dict[str, str] = {
    "AM": "Asia/Yerevan",
    "AZ": "Asia/Baku",
    "BY": "Europe/Minsk",
    "DE": "Europe/Berlin",
    "EE": "Europe/Tallinn",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GE": "Asia/Tbilisi",
    "IL": "Asia/Jerusalem",
    "KG": "Asia/Bishkek",
    "KZ": "Asia/Almaty",
    "LT": "Europe/Vilnius",
    "LV": "Europe/Riga",
    "MD": "Europe/Chisinau",
    "RU": "Europe/Moscow",
    "TJ": "Asia/Dushanbe",
    "TM": "Asia/Ashgabat",
    "TR": "Europe/Istanbul",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}


def shown_zone(*, country: str, chosen: str) -> str:
    """The zone the patient's times are shown in: theirs (`zone_of`), else their country's
    main zone until they say, else UTC."""
    return zone_of(country=country, chosen=chosen) or COUNTRY_TIME_ZONES.get(country, "UTC")


def needs_choice(country: str) -> bool:
    return len(country_zones(country)) > 1


def zone_label(zone: str, *, at: datetime | None = None) -> str:
    """ "Yekaterinburg (UTC+05:00)": the zone's place and its offset now."""
    moment = (at or datetime.now(tz=ZoneInfo("UTC"))).astimezone(ZoneInfo(zone))
    offset = moment.strftime("%z")
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{place} (UTC{offset[:3]}:{offset[3:]})"


def zone_choices(country: str) -> list[tuple[str, str]]:
    return [(zone, zone_label(zone)) for zone in country_zones(country)]
