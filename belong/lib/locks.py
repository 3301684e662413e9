"""Named locks across every process of an installation, for work that must run in one place at
a time: each scheduled job (two `make run` against one PostgreSQL, or cron beside them) and the
preparation `manage.py serve` does before it serves (migrations, seed content).

On PostgreSQL they are advisory locks held by the database session: released by the holder, or
by PostgreSQL when the holder's connection ends (a killed process never leaves one behind). A
connection pooler in transaction mode (PgBouncer) would break them: connect to PostgreSQL
directly. Other databases are SQLite here, on one machine, where the database file already
serialises every writer: there the lock is always granted."""

import hashlib
import logging
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)


def lock_id(name: str) -> int:
    """The signed 64-bit key PostgreSQL's advisory locks take, the same in every process."""
    digest = hashlib.blake2b(f"belong:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def held(name: str, *, wait: bool = True, using: str = DEFAULT_DB_ALIAS):
    """Hold the lock `name` for the block. Yields True when this process holds it; with
    `wait=False`, False at once when another process holds it (then skip the work)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_id(name)
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            granted = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            granted = bool(cursor.fetchone()[0])
    try:
        yield granted
    finally:
        if granted:
            _release(connection, key, name)


def _release(connection, key, name):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError as exc:
        # The session is gone or unusable: PostgreSQL freed its locks with it.
        log.warning("lock %s: not released explicitly (%s)", name, exc)
