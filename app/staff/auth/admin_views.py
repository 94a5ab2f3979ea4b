"""Admin pages: staff accounts (add, role, disable, reset two-factor) and the audit log."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from app.extensions import db
from app.staff.auth import accounts, audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import NewStaffForm
from app.staff.staff_models import ROLES, StaffUser


def _user(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def _active_admins() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(StaffUser).where(StaffUser.role == "admin", StaffUser.active.is_(True))
        )
        or 0
    )


@bp.route("/users", methods=["GET", "POST"])
@requires("admin")
def users() -> ResponseReturnValue:
    form = NewStaffForm()
    form._email = form.email.data
    if form.validate_on_submit():
        try:
            user = accounts.create(
                form.email.data,
                form.new_password.data,
                form.role.data,
                current_app.config["STAFF_ARGON2"],
                must_change_password=True,
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            audit.record("staff created", f"{user.email} as {user.role}", commit=False)
            db.session.commit()
            flash(
                f"{user.email} can now sign in with the temporary password. They will choose their own "
                "password and set up two-factor sign-in.",
                "success",
            )
            return redirect(url_for("staff.users"))
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render_template("staff/users.html", people=people, form=form, roles=ROLES), (400 if form.errors else 200)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires("admin")
def change_role(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    role = request.form.get("role")
    if role not in ROLES:
        abort(400)
    if user.role == "admin" and role != "admin" and _active_admins() <= 1:
        flash("There must always be at least one admin.", "info")
        return redirect(url_for("staff.users"))
    if role != user.role:
        user.role = role
        audit.record("staff role changed", f"{user.email} is now {role}", commit=False)
        db.session.commit()
        flash(f"{user.email} is now an {role}.", "success")
    return redirect(url_for("staff.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@requires("admin")
def set_active(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    active = request.form.get("active") == "yes"
    if not active and user.id == current_user.id:
        flash("You cannot disable your own account.", "info")
        return redirect(url_for("staff.users"))
    if not active and user.role == "admin" and _active_admins() <= 1:
        flash("There must always be at least one admin.", "info")
        return redirect(url_for("staff.users"))
    if active != user.active:
        if active:
            user.active = True
        else:
            accounts.disable(user)
        audit.record("staff enabled" if active else "staff disabled", user.email, commit=False)
        db.session.commit()
        flash(f"{user.email} is now {'enabled' if active else 'disabled and signed out'}.", "success")
    return redirect(url_for("staff.users"))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@requires("admin")
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    accounts.reset_two_factor(user)
    audit.record("two-factor reset", user.email, commit=False)
    db.session.commit()
    if user.id == current_user.id:
        return redirect(url_for("staff.login"))
    flash(f"Two-factor sign-in reset for {user.email}: they will set it up again when they next sign in.", "success")
    return redirect(url_for("staff.users"))


@bp.route("/audit")
@requires("admin")
def audit_log() -> ResponseReturnValue:
    try:
        number = max(1, min(int(request.args.get("page", 1)), 100000))
    except ValueError:
        number = 1
    events, total = audit.page(number)
    pages = max(1, -(-total // 50))
    return render_template("staff/audit.html", events=events, total=total, number=number, pages=pages)
