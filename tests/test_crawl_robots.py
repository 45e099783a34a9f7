"""robots.txt by RFC 9309 (protego underneath): rules, status codes, Crawl-delay, the cached form."""
from __future__ import annotations

import pytest

from corpus.crawl.robots import MAX_ROBOTS_BYTES, RobotsRules, product_token

TOKEN = "corpusforge"
BASE = "http://h.org"


def rules(text: str) -> RobotsRules:
    return RobotsRules.from_response(200, text.encode())


def allowed(r: RobotsRules, path: str, token: str = TOKEN) -> bool:
    return r.allowed(BASE + path, token)


def test_product_token():
    assert product_token("corpusforge/0.1 (+https://x.org/bot)") == "corpusforge"
    assert product_token("My-Bot_2") == "My-Bot_"
    with pytest.raises(ValueError, match="product token"):
        product_token("/1.0 no token")


def test_longest_match_wins_and_allow_wins_ties():  # RFC 9309 2.2.2
    r = rules("User-agent: *\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
              "Disallow: /tie\nAllow: /tie\nAllow: /p\nDisallow: /\n")
    assert allowed(r, "/example/page/")
    assert allowed(r, "/example/page/other")
    assert not allowed(r, "/example/page/disallowed.gif")
    assert allowed(r, "/tie")
    assert allowed(r, "/page")
    assert not allowed(r, "/other")


def test_wildcards_and_end_anchor():  # RFC 9309 2.2.3
    r = rules("User-agent: *\nDisallow: /*.gif$\nDisallow: /private*/\nAllow: /private-ok/\n")
    assert not allowed(r, "/img/a.gif")
    assert allowed(r, "/img/a.gif?size=2")
    assert not allowed(r, "/privateX/a")
    assert allowed(r, "/private-ok/a")


def test_groups_match_the_product_token_case_insensitively():  # RFC 9309 2.2.1
    r = rules("User-agent: otherbot\nDisallow: /\n\nUser-agent: CorpusForge\nUser-agent: second\nDisallow: /mine\n\n"
              "User-agent: *\nDisallow: /all\n")
    assert not allowed(r, "/mine") and allowed(r, "/all")  # our group, not the * group
    assert not allowed(r, "/mine", "second")
    assert not allowed(r, "/all", "unknownbot") and allowed(r, "/mine", "unknownbot")
    assert not allowed(r, "/x", "otherbot")


def test_percent_encoding_and_empty_disallow():  # RFC 9309 2.2.2
    r = rules("User-agent: *\nDisallow: /path/%E3%83%84\nDisallow:\n")
    assert not allowed(r, "/path/%E3%83%84")
    assert allowed(r, "/path/other")
    assert allowed(rules("User-agent: *\nDisallow:\n"), "/anything")


def test_no_matching_group_and_unknown_lines_allow():
    r = rules("Sitemap: http://h.org/s.xml\nfoo: bar\nUser-agent: otherbot\nDisallow: /\n")
    assert allowed(r, "/x")


@pytest.mark.parametrize("status, error, policy, may", [
    (200, None, "rules", True),
    (404, None, "allow_all", True),   # 2.3.1.3 unavailable: crawl anything
    (403, None, "allow_all", True),
    (301, None, "allow_all", True),   # redirects that did not end in an answer
    (429, None, "disallow_all", False),  # asked to slow down: treated like 5xx
    (500, None, "disallow_all", False),  # 2.3.1.4 unreachable: crawl nothing
    (503, None, "disallow_all", False),
    (None, "fetch:connection_refused", "disallow_all", False),
])
def test_status_codes(status, error, policy, may):
    r = RobotsRules.from_response(status, b"User-agent: *\nDisallow: /x\n", error)
    assert r.policy == policy
    assert r.allowed(BASE + "/page", TOKEN) is may
    if not may:
        assert r.reason() == ("robots:unreachable" if status is None else f"robots:unreachable:{status}")


def test_crawl_delay_per_group():
    r = rules("User-agent: *\nCrawl-delay: 2\n\nUser-agent: corpusforge\nCrawl-delay: 0.5\nDisallow: /x\n")
    assert r.crawl_delay(TOKEN) == 0.5
    assert r.crawl_delay("other") == 2.0
    assert rules("User-agent: *\nDisallow: /x\n").crawl_delay(TOKEN) is None
    assert RobotsRules.from_response(503).crawl_delay(TOKEN) is None


def test_only_the_first_500_kib_are_parsed_and_bom_is_dropped():
    filler = "# " + "x" * 100 + "\n"
    text = "\ufeffUser-agent: *\nDisallow: /early\n" + filler * (MAX_ROBOTS_BYTES // len(filler) + 1) + \
        "Disallow: /late\n"
    r = RobotsRules.from_response(200, text.encode())
    assert not allowed(r, "/early")
    assert allowed(r, "/late")


def test_round_trip_through_the_state_file_form():
    r = RobotsRules.from_response(200, b"User-agent: *\nDisallow: /x\nCrawl-delay: 1\n", fetched_at=100.0)
    back = RobotsRules.from_dict(r.as_dict())
    assert back == r and not allowed(back, "/x") and back.crawl_delay(TOKEN) == 1.0
    assert back.is_fresh(100.0 + 3600) and not back.is_fresh(100.0 + 25 * 3600)
