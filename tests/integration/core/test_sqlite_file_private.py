"""The SQLite file (answers, staff accounts, two-factor secrets) is readable by its owner only."""

import os
import stat

from sqlalchemy import text

from app import create_app
from app.extensions import db


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_file_and_its_journal_are_private_whatever_the_umask(tmp_path):
    path = tmp_path / "instance" / "safer-together.db"
    path.parent.mkdir()
    old = os.umask(0o022)
    try:
        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
            SECRET_KEY="k" * 64,
            SITE_URL="http://127.0.0.1:8000",
        )
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text("CREATE TABLE t (x INTEGER)"))
                conn.execute(text("INSERT INTO t VALUES (1)"))
            assert mode(path) == 0o600
            assert mode(f"{path}-wal") == 0o600
            db.engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_world_readable_file_is_made_private(tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.engine.dispose()
    assert mode(path) == 0o600
