"""Writes on accounts: groups for the roles and the accounts a request creates."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
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
    email_verified: bool = False,
) -> User:
    """Create a person with one role; without a password they set one through an email link.

    The email is their sign-in; it counts as verified once they follow a link sent to it, or
    when whoever creates the account has checked it (staff, the demo). The username is an
    opaque id: every address the email field accepts must make an account, and many valid
    ones (`o'neil@…`, `x@[127.0.0.1]`, 200 characters) are not valid usernames."""
    user = User(
        username=new_username(),
        email=email.lower(),
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


def email_verify(*, user: User) -> None:
    """Mark the account's email as verified: its owner has shown they read that inbox."""
    if not user.email:
        return
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def new_username() -> str:
    """A username no address can break: people sign in by email, never by this."""
    return f"u-{uuid.uuid4().hex}"


def account_for_email(*, email: str) -> User | None:
    """Whoever holds this address, whatever their role."""
    return User.objects.filter(email__iexact=email).first()


def patient_create_for_request(*, email: str, full_name: str) -> User:
    """A new patient account for a request from an address no account holds; its password is
    chosen through the link emailed there, which also shows the sender reads that inbox."""
    first, _, last = full_name.partition(" ")
    return user_create(email=email, role=Role.PATIENT, first_name=first, last_name=last)
