"""Which environment the app runs in: one rule (APP_ENV; unset means development), the same for
gunicorn, `flask` commands and make targets, with development refusing to serve a public site."""

import pytest

from app import UnsafeConfiguration, config, create_app


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "development"),
        ("", "development"),
        ("development", "development"),
        ("testing", "testing"),
        ("production", "production"),
    ],
)
def test_app_env_names_the_environment_and_unset_means_development(monkeypatch, value, expected):
    monkeypatch.delenv("FLASK_ENV", raising=False)
    if value is None:
        monkeypatch.delenv("APP_ENV", raising=False)
    else:
        monkeypatch.setenv("APP_ENV", value)
    assert config.config_name_from_env() == expected


def test_a_misspelt_app_env_is_refused_rather_than_guessed(monkeypatch):
    monkeypatch.setenv("APP_ENV", "prod")
    with pytest.raises(config.UnknownEnvironment, match="APP_ENV is 'prod'"):
        config.config_name_from_env()


def test_development_refuses_a_public_site_url(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration, match="APP_ENV=production"):
        create_app(
            "development",
            SITE_URL="https://safer.example.org",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}",
        )


def test_development_starts_on_a_local_address_with_nothing_set(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app(
        "development", SITE_URL="http://127.0.0.1:8123", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}"
    )
    assert not app.config["PRODUCTION"] and app.config["SECRET_KEY"]


def test_the_local_site_url_is_the_address_make_run_last_served(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "SERVED_URL_FILE", tmp_path / "served-url")
    assert config.local_site_url() == "http://127.0.0.1:8000"
    (tmp_path / "served-url").write_text("http://127.0.0.1:8123\n")
    assert config.local_site_url() == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "url, loopback",
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:5000", True),
        ("http://[::1]/", True),
        ("http://127.9.9.9", True),
        ("https://safer.example.org", False),
        ("https://10.0.0.5", False),
    ],
)
def test_loopback_addresses_are_recognised(url, loopback):
    assert config.is_loopback_url(url) is loopback
