"""Factories that build consistent people and cases through the real services."""

from __future__ import annotations

import uuid
from typing import Any

import factory

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import user_create
from oncoroute.cases.models import Case
from oncoroute.cases.services import CaseRequest, case_submit

PASSWORD = "a-long-test-password-1"


def person(role: Role, email: str, **names: str) -> User:
    return user_create(email=email, role=role, password=PASSWORD, **names)


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
