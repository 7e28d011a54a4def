"""Per-clinic API tokens for the clinics' own systems: made (the token shown once), checked by
its hash in constant time, revoked.

A token reads `onc_<prefix>_<secret>`: the prefix (12 hex digits) finds the row and names the
token in lists; the secret is 32 random bytes (`secrets.token_urlsafe`). Only the SHA-256 of the
whole token is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.clinics.models import Clinic
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.referrals.models import ClinicApiToken

SCHEME = "onc_"
_SHAPE = re.compile(r"onc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
# Compared against when no row has the prefix, so that a miss costs what a wrong secret does.
_NO_DIGEST = hashlib.sha256(b"no such token").hexdigest()
# How stale `last_used_at` may get before a call writes it again.
USE_STAMP_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token's row and the token itself, which is never stored: show it once."""

    row: ClinicApiToken
    token: str


class TokenRefused(Exception):
    """A presented token that opens nothing; `reason` and `prefix` go to the audit trail."""

    def __init__(self, reason: str, prefix: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.prefix = prefix


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, clinic: Clinic, name: str, actor: User | None, days: int | None = None
) -> IssuedToken:
    """A new token for the clinic's system, valid `days` days (or until revoked)."""
    name = name.strip()
    if not name:
        raise ValueError("A token needs a name that says which system holds it.")
    if days is not None and days < 1:
        raise ValueError("A token must be valid for at least one day.")
    prefix = secrets.token_hex(6)
    while ClinicApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(6)  # pragma: no cover - one in 2**48
    token = f"{SCHEME}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    row = ClinicApiToken.objects.create(
        clinic=clinic,
        name=name[:80],
        prefix=prefix,
        secret_sha256=_digest(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    audit_record(actor=actor, action=Action.CREATE, obj=row, detail={"clinic": clinic.pk})
    return IssuedToken(row=row, token=token)


@transaction.atomic
def token_revoke(*, token: ClinicApiToken, actor: User | None) -> ClinicApiToken:
    """The token opens nothing from now on; revoking twice changes nothing."""
    token = ClinicApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=token,
            detail={"clinic": token.clinic_id, "revoked": True},
        )  # fmt: skip
    return token


def token_check(presented: str, *, now: datetime | None = None) -> ClinicApiToken:
    """The usable token row the presented token is, else `TokenRefused`."""
    shape = _SHAPE.fullmatch(presented)
    if shape is None:
        raise TokenRefused("malformed")
    prefix = shape.group(1)
    row = ClinicApiToken.objects.select_related("clinic").filter(prefix=prefix).first()
    stored = row.secret_sha256 if row is not None else _NO_DIGEST
    if not hmac.compare_digest(_digest(presented), stored) or row is None:
        raise TokenRefused("unknown", prefix)
    now = now or timezone.now()
    if row.revoked_at is not None:
        raise TokenRefused("revoked", prefix)
    if not row.is_usable(now):
        raise TokenRefused("expired", prefix)
    if row.last_used_at is None or row.last_used_at < now - USE_STAMP_EVERY:
        ClinicApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
