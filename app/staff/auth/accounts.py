"""Creating, finding and disabling staff accounts (used by the CLI and the admin pages)."""

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.staff.auth import sessions
from app.staff.auth.passwords import hash_password, password_problem
from app.staff.staff_models import ROLES, StaffUser


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email)))


def create(email: str, password: str, role: str, argon2_params: dict, must_change_password: bool = False) -> StaffUser:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("Enter an email address in the correct format, like name@example.org")
    if role not in ROLES:
        raise AccountError(f"Role must be one of: {', '.join(ROLES)}")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    if find(email) is not None:
        raise AccountError(f"There is already a staff account for {email}")
    user = StaffUser(
        email=email,
        role=role,
        active=True,
        password_hash=hash_password(password, argon2_params),
        password_changed_at=clock.now(),
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: StaffUser, password: str, argon2_params: dict) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password, argon2_params)
    user.password_changed_at = clock.now()
    user.must_change_password = False


def disable(user: StaffUser) -> None:
    user.active = False
    sessions.end_all_for(user.id)


def reset_two_factor(user: StaffUser) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    sessions.end_all_for(user.id)
