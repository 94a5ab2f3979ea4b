"""Flask-free parts of the staff feature: ranking arithmetic, passwords, one-time codes,
spreadsheet safety, charts and dates."""

from datetime import date, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from app.config import ProductionConfig, TestingConfig
from app.staff.auth import passwords, totp
from app.staff.auth.audit import clean
from app.staff.exports import formats as exports
from app.staff.governance.retention import add_months, due_date
from app.staff.reporting import charts
from app.staff.reporting.rankings import rank_options
from app.staff.staff_commands import parse_age


def test_rank_options_points_ties_and_order():
    # Hand-worked: A 1st x2 = 6 points; B 1st + 3rd = 4; C 2nd x2 = 4 (fewer firsts than B);
    # D 2nd + 3rd = 3; E 3rd = 1; F nothing.  B and C differ only by firsts, so B ranks above C.
    counts = {"a": [2, 0, 0], "b": [1, 0, 1], "c": [0, 2, 0], "d": [0, 1, 1], "e": [0, 0, 1]}
    labels = {k: k.upper() for k in "abcdef"}
    ranking = rank_options(counts, labels, respondents=3, count=3)
    assert [(o.option_id, o.points, o.rank_label) for o in ranking.options] == [
        ("a", 6, "1"),
        ("b", 4, "2"),
        ("c", 4, "3"),
        ("d", 3, "4"),
        ("e", 1, "5"),
        ("f", 0, "–"),
    ]
    assert ranking.options[0].top_percent == pytest.approx(66.7)


def test_rank_options_equal_points_and_firsts_share_a_rank_in_label_order():
    counts = {"zebra": [1, 0, 0], "apple": [1, 0, 0], "mango": [0, 0, 1]}
    ranking = rank_options(counts, {"zebra": "Zebra", "apple": "Apple", "mango": "Mango"}, respondents=2, count=3)
    assert [(o.label, o.rank_label) for o in ranking.options] == [("Apple", "1="), ("Zebra", "1="), ("Mango", "3")]


def test_rank_options_keeps_unknown_option_ids():
    ranking = rank_options({"retired-option": [1, 0, 0]}, {"a": "A"}, respondents=1, count=3)
    assert [o.option_id for o in ranking.options] == ["retired-option", "a"]


def test_production_password_hashing_meets_the_minimum():
    params = passwords.PRODUCTION_ARGON2
    assert params["memory_cost"] >= 19 * 1024 and params["time_cost"] >= 2 and params["parallelism"] == 1
    stored = passwords.hash_password("a long passphrase", params)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, "a long passphrase", params) == (True, False)
    assert passwords.verify_password(stored, "wrong", params) == (False, False)
    # Only the test configuration lowers the cost, and production would refuse it.
    assert not hasattr(ProductionConfig, "STAFF_ARGON2")
    assert passwords.weaker_than_minimum(TestingConfig.STAFF_ARGON2)


def test_a_hash_made_with_older_settings_is_flagged_for_rehash():
    weak = PasswordHasher(memory_cost=1024, time_cost=1, parallelism=1).hash("a long passphrase")
    assert passwords.verify_password(weak, "a long passphrase", passwords.PRODUCTION_ARGON2) == (True, True)


@pytest.mark.parametrize(
    "password, problem",
    [
        ("", "Password must be 8 characters or more"),
        ("1234567", "Password must be 8 characters or more"),
        ("x" * 129, "Password must be 128 characters or fewer"),
        ("me@example.org", "Password must not be your email address"),
    ],
)
def test_password_rules(password, problem):
    assert passwords.password_problem(password, "me@example.org") == problem


@pytest.mark.parametrize(
    "password", ["12345678", "alllowercaseletters", "x" * 64, "x" * 128, "pässwörd 🙂 mit Leerzeichen"]
)
def test_no_composition_rules_and_long_passphrases_allowed(password):
    assert passwords.password_problem(password, "me@example.org") is None


def test_one_time_code_window_and_replay():
    secret = totp.new_secret()
    now = datetime(2026, 11, 2, 10, 0, 15)
    code = totp.code_at(secret, now)
    step = totp.matching_step(secret, code, now, None)
    assert step is not None
    assert totp.matching_step(secret, code, now, step) is None  # replayed
    assert totp.matching_step(secret, code, now + timedelta(seconds=30), None) == step  # one step of drift
    assert totp.matching_step(secret, code, now + timedelta(minutes=2), None) is None  # too old
    assert totp.matching_step(secret, code[:3] + " " + code[3:], now, None) == step  # spaces allowed
    assert totp.matching_step(secret, "abcdef", now, None) is None
    later = totp.code_at(secret, now + timedelta(seconds=30))
    assert totp.matching_step(secret, later, now + timedelta(seconds=30), step) == step + 1


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@x", "\tx", "\rx", "\nx", "\0x", '=1+2";=1+2'])
def test_neutralise_prefixes_dangerous_cells(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Speeding", "1+2", "", "a=b", None, 42])
def test_neutralise_leaves_safe_values(value):
    assert exports.neutralise(value) == value


def test_xlsx_text_is_neutralised_and_drops_characters_a_workbook_cannot_hold():
    assert exports.xlsx_text("\0=HYPERLINK()") == "'=HYPERLINK()"
    assert exports.xlsx_text("=1+2") == "'=1+2"
    assert exports.xlsx_text("Fine\x07") == "Fine"


def test_audit_text_cannot_forge_log_lines():
    assert clean("evil@example.org\r\nINFO audit action=login") == "evil@example.org INFO audit action=login"
    assert "\x1b" not in clean("a\x1b[31mred")
    assert len(clean("x" * 2000)) == 500


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = charts.bar_chart("c", "Title", [("A", 10, "10"), ("B", 5, "5"), ("C", 0, "0")])
    assert chart.bars[0].width == charts.WIDTH - charts.VALUE_SPACE
    assert chart.bars[1].width == pytest.approx(chart.bars[0].width / 2)
    assert chart.bars[2].width == 0
    assert chart.bars[1].bar_y > chart.bars[0].bar_y and chart.height > chart.bars[2].bar_y


@pytest.mark.parametrize("text, days", [("12m", 365), ("365d", 365), ("1y", 365), ("6m", 182)])
def test_purge_ages(text, days):
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["12", "m", "twelve months", "-1d", "12w"])
def test_purge_age_must_be_clear(text):
    import click

    with pytest.raises(click.BadParameter):
        parse_age(text)


def test_retention_due_date_is_the_day_after_the_period_ends():
    class Survey:
        retention_months = 12

    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert due_date(Survey, date(2027, 1, 31)) == date(2028, 2, 1)
    assert due_date(Survey, None) is None
