"""Personas shared by the tests.

- patient: sent a request, owns `patient_case`.
- other_patient: owns `other_case`; must never see `patient_case`.
- coordinator: works every case from the queue.
- clinic_doctor: a partner doctor; sees no case until one is shared (later issues).

Staff personas have a TOTP authenticator (tests.factories.TOTP_SECRET), as staff must.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import email_verify
from oncoroute.clinics.selectors import forget_prepared_directory
from oncoroute.config.catalogues import catalogues_compile
from tests.factories import PASSWORD, person, submitted_case


def pytest_configure(config: pytest.Config) -> None:
    # The Russian pages read the compiled catalogue: remade here when its .po is newer.
    catalogues_compile()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is right for production and needlessly slow for hundreds of test sign-ins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _password_chosen(user: Any) -> Any:
    """As after following the set-password link of the request email: which verifies the email."""
    user.set_password(PASSWORD)
    user.save()
    email_verify(user=user)
    return user


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Sign-in rate limits and used TOTP codes live in the cache, and the directory prepared for
    # matching in the process: no test inherits another's.
    cache.clear()
    forget_prepared_directory()


@pytest.fixture(autouse=True)
def _no_language_left_over() -> Iterator[None]:
    # A request activates its reader's language in the thread and leaves it there: no later
    # test may inherit it.
    yield
    translation.deactivate()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def coordinator(db: None) -> Any:
    return person(Role.COORDINATOR, "coordinator@test.example", first_name="Cora")


@pytest.fixture
def clinic_doctor(db: None) -> Any:
    return person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")


@pytest.fixture
def patient_case(db: None) -> Any:
    return submitted_case(email="patient@test.example", full_name="Pat Ient")


@pytest.fixture
def patient(patient_case: Any) -> Any:
    return _password_chosen(patient_case.patient)


@pytest.fixture
def other_case(db: None) -> Any:
    return submitted_case(email="other@test.example", full_name="Otto Ther", address="203.0.113.9")


@pytest.fixture
def other_patient(other_case: Any) -> Any:
    return _password_chosen(other_case.patient)
