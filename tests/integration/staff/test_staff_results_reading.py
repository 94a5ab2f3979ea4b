"""Staff results read the way they are meant: labelled charts, only filters that can match,
comparisons of like with like, and references found however they are typed."""

import html as html_text
import re

from app.extensions import db
from tests.fixtures.staff import insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
ROUND = "2026/27"


def text_of(html: str) -> str:
    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_problem_chart_says_what_its_percentages_count(app, analyst_client):
    with app.app_context():
        insert_response(RESIDENTS, ROUND, [("problems", "litter", "big"), ("problems", "speeding", "a-bit")])
        db.session.commit()
    html = analyst_client.get(f"/staff/results/{RESIDENTS}").get_data(as_text=True)
    caption = re.search(r'<figcaption[^>]*id="chart-problems-caption"[^>]*>(.*?)</figcaption>', html, re.S)
    assert caption, "the problems chart has no visible caption"
    assert "Percentage who said each is “A big problem”, out of everyone who answered that row" in html_text.unescape(
        caption.group(1)
    )


def test_resident_results_offer_no_respondent_type_filter_but_parish_results_do(app, analyst_client):
    residents = analyst_client.get(f"/staff/results/{RESIDENTS}").get_data(as_text=True)
    assert 'name="type"' not in residents
    assert 'value="councillor"' not in residents and 'value="parish"' not in residents
    written = analyst_client.get(f"/staff/results/{RESIDENTS}/free-text").get_data(as_text=True)
    assert 'name="type"' not in written
    parish = analyst_client.get(f"/staff/results/{PARISH}").get_data(as_text=True)
    assert 'value="councillor"' in parish and 'value="parish"' in parish and 'value="resident"' not in parish


def test_comparison_does_not_rank_percentages_or_set_a_yes_no_question_beside_a_scale(app, analyst_client):
    with app.app_context():
        for _ in range(5):
            insert_response(
                RESIDENTS,
                ROUND,
                [
                    ("safe-day", "", "fairly-safe"),
                    ("safe-after-dark", "", "a-bit-unsafe"),
                    *ranked_rows("top-concerns", ["litter", "speeding", "burglary"]),
                ],
            )
        db.session.commit()
    html = analyst_client.get("/staff/compare/resident").get_data(as_text=True)
    text = text_of(html)
    # 2017 published only percentages: they are shown as such, with no rank made up from them.
    row = re.search(r"Rubbish or litter</th>(.*?)</tr>", html, re.S).group(1)
    cells = [c.strip() for c in re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)]
    assert cells[0] == "15%"
    assert cells[-1] == "1 (100%)"
    assert "Share who said each concerned them (a tick-box question; no ranks)" in text
    # Feeling safe: each round's wording, and the yes/no question marked as not comparable.
    safety = html.split("Feeling safe by round", 1)[1].split("</table>", 1)[0]
    assert "Felt safe (a yes or no question in the county council's survey)" in text_of(safety)
    assert "Very or fairly safe" in text_of(safety)
    assert text_of(safety).count("Not directly comparable") == 1
    options = html.split("Rank and share by round", 1)[1].split("</table>", 1)[0]
    assert text_of(options).count("Not directly comparable") == 1  # the 2017 tick-box column only


def test_a_reference_is_found_without_its_dash_and_in_lower_case(app, analyst_client):
    with app.app_context():
        insert_response(RESIDENTS, ROUND, [("safe-day", "", "very-safe")], reference="RK7M-4Q2P")
        db.session.commit()
    for typed in ("RK7M-4Q2P", "rk7m4q2p", "rk7m 4q2p", " Rk7m-4Q2p "):
        response = analyst_client.get("/staff/responses", query_string={"reference": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"].endswith("/staff/responses/RK7M-4Q2P")
    assert analyst_client.get("/staff/responses/rk7m4q2p").status_code == 200
