"""Signing in (password, then a one-time code), signing out and changing a password."""

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value

from app import clock
from app.extensions import db, limiter
from app.staff.auth import accounts, audit, devices, sessions, totp
from app.staff.auth.access import requires, safe_next
from app.staff.auth.passwords import hash_password, verify_password
from app.staff.blueprint import bp
from app.staff.forms import ChangePasswordForm, CodeForm, LoginForm
from app.staff.staff_models import StaffUser

# Failed attempts only are counted, in fixed windows: an attacker can slow one account to
# 10 guesses per 15 minutes from unknown browsers. A browser that signed in before has its own
# allowance instead (app/staff/auth/devices.py), so the owner is never locked out by someone else.
ACCOUNT_LIMIT = "10 per 15 minutes"
IP_LIMIT = "30 per 15 minutes"
CODE_LIMIT = "5 per 5 minutes"
LOCKOUT_MINUTES = 15

_DUMMY_HASH = {}


def _argon2() -> dict:
    return current_app.config["STAFF_ARGON2"]


def _account_key() -> str:
    return "staff-login:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _pending_user_key() -> str:
    return "staff-code:" + str(getattr(current_user, "id", "") or get_remote_address())


def _failed(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def _dummy_verify(password: str) -> None:
    """Spend the same time on an unknown email as on a real one, so timing reveals nothing."""
    params = _argon2()
    key = tuple(sorted(params.items()))
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password("not-a-real-password-0000", params)
    verify_password(_DUMMY_HASH[key], password, params)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    IP_LIMIT,
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_failed,
    scope="staff-login-ip",
    exempt_when=devices.is_known_for_form,
)
@limiter.limit(
    ACCOUNT_LIMIT,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="staff-login-account",
    exempt_when=devices.is_known_for_form,
)
@limiter.limit(
    devices.DEVICE_LIMIT,
    key_func=devices.limit_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="staff-login-device",
    exempt_when=devices.is_unknown_for_form,
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    error_list = None
    if form.validate_on_submit():
        user = accounts.find(form.email.data)
        ok = False
        if user is None:
            _dummy_verify(form.password.data)
        else:
            ok, needs_rehash = verify_password(user.password_hash, form.password.data, _argon2())
            if ok and not user.active:
                ok = False
        if ok:
            if needs_rehash:
                user.password_hash = hash_password(form.password.data, _argon2())
            next_url = safe_next(request.args.get("next"))
            _begin_session(user, two_factor_passed=False)
            session["staff_next"] = next_url
            if not user.has_two_factor:
                # A set-up secret belongs to one set-up session: whoever signed in with this
                # temporary password before never sees the one used now.
                user.totp_secret = totp.new_secret()
            db.session.commit()
            return redirect(url_for(_pending_step(user)))
        g.sign_in_failed = True
        audit.record(
            "login failed",
            "wrong password" if user else "unknown email",
            user=user,
            actor=accounts.normalise_email(form.email.data)[:254],
        )
        error_list = [{"text": "Enter a correct email address and password", "href": "#email"}]
        form.password.data = ""
    return render_template("staff/login.html", form=form, error_list=error_list)


def _pending_step(user) -> str:
    """Where a half-signed-in person goes next: a temporary password is replaced before an
    authenticator app is set up with it."""
    if user.has_two_factor:
        return "staff.two_factor"
    return "staff.change_password" if user.must_change_password else "staff.two_factor_setup"


def _begin_session(user, two_factor_passed: bool):
    """A new server-side session (and a fresh cookie) at each sign-in step: no fixation."""
    old = getattr(current_user, "current_session", None)
    if old is not None:
        sessions.end(old)
    keep = {k: session[k] for k in ("staff_next",) if k in session}
    session.clear()
    session.update(keep)
    row = sessions.start(user, two_factor_passed)
    user.current_session = row
    login_user(user)
    return row


def _check_code(user, code: str) -> bool:
    """Whether the code is right and its time step unused; the step is then marked used.

    Marking is one conditional UPDATE, so of several sign-ins racing with the same code only one
    can win: the others wait for its row lock and then find the step already taken.
    """
    step = totp.matching_step(user.totp_secret or "", code, clock.now(), user.totp_last_step)
    if step is None:
        return False
    claimed = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id, or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _finish_sign_in(user):
    user.last_login_at = clock.now()
    next_url = session.pop("staff_next", None)
    _begin_session(user, two_factor_passed=True)
    audit.record("login", "signed in with password and code", user=user, commit=False)
    db.session.commit()
    if user.must_change_password:
        return devices.remember(redirect(url_for("staff.change_password")), user.email)
    return devices.remember(redirect(next_url or url_for("staff.dashboard")), user.email)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_user_key, methods=["POST"], deduct_when=_failed, scope="staff-code")
