"""Seal the SINS band of every case with its data key; back to plain text when reversed.

Reads and writes raw column values: the historical model's encrypted field expects tokens.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations

import oncoroute.privacy.fields
from oncoroute.privacy import crypto
from oncoroute.privacy.keys import master_keys

AAD = "cases.case.sins_band"


def _data_keys(cursor: Any) -> dict[int, bytes]:
    """Every live data key, unwrapped with the master keys of the environment."""
    cursor.execute(
        "SELECT id, uid, master_key_id, wrapped FROM privacy_datakey WHERE destroyed_at IS NULL"
    )
    masters = master_keys()
    keys = {}
    for key_id, uid, kid, wrapped in cursor.fetchall():
        # SQLite returns the UUID as 32 hex digits; keys.py seals with the dashed form.
        aad = f"datakey|{uuid.UUID(str(uid))}".encode()
        keys[key_id] = crypto.unseal(masters[kid], bytes(wrapped), aad)
    return keys


def _rewrite(schema_editor: Any, change: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        keys = _data_keys(cursor)
        cursor.execute("SELECT id, data_key_id, sins_band FROM cases_case")
        for case_id, key_id, value in cursor.fetchall():
            if key_id in keys and (new := change(keys[key_id], key_id, value or "")) != value:
                cursor.execute("UPDATE cases_case SET sins_band = %s WHERE id = %s", [new, case_id])


def seal(apps: Any, schema_editor: Any) -> None:
    def sealed(key: bytes, key_id: int, value: str) -> str:
        if value.startswith(f"{crypto.TOKEN_VERSION}:"):
            return value
        return crypto.token_seal(key, key_id, value, AAD)

    _rewrite(schema_editor, sealed)


def open_(apps: Any, schema_editor: Any) -> None:
    def opened(key: bytes, key_id: int, value: str) -> str:
        if not value.startswith(f"{crypto.TOKEN_VERSION}:"):
            return value
        return crypto.token_unseal(key, value, AAD)

    _rewrite(schema_editor, opened)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_add_rate_limit_and_link_events"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="sins_band",
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=32),
        ),
        migrations.RunPython(seal, open_),
    ]
