"""Configuration: one class per environment, picked by name; secrets only from the environment.

Every setting can be overridden by an environment variable of the same name, so a second
partnership can run the product with its own `content/` folder and a few variables.
"""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))
# `make run` and `make dev` write the address they serve on here, so that commands run later
# from another shell (`flask invites issue …`) print links to the port the site really uses.
SERVED_URL_FILE = INSTANCE_DIR / "served-url"
DEFAULT_LOCAL_URL = "http://127.0.0.1:8000"
ENVIRONMENTS = ("development", "testing", "production")


def database_url(raw: str | None) -> str:
    """Normalise DATABASE_URL: plain `postgresql://` URLs use the psycopg 3 driver."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'safer-together.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def development_secret_key() -> str:
    """A random key made once per checkout and kept under instance/, never a default."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def local_site_url() -> str:
    """Where a developer's site is served: the address `make run`/`make dev` last used."""
    try:
        recorded = SERVED_URL_FILE.read_text().strip()
    except OSError:
        recorded = ""
    return recorded or DEFAULT_LOCAL_URL


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Config:
    NAME = "base"
    DEBUG = False
    TESTING = False
    PRODUCTION = False

    SITE_NAME = os.environ.get("SITE_NAME", "Harborough District Community Safety Partnership")
    SITE_URL = os.environ.get("SITE_URL") or local_site_url()
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "content"))

    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Stated, not left to Flask-Limiter: its default is whatever the last app in the process chose.
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "fixed-window"
    # Number of proxies in front of the app that append to X-Forwarded-For (0: none).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # The proxies' own addresses (or networks): only their X-Forwarded-* headers are believed.
    TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()]

    # Werkzeug's default is unlimited: a survey answer is a few KB, so 1 MB is generous.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    MAX_FORM_PARTS = 1000

    # A slow respondent's form still posts after the token's time limit: the survey
    # journey catches the CSRF error and keeps the answers (see surveys).
    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_SSL_STRICT = True

    SESSION_COOKIE_NAME = "st_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    HSTS = False
    TRUSTED_HOSTS: list[str] | None = None

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    """A developer's machine: a generated secret key, no HTTPS. `make dev` adds --debug."""

    NAME = "development"


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SITE_URL = os.environ.get("SITE_URL") or DEFAULT_LOCAL_URL
    SECRET_KEY = "testing-only-key-never-used-anywhere-else-0123456789abcdef"
    RATELIMIT_STORAGE_URI = "memory://"
    # Staff password hashing made cheap for test speed only; production uses the OWASP minimum
    # (app/staff/auth/passwords.py) and refuses to start below it.
    STAFF_ARGON2 = {"memory_cost": 1024, "time_cost": 1, "parallelism": 1}


class ProductionConfig(Config):
    NAME = "production"
    PRODUCTION = True
    SITE_URL = os.environ.get("SITE_URL", "")
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None


CONFIGS = {c.NAME: c for c in (DevelopmentConfig, TestingConfig, ProductionConfig)}


class UnknownEnvironment(RuntimeError):
    """APP_ENV names no environment: refusing beats guessing which rules apply."""


def config_name_from_env() -> str:
    """The one rule: APP_ENV names the environment; unset means development.

    The same rule holds for gunicorn, every `flask` command and every make target. A
    deployment says `APP_ENV=production`; should it forget, development refuses to run with
    a public SITE_URL (see `development_problems`), so a live site never runs with
    development settings by accident.
    """
    name = os.environ.get("APP_ENV", "").strip() or "development"
    if name not in ENVIRONMENTS:
        raise UnknownEnvironment(f"APP_ENV is '{name}': set it to one of {', '.join(ENVIRONMENTS)}.")
    return name


def development_problems(config: dict) -> list[str]:
    """Reasons a development configuration must not run: it looks like a public deployment."""
    if is_loopback_url(config.get("SITE_URL") or DEFAULT_LOCAL_URL):
        return []
    return [
        f"SITE_URL is {config['SITE_URL']}, a public address, but APP_ENV is not 'production': "
        "a public site must run with APP_ENV=production (development settings are not safe there)."
    ]


def site_url_problems(config: dict) -> list[str]:
    """Invitation links, the feed, the sitemap and canonical links are all built from SITE_URL."""
    url = config.get("SITE_URL") or ""
    if not url:
        return ["SITE_URL is not set: set it to the site's public address, e.g. https://safer.example.org."]
    if urlsplit(url).scheme != "https" or not urlsplit(url).hostname:
        return [f"SITE_URL is {url}: it must be the site's public https:// address."]
    if is_loopback_url(url):
        return [f"SITE_URL is {url}, an address of this machine: invitation links and the feed would point nowhere."]
    return []


def deploy_problems(config: dict) -> list[str]:
    """Reasons a production configuration is unsafe, modelled on Django's `check --deploy`."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if not key:
        problems.append(
            "SECRET_KEY is not set: set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    elif len(key) < 50 or len(set(key)) < 5:
        problems.append("SECRET_KEY is too weak: use at least 50 characters with at least 5 different characters.")
    if config.get("DEBUG"):
        problems.append("DEBUG is on: the debugger must never run in production.")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off: the session cookie would travel over plain HTTP.")
    if not config.get("SESSION_COOKIE_HTTPONLY"):
        problems.append("SESSION_COOKIE_HTTPONLY is off: scripts could read the session cookie.")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE must be Lax or Strict.")
    if not config.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS is not set: list the site's host names, comma-separated.")
    elif any(not h or "*" in h for h in config["TRUSTED_HOSTS"]):
        problems.append("TRUSTED_HOSTS has a wildcard or an empty name: list the exact host names.")
    if not config.get("HSTS"):
        problems.append("HSTS is off: browsers must be told to use HTTPS only.")
    if config.get("WTF_CSRF_ENABLED") is False:
        problems.append("WTF_CSRF_ENABLED is off: every form needs CSRF protection.")
    problems += site_url_problems(config)
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append(
            "RATELIMIT_STORAGE_URI is in memory: each gunicorn worker would count on its own; "
            "set it to the Redis server (redis://127.0.0.1:6379/0)."
        )
    problems += email_problems(config)
    problems += proxy_problems(config)
    return problems


def email_problems(config: dict) -> list[str]:
    """Email must be fully set up (SMTP_HOST, MAIL_FROM, …) or not set up at all."""
    from app.mail.mail_settings import problems

    return problems(config)


def proxy_problems(config: dict) -> list[str]:
    """PROXY_COUNT > 0 only with the proxies named: TRUSTED_PROXIES, specific addresses."""
    if not config.get("PROXY_COUNT"):
        return []
    trusted = config.get("TRUSTED_PROXIES") or []
    if not trusted:
        return [
            "PROXY_COUNT is set but TRUSTED_PROXIES is empty: name the proxy's address "
            "(127.0.0.1 when nginx runs on the same host, as in deploy/)."
        ]
    try:
        from app.delivery.proxies import networks

        found = networks(trusted)
    except ValueError:
        return ["TRUSTED_PROXIES must be IP addresses or networks, comma-separated."]
    if any(n.num_addresses > 256 for n in found):
        return ["TRUSTED_PROXIES names a network larger than 256 addresses: name the proxies themselves."]
    return []
