"""Safer Together: the website and consultation platform of a Community Safety Partnership."""

import logging
import os

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from app import errors, logsafety, security, template_filters
from app.cli_support import ContentRefused
from app.config import (
    CONFIGS,
    INSTANCE_DIR,
    config_name_from_env,
    deploy_problems,
    development_problems,
    development_secret_key,
)
from app.content.store import ContentStore
from app.database import configure_engine
from app.delivery import compression, session_cookie, static_files
from app.delivery.canonical import CanonicalPaths, canonical_url
from app.delivery.proxies import TrustedProxyFix
from app.extensions import csrf, db, limiter, login_manager, migrate


class UnsafeConfiguration(RuntimeError):
    """Raised at start-up when production settings are unsafe; the message says why."""


def create_app(config_name: str | None = None, **overrides) -> Flask:
    name = config_name or config_name_from_env()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(CONFIGS[name])
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or app.config.get("SECRET_KEY")
    app.config.update(overrides)
    if not app.config["PRODUCTION"] and not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_secret_key()
    if app.config["PRODUCTION"]:
        problems = deploy_problems(app.config)
        if problems:
            raise UnsafeConfiguration("Refusing to start in production:\n- " + "\n- ".join(problems))
    elif name == "development":
        problems = development_problems(app.config)
        if problems:
            raise UnsafeConfiguration("Refusing to start in development:\n- " + "\n- ".join(problems))

    logsafety.install()
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    os.makedirs(app.instance_path, exist_ok=True)

    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["canonical_url"] = canonical_url
    WTFormsHelpers(app)

    from app import models  # noqa: F401  (registers every table)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    template_filters.init_app(app)

    # Each feature registers its own blueprint, models and commands.
    from app import mail, site, staff, surveys

    store = app.extensions["content"] = ContentStore(app.config["CONTENT_DIR"], reload=app.debug)
    for feature in (site, surveys, staff, mail):
        feature.init_app(app)
    problems = store.load()
    if problems:
        raise ContentRefused(problems, app.config["CONTENT_DIR"])
    if app.config["PRODUCTION"]:
        site.log_content_warnings(app)
    compression.init_app(app)
    session_cookie.init_app(app)
    static_files.init_app(app)
    app.wsgi_app = CanonicalPaths(app.wsgi_app, app.url_map, app.extensions["security_headers"].headers)
    # Outermost, so everything inside (the cached-pages layer too) sees the client's scheme and host.
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["PROXY_COUNT"], app.config["TRUSTED_PROXIES"])
    return app
