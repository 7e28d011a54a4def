"""Envelope encryption keys: master keys from the environment wrap one data key per patient.

``ONCOROUTE_MASTER_KEYS`` is ``kid:base64key,kid:base64key``; the first is current and wraps new
and rotated data keys, the others only unwrap until ``oncoroute keys_rotate`` has run.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.privacy import crypto
from oncoroute.privacy.models import DataKey


class KeyUnavailable(Exception):
    """A master key is missing or malformed, or a data key was destroyed."""


class KeyDestroyed(KeyUnavailable):
    """The data key was destroyed by an erasure: what it sealed is gone for good."""


@lru_cache(maxsize=8)
def _parse(value: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for item in value.split(","):
        kid, sep, encoded = item.strip().partition(":")
        try:
            key = base64.urlsafe_b64decode(encoded.replace("+", "-").replace("/", "_"))
        except (binascii.Error, ValueError):
            key = b""
        if not sep or not kid or len(key) != 32:
            raise KeyUnavailable(
                "ONCOROUTE_MASTER_KEYS must be comma-separated kid:base64(32 bytes)."
            )
        keys.append((kid, key))
    if not keys:
        raise KeyUnavailable("ONCOROUTE_MASTER_KEYS is empty.")
    return tuple(keys)


def master_keys() -> dict[str, bytes]:
    return dict(_parse(settings.ONCOROUTE_MASTER_KEYS))


def current_master_key_id() -> str:
    return _parse(settings.ONCOROUTE_MASTER_KEYS)[0][0]


def _master(kid: str) -> bytes:
    try:
        return master_keys()[kid]
    except KeyError:
        raise KeyUnavailable(f"Master key {kid!r} is not configured.") from None


def _wrap(data_key: DataKey, plain: bytes) -> None:
    kid = current_master_key_id()
    data_key.master_key_id = kid
    data_key.wrapped = crypto.seal(_master(kid), plain, f"datakey|{data_key.uid}".encode())


def unwrap(data_key: DataKey) -> bytes:
    """The plain data key; cached on the instance for the life of the request."""
    cached: bytes | None = getattr(data_key, "_plain", None)
    if cached is not None:
        return cached
    if data_key.destroyed_at is not None or not data_key.wrapped:
        raise KeyDestroyed("This data was erased.")
    plain = crypto.unseal(
        _master(data_key.master_key_id), bytes(data_key.wrapped), f"datakey|{data_key.uid}".encode()
    )
    data_key._plain = plain  # type: ignore[attr-defined]
    return plain


def data_key_create(*, patient: User | None) -> DataKey:
    """A new data key; one per patient account, or one per case when there is no account."""
    data_key = DataKey(patient=patient)
    plain = crypto.new_key()
    _wrap(data_key, plain)
    data_key.save()
    data_key._plain = plain  # type: ignore[attr-defined]
    return data_key


def data_key_for(*, patient: User | None) -> DataKey:
    """The patient's data key, created on first use; a fresh per-case key without a patient."""
    if patient is None:
        return data_key_create(patient=None)
    existing = DataKey.objects.filter(patient=patient).first()
    return existing or data_key_create(patient=patient)


def data_key_by_id(key_id: int) -> bytes:
    return unwrap(DataKey.objects.get(pk=key_id))


@transaction.atomic
def keys_rotate() -> int:
    """Re-wrap every live data key under the current master key; returns how many changed."""
    current = current_master_key_id()
    changed = 0
    live = DataKey.objects.select_for_update().filter(destroyed_at__isnull=True)
    for data_key in live.exclude(master_key_id=current):
        plain = unwrap(data_key)
        _wrap(data_key, plain)
        data_key.rewrapped_at = timezone.now()
        data_key.save(update_fields=["master_key_id", "wrapped", "rewrapped_at"])
        changed += 1
    return changed


def data_key_destroy(*, data_key: DataKey) -> None:
    """Crypto-shred: forget the data key, leaving the row as a marker of what it sealed."""
    data_key.wrapped = b""
    data_key.destroyed_at = timezone.now()
    data_key.patient = None
    data_key.save(update_fields=["wrapped", "destroyed_at", "patient"])
    data_key._plain = None  # type: ignore[attr-defined]


def blind_index(purpose: str, value: str) -> str:
    """A keyed hash for equality filters on an encrypted column, e.g. the queue's cancer filter."""
    key = settings.ONCOROUTE_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()