@limiter.limit(IP_LIMIT, key_func=get_remote_address, methods=["POST"], deduct_when=_failed, scope="staff-login-ip")
def two_factor() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if user.current_session.two_factor_passed:
        return redirect(url_for("staff.dashboard"))
    if not user.has_two_factor:
        return redirect(url_for("staff.two_factor_setup"))
    form = CodeForm()
    if form.validate_on_submit():
        if _check_code(user, form.code.data):
            return _finish_sign_in(user)
        g.sign_in_failed = True
        audit.record("login failed", "wrong or reused one-time code", user=user)
        form.code.errors.append(
            "Enter the current code from your authenticator app: this one is wrong, expired or already used"
        )
    form.code.data = ""
    return render_template("staff/two_factor.html", form=form)


@bp.route("/login/set-up-code", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_user_key, methods=["POST"], deduct_when=_failed, scope="staff-code")
def two_factor_setup() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if user.current_session.two_factor_passed:
        return redirect(url_for("staff.dashboard"))
    if user.has_two_factor or user.must_change_password:
        return redirect(url_for(_pending_step(user)))
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        if _check_code(user, form.code.data):
            user.totp_confirmed_at = clock.now()
            audit.record("two-factor set up", "authenticator app added", user=user, commit=False)
            return _finish_sign_in(user)
        g.sign_in_failed = True
        audit.record("login failed", "wrong code while setting up two-factor", user=user)
        form.code.errors.append("Enter the current code from your authenticator app: this one is wrong or expired")
    form.code.data = ""
    uri = totp.provisioning_uri(user.totp_secret, user.email, current_app.config["SITE_NAME"])
    return render_template(
        "staff/two_factor_setup.html", form=form, qr_svg=totp.qr_svg(uri), secret=totp.grouped(user.totp_secret)
    )


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    row = current_user.current_session
    audit.record("logout", "", user=current_user, commit=False)
    sessions.end(row)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires("analyst")
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    form._email = current_user.email
    if form.validate_on_submit():
        ok, _ = verify_password(current_user.password_hash, form.current_password.data, _argon2())
        if not ok:
            form.current_password.errors.append("Enter your current password correctly")
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append("Enter a new password that is different from your current one")
        else:
            user = current_user._get_current_object()
            passed = user.current_session.two_factor_passed
            accounts.set_password(user, form.new_password.data, _argon2())
            # Every other browser signed in as this person is signed out; this one starts afresh,
            # still at the same sign-in step (a temporary password comes before two-factor set-up).
            sessions.end_all_for(user.id, keep_id=user.current_session.id)
            _begin_session(user, two_factor_passed=passed)
            if not passed and not user.has_two_factor:
                user.totp_secret = totp.new_secret()
            audit.record("password changed", "", user=user, commit=False)
            db.session.commit()
            flash("Your password has been changed. Any other devices signed in as you have been signed out.", "success")
            return redirect(url_for("staff.dashboard" if passed else _pending_step(user)))
    return render_template("staff/change_password.html", form=form)
