"""Forms of the staff email actions: invitations by email, reminders, retries."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from app.mail.mail_settings import is_address
from app.staff.forms import CouncillorFields


def _address(form: FlaskForm, field: StringField) -> None:
    if field.data and not is_address(field.data):
        raise ValidationError("Enter an email address in the correct format, like name@example.org")


class EmailAllParishesForm(FlaskForm):
    replace = BooleanField(
        "Also send to parishes already emailed (their old link stops working)", widget=GovCheckboxInput()
    )
    confirmed = HiddenField()
    submit = SubmitField("Email every parish", widget=GovSubmitInput())


class EmailParishForm(FlaskForm):
    parish = SelectField("Parish", widget=GovSelect(), validators=[DataRequired("Select a parish")])
    confirmed = HiddenField()
    submit = SubmitField("Email this parish", widget=GovSubmitInput())


class EmailCouncillorForm(CouncillorFields):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the councillor's email address"), _address],
    )
    confirmed = HiddenField()
    submit = SubmitField("Email this councillor", widget=GovSubmitInput())


class RemindForm(FlaskForm):
    insist = BooleanField("Also remind councils reminded in the last 3 days", widget=GovCheckboxInput())
    confirmed = HiddenField()
    submit = SubmitField("Remind councils that have not answered", widget=GovSubmitInput())
