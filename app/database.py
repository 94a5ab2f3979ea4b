"""Per-connection database settings.

SQLite is the embedded default: WAL lets readers run beside one writer, a busy timeout makes a
second writer wait instead of failing, synchronous=FULL keeps every acknowledged commit
through a power cut. PostgreSQL needs none of this.

Transactions on SQLite begin lazily and the first statement decides their kind:

- one that only reads runs in a deferred transaction: a consistent snapshot under WAL that
  never takes the write lock, so a long export never holds up respondents;
- one that writes (or takes a savepoint, or selects FOR UPDATE) runs under BEGIN IMMEDIATE, so
  two writers queue on the busy timeout instead of deadlocking ("database is locked").

A transaction that read first and then writes is restarted as BEGIN IMMEDIATE before its first
write. SQLite will not wait for the lock when a read transaction tries to upgrade, so this is
what keeps writers queueing. What was read earlier may then be older than the write's snapshot,
which is exactly PostgreSQL's READ COMMITTED: the code already has to be right under it, and
relies on constraints and FOR UPDATE rather than on reads staying true.
"""

from __future__ import annotations

import os
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
STATE = "sqlite_transaction"  # key in Connection.info: "pending", "read" or "write"
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT|REINDEX|VACUUM)\b", re.IGNORECASE)
_NEUTRAL = re.compile(r"\s*PRAGMA\b", re.IGNORECASE)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _writes(statement: str, context: Any) -> bool:
    if _WRITES.match(statement):
        return True
    compiled = getattr(context, "compiled", None)
    # The SQLite dialect drops FOR UPDATE from the SQL; the intent is still on the statement.
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def _private_file(engine: Engine) -> None:
    """The SQLite file holds TOTP secrets and answers: readable by its owner only, whatever the
    umask. SQLite gives its -wal and -shm files the same permissions as the database file."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        for name in (path, f"{path}-wal", f"{path}-shm"):
            if os.path.exists(name) and os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
    except OSError:
        pass  # a missing folder or a read-only file: SQLite says so when it connects


def configure_engine(engine: Engine) -> None:
    if not is_sqlite(engine):
        return
    _private_file(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info[STATE] = "pending"

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Connection) -> None:
        connection.info.pop(STATE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(
        connection: Connection, cursor: Any, statement: str, _parameters: Any, context: Any, _executemany: bool
    ) -> None:
        state = connection.info.get(STATE)
        if state is None or state == "write" or _NEUTRAL.match(statement):
            return
        writes = _writes(statement, context)
        if state == "pending":
            cursor.execute("BEGIN IMMEDIATE" if writes else "BEGIN")
            connection.info[STATE] = "write" if writes else "read"
        elif writes:
            # Nothing has been written yet, so ending the read transaction loses nothing.
            cursor.execute("ROLLBACK")
            cursor.execute("BEGIN IMMEDIATE")
            connection.info[STATE] = "write"
