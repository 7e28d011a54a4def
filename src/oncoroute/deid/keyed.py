"""Keyed, stateless replacements: UIDs, pseudonyms and the per-case date shift.

A keyed hash (HMAC-SHA256 with a per-installation secret) makes every worker
process, and every later run, map an original value to the same replacement
without shared state, while nobody without the secret can recompute the
mapping from the original UIDs (PS3.15 E.3.9 rationale; DEID.md 1.5).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta

from oncoroute.deid.table import STANDARD_UID_PREFIX

_UID_ROOT = "2.25."
_PSEUDONYM_PREFIX = "OR-"
_MIN_SHIFT_DAYS = 30
_SHIFT_RANGE_DAYS = 3 * 365


def _digest(secret: bytes, purpose: str, value: str) -> bytes:
    return hmac.new(secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()


def map_uid(secret: bytes, uid: str) -> str:
    """Return the replacement of ``uid``: ``2.25.`` + the first 128 bits of its HMAC.

    ``2.25.`` + a 128-bit integer is a valid UID of at most 44 characters
    (PS3.5 B.2). Standard UIDs (``1.2.840.10008.*``) are returned unchanged.
    """
    uid = uid.strip().rstrip("\x00")
    if not uid or uid.startswith(STANDARD_UID_PREFIX):
        return uid
    number = int.from_bytes(_digest(secret, "uid", uid)[:16], "big")
    return f"{_UID_ROOT}{number}"


def pseudonym(secret: bytes, purpose: str, value: str, length: int = 12) -> str:
    """Return a stable, non-reversible stand-in such as ``OR-3F9A0C1B7D2E``."""
    return _PSEUDONYM_PREFIX + _digest(secret, purpose, value).hex()[:length].upper()


def derive_date_shift(secret: bytes, patient_id: str) -> int:
    """Return a shift of −30 to about −1125 days, stable for one patient.

    Used when the caller has no case-level shift of its own: the same patient
    always gets the same shift, so intervals between studies stay true.
    """
    number = int.from_bytes(_digest(secret, "date-shift", patient_id)[:4], "big")
    return -(_MIN_SHIFT_DAYS + number % _SHIFT_RANGE_DAYS)


def shift_da(value: str, days: int) -> str:
    """Shift one DA value (YYYYMMDD) by ``days``; raise ValueError if it is not a date."""
    text = value.strip()
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"not a DA value: {text!r}")
    try:
        shifted = date(int(text[:4]), int(text[4:6]), int(text[6:8])) + timedelta(days=days)
    except OverflowError as exc:
        raise ValueError(f"date out of range: {text!r}") from exc
    return f"{shifted.year:04d}{shifted.month:02d}{shifted.day:02d}"


def shift_dt(value: str, days: int) -> str:
    """Shift the date part of one DT value, keeping its time and offset (PS3.5 6.2)."""
    text = value.strip()
    return shift_da(text[:8], days) + text[8:]
