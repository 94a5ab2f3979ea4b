"""Imports every feature's models so the app, the tests and migrations see one schema."""

from app.mail.models import *  # noqa: F401,F403
from app.staff.models import *  # noqa: F401,F403
from app.surveys.models import *  # noqa: F401,F403
