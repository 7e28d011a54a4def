"""Moving the test database's schema to an earlier migration and back, for migration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str | None]


def migrate(targets: list[Target]) -> Any:
    """Migrate to `targets`; the apps (historical models) of the state the database is in."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def parents_in_app(migration: tuple[str, str]) -> list[Target]:
    """The migrations of the same app that `migration` follows: the state just before it."""
    parents = MigrationExecutor(connection).loader.graph.node_map[migration].parents
    return [node.key for node in parents if node.key[0] == migration[0]]


def latest_migrations() -> list[Target]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def migrate_to_latest() -> Any:
    return migrate(latest_migrations())


@contextmanager
def migrated_back(targets: list[Target]) -> Iterator[Any]:
    """The database at `targets` for the block; at the latest migrations again afterwards."""
    try:
        yield migrate(targets)
    finally:
        migrate_to_latest()
