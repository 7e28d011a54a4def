"""Re-wrap every data key under the current master key (the first of ONCOROUTE_MASTER_KEYS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.privacy.keys import current_master_key_id, keys_rotate


class Command(BaseCommand):
    help = (
        "Re-wrap data keys under the current master key. Put the new key first in "
        "ONCOROUTE_MASTER_KEYS, keep the old ones after it, run this, then drop the old ones."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = keys_rotate()
        self.stdout.write(f"{changed} data key(s) now wrapped by {current_master_key_id()}.")
