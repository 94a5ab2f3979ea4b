"""Imports every feature's models so the app, the tests and migrations see one schema."""

from app.mail.mail_models import *  # noqa: F401,F403
from app.staff.staff_models import *  # noqa: F401,F403
from app.surveys.survey_models import *  # noqa: F401,F403
