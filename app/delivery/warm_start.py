"""Every template compiled as a gunicorn worker starts, before it takes a request.

Jinja compiles a template the first time it is rendered. With GOV.UK Frontend's macros that
costs about 170 ms for a survey page, once per page in each worker: without this, whoever comes
first after a restart or a worker recycle (gunicorn.conf.py) pays it, page after page. Compiling
all of them takes under a second of the worker's start-up instead.
"""

from __future__ import annotations

from flask import Flask


def compile_templates(app: Flask) -> int:
    """Compiles (and caches) every template the app can render; returns how many."""
    env = app.jinja_env
    names = env.list_templates(extensions=("html", "txt", "xml"))
    for name in names:
        env.get_template(name)
    return len(names)
