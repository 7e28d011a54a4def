"""A clinic's API tokens: `create` one (the token is printed once, on the last line), `list` a
clinic's, `revoke` one by its id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncoroute.clinics.models import Clinic
from oncoroute.referrals.models import ClinicApiToken
from oncoroute.referrals.tokens import SCHEME, token_create, token_revoke


def _when(moment: datetime | None, otherwise: str) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else otherwise


def _clinic(slug: str) -> Clinic:
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None:
        raise CommandError(f"No clinic has the slug {slug!r}.")
    return clinic


class Command(BaseCommand):
    help = (
        "Clinic API tokens for a clinic's own system: create (shown once), list, revoke. "
        "A token reads and answers only its clinic's referrals (/api/docs, 'clinic referrals')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token; it is printed once")
        create.add_argument("--clinic", required=True, metavar="SLUG")
        create.add_argument("--name", required=True, help="which system holds it, e.g. 'EHR'")
        create.add_argument(
            "--days", type=int, help="valid for this many days (else until revoked)"
        )
        listing = actions.add_parser("list", help="a clinic's tokens, without their secrets")
        listing.add_argument("--clinic", required=True, metavar="SLUG")
        revoke = actions.add_parser("revoke", help="a token opens nothing from now on")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        clinic = _clinic(options["clinic"])
        try:
            issued = token_create(
                clinic=clinic, name=options["name"], actor=None, days=options["days"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        row = issued.row
        self.stdout.write(
            f"Token {row.pk} ({SCHEME}{row.prefix}…) of {clinic.name}, “{row.name}”, valid "
            f"until {_when(row.expires_at, 'revoked')}.\n"
            "Give it to the clinic's system now over a safe channel: it is shown only this once."
        )
        self.stdout.write(issued.token)

    def _list(self, options: dict[str, Any]) -> None:
        clinic = _clinic(options["clinic"])
        rows = ClinicApiToken.objects.filter(clinic=clinic)
        if not rows:
            self.stdout.write(f"{clinic.name} has no API token.")
            return
        for row in rows:
            state = "active" if row.is_usable() else "revoked" if row.revoked_at else "expired"
            self.stdout.write(
                f"{row.pk}\t{SCHEME}{row.prefix}…\t{state}\t{row.name}\t"
                f"made {_when(row.created_at, '')}\t"
                f"expires {_when(row.expires_at, 'never')}\t"
                f"revoked {_when(row.revoked_at, '-')}\t"
                f"last used {_when(row.last_used_at, 'never')}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        row = ClinicApiToken.objects.select_related("clinic").filter(pk=options["id"]).first()
        if row is None:
            raise CommandError(f"No API token has the id {options['id']}.")
        row = token_revoke(token=row, actor=None)
        self.stdout.write(
            f"Token {row.pk} ({SCHEME}{row.prefix}…) of {row.clinic.name} is revoked since "
            f"{_when(row.revoked_at, '')}."
        )
