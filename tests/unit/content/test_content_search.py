"""Site search: every word must match, title matches first, unpublished pages never found."""

from app.content.reading.loader import load_content
from app.content.search import MAX_QUERY_LENGTH, query_terms
from tests.fixtures.site import write_site


def urls(content, query):
    return [page.url for page in content.search(query)]


def make(tmp_path):
    return load_content(
        write_site(
            tmp_path / "content",
            {
                "campaigns/burglary.md": "---\ntitle: Burglary prevention\nsummary: Lock up.\ntype: campaign\n---\n"
                "Shed security.\n",
                "campaigns/sheds.md": "---\ntitle: Garden sheds\nsummary: Tools.\ntype: campaign\n---\n"
                "Burglary from sheds rises in spring. Burglary again.\n",
                "campaigns/draft.md": "---\ntitle: Burglary draft\nsummary: Not ready.\ntype: campaign\n"
                "published: false\n---\nBurglary.\n",
            },
        )
    )


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


def weighted(tmp_path):
    return load_content(
        write_site(
            tmp_path / "content",
            {
                "campaigns/asb.md": "---\ntitle: Nuisance behaviour\nsummary: Noise and damage.\ntype: campaign\n"
                "keywords: [asb, anti-social behaviour]\n---\nWhat to do about it.\n",
                "campaigns/mentions.md": "---\ntitle: Street safety\nsummary: Out and about.\ntype: campaign\n---\n"
                "ASB ASB ASB ASB ASB ASB ASB, and anti-social behaviour again.\n",
                "campaigns/headed.md": "---\ntitle: Garden tools\nsummary: Sheds.\ntype: campaign\n---\n"
                "## Reporting a crime\n\nHow to report.\n",
                "campaigns/body.md": "---\ntitle: Bikes\nsummary: Cycles.\ntype: campaign\n---\n"
                "You can report a crime to the police about a stolen bike.\n",
                "campaigns/apart.md": "---\ntitle: Cars\nsummary: Vehicles.\ntype: campaign\n---\n"
                "Report anything odd. Crime near cars falls in summer.\n",
            },
        )
    )


def test_keywords_let_a_page_be_found_by_its_synonyms_before_pages_that_merely_mention_them(tmp_path):
    content = weighted(tmp_path)
    assert urls(content, "asb")[:2] == ["/campaigns/asb", "/campaigns/mentions"]
    assert urls(content, "anti-social behaviour")[0] == "/campaigns/asb"


def test_headings_count_more_than_body_text(tmp_path):
    assert urls(weighted(tmp_path), "reporting")[0] == "/campaigns/headed"


def test_small_words_do_not_have_to_match_and_a_whole_phrase_counts_extra(tmp_path):
    found = urls(weighted(tmp_path), "report a crime")
    # "a" is not needed: the page with "report" and "crime" far apart is still found, after the
    # one with the whole phrase.
    assert "/campaigns/apart" in found and found.index("/campaigns/body") < found.index("/campaigns/apart")
