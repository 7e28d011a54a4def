"""What both de-identification paths share, without pydicom: options, VR groups, defaults.

``dataset.py`` applies these to pydicom datasets and ``direct.py`` to encoded
headers; keeping them here lets the direct path run without importing pydicom.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from oncoroute.deid.dictionary import has_tag
from oncoroute.deid.table import WELL_KNOWN_UID_TAGS

TEXT_VRS: Final = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT"})
MAX_LENGTH: Final = {"SH": 16, "CS": 16, "LO": 64, "ST": 1024, "LT": 10240, "PN": 64}
DUMMY: Final[dict[str, Any]] = {
    "PN": "ANONYMOUS",
    "DA": "19000101",
    "DT": "19000101000000",
    "TM": "000000",
    "AS": "000D",
    "IS": "0",
    "DS": "0",
}
DUMMY_TEXT: Final = "ANONYMIZED"
NUMERIC_VRS: Final = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "UV", "SV"})
REMEMBERED_VRS: Final = TEXT_VRS | {"DA", "DT", "UI", "SQ"}

_ULTRASOUND_CLASS_PREFIXES: Final = ("1.2.840.10008.5.1.4.1.1.6", "1.2.840.10008.5.1.4.1.1.3")
_SECONDARY_CAPTURE_CLASS: Final = "1.2.840.10008.5.1.4.1.1.7"
_VISIBLE_LIGHT_CLASS_PREFIX: Final = "1.2.840.10008.5.1.4.1.1.77."


class DeidOptions(NamedTuple):
    """What a run needs: the installation secret and the case's date shift in days."""

    secret: bytes
    date_shift_days: int


def hold_back_reason_of(burned_in: str, modality: str, sop_class: str) -> str | None:
    """Why an object with these three values may carry burned-in text (PS3.15 E.3.1), or None.

    Pixels are out of scope of the Basic Profile, so an object whose pixels
    may show identifying text goes to a person for review instead of being
    shared: Burned In Annotation = YES, ultrasound (where burned-in text is
    routine, E.3), secondary capture and visible-light photographs.
    """
    if burned_in.strip().upper() == "YES":
        return "Burned In Annotation (0028,0301) is YES"
    if modality.strip().upper() == "US" or sop_class.startswith(_ULTRASOUND_CLASS_PREFIXES):
        return "ultrasound images routinely carry burned-in text"
    if sop_class == _SECONDARY_CAPTURE_CLASS or sop_class.startswith(
        _SECONDARY_CAPTURE_CLASS + "."
    ):
        return "secondary capture images may carry burned-in text"
    if sop_class.startswith(_VISIBLE_LIGHT_CLASS_PREFIX):
        return "visible-light photographs may show the patient or burned-in text"
    return None


def default_action(tag: int, vr: str) -> str:
    """The action for a standard attribute that Table E.1-1 does not list."""
    if not has_tag(tag):
        return "X"
    if vr == "UI":
        return "K" if tag in WELL_KNOWN_UID_TAGS else "U"
    if vr in {"DA", "DT", "LT", "ST", "UT"}:
        return "C"
    if vr == "PN":
        return "Z"
    return "K"


def private_bytes_text(data: bytes) -> list[str]:
    """The text of an encoded private value, if it reads as text at all."""
    text = data.decode("latin-1").strip("\x00 ")
    printable = sum(ch.isprintable() for ch in text)
    return [text] if text and printable >= 0.9 * len(text) else []
