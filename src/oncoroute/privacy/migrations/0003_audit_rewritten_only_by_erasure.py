"""Erasure may pseudonymise who and from where in the audit trail; nothing else may change it.

Inside ``privacy.audit.audit_rewritable()`` (a session setting on PostgreSQL, a per-connection
function on SQLite) an UPDATE may change ``actor_id``, ``address``, ``object_id`` and ``detail``;
the row's id, time, action, object type, outcome, role and request id never change, and outside
that block no UPDATE passes at all. Deletes stay as ``0002`` made them.
"""

from __future__ import annotations

from importlib import import_module

from django.db import migrations

previous = import_module("oncoroute.privacy.migrations.0002_audit_append_only")

FIXED = "id, at, action, object_type, outcome, actor_role, request_id"

SQLITE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    f"""CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE OF {FIXED}
    ON privacy_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER privacy_auditevent_no_rewrite BEFORE UPDATE ON privacy_auditevent
    WHEN NOT oncoroute_audit_rewrite()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_rewrite",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    previous.SQLITE[0],
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND coalesce(current_setting('oncoroute.audit_unlocked', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE'
           AND coalesce(current_setting('oncoroute.audit_rewrite', true), '') = 'on'
           AND ROW(NEW.{FIXED.replace(", ", ", NEW.")})
               IS NOT DISTINCT FROM ROW(OLD.{FIXED.replace(", ", ", OLD.")}) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql""",
]
POSTGRES_REVERSE = [previous.POSTGRES[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
