"""Seal file names, refusals and the study index's descriptions, dates and body parts.

The columns become sealed text, then the values stored before are sealed with their case's data
key (file names cleaned of control and bidirectional characters on the way). Reads and writes
raw column values: the historical models' encrypted fields expect tokens.
"""

from datetime import date
from typing import Any

import oncoroute.privacy.fields
from django.db import migrations

from oncoroute.privacy import crypto
from oncoroute.privacy.keys import unwrap
from oncoroute.records.content import clean_filename

_CASE = "JOIN cases_case c ON c.id = t.case_id"
# table, model, sealed columns, how a row reaches its case.
SEALED = [
    ("records_upload", "upload", ["filename", "error"], _CASE),
    ("records_document", "document", ["original_name"], _CASE),
    ("records_study", "study", ["study_date", "description", "modalities", "body_parts"], _CASE),
    (
        "records_series",
        "series",
        ["series_date", "description", "modality", "body_part"],
        "JOIN records_study s ON s.id = t.study_id JOIN cases_case c ON c.id = s.case_id",
    ),
]
FILE_NAMES = {"filename", "original_name"}


def _plain(column: str, value: Any) -> str:
    text = value.isoformat() if isinstance(value, date) else str(value)
    return clean_filename(text) if column in FILE_NAMES else text


def _converted(seal: bool, key: bytes, key_id: int, aad: str, column: str, value: Any) -> str | None:
    if value is None:
        return None
    if seal:
        return crypto.token_seal(key, key_id, _plain(column, value), aad)
    return crypto.token_unseal(key, value, aad)


def _rewrite(apps: Any, schema_editor: Any, seal: bool) -> None:
    DataKey = apps.get_model("privacy", "DataKey")
    keys: dict[int, bytes] = {}
    with schema_editor.connection.cursor() as cursor:
        for table, model, columns, join in SEALED:
            # Built from this module's names only; every value is a parameter.
            selected = ", ".join(f"t.{column}" for column in columns)
            cursor.execute(f"SELECT t.id, c.data_key_id, {selected} FROM {table} t {join}")  # nosec B608
            for row_id, key_id, *values in cursor.fetchall():
                if key_id not in keys:
                    keys[key_id] = unwrap(DataKey.objects.get(pk=key_id))
                new = [
                    _converted(seal, keys[key_id], key_id, f"records.{model}.{column}", column, value)
                    for column, value in zip(columns, values, strict=True)
                ]
                assignments = ", ".join(f"{column} = %s" for column in columns)
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*new, row_id])  # nosec B608


def seal_rows(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, schema_editor, seal=True)


def open_rows(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, schema_editor, seal=False)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0002_series_preview_state'),
        ('cases', '0006_encrypt_existing_rows'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='study',
            options={'ordering': ['-created_at', '-pk']},
        ),
        migrations.AlterField(
            model_name='document',
            name='original_name',
            field=oncoroute.privacy.fields.EncryptedTextField(max_length=255),
        ),
        migrations.AlterField(
            model_name='series',
            name='body_part',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='series',
            name='description',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='series',
            name='modality',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=16),
        ),
        migrations.AlterField(
            model_name='series',
            name='series_date',
            field=oncoroute.privacy.fields.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='study',
            name='body_parts',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='study',
            name='description',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='study',
            name='modalities',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='study',
            name='study_date',
            field=oncoroute.privacy.fields.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='upload',
            name='error',
            field=oncoroute.privacy.fields.EncryptedTextField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name='upload',
            name='filename',
            field=oncoroute.privacy.fields.EncryptedTextField(max_length=255),
        ),
        migrations.RunPython(seal_rows, open_rows),
    ]
