"""A printed command run before the database is set up, or with the database down, says what to
do in one sentence instead of printing a traceback."""

from app import create_app

PASSWORD = "a-newcomers-long-passphrase-2026\n"


def test_a_command_before_migrations_says_to_run_db_upgrade(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    for args, stdin in (
        (["staff", "create", "new@example.org", "--admin"], PASSWORD),
        (["invites", "issue", "parish-councils-2026-27", "--parish", "Foxton"], None),
        (["samples", "remove"], None),
    ):
        result = app.test_cli_runner().invoke(args=args, input=stdin)
        assert result.exit_code == 1, result.output
        assert "flask db upgrade" in result.output and "Traceback" not in result.output


def test_a_database_server_that_is_down_is_named_not_dumped():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = app.test_cli_runner().invoke(args=["surveys", "purge-drafts"])
    assert result.exit_code == 1
    assert "check DATABASE_URL" in result.output and "Traceback" not in result.output
