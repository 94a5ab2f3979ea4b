"""An attacker cannot lock a staff member out (OWASP's device cookies).

Wrong passwords from many addresses use up the account's allowance for unknown browsers; the
browser its owner signed in with before still signs in, and has an allowance of its own.
"""

from tests.fixtures.staff import sign_in, submit_password


def client_at(app, ip):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def test_failures_from_50_addresses_leave_the_owners_known_browser_able_to_sign_in(app, analyst):
    owner = client_at(app, "192.0.2.10")
    sign_in(app, owner, analyst)
    owner.delete_cookie("st_session")  # signed out; the device cookie stays, as in a real browser
    refused = 0
    for n in range(50):
        attacker = client_at(app, f"198.51.100.{n + 1}")
        refused += submit_password(attacker, analyst, password=f"guess {n}").status_code == 429
    assert refused >= 40, "the attack was not slowed down"
    # An unknown browser, even with the right password, waits: the account is under attack.
    assert submit_password(client_at(app, "203.0.113.5"), analyst).status_code == 429
    response = submit_password(owner, analyst)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/login/code")


def test_a_known_browser_has_its_own_allowance_for_wrong_passwords(app, analyst):
    owner = client_at(app, "192.0.2.10")
    sign_in(app, owner, analyst)
    owner.delete_cookie("st_session")
    for _ in range(10):
        assert submit_password(owner, analyst, password="wrong").status_code == 200
    assert submit_password(owner, analyst).status_code == 429


def test_a_device_cookie_only_helps_the_account_it_was_issued_for(app, analyst, make_staff):
    other = make_staff("analyst")
    browser = client_at(app, "192.0.2.10")
    sign_in(app, browser, analyst)
    browser.delete_cookie("st_session")
    for n in range(10):
        submit_password(client_at(app, f"198.51.100.{n + 1}"), other, password="wrong")
    assert submit_password(browser, other).status_code == 429


def test_a_forged_device_cookie_is_ignored(app, analyst):
    for n in range(10):
        submit_password(client_at(app, f"198.51.100.{n + 1}"), analyst, password="wrong")
    forger = client_at(app, "203.0.113.9")
    forger.set_cookie("st_device", "eyJlIjoiYW5hbHlzdEBleGFtcGxlLm9yZyIsIm4iOiJ4In0.forged", path="/staff/login")
    assert submit_password(forger, analyst).status_code == 429
