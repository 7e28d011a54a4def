"""Seal the health data of cases stored before encryption, and index their primary cancer.

Reads and writes raw column values: the historical models' encrypted fields expect tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import migrations

from oncoroute.privacy import crypto
from oncoroute.privacy.keys import current_master_key_id, master_keys

CASE_TEXT = ["primary_cancer", "primary_cancer_other", "current_treatment", "past_treatment", "message"]
CASE_JSON = ["spine_regions", "symptoms", "wants"]


def _data_key(DataKey: Any, patient_id: int | None, by_patient: dict[int, Any]) -> Any:
    if patient_id is not None and patient_id in by_patient:
        return by_patient[patient_id]
    kid = current_master_key_id()
    plain = crypto.new_key()
    uid = uuid.uuid4()
    wrapped = crypto.seal(master_keys()[kid], plain, f"datakey|{uid}".encode())
    row = DataKey.objects.create(uid=uid, patient_id=patient_id, master_key_id=kid, wrapped=wrapped)
    key = (row.pk, plain)
    if patient_id is not None:
        by_patient[patient_id] = key
    return key


def _json_text(value: Any) -> str:
    loaded = json.loads(value) if isinstance(value, str) else value
    return json.dumps(loaded, ensure_ascii=False, sort_keys=True)


def _index(value: str) -> str:
    key = settings.ONCOROUTE_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"primary_cancer|{value}".encode(), hashlib.sha256).hexdigest()


# The SQL below is built only from this module's table and column names; every value is a
# query parameter (hence the bandit B608 exemptions).
def encrypt_rows(apps: Any, schema_editor: Any) -> None:
    DataKey = apps.get_model("privacy", "DataKey")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    # DataKey is new in this release: no patient has a key before this migration makes one.
    by_patient: dict[int, tuple[int, bytes]] = {}
    keys: dict[int, tuple[int, bytes]] = {}
    with connection.cursor() as cursor:
        columns = ", ".join(quote(c) for c in ["id", "patient_id", *CASE_TEXT, *CASE_JSON])
        cursor.execute(f"SELECT {columns} FROM cases_case WHERE data_key_id IS NULL")  # nosec B608
        for row in cursor.fetchall():
            case_id, patient_id, *values = row
            key_id, plain = _data_key(DataKey, patient_id, by_patient)
            keys[case_id] = (key_id, plain)
            sealed = [
                crypto.token_seal(plain, key_id, value or "", f"cases.case.{name}")
                for name, value in zip(CASE_TEXT, values[: len(CASE_TEXT)], strict=True)
            ] + [
                crypto.token_seal(plain, key_id, _json_text(value or "[]"), f"cases.case.{name}")
                for name, value in zip(CASE_JSON, values[len(CASE_TEXT) :], strict=True)
            ]
            assignments = ", ".join(
                f"{quote(c)} = %s" for c in [*CASE_TEXT, *CASE_JSON, "primary_cancer_index", "data_key_id"]
            )
            cursor.execute(
                f"UPDATE cases_case SET {assignments} WHERE id = %s",  # nosec B608
                [*sealed, _index(values[0]), key_id, case_id],
            )
        _seal_children(cursor, keys, "cases_caseevent", ["data"], "cases.caseevent")
        _seal_children(cursor, keys, "cases_triagesnapshot", ["findings", "report"], "cases.triagesnapshot")


def _seal_children(cursor: Any, keys: dict[int, Any], table: str, fields: list[str], label: str) -> None:
    if not keys:
        return
    columns = ", ".join(["id", "case_id", *fields])
    cursor.execute(f"SELECT {columns} FROM {table}")  # nosec B608
    for row_id, case_id, *values in cursor.fetchall():
        if case_id not in keys or any(str(v).startswith("v1:") for v in values):
            continue
        key_id, plain = keys[case_id]
        sealed = [
            crypto.token_seal(plain, key_id, _json_text(value if value is not None else "{}"), f"{label}.{name}")
            for name, value in zip(fields, values, strict=True)
        ]
        assignments = ", ".join(f"{name} = %s" for name in fields)
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*sealed, row_id])  # nosec B608


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_encrypt_health_data_consent_purposes_shares"),
        ("privacy", "0001_initial"),
    ]

    operations = [migrations.RunPython(encrypt_rows, migrations.RunPython.noop)]
