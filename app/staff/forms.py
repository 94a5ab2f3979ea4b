"""Staff forms. Messages are instructions ("Enter…"), shown beside the field and in the summary."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from app.staff.auth.passwords import MAX_LENGTH, password_problem

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class LoginForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254, message="Enter a shorter email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=MAX_LENGTH, message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="The 6-digit code shown in the app, for example 123456",
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class NewPasswordMixin:
    def validate_new_password(self, field):
        problem = password_problem(field.data or "", getattr(self, "_email", None))
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field):
        if field.data != self.new_password.data:
            raise ValidationError("Enter the same new password twice")


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 8 characters. A few unrelated words make a strong password that is easy to remember.",
        validators=[DataRequired("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password", widget=GovPasswordInput(), validators=[DataRequired("Enter the new password again")]
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class NewStaffForm(NewPasswordMixin, FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter an email address"),
            Regexp(EMAIL_PATTERN, message="Enter an email address in the correct format, like name@example.org"),
            Length(max=254, message="Enter a shorter email address"),
        ],
    )
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("analyst", "Analyst: can see results and export them"),
            SelectChoice("admin", "Admin: can also manage staff, invitations, rounds, publishing and deletions"),
        ],
        default="analyst",
        validators=[InputRequired("Select a role")],
    )
    new_password = PasswordField(
        "Temporary password",
        widget=GovPasswordInput(),
        description="Give it to them in person or by phone. They must change it when they first sign in.",
        validators=[DataRequired("Enter a temporary password")],
    )
    confirm_password = PasswordField(
        "Confirm temporary password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter the temporary password again")],
    )
    submit = SubmitField("Add staff member", widget=GovSubmitInput())


class CommentaryForm(FlaskForm):
    commentary = TextAreaField(
        "What the partnership will do",
        widget=GovTextArea(),
        description="Write in Markdown: a blank line between paragraphs, ## for a heading, - for a list item.",
        validators=[Length(max=20000, message="Commentary must be 20,000 characters or fewer")],
    )
    save = SubmitField("Save draft", widget=GovSubmitInput())
    preview = SubmitField("Preview before publishing", widget=GovSubmitInput())

    def validate_commentary(self, field) -> None:
        # A draft may be empty; a page going public must say what the partnership will do.
        if self.preview.data and not (field.data or "").strip():
            raise ValidationError("Enter what the partnership will do before previewing the page")


class ConfirmPublishForm(FlaskForm):
    """The last step: what was previewed (`version`) goes public, once."""

    version = StringField(widget=HiddenInput())
    while_open = BooleanField("Publish interim results while the survey is still open", widget=GovCheckboxInput())
    publish = SubmitField("Publish this page", widget=GovSubmitInput())


class ThemeForm(FlaskForm):
    theme = StringField(
        "Add a theme",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=80, message="Theme must be 80 characters or fewer")],
    )
    personal = BooleanField("Contains personal information", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


class FindResponseForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    reference = StringField(
        "Reference number",
        widget=GovTextInput(),
        description="As shown to the respondent when they sent their answers",
        validators=[DataRequired("Enter a reference number"), Length(max=40, message="Enter a reference number")],
    )
    submit = SubmitField("Find response", widget=GovSubmitInput())


class CouncillorFields(FlaskForm):
    """Who a district councillor is: shared by the invitation link and invitation email forms."""

    councillor = StringField(
        "District councillor's name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the councillor's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    ward = StringField(
        "Ward",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the ward"), Length(max=200, message="Ward must be 200 characters or fewer")],
    )


class CouncillorInvitationForm(CouncillorFields):
    output = RadioField(
        "How do you want the new link?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("page", "Show it on screen"),
            SelectChoice("csv", "Download a CSV file for a mail merge"),
        ],
        default="page",
    )
    submit = SubmitField("Create invitation link", widget=GovSubmitInput())


class ParishInvitationForm(FlaskForm):
    parish = SelectField("Parish", widget=GovSelect(), validators=[DataRequired("Select a parish")])
    output = RadioField(
        "How do you want the new link?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("page", "Show it on screen"),
            SelectChoice("csv", "Download a CSV file for a mail merge"),
        ],
        default="page",
    )
    submit = SubmitField("Create invitation link", widget=GovSubmitInput())


class AllParishesInvitationForm(FlaskForm):
    replace = BooleanField("Also replace links already sent (the old links stop working)", widget=GovCheckboxInput())
    output = RadioField(
        "How do you want the new links?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("csv", "Download a CSV file for a mail merge"),
            SelectChoice("page", "Show them on screen"),
        ],
        default="csv",
    )
    submit = SubmitField("Create links for every parish", widget=GovSubmitInput())
