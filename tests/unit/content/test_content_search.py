"""Site search: every word must match, title matches first, unpublished pages never found."""

from app.content.loader import load_content
from app.content.search import MAX_QUERY_LENGTH, query_terms
from tests.fixtures.site import write_site


def urls(content, query):
    return [page.url for page in content.search(query)]


def make(tmp_path):
    return load_content(write_site(tmp_path / "content", {
        "campaigns/burglary.md": "---\ntitle: Burglary prevention\nsummary: Lock up.\ntype: campaign\n---\nShed security.\n",
        "campaigns/sheds.md": "---\ntitle: Garden sheds\nsummary: Tools.\ntype: campaign\n---\n"
                              "Burglary from sheds rises in spring. Burglary again.\n",
        "campaigns/draft.md": "---\ntitle: Burglary draft\nsummary: Not ready.\ntype: campaign\npublished: false\n---\nBurglary.\n",
    }))


def test_title_matches_come_first(tmp_path):
    assert urls(make(tmp_path), "burglary") == ["/campaigns/burglary", "/campaigns/sheds"]


def test_every_word_must_appear(tmp_path):
    content = make(tmp_path)
    assert urls(content, "burglary spring") == ["/campaigns/sheds"]
    assert urls(content, "burglary helicopter") == []


def test_words_match_by_their_start_and_ignore_case(tmp_path):
    content = make(tmp_path)
    assert urls(content, "BURGL") == ["/campaigns/burglary", "/campaigns/sheds"]
    assert urls(content, "urglary") == []


def test_summary_and_body_are_searched(tmp_path):
    content = make(tmp_path)
    assert urls(content, "lock") == ["/campaigns/burglary"]
    assert urls(content, "bank details") == ["/campaigns/scams"]


def test_unpublished_pages_are_not_found(tmp_path):
    assert "/campaigns/draft" not in urls(make(tmp_path), "draft")


def test_empty_or_punctuation_only_queries_find_nothing(tmp_path):
    content = make(tmp_path)
    assert urls(content, "") == [] and urls(content, "  ?! ") == []


def test_query_terms_are_unique_words_and_length_is_capped():
    assert query_terms("Fraud, fraud & SCAMS") == ["fraud", "scams"]
    assert len(" ".join(query_terms("a " * 1000))) <= MAX_QUERY_LENGTH
