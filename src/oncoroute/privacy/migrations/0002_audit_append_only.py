"""The audit table refuses UPDATE and DELETE in the database itself, whatever the client.

Deletes pass only inside ``privacy.audit.audit_unlocked()`` (the retention purge): a session
setting on PostgreSQL, a per-connection function on SQLite. TRUNCATE is left to the table's
owner, which the application's database role should not be in production.
"""

from __future__ import annotations

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER privacy_auditevent_no_update BEFORE UPDATE ON privacy_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER privacy_auditevent_no_delete BEFORE DELETE ON privacy_auditevent
    WHEN NOT oncoroute_audit_unlocked()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_update",
    "DROP TRIGGER IF EXISTS privacy_auditevent_no_delete",
]
POSTGRES = [
    """CREATE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND coalesce(current_setting('oncoroute.audit_unlocked', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER privacy_auditevent_append_only BEFORE UPDATE OR DELETE
    ON privacy_auditevent FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent",
    "DROP FUNCTION IF EXISTS privacy_auditevent_append_only()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
