"""Search works without JavaScript: a GET form, a result count, safe with any query."""

from app.content.loader import load_content
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
    return [href for href in PageFacts(block[1].split("</ol>")[0]).links]


def test_empty_search_shows_only_the_form(client):
    response, html = search(client, "")
    assert '<form action="/search" method="get"' in html
    assert 'name="q"' in html
    assert "result" not in html.split("</form>")[1].split("</main>")[0]
    assert "Cache-Control" not in response.headers or "public" not in response.headers["Cache-Control"]


def test_results_are_counted_and_title_matches_come_first(client):
    expected = CONTENT.search("burglary")
    assert expected, "the real content mentions burglary"
    _, html = search(client, "burglary")
    assert f"{len(expected)} result{'s' if len(expected) != 1 else ''} for ‘burglary’" in html
    links = result_links(html)
    assert links == [page.url for page in expected]
    titled = [page for page in expected if "burglary" in page.title.lower()]
    assert titled and links[: len(titled)] == [page.url for page in titled]
    assert 'value="burglary"' in html  # the query stays in the box


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
