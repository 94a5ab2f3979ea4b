"""Search works without JavaScript: a GET form, a result count, safe with any query, and the
main tasks people search for come first."""

import pytest

from app.content.reading.loader import load_content
from tests.fixtures.site import REAL_CONTENT, PageFacts

CONTENT = load_content(REAL_CONTENT)


def search(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return response, response.get_data(as_text=True)


def result_links(html):
    block = html.split('aria-labelledby="results-count"', 1)
    if len(block) < 2:
        return []
    return list(PageFacts(block[1].split("</ol>")[0]).links)


def test_empty_search_shows_only_the_form(client):
    response, html = search(client, "")
    assert '<form action="/search" method="get"' in html
    assert 'name="q"' in html
    assert "result" not in html.split("</form>")[1].split("</main>")[0]
    assert "Cache-Control" not in response.headers or "public" not in response.headers["Cache-Control"]


def test_results_are_counted_and_title_matches_come_first(client):
    _, html = search(client, "burglary")
    links = result_links(html)
    assert len(links) > 2, "the real content mentions burglary on several pages"
    assert f"{len(links)} results for ‘burglary’" in html
    titled = [page.url for page in CONTENT.published_pages if "burglary" in page.title.lower()]
    assert titled and set(links[: len(titled)]) == set(titled)
    assert 'value="burglary"' in html  # the query stays in the box


# Real queries and the page each must return first, on a day the 2026/27 consultation is open.
MAIN_TASKS = {
    "report a crime": "/contact",
    "survey": "/consultations",
    "have your say": "/consultations",
    "domestic abuse": "/campaigns/domestic-abuse-support",
    "contact": "/contact",
    "anti-social behaviour": "/campaigns/anti-social-behaviour",
    "ASB": "/campaigns/anti-social-behaviour",
    "crime figures": "/crime-figures",
    "plan": "/plan/2020-23",
    "burglary": "/campaigns/burglary-prevention",
    "scam": "/campaigns/scams-and-fraud",
    "speeding": "/campaigns/fatal-four",
    "hate crime": "/campaigns/hate-incidents",
    "county lines": "/campaigns/county-lines-exploitation",
    "parish council survey": "/consultations/parish-councils-2026-27",
    "car crime": "/campaigns/theft-from-vehicles",
    "privacy": "/privacy",
}


@pytest.mark.parametrize("query, first", MAIN_TASKS.items(), ids=list(MAIN_TASKS))
def test_main_tasks_come_first(client, survey_today, query, first):
    _, html = search(client, query)
    links = result_links(html)
    assert links and links[0] == first, f"{query!r} gave {links[:5]}"


def test_consultations_are_found_and_labelled(client, survey_today):
    _, html = search(client, "have your say")
    links = result_links(html)
    assert "/consultations/residents-2026-27" in links[:4] and "/consultations/parish-councils-2026-27" in links[:4]
    assert ">Consultation</p>" in html


def test_query_is_escaped_wherever_it_is_shown(client):
    _, html = search(client, '<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html


def test_no_results_message_suggests_what_to_do(client):
    _, html = search(client, "zzzyxq")
    assert "0 results for ‘zzzyxq’" in html
    assert "There are no pages matching your search" in html
    assert PageFacts(html).title.startswith("Search results for ‘zzzyxq’")


def test_a_very_long_query_is_cut_short_not_an_error(client):
    _, html = search(client, "fraud " * 2000)
    assert "results for" in html


def test_search_results_page_is_not_indexed_by_search_engines(client):
    _, html = search(client, "fraud")
    assert '<meta name="robots" content="noindex">' in html
