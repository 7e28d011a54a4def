"""Writes on accounts: groups for the roles and the accounts a request creates."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role


def roles_ensure() -> None:
    """Create one group per role; running it again changes nothing."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def user_create(
    *,
    email: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> User:
    """Create a person with one role; without a password they set one through an email link."""
    user = User(
        username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    return user


def patient_for_email(*, email: str, full_name: str) -> User:
    """The patient account for a request's email: the existing one, or a new one, password unset."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    first, _, last = full_name.partition(" ")
    return user_create(email=email, role=Role.PATIENT, first_name=first[:150], last_name=last[:150])
