"""Staff passwords: Argon2id hashing and the length rules (no composition rules, NIST 800-63B)."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane. Only the test
# configuration may lower it (for speed); production start-up refuses anything weaker.
PRODUCTION_ARGON2 = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}
MIN_LENGTH = 8
MAX_LENGTH = 128  # long passphrases are welcome; the cap only stops absurd inputs


def hasher(params: dict) -> PasswordHasher:
    return PasswordHasher(type=Type.ID, **params)


def weaker_than_minimum(params: dict) -> bool:
    return any(params.get(key, 0) < value for key, value in PRODUCTION_ARGON2.items() if key != "parallelism")


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why a new password is not acceptable, as a message for the person, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    if email and password.strip().lower() == email.strip().lower():
        return "Password must not be your email address"
    return None


def hash_password(password: str, params: dict) -> str:
    return hasher(params).hash(password)


def verify_password(stored_hash: str, password: str, params: dict) -> tuple[bool, bool]:
    """(matches, needs_rehash): a hash made with older settings is upgraded on next sign-in."""
    ph = hasher(params)
    try:
        ph.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    return True, ph.check_needs_rehash(stored_hash)
