"""The Atom news feed, sitemap.xml and robots.txt, read as a feed reader or crawler would."""

from xml.etree import ElementTree as ET

from app.content.reading.loader import load_content
from app.surveys.questions.definitions import load_surveys
from tests.fixtures.site import REAL_CONTENT

CONTENT = load_content(REAL_CONTENT)
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_is_valid_and_lists_news_newest_first(client, app):
    response = client.get("/news/feed.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    base = app.config["SITE_URL"].rstrip("/")
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id") == base + "/news/feed.xml"
    assert feed.findtext(f"{A}title")
    assert feed.findtext(f"{A}updated") == f"{CONTENT.news[0].date.isoformat()}T00:00:00Z"
    assert feed.find(f"{A}author/{A}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {"self": base + "/news/feed.xml", "alternate": base + "/news"}
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [item.title for item in CONTENT.news]
    for entry, item in zip(entries, CONTENT.news, strict=False):
        assert entry.findtext(f"{A}id") == base + item.url
        assert entry.find(f"{A}link").get("href") == base + item.url
        assert entry.findtext(f"{A}updated") == f"{item.date.isoformat()}T00:00:00Z"
        assert entry.findtext(f"{A}summary") == item.summary
        assert entry.find(f"{A}content").get("type") == "html"
        assert "<script" not in entry.findtext(f"{A}content")


def test_feed_addresses_ignore_a_forged_host_header(client, app):
    response = client.get("/news/feed.xml", headers={"Host": "evil.example"})
    assert b"evil.example" not in response.data


def test_sitemap_lists_every_published_page_and_the_consultations(client, app):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    base = app.config["SITE_URL"].rstrip("/")
    locs = [loc.text for loc in ET.fromstring(response.data).iter(f"{S}loc")]
    expected = {base + page.url for page in CONTENT.published_pages}
    expected |= {base + path for path in ("/priorities", "/campaigns", "/news", "/crime-figures", "/consultations")}
    # Every consultation's start page, open or past (a past round's page shows its results).
    expected |= {base + f"/consultations/{survey.slug}" for survey in load_surveys(app.config["CONTENT_DIR"])}
    assert set(locs) == expected
    assert len(locs) == len(set(locs))
    assert not any("/staff" in loc or "/search" in loc for loc in locs)
