"""Factories that build consistent people and cases through the real services."""

from __future__ import annotations

import time
import uuid
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import user_create
from oncoroute.cases.models import Case
from oncoroute.cases.services import (
    CaseRequest,
    case_link_to_sender,
    case_submit,
    request_link_token,
)

PASSWORD = "a-long-test-password-1"


# Every staff persona's authenticator app holds this secret, so tests can type its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_ROLES = (Role.COORDINATOR, Role.CLINIC_DOCTOR, Role.ADMIN)


def person(role: Role, email: str, *, second_factor: bool | None = None, **names: str) -> User:
    """A person with a verified email; staff also have a TOTP authenticator, as they must."""
    user = user_create(email=email, role=role, password=PASSWORD, email_verified=True, **names)
    if role in STAFF_ROLES if second_factor is None else second_factor:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app with this secret shows at that moment (now by default)."""
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))


def totp_code_to_type(*, seconds_needed: float = 5) -> str:
    """The code to type in a browser, as a person would: if the one showing expires before it
    can be typed and sent, wait for the next (sign-in accepts only the current one)."""
    left = 30 - time.time() % 30
    if left < seconds_needed:
        time.sleep(left)
    return totp_code()


class CaseRequestFactory(factory.Factory):
    class Meta:
        model = CaseRequest

    submission_token = factory.LazyFunction(uuid.uuid4)
    full_name = factory.Sequence(lambda n: f"Test Patient {n}")
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = "+905321234567"
    country = "KZ"
    language = "en"
    writer_role = "patient"
    primary_cancer = "breast"
    spine_regions = factory.LazyFunction(lambda: ["thoracic"])
    symptoms = factory.LazyFunction(list)
    wants = factory.LazyFunction(lambda: ["online_consultation"])


def submitted_case(address: str = "198.51.100.7", **fields: Any) -> Case:
    case, _ = case_submit(request=CaseRequestFactory(**fields), source_address=address)
    return case


def confirmed_case(patient: User, address: str = "198.51.100.8", **fields: Any) -> Case:
    """Another request from a patient's address, added to their account by the emailed link."""
    case = submitted_case(address=address, email=patient.email, **fields)
    return case_link_to_sender(reference=case.reference, token=request_link_token(case))
