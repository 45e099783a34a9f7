#!/usr/bin/env python
"""Generate the sample corpus shipped in ``corpus/sample/data`` (used by ``make demo`` and the tests).

    python scripts/make_sample_corpus.py [--output_dir DIR]

Writes ``web.warc.gz``, ``wiki-multistream.xml.bz2`` + ``wiki-multistream-index.txt.bz2``,
``docs.jsonl`` and ``planted.json`` (the manifest of every planted case). The output is
byte-identical on every run: no network, no clock, no unseeded randomness; WARC dates and
record ids are fixed and gzip/bz2 members carry no timestamps.

Conventions the manifest relies on:

* The "article text" of a web page is its body paragraphs joined by a blank line (no title).
  Near-duplicate Jaccards are computed on it with word 5-gram shingles (lowercased,
  punctuation stripped); zh/ja use character 5-grams.
* ``files["web.warc.gz"]["records"]`` counts every record in the file: warcinfo, requests,
  responses, the malformed record and the final response after it.
  ``responses`` counts the well-formed response records (the malformed one excluded).
* The texts themselves live in ``scripts/sample_texts.py``.
"""
from __future__ import annotations

import argparse
import bz2
import csv
import hashlib
import html
import io
import itertools
import json
import random
import re
import struct
import unicodedata
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import sample_texts as texts
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SEED = 20240301
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "corpus" / "sample" / "data"
GENERATOR = "scripts/make_sample_corpus.py"

WARC_NAME = "web.warc.gz"
WIKI_NAME = "wiki-multistream.xml.bz2"
WIKI_INDEX_NAME = "wiki-multistream-index.txt.bz2"
JSONL_NAME = "docs.jsonl"
THREADS_NAMES = ("threads-a.jsonl", "threads-b.jsonl")
PLANTED_NAME = "planted.json"

CRAWL_START = datetime(2024, 3, 4, 9, 0, 0, tzinfo=timezone.utc)
PUBLISHED_START = date(2024, 1, 8)
LANG_ORDER = ["en", "de", "fr", "es", "ru", "zh", "ja"]
CJK = {"zh", "ja"}

DISTINCT_MAX_JACCARD = 0.2
NEAR_DUP_MIN_JACCARD = 0.85
CHAIN_THRESHOLD = 0.8


# --------------------------------------------------------------------------- text measures

def article_text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def shingles(text: str, lang: str, n: int = 5) -> set[str]:
    """Word n-grams (character n-grams for zh/ja) of the lowercased text, punctuation stripped."""
    cleaned = re.sub(r"[^\w\s]", " ", text.lower())
    if lang in CJK:
        chars = re.sub(r"\s+", "", cleaned)
        return {chars[i:i + n] for i in range(len(chars) - n + 1)}
    words = cleaned.split()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: str, b: str, lang: str) -> float:
    sa, sb = shingles(a, lang), shingles(b, lang)
    return len(sa & sb) / len(sa | sb)


def text_size(text: str, lang: str) -> int:
    """Words, or non-space characters for zh/ja."""
    return len(re.sub(r"\s+", "", text)) if lang in CJK else len(text.split())


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text, re.S)
    assert match, text
    return match.group(1)


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def uid(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


# --------------------------------------------------------------------------- sites and templates

@dataclass(frozen=True)
class Site:
    key: str
    name: str
    host: str
    lang: str
    style: str  # "news", "classic" or "blog"
    tagline: str
    nav: list[tuple[str, str]]
    side_title: str
    side_links: list[tuple[str, str]]
    box_title: str
    box_text: str
    footer_links: list[tuple[str, str]]
    copyright: str
    server: str
    ip: str
    labels: dict[str, str] = field(default_factory=dict)


SITES = {s.key: s for s in [
    Site("gazette", "Riverside Gazette", "www.riverside-gazette.example", "en", "news",
         "News for Riverside and the Marrow valley",
         [("Home", "/"), ("News", "/news/"), ("Sport", "/sport/"), ("What's on", "/whats-on/"),
          ("Opinion", "/opinion/"), ("Property", "/property/"), ("Jobs", "/jobs/")],
         "Most read",
         [("Road closures planned for the high street", "/news/2024/03/road-closures-high-street"),
          ("Plans lodged for new homes at the old brickworks", "/news/2024/02/brickworks-homes"),
          ("Weather warning issued for the weekend", "/news/2024/03/weather-warning"),
          ("Obituaries and family notices", "/notices/")],
         "Newsletter", "Get the day's top stories from Riverside in your inbox every morning.",
         [("About us", "/about"), ("Contact", "/contact"), ("Advertise", "/advertise"),
          ("Privacy policy", "/privacy"), ("Cookie settings", "/cookies"), ("Terms", "/terms")],
         "&copy; 2024 Riverside Media Group Ltd. All rights reserved. Registered in England No. 0412773.",
         "nginx", "192.0.2.10",
         {"skip": "Skip to content", "search": "Search", "subscribe": "Sign up"}),
    Site("brightwater", "Brightwater Review", "www.brightwater-review.example", "en", "classic",
         "Science, technology and ideas",
         [("Home", "/"), ("Science", "/science/"), ("Technology", "/technology/"), ("History", "/history/"),
          ("Environment", "/environment/"), ("Podcasts", "/podcasts/")],
         "Topics",
         [("Astronomy", "/topics/astronomy"), ("Biology", "/topics/biology"), ("Computing", "/topics/computing"),
          ("Earth science", "/topics/earth-science"), ("History of science", "/topics/history-of-science")],
         "Support us", "Brightwater Review is independent and reader-funded. Become a member today.",
         [("About", "/about"), ("Masthead", "/masthead"), ("Contact", "/contact"), ("Privacy", "/privacy"),
          ("RSS", "/feed.xml")],
         "Copyright &copy; 2016&ndash;2024 Brightwater Review. Content may not be reproduced without permission.",
         "Apache/2.4.57 (Debian)", "192.0.2.21",
         {"home": "Home", "share": "Share this article:", "posted": "Published"}),
    Site("wanderlog", "Wanderlog", "wanderlog.example", "en", "blog",
         "Slow travel and good food",
         [("Home", "/"), ("Travel", "/category/travel/"), ("Recipes", "/category/recipes/"),
          ("About me", "/about/"), ("Contact", "/contact/")],
         "Recent posts",
         [("Packing light for a week in the hills", "/2024/02/packing-light/"),
          ("My favourite cheap eats by the sea", "/2024/01/cheap-eats/"),
          ("A rainy day in the museum quarter", "/2023/12/rainy-day-museums/")],
         "Categories", "Travel (42) &middot; Recipes (31) &middot; Walking (17) &middot; Markets (9)",
         [("Privacy", "/privacy/"), ("Disclosure", "/disclosure/")],
         "&copy; 2024 Wanderlog &middot; Proudly powered by WordPress",
         "Apache", "192.0.2.33",
         {"menu": "Menu", "posted_in": "Posted in", "prev": "Previous post", "next": "Next post"}),
    Site("tagesblick", "Tagesblick", "www.tagesblick.example", "de", "news",
         "Nachrichten aus Stadt und Region",
         [("Startseite", "/"), ("Region", "/region/"), ("Politik", "/politik/"), ("Sport", "/sport/"),
          ("Kultur", "/kultur/"), ("Ratgeber", "/ratgeber/")],
         "Meistgelesen",
         [("Baustelle am Bahnhof: Was Pendler wissen m&uuml;ssen", "/region/baustelle-bahnhof-311.html"),
          ("Wetter: Sturmwarnung f&uuml;r das Wochenende", "/region/sturmwarnung-312.html"),
          ("Stadtrat beschlie&szlig;t Haushalt", "/politik/haushalt-313.html")],
         "Newsletter", "Die wichtigsten Nachrichten des Tages jeden Morgen kostenlos per E-Mail.",
         [("Impressum", "/impressum"), ("Datenschutz", "/datenschutz"), ("Kontakt", "/kontakt"),
          ("Abo", "/abo"), ("Mediadaten", "/mediadaten")],
         "&copy; 2024 Tagesblick Verlag GmbH. Alle Rechte vorbehalten.",
         "nginx", "192.0.2.44",
         {"skip": "Zum Inhalt springen", "search": "Suche", "subscribe": "Anmelden"}),
    Site("journal", "Le Journal des Rives", "www.journal-des-rives.example", "fr", "classic",
         "L'actualit&eacute; de la vall&eacute;e",
         [("Accueil", "/"), ("Actualit&eacute;s", "/actualites/"), ("Sports", "/sports/"),
          ("Culture", "/culture/"), ("Loisirs", "/loisirs/"), ("Annonces", "/annonces/")],
         "Rubriques",
         [("Faits divers", "/faits-divers"), ("&Eacute;conomie", "/economie"), ("Agenda", "/agenda"),
          ("M&eacute;t&eacute;o", "/meteo")],
         "Abonnez-vous", "Acc&eacute;dez &agrave; tous nos articles pour 1 euro le premier mois.",
         [("Mentions l&eacute;gales", "/mentions-legales"), ("Contact", "/contact"),
          ("Confidentialit&eacute;", "/confidentialite"), ("Plan du site", "/plan")],
         "Copyright &copy; 2024 Le Journal des Rives &ndash; Tous droits r&eacute;serv&eacute;s.",
         "Apache", "192.0.2.55",
         {"home": "Accueil", "share": "Partager :", "posted": "Publi&eacute; le"}),
    Site("diario", "Diario del Valle", "www.diario-del-valle.example", "es", "blog",
         "Noticias y vida del valle",
         [("Portada", "/"), ("Local", "/local/"), ("Deportes", "/deportes/"), ("Cultura", "/cultura/"),
          ("Gastronom&iacute;a", "/gastronomia/")],
         "Lo m&aacute;s le&iacute;do",
         [("Cortes de tr&aacute;fico por las fiestas", "/local/cortes-de-trafico.html"),
          ("El mercado de abastos cumple cien a&ntilde;os", "/local/mercado-cien.html"),
          ("Previsi&oacute;n del tiempo para el fin de semana", "/local/tiempo.html")],
         "Secciones", "Local &middot; Deportes &middot; Cultura &middot; Opini&oacute;n &middot; Agenda",
         [("Aviso legal", "/aviso-legal/"), ("Pol&iacute;tica de privacidad", "/privacidad/"),
          ("Contacto", "/contacto/")],
         "&copy; 2024 Diario del Valle S.L. Todos los derechos reservados.",
         "nginx/1.18.0", "192.0.2.66",
         {"menu": "Men&uacute;", "posted_in": "Publicado en", "prev": "Anterior", "next": "Siguiente"}),
    Site("vestnik", "Вестник Озёр", "vestnik-ozer.example", "ru", "news",
         "Городские новости каждый день",
         [("Главная", "/"), ("Новости", "/news/"), ("Спорт", "/sport/"), ("Культура", "/culture/"),
          ("Общество", "/society/")],
         "Популярное",
         [("Ремонт дорог продолжится до осени", "/news/20101/"),
          ("Прогноз погоды на выходные", "/news/20102/"),
          ("В школах начались каникулы", "/news/20103/")],
         "Подписка", "Самые важные новости города в вашей почте.",
         [("О редакции", "/about/"), ("Реклама", "/ads/"), ("Контакты", "/contacts/"),
          ("Политика конфиденциальности", "/privacy/")],
         "&copy; 2024 Вестник Озёр. Все права защищены. 18+",
         "nginx", "192.0.2.77",
         {"skip": "Перейти к содержанию", "search": "Поиск", "subscribe": "Подписаться"}),
    Site("chengshi", "城市日报", "www.chengshi-ribao.example", "zh", "classic",
         "关注城市生活",
         [("首页", "/"), ("本地", "/local/"), ("体育", "/sports/"), ("文化", "/culture/"), ("科技", "/tech/")],
         "热门栏目",
         [("天气预报", "/weather/"), ("交通出行", "/traffic/"), ("美食", "/food/"), ("旅游", "/travel/")],
         "关注我们", "扫描二维码关注城市日报公众号。",
         [("关于我们", "/about/"), ("联系我们", "/contact/"), ("广告服务", "/ads/"), ("隐私政策", "/privacy/")],
         "Copyright &copy; 2024 城市日报 版权所有",
         "Tengine", "192.0.2.88",
         {"home": "首页", "share": "分享到：", "posted": "发布时间"}),
    Site("machi", "まちの便り", "www.machi-no-tayori.example", "ja", "blog",
         "地域のニュースと暮らしの話題",
         [("ホーム", "/"), ("地域", "/category/local/"), ("スポーツ", "/category/sports/"),
          ("くらし", "/category/life/"), ("お問い合わせ", "/contact/")],
         "最近の投稿",
         [("週末のイベント情報", "/entry/20240301-901.html"), ("今月のおすすめの本", "/entry/20240225-902.html"),
          ("春の交通安全運動", "/entry/20240220-903.html")],
         "カテゴリー", "地域 &middot; スポーツ &middot; くらし &middot; 文化",
         [("運営者情報", "/about/"), ("プライバシーポリシー", "/privacy/")],
         "&copy; 2024 まちの便り",
         "Apache", "192.0.2.99",
         {"menu": "メニュー", "posted_in": "カテゴリー", "prev": "前の記事", "next": "次の記事"}),
]}


def _meta_charset(charset: str | None) -> str:
    return f'<meta charset="{charset}">\n' if charset else ""


def _body_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def render_page(site: Site, title: str, paragraphs: list[str], published: date, canonical: str,
                meta_charset: str | None = "utf-8", banner: list[str] | None = None) -> str:
    """One article page in the site's own template: nav, header, sidebar and footer boilerplate."""
    esc_title = html.escape(title, quote=False)
    attr_title = html.escape(title, quote=True)
    body = _body_html(paragraphs)
    day = published.isoformat()
    head = (f"<!DOCTYPE html>\n<html lang=\"{site.lang}\">\n<head>\n{_meta_charset(meta_charset)}"
            f"<title>{esc_title} - {site.name}</title>\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta property=\"og:title\" content=\"{attr_title}\">\n"
            f"<link rel=\"canonical\" href=\"{canonical}\">\n"
            "<link rel=\"stylesheet\" href=\"/assets/css/main.css\">\n"
            "<script src=\"/assets/js/analytics.js\" async></script>\n</head>\n")
    consent = ""
    if banner:  # a consent wall rendered inside <main>, ahead of the (tiny) article
        assert site.style == "news", site.key
        consent = ("<div id=\"cookie-consent\" class=\"consent-wall\" role=\"dialog\" aria-modal=\"true\">\n"
                   f"<h2>{html.escape(banner[0], quote=False)}</h2>\n{_body_html(banner[1:])}\n"
                   "<button class=\"accept\">Accept all</button> <button class=\"reject\">Reject all</button>\n"
                   "</div>\n")
    nav_items = "\n".join(f"<li><a href=\"{href}\">{label}</a></li>" for label, href in site.nav)
    side_items = "\n".join(f"<li><a href=\"{href}\">{label}</a></li>" for label, href in site.side_links)
    L = site.labels
    if site.style == "news":
        footer_links = " | ".join(f"<a href=\"{href}\">{label}</a>" for label, href in site.footer_links)
        page = (
            "<body class=\"article-page\">\n"
            f"<a class=\"skip-link\" href=\"#content\">{L['skip']}</a>\n"
            "<header class=\"masthead\">\n"
            f"<div class=\"brand\"><a href=\"/\"><img src=\"/assets/img/logo.svg\" alt=\"{site.name}\"></a>"
            f"<span class=\"tagline\">{site.tagline}</span></div>\n"
            f"<form class=\"search\" action=\"/search\"><input type=\"search\" name=\"q\" "
            f"placeholder=\"{L['search']}\"><button>{L['search']}</button></form>\n"
            "</header>\n"
            f"<nav class=\"primary-nav\" aria-label=\"Main\">\n<ul>\n{nav_items}\n</ul>\n</nav>\n"
            f"<div class=\"layout\">\n<main id=\"content\">\n{consent}<article class=\"story\">\n"
            f"<h1 class=\"headline\">{esc_title}</h1>\n"
            f"<div class=\"story-meta\"><time datetime=\"{day}\">{day}</time></div>\n"
            f"<div class=\"story-body\">\n{body}\n</div>\n</article>\n</main>\n"
            "<aside class=\"sidebar\">\n"
            f"<section class=\"most-read\"><h2>{site.side_title}</h2>\n<ol>\n{side_items}\n</ol></section>\n"
            f"<section class=\"newsletter\"><h2>{site.box_title}</h2><p>{site.box_text}</p>"
            f"<a class=\"button\" href=\"/newsletter\">{L['subscribe']}</a></section>\n"
            "</aside>\n</div>\n"
            "<footer class=\"site-footer\">\n"
            f"<nav class=\"footer-links\">{footer_links}</nav>\n"
            f"<p class=\"copyright\">{site.copyright}</p>\n"
            "</footer>\n</body>\n</html>\n")
    elif site.style == "classic":
        menu = " ".join(f"<a href=\"{href}\">{label}</a>" for label, href in site.nav)
        footer_links = " &middot; ".join(f"<a href=\"{href}\">{label}</a>" for label, href in site.footer_links)
        page = (
            "<body>\n<div id=\"wrapper\">\n"
            f"<div id=\"header\"><h2 class=\"site-title\"><a href=\"/\">{site.name}</a></h2>"
            f"<p class=\"description\">{site.tagline}</p></div>\n"
            f"<div id=\"menu\"><nav>{menu}</nav></div>\n"
            "<div id=\"main\">\n<div id=\"left-col\">\n"
            f"<div class=\"breadcrumbs\"><a href=\"/\">{L['home']}</a> &raquo; {esc_title}</div>\n"
            "<div class=\"post\">\n"
            f"<h1 class=\"post-title\">{esc_title}</h1>\n"
            f"<div class=\"post-info\">{L['posted']} {day}</div>\n"
            f"<div class=\"entry\">\n{body}\n</div>\n"
            f"<div class=\"share\">{L['share']} <a href=\"#\">Facebook</a> <a href=\"#\">X</a> "
            "<a href=\"#\">Email</a></div>\n"
            "</div>\n</div>\n"
            "<div id=\"right-col\">\n"
            f"<div class=\"widget\"><h3>{site.side_title}</h3>\n<ul>\n{side_items}\n</ul></div>\n"
            f"<div class=\"widget\"><h3>{site.box_title}</h3><p>{site.box_text}</p></div>\n"
            "</div>\n</div>\n"
            f"<div id=\"footer\">\n<div class=\"footer-menu\">{footer_links}</div>\n"
            f"<div class=\"footer-copy\">{site.copyright}</div>\n</div>\n"
            "</div>\n</body>\n</html>\n")
    else:  # blog
        footer_links = " | ".join(f"<a href=\"{href}\">{label}</a>" for label, href in site.footer_links)
        page = (
            "<body class=\"post-template-default single single-post\">\n"
            "<div id=\"page\" class=\"site\">\n<header id=\"masthead\" class=\"site-header\">\n"
            f"<div class=\"site-branding\"><p class=\"site-title\"><a href=\"/\" rel=\"home\">{site.name}</a></p>"
            f"<p class=\"site-description\">{site.tagline}</p></div>\n"
            f"<nav id=\"site-navigation\" class=\"main-navigation\"><button class=\"menu-toggle\">{L['menu']}"
            f"</button>\n<ul id=\"primary-menu\" class=\"menu\">\n{nav_items}\n</ul></nav>\n</header>\n"
            "<div id=\"content\" class=\"site-content\">\n<div id=\"primary\" class=\"content-area\">"
            "<main id=\"main\" class=\"site-main\">\n<article class=\"post type-post status-publish hentry\">\n"
            f"<header class=\"entry-header\"><h1 class=\"entry-title\">{esc_title}</h1>\n"
            f"<div class=\"entry-meta\"><time class=\"entry-date published\" datetime=\"{day}\">{day}</time>"
            "</div></header>\n"
            f"<div class=\"entry-content\">\n{body}\n</div>\n"
            f"<footer class=\"entry-footer\"><span class=\"cat-links\">{L['posted_in']} "
            f"<a href=\"{site.nav[1][1]}\" rel=\"category tag\">{site.nav[1][0]}</a></span></footer>\n"
            "</article>\n"
            f"<nav class=\"post-navigation\"><a href=\"#prev\">{L['prev']}</a> <a href=\"#next\">{L['next']}</a></nav>\n"
            "</main></div>\n"
            "<aside id=\"secondary\" class=\"widget-area\">\n"
            f"<section class=\"widget widget_recent_entries\"><h2 class=\"widget-title\">{site.side_title}</h2>\n"
            f"<ul>\n{side_items}\n</ul></section>\n"
            f"<section class=\"widget widget_categories\"><h2 class=\"widget-title\">{site.box_title}</h2>"
            f"<p>{site.box_text}</p></section>\n"
            "</aside>\n</div>\n"
            f"<footer id=\"colophon\" class=\"site-footer\"><div class=\"footer-links\">{footer_links}</div>\n"
            f"<div class=\"site-info\">{site.copyright}</div></footer>\n"
            "</div>\n</body>\n</html>\n")
    return head + page


def render_spam(title: str, intro: str, keyword_paragraphs: list[str], keywords: list[str]) -> str:
    links = "\n".join(f"<a href=\"/go.php?k={i}\">{html.escape(k)}</a>" for i, k in enumerate(keywords))
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            f"<meta name=\"keywords\" content=\"{html.escape(', '.join(keywords))}\">\n</head>\n"
            "<body bgcolor=\"#ffff00\">\n<center>\n"
            f"<h1>{html.escape(title)}</h1>\n<p><b>{html.escape(intro)}</b></p>\n"
            f"{_body_html(keyword_paragraphs)}\n<div class=\"links\">\n{links}\n</div>\n"
            "<p><font size=\"1\">cheap best buy now casino bonus free</font></p>\n"
            "</center>\n</body>\n</html>\n")


# --------------------------------------------------------------------------- web pages

@dataclass
class Page:
    url: str
    kind: str
    expect: str
    body: bytes
    content_type: str
    language: str | None = None
    status: str = "200 OK"
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    case: dict = field(default_factory=dict)


@dataclass
class Art:
    lang: str
    title: str
    paragraphs: list[str]
    site: Site
    published: date
    url: str = ""

    @property
    def text(self) -> str:
        return article_text(self.paragraphs)


EN_SITES = ["gazette", "gazette", "wanderlog", "wanderlog", "gazette", "gazette", "brightwater", "brightwater",
            "brightwater", "gazette", "wanderlog", "wanderlog", "brightwater", "brightwater", "gazette",
            "brightwater", "wanderlog", "gazette"]
LANG_SITE = {"de": "tagesblick", "fr": "journal", "es": "diario", "ru": "vestnik", "zh": "chengshi", "ja": "machi"}

# Non-UTF-8 articles: (lang, title) -> (python codec, charset label, declared in)
CHARSETS = {
    ("fr", "La véritable soupe à l'oignon"): ("cp1252", "windows-1252", "http"),
    ("es", "La historia del chocolate"): ("latin-1", "iso-8859-1", "meta"),
    ("ja", "江戸時代の飛脚"): ("shift_jis", "Shift_JIS", "http"),
    ("zh", "丝绸之路简史"): ("gbk", "GBK", "http"),
}


def article_url(site: Site, art_slug: str, published: date, number: int) -> str:
    base = f"https://{site.host}"
    return {
        "gazette": f"{base}/news/{published:%Y/%m}/{art_slug}",
        "brightwater": f"{base}/articles/{art_slug}.html",
        "wanderlog": f"{base}/{published:%Y/%m}/{art_slug}/",
        "tagesblick": f"{base}/artikel/{art_slug}-{100 + number}.html",
        "journal": f"{base}/actualites/{art_slug}",
        "diario": f"{base}/noticias/{published:%Y/%m/%d}/{art_slug}.html",
        "vestnik": f"{base}/news/{20240 + number}/",
        "chengshi": f"{base}/article/{published:%Y%m%d}/{number:04d}.html",
        "machi": f"{base}/entry/{published:%Y%m%d}-{number:03d}.html",
    }[site.key]


def build_articles() -> list[Art]:
    arts: list[Art] = []
    counter = itertools.count()
    per_lang = {lang: list(enumerate(texts.ARTICLES[lang])) for lang in LANG_ORDER}
    longest = max(len(v) for v in per_lang.values())
    for i in range(longest):  # interleave languages
        for lang in LANG_ORDER:
            if i >= len(per_lang[lang]):
                continue
            idx, (title, paragraphs) = per_lang[lang][i]
            site = SITES[EN_SITES[idx]] if lang == "en" else SITES[LANG_SITE[lang]]
            n = next(counter)
            published = PUBLISHED_START + timedelta(days=n)
            art = Art(lang, title, paragraphs, site, published)
            art.url = article_url(site, slugify(title), published, idx + 1)
            arts.append(art)
    return arts


def html_page(art: Art, kind: str = "article", expect: str = "keep", url: str | None = None,
              paragraphs: list[str] | None = None, site: Site | None = None, title: str | None = None) -> Page:
    codec, charset, declared = CHARSETS.get((art.lang, art.title), ("utf-8", "utf-8", "http+meta"))
    site = site or art.site
    url = url or art.url
    markup = render_page(site, title or art.title, paragraphs or art.paragraphs, art.published, url,
                         meta_charset=charset if declared in ("meta", "http+meta") else None)
    content_type = "text/html" if declared == "meta" else f"text/html; charset={charset}"
    page = Page(url, kind, expect, markup.encode(codec), content_type, art.lang)
    page.case = {"title": title or art.title}
    if codec != "utf-8":
        page.case.update({"encoding": charset.lower(), "charset_declared_in": declared})
    return page


def png_bytes(width: int = 16, height: int = 16) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    raw = b"".join(b"\x00" + b"".join(bytes((x * 15 % 256, y * 15 % 256, 180)) for x in range(width))
                   for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


PDF_BYTES = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
             b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
             b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
             b"4 0 obj\n<< /Length 58 >>\nstream\nBT /F1 18 Tf 72 760 Td (Brightwater Review annual report) Tj ET\n"
             b"endstream\nendobj\n"
             b"trailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n")


def build_web(rng: random.Random) -> tuple[list[Page], Page, dict]:
    """All pages in WARC order, the final page written after the malformed record, and check info."""
    arts = build_articles()
    by_title = {a.title: a for a in arts}
    final_art = by_title.pop("Farmers market returns to Station Square")
    arts.remove(final_art)
    pages: list[Page] = [html_page(a) for a in arts]

    def insert_after(original_url: str | None, page: Page) -> None:
        lo = 0 if original_url is None else next(i for i, p in enumerate(pages) if p.url == original_url) + 1
        pages.insert(rng.randint(lo, len(pages)), page)

    # Exact duplicates: the same bytes under another URL.
    exact = [
        ("Town library extends its weekend opening hours",
         lambda u: u + "?utm_source=newsletter&utm_medium=email&utm_campaign=weekly", "tracking query string"),
        ("How the Moon moves the oceans", lambda u: u.replace("/articles/", "/amp/articles/"), "/amp/ path"),
        ("Neue Radwege für die Innenstadt", lambda u: u.replace("://www.", "://mirror."), "mirror host"),
        ("Le marché couvert rouvre ses portes", lambda u: u.replace("https://", "http://"), "http instead of https"),
        ("Rowing club celebrates one hundred years on the river", lambda u: u + "/", "trailing slash"),
        ("漫步苏州园林", lambda u: u + "?from=timeline&isappinstalled=0", "share query string"),
    ]
    for title, variant, how in exact:
        art = by_title[title]
        original = next(p for p in pages if p.url == art.url)
        dup = Page(variant(art.url), "exact_duplicate", "drop", original.body, original.content_type, art.lang)
        dup.case = {"title": title, "duplicate_of": art.url, "variant": how}
        insert_after(art.url, dup)

    # Near duplicates: republished with small edits.
    near = [
        ("Council approves new footbridge over the Marrow River",
         "https://www.riverside-gazette.example/news/2024/03/footbridge-plan-approved-updated", "gazette",
         [("around 3.2 million pounds", "around 3.4 million pounds"), ("Tuesday evening", "Wednesday evening")],
         None, "changed two words (cost figure, weekday)"),
        ("Volunteers count record number of wading birds at the estuary",
         "https://www.brightwater-review.example/articles/estuary-bird-count-record.html", "brightwater",
         [("on Saturday, 9 March,", "on Sunday, 10 March,")], None,
         "corrected date, syndicated to another site"),
        ("How a small bakery learned to love slow fermentation",
         "https://wanderlog.example/2024/03/slow-fermentation-bakery-revisited/", "wanderlog", [],
         "The next class is already fully booked, but a waiting list has been opened for the spring.",
         "appended sentence"),
        ("Wie ein Dorf seine Grundschule rettete",
         "https://www.tagesblick.example/region/oberweiler-grundschule-gerettet-218.html", "tagesblick",
         [("Text: Jana Vogt; Fotos: Malte Brandt.", "Text: Jana Vogt und Felix Roth; Fotos: Agentur Nordbild.")],
         None, "different byline"),
        ("La renaissance des vergers anciens en Normandie",
         "https://www.journal-des-rives.example/regions/normandie/vergers-anciens-renaissance", "journal",
         [("Plus de cent trente variétés", "Plus de cent quarante variétés"), ("près de Lisieux", "près de Livarot")],
         None, "corrected figure and place name"),
    ]
    checks: dict = {}
    for title, url, site_key, replacements, appended, how in near:
        art = by_title[title]
        edited = edit_paragraphs(art.paragraphs, replacements, appended)
        score = jaccard(art.text, article_text(edited), art.lang)
        assert score >= NEAR_DUP_MIN_JACCARD, (title, score)
        page = html_page(art, "near_duplicate", "drop", url=url, paragraphs=edited, site=SITES[site_key])
        page.case.update({"near_duplicate_of": art.url, "jaccard": round(score, 4), "edit": how})
        insert_after(art.url, page)

    # The chain A ~ B ~ C: A~B and B~C above the threshold, A~C below it.
    chain_root = by_title["The quiet comeback of the night train"]
    b_paras = edit_paragraphs(chain_root.paragraphs, [
        ("For business travellers the saving of a hotel night can make the ticket price look much more reasonable.",
         "Business travellers also like the fact that they can skip a hotel booking, which makes the fare "
         "seem far more affordable."),
    ], None)
    c_paras = edit_paragraphs(b_paras, [
        ("Booking systems are another common frustration, since a journey through three countries may involve "
         "three different railway companies and several separate tickets.",
         "Buying tickets is a headache as well, because a trip across three borders can mean dealing with three "
         "operators and juggling a handful of separate reservations."),
    ], None)
    a_text, b_text, c_text = chain_root.text, article_text(b_paras), article_text(c_paras)
    ab, bc, ac = (jaccard(a_text, b_text, "en"), jaccard(b_text, c_text, "en"), jaccard(a_text, c_text, "en"))
    assert ab >= CHAIN_THRESHOLD and bc >= CHAIN_THRESHOLD and ac < CHAIN_THRESHOLD, (ab, bc, ac)
    b_url = "https://www.brightwater-review.example/articles/night-trains-return.html"
    c_url = "https://www.riverside-gazette.example/news/2024/04/night-train-revival"
    chain = {"a": chain_root.url, "b": b_url, "c": c_url,
             "jaccard_ab": round(ab, 4), "jaccard_bc": round(bc, 4), "jaccard_ac": round(ac, 4)}
    page_b = html_page(chain_root, "near_duplicate", "drop", url=b_url, paragraphs=b_paras,
                       site=SITES["brightwater"])
    page_b.case.update({"near_duplicate_of": chain_root.url, "jaccard": chain["jaccard_ab"],
                        "edit": "one sentence reworded (chain A~B~C, this is B)", "chain": chain})
    insert_after(chain_root.url, page_b)
    page_c = html_page(chain_root, "near_duplicate", "drop", url=c_url, paragraphs=c_paras, site=SITES["gazette"])
    page_c.case.update({"near_duplicate_of": b_url, "jaccard": chain["jaccard_bc"],
                        "edit": "another sentence reworded (chain A~B~C, this is C)", "chain": chain})
    insert_after(b_url, page_c)

    # Mojibake: UTF-8 bytes read as cp1252, served as UTF-8.
    checks["mojibake"] = []
    moji_sites = {"fr": "journal", "de": "tagesblick", "en": "gazette"}
    for n, (lang, title, paragraphs) in enumerate(texts.MOJIBAKE_ARTICLES):
        site = SITES[moji_sites[lang]]
        published = PUBLISHED_START + timedelta(days=70 + n)
        art = Art(lang, title, paragraphs, site, published)
        art.url = article_url(site, slugify(title), published, 40 + n)
        damaged = [damage(p) for p in paragraphs]
        page = html_page(art, "mojibake", "keep", paragraphs=damaged, title=damage(title))
        clean_first = first_sentence(paragraphs[0])
        page.case.update({"title": title, "clean_first_sentence": clean_first,
                          "damaged_first_sentence": damage(clean_first)})
        insert_after(None, page)
        checks["mojibake"].append((art, damaged))

    # Keyword-stuffed spam on spammy hosts.
    for n, (title, intro, keywords) in enumerate(texts.SPAM_PAGES):
        paragraphs = []
        for _ in range(4):
            words = keywords * 3
            rng.shuffle(words)
            paragraphs.append(" ".join(words))
        url = ["https://best-deals-4u.example/cheap-viagra-casino-bonus.html",
               "http://fast-cash-loans.example/index.php?p=payday-loans&ref=1337"][n]
        page = Page(url, "spam", "drop", render_spam(title, intro, paragraphs, keywords).encode("utf-8"),
                    "text/html; charset=utf-8", "en")
        page.case = {"title": title}
        insert_after(None, page)

    # Lorem ipsum inside real templates.
    for n, (title, paragraphs) in enumerate(texts.LOREM_PAGES):
        site = SITES[("wanderlog", "diario")[n]]
        url = ["https://wanderlog.example/sample-page/",
               "https://www.diario-del-valle.example/plantilla/pagina-de-ejemplo.html"][n]
        art = Art("la", title, paragraphs, site, PUBLISHED_START + timedelta(days=80 + n), url)
        page = html_page(art, "lorem_ipsum", "drop")
        insert_after(None, page)

    # Cookie / privacy notice with almost no content.
    banner_title, banner_paras = texts.COOKIE_PAGE
    cookie_art = Art("en", "Bin collection dates have changed", banner_paras[-2:], SITES["gazette"],
                     PUBLISHED_START + timedelta(days=85),
                     "https://www.riverside-gazette.example/council/bin-collection-changes")
    markup = render_page(SITES["gazette"], cookie_art.title, cookie_art.paragraphs, cookie_art.published,
                         cookie_art.url, banner=[banner_title] + banner_paras[:-2])
    page = Page(cookie_art.url, "cookie_notice", "drop", markup.encode("utf-8"), "text/html; charset=utf-8", "en")
    page.case = {"title": cookie_art.title}
    insert_after(None, page)

    # Non-HTML responses.
    json_body = json.dumps({"city": "Озёрск", "updated": "2024-03-04T09:00:00Z", "temperature_c": 3.5,
                            "wind_ms": 6.2, "forecast": ["снег", "облачно", "ясно"]},
                           ensure_ascii=False, sort_keys=True).encode("utf-8")
    for url, ctype, body in [
        ("https://www.brightwater-review.example/media/reports/annual-report-2023.pdf", "application/pdf", PDF_BYTES),
        ("https://www.riverside-gazette.example/assets/img/weather-icon.png", "image/png", png_bytes()),
        ("https://vestnik-ozer.example/api/v1/weather.json", "application/json; charset=utf-8", json_body),
    ]:
        page = Page(url, "non_html", "skip", body, ctype, None)
        page.case = {"content_type": ctype.split(";")[0]}
        insert_after(None, page)

    # HTTP redirects.
    de_target = by_title["Handball: Aufstieg in letzter Sekunde"].url
    for url, location in [("http://riverside-gazette.example/", "https://www.riverside-gazette.example/"),
                          ("https://www.tagesblick.example/artikel/123456", de_target)]:
        body = ("<html><head><title>301 Moved Permanently</title></head><body><h1>Moved Permanently</h1>"
                f"<p>The document has moved <a href=\"{location}\">here</a>.</p></body></html>\n").encode("ascii")
        page = Page(url, "redirect", "skip", body, "text/html; charset=iso-8859-1", None,
                    status="301 Moved Permanently", extra_headers=[("Location", location)])
        page.case = {"location": location}
        insert_after(None, page)

    final_page = html_page(final_art)
    checks["distinct"] = arts + [final_art] + [a for a, _ in checks["mojibake"]]
    return pages, final_page, checks


def edit_paragraphs(paragraphs: list[str], replacements: list[tuple[str, str]], appended: str | None) -> list[str]:
    out = list(paragraphs)
    for old, new in replacements:
        hits = [i for i, p in enumerate(out) if old in p]
        assert len(hits) == 1 and out[hits[0]].count(old) == 1, old
        out[hits[0]] = out[hits[0]].replace(old, new)
    if appended:
        out[-1] = out[-1] + " " + appended
    return out


def damage(text: str) -> str:
    """The classic mojibake: UTF-8 bytes decoded as windows-1252."""
    return text.encode("utf-8").decode("cp1252")


# --------------------------------------------------------------------------- WARC

def http_date(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def warc_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_page(writer: WARCWriter, page: Page, when: datetime, warcinfo_id: str, with_request: bool) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(page.url)
    host = parts.netloc
    site = next((s for s in SITES.values() if host.endswith(s.host.removeprefix("www."))), None)
    resp_id = uid("response", page.url)
    headers = [("Date", http_date(when)), ("Server", site.server if site else "Apache"),
               ("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
    headers += page.extra_headers
    if page.status.startswith("200") and page.content_type.startswith("text/html"):
        headers.append(("Cache-Control", "max-age=300"))
    headers.append(("Connection", "close"))
    ip = site.ip if site else "198.51.100.7"
    resp = writer.create_warc_record(
        page.url, "response", payload=io.BytesIO(page.body), length=len(page.body),
        http_headers=StatusAndHeaders(page.status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Record-ID": resp_id, "WARC-Date": warc_date(when), "WARC-IP-Address": ip,
                           "WARC-Warcinfo-ID": warcinfo_id})
    if with_request:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        req_headers = [("Host", host), ("User-Agent", "corpusforge-sample/1.0 (+https://corpusforge.example/bot)"),
                       ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"), ("Accept-Encoding", "identity"),
                       ("Connection", "close")]
        req = writer.create_warc_record(
            page.url, "request",
            http_headers=StatusAndHeaders(f"GET {path} HTTP/1.1", req_headers, is_http_request=True),
            warc_headers_dict={"WARC-Record-ID": uid("request", page.url), "WARC-Date": warc_date(when),
                               "WARC-Concurrent-To": resp_id, "WARC-Warcinfo-ID": warcinfo_id})
        writer.write_record(req)
    writer.write_record(resp)
    return resp_id


def gzip_member(data: bytes) -> bytes:
    """One gzip member with mtime 0, like warcio writes (zlib gzip wrapper)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return comp.compress(data) + comp.flush()


def build_warc(rng: random.Random) -> tuple[bytes, list[dict], dict, dict]:
    pages, final_page, checks = build_web(rng)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.0")
    warcinfo_id = uid("warcinfo", WARC_NAME)
    info = (b"software: corpusforge sample generator (scripts/make_sample_corpus.py)\r\n"
            b"format: WARC File Format 1.0\r\n"
            b"conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
            b"description: Synthetic crawl of fictional sites with planted test cases; see planted.json\r\n"
            b"isPartOf: corpusforge-sample\r\n")
    writer.write_record(writer.create_warc_record(
        None, "warcinfo", payload=io.BytesIO(info), length=len(info), warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Record-ID": warcinfo_id, "WARC-Date": warc_date(CRAWL_START),
                           "WARC-Filename": WARC_NAME}))
    records = 1
    cases = []
    when = CRAWL_START
    for page in pages:
        when += timedelta(seconds=37)
        record_id = write_page(writer, page, when, warcinfo_id, with_request=True)
        records += 2
        cases.append(web_case(page, record_id))

    malformed_offset = out.tell()
    bad_url = "https://www.riverside-gazette.example/news/2024/03/broken-record"
    bad_id = uid("response", bad_url)
    when += timedelta(seconds=37)
    bad = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: {bad_id}\r\nWARC-Date: {warc_date(when)}\r\n"
           f"WARC-Target-URI: {bad_url}\r\nContent-Type: application/http; msgtype=response\r\n"
           "Content-Length: notanumber\r\n\r\n"
           "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           "<html><body><p>This record has a broken WARC header.</p></body></html>\r\n\r\n").encode()
    out.write(gzip_member(bad))
    records += 1
    cases.append({"file": WARC_NAME, "kind": "malformed_record", "url": bad_url, "record_id": bad_id,
                  "language": None, "expect": "dead_letter", "offset": malformed_offset})

    when += timedelta(seconds=37)
    final_offset = out.tell()
    record_id = write_page(writer, final_page, when, warcinfo_id, with_request=False)
    records += 1
    final_case = web_case(final_page, record_id)
    final_case["after_malformed_record"] = True
    final_case["offset"] = final_offset
    cases.append(final_case)

    responses = sum(1 for c in cases if c["kind"] != "malformed_record")
    return out.getvalue(), cases, {"records": records, "responses": responses}, checks


def web_case(page: Page, record_id: str) -> dict:
    case = {"file": WARC_NAME, "kind": page.kind, "url": page.url, "record_id": record_id,
            "language": page.language, "expect": page.expect}
    case.update(page.case)
    return case


# --------------------------------------------------------------------------- Wikipedia dump

WIKI_HEADER = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" \
version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>samplewiki</dbname>
    <base>https://en.wikipedia.example/wiki/Main_Page</base>
    <generator>MediaWiki 1.42.0-wmf.18</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="4" case="first-letter">Wikipedia</namespace>
      <namespace key="6" case="first-letter">File</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="14" case="first-letter">Category</namespace>
    </namespaces>
  </siteinfo>
"""
WIKI_FOOTER = "</mediawiki>\n"
PAGES_PER_STREAM = 10
CONTRIBUTORS = [("Riverbanker", 48213), ("Quillfeather", 1093377), ("GeoEditor", 77120), (None, "192.0.2.141"),
                ("Lampwick", 3021945), ("Copyedit Crow", 2207711)]
COMMENTS = ["copyedit", "/* History */ expand with sources", "rm unsourced claim", None, "fix refs",
            "Reverted 1 edit by [[Special:Contributions/192.0.2.9|192.0.2.9]]: unexplained removal"]


def xml_text(text: str) -> str:
    """Escape like MediaWiki's dumper: &, <, > and double quotes."""
    return xml_escape(text, {'"': "&quot;"})


def mediawiki_sha1(text: str) -> str:
    """Base-36 SHA-1 of the revision text, as MediaWiki stores it (31 digits, zero padded)."""
    n = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + digits
    return digits.rjust(31, "0")


def page_xml(page: dict, page_id: int, rev_id: int, n: int) -> str:
    username, user_id = CONTRIBUTORS[n % len(CONTRIBUTORS)]
    contributor = (f"        <username>{xml_escape(username)}</username>\n        <id>{user_id}</id>\n"
                   if username else f"        <ip>{user_id}</ip>\n")
    comment = COMMENTS[n % len(COMMENTS)]
    stamp = (datetime(2023, 9, 1, tzinfo=timezone.utc) + timedelta(days=5 * n, minutes=97 * n))
    text = page["text"]
    redirect = (f"    <redirect title=\"{xml_text(page['target'])}\" />\n" if page["kind"] == "redirect" else "")
    return (
        "  <page>\n"
        f"    <title>{xml_escape(page['title'])}</title>\n"
        f"    <ns>{page['ns']}</ns>\n"
        f"    <id>{page_id}</id>\n"
        f"{redirect}"
        "    <revision>\n"
        f"      <id>{rev_id}</id>\n"
        f"      <parentid>{rev_id - 1 - 311 * n}</parentid>\n"
        f"      <timestamp>{stamp:%Y-%m-%dT%H:%M:%SZ}</timestamp>\n"
        f"      <contributor>\n{contributor}      </contributor>\n"
        + (f"      <comment>{xml_escape(comment)}</comment>\n" if comment else "")
        + "      <model>wikitext</model>\n"
        "      <format>text/x-wiki</format>\n"
        f"      <text bytes=\"{len(text.encode('utf-8'))}\" xml:space=\"preserve\">"
        f"{xml_text(text)}</text>\n"
        f"      <sha1>{mediawiki_sha1(text)}</sha1>\n"
        "    </revision>\n"
        "  </page>\n")


def build_wiki() -> tuple[bytes, bytes, list[dict]]:
    streams = [bz2.compress(WIKI_HEADER.encode("utf-8"), 9)]
    offset = len(streams[0])
    index_lines, cases = [], []
    pages = texts.WIKI_PAGES
    for start in range(0, len(pages), PAGES_PER_STREAM):
        chunk = []
        for n in range(start, min(start + PAGES_PER_STREAM, len(pages))):
            page = pages[n]
            page_id = 4100 + 13 * n + (n * n) % 7
            rev_id = 1187000000 + 977 * n
            chunk.append(page_xml(page, page_id, rev_id, n))
            index_lines.append(f"{offset}:{page_id}:{page['title']}\n")
            cases.append(wiki_case(page, page_id, rev_id))
        stream = bz2.compress("".join(chunk).encode("utf-8"), 9)
        streams.append(stream)
        offset += len(stream)
    streams.append(bz2.compress(WIKI_FOOTER.encode("utf-8"), 9))
    index = bz2.compress("".join(index_lines).encode("utf-8"), 9)
    return b"".join(streams), index, cases


def wiki_case(page: dict, page_id: int, rev_id: int) -> dict:
    kind = page["kind"]
    case = {"file": WIKI_NAME, "kind": kind, "title": page["title"], "ns": page["ns"], "page_id": page_id,
            "revision_id": rev_id, "language": "en",
            "expect": "keep" if kind == "article" else "skip"}
    if kind == "article":
        for key in ("must_contain", "must_not_contain"):
            for s in page[key]:
                assert s in page["text"], (page["title"], s)
            case[key] = list(page[key])
    elif kind == "redirect":
        case["target"] = page["target"]
    return case


# --------------------------------------------------------------------------- docs.jsonl

def build_jsonl(dup_source: Art) -> tuple[bytes, list[dict]]:
    docs = {d[0]: d for d in texts.DOCS}

    def record(doc_id: str) -> dict:
        _, lang, url, day, tags, text = docs[doc_id]
        return {"id": doc_id, "text": text, "url": url, "date": day, "tags": tags}

    plan: list[tuple[str, dict | str]] = []
    for doc_id in ["doc-0001", "doc-0002", "doc-0006"]:
        plan.append(("article", doc_id))
    plan.append(("exact_duplicate", {"id": "doc-0012", "text": dup_source.text,
                                     "url": "https://aggregator.example.net/read/octopus-colour",
                                     "date": "2024-02-02", "tags": ["science", "aggregated"]}))
    plan += [("article", "doc-0008"), ("article", "doc-0003")]
    plan.append(("missing_text_field", {"id": "doc-0013", "url": "https://notes.example.org/draft-7",
                                        "date": "2024-02-05", "tags": ["draft"],
                                        "body": "This record stores its content under the wrong key."}))
    plan += [("article", "doc-0010"), ("article", "doc-0004")]
    plan.append(("invalid_json", "doc-0014"))
    plan += [("article", "doc-0007")]
    plan.append(("empty_text", {"id": "doc-0015", "text": "", "url": "https://notes.example.org/empty",
                                "date": "2024-02-07", "tags": []}))
    plan += [("article", "doc-0009"), ("article", "doc-0005"), ("article", "doc-0011")]

    lines, cases = [], []
    for line_no, (kind, item) in enumerate(plan, start=1):
        case: dict = {"file": JSONL_NAME, "kind": kind, "line": line_no}
        if kind == "article":
            rec = record(item)
            lines.append(json.dumps(rec, ensure_ascii=False))
            case.update({"id": item, "url": rec["url"], "language": docs[item][1], "expect": "keep"})
        elif kind == "invalid_json":
            full = json.dumps({"id": item, "text": "This line was cut off in the middle of a write and never "
                               "finished, so it is not valid JSON.", "url": "https://notes.example.org/cut"})
            lines.append(full[:70])
            case.update({"id": item, "url": None, "language": "en", "expect": "dead_letter"})
        else:
            lines.append(json.dumps(item, ensure_ascii=False))
            expect = {"exact_duplicate": "drop", "missing_text_field": "dead_letter", "empty_text": "skip"}[kind]
            case.update({"id": item["id"], "url": item["url"], "language": "en", "expect": expect})
            if kind == "exact_duplicate":
                case["duplicate_of"] = dup_source.url
                case["note"] = "text equals the WARC article's body paragraphs joined by blank lines"
        cases.append(case)
    return ("\n".join(lines) + "\n").encode("utf-8"), cases


# --------------------------------------------------------------------------- threads-a/b.jsonl

# Two exports of a forum, each numbering its records from 1 (the ids overlap across the files), whose
# rows share a url: answers in one thread. All are different documents and must all be kept.
THREADS = {
    "threads-a.jsonl": ("https://forum.example.org/t/2231-fixing-a-squeaky-bicycle-chain", [
        "My bicycle chain has started to squeak on every turn of the pedals, even though I cleaned it last "
        "month. I ride about twenty kilometres a day to work, mostly on dry roads, and the noise gets worse "
        "when I climb the hill near the station. Is it time for a new chain, or is there something else I "
        "should check first? I would rather not replace parts that are still fine.",
        "Before you buy anything, measure the chain with a ruler. Twelve links should be very close to "
        "thirty centimetres; if they are longer by more than a millimetre or two, the chain has stretched "
        "and will wear the cassette as well. A stretched chain often squeaks because it no longer sits "
        "cleanly on the teeth of the sprockets, and no amount of oil will fix that for long.",
        "In my experience a squeak after cleaning usually means the rollers were washed dry. Degreaser gets "
        "inside the links, and if you only oil the outside the pins keep grinding. Put one drop of a thin "
        "chain oil on each roller, turn the cranks backwards for a minute, and then wipe off everything you "
        "can see on the outside. The oil has to be inside the chain, not on it.",
        "Also look at the jockey wheels on the rear derailleur. They collect grit and can squeak in exactly "
        "the rhythm you describe, which makes people blame the chain. Spin each wheel with a finger while "
        "the bike is on a stand; if one feels rough or stiff, take it out, clean the bushing and grease it. "
        "It costs nothing and takes ten minutes with a small hex key.",
    ]),
    "threads-b.jsonl": ("https://forum.example.org/t/1877-keeping-basil-alive-indoors", [
        "Every pot of basil I bring home from the supermarket wilts within two weeks on my kitchen "
        "windowsill. The window faces east and gets sun until about noon. I water the pot whenever the top "
        "of the soil feels dry, yet the lower leaves turn yellow and the stems go soft near the base. What "
        "am I doing wrong, and can a plant that looks like this still be saved?",
        "Those pots usually hold twenty or thirty seedlings crammed together, and they compete for water "
        "and light until most of them collapse. Split the clump into four or five small groups and give "
        "each group its own pot with fresh compost. Yellow lower leaves and soft stems are classic signs of "
        "roots sitting in wet soil, so choose pots with drainage holes and empty the saucer after watering.",
        "Basil also hates cold draughts. An east window can be chilly in the early morning, especially if "
        "the glass is single glazed. Move the plant a little further into the room at night, and pinch out "
        "the growing tips every week so it branches instead of getting tall and thin. Once it is bushy you "
        "can harvest from the top without ever weakening the plant.",
    ]),
}


def build_threads() -> tuple[dict[str, bytes], list[dict]]:
    files, cases = {}, []
    for name, (url, answers) in THREADS.items():
        lines = []
        for number, text in enumerate(answers, start=1):
            lines.append(json.dumps({"id": number, "url": url, "text": text}, ensure_ascii=False))
            cases.append({"file": name, "kind": "thread_answer", "line": number, "id": number, "url": url,
                          "language": "en", "expect": "keep",
                          "note": "ids overlap across the two files and rows share a url: all different documents"})
        files[name] = ("\n".join(lines) + "\n").encode("utf-8")
    return files, cases


# --------------------------------------------------------------------------- checks

def check_texts(checks: dict) -> None:
    distinct: list[Art] = checks["distinct"]
    for art in distinct:
        size = text_size(art.text, art.lang)
        lo, hi = (300, 700) if art.lang in CJK else (150, 450)
        assert lo <= size <= hi, (art.title, size)
        for p in art.paragraphs:
            assert p.rstrip()[-1] in ".!?。？！", (art.title, p[-20:])
    for title in ["Council approves new footbridge over the Marrow River",
                  "Volunteers count record number of wading birds at the estuary",
                  "How a small bakery learned to love slow fermentation", "The quiet comeback of the night train",
                  "Wie ein Dorf seine Grundschule rettete", "La renaissance des vergers anciens en Normandie"]:
        art = next(a for a in distinct if a.title == title)
        assert text_size(art.text, art.lang) >= 350, title
    langs = {a.lang for a in distinct}
    for lang in LANG_ORDER:
        need = 15 if lang == "en" else 6
        assert sum(1 for a in distinct if a.lang == lang) >= need, lang
    assert len(langs) >= 7
    # Pairwise distinctness; articles in different languages share no shingles, so only same-language
    # pairs are compared.
    sh = [(a, shingles(a.text, a.lang)) for a in distinct]
    for (a, sa), (b, sb) in itertools.combinations(sh, 2):
        if a.lang == b.lang:
            score = len(sa & sb) / len(sa | sb)
            assert score < DISTINCT_MAX_JACCARD, (a.title, b.title, score)
    try:
        import ftfy
    except ImportError:  # pragma: no cover - ftfy is a project dependency
        return
    for art, damaged in checks["mojibake"]:
        assert damaged != art.paragraphs
        clean = first_sentence(art.paragraphs[0])
        assert ftfy.fix_text(damage(clean)) == clean, clean
        assert ftfy.fix_text(article_text(damaged)) == art.text, art.title


# --------------------------------------------------------------------------- sentiment files

# A sentiment task for `corpusforge finetune` at the end of `make demo`: short reviews of the places and
# things the sample corpus writes about, each with one to three opinion words, all of which occur in the
# corpus's English text. It is built to show what pretraining is for:
#
# * sentiment-train.csv (labelled) uses only the SEEN opinion words;
# * sentiment-test.csv (labelled) uses the SEEN words in half its rows and only HELD_OUT words, which no
#   labelled training row contains, in the other half;
# * sentiment-unlabelled.jsonl (no labels: a pretraining input) holds other reviews with every opinion
#   word, two or three per sentence; each review (a document) is positive or negative throughout.
#
# A model trained from scratch on the labelled rows can only guess at a held-out word; a model pretrained
# on the unlabelled reviews has seen it beside seen words of the same polarity. No text occurs twice
# across the three files. They are not inputs of the sample build, so they have no planted cases;
# planted.json lists them under "files" with their counts.
SENTIMENT_TRAIN_NAME = "sentiment-train.csv"
SENTIMENT_TEST_NAME = "sentiment-test.csv"
SENTIMENT_UNLABELLED_NAME = "sentiment-unlabelled.jsonl"
SENTIMENT_SEED = 1507
SENTIMENT_TRAIN_ROWS = 400
SENTIMENT_TEST_ROWS = 200
SENTIMENT_UNLABELLED_DOCS = 200
SENTIMENT_SENTENCES_PER_DOC = 16
SENTIMENT_PLACES = ["bridge", "bakery", "night train", "station", "market", "school", "museum", "library",
                    "river path", "lighthouse", "canal", "square", "rowing club", "village", "beach", "hotel",
                    "park", "harbour", "orchard", "gallery", "high street", "bread", "footbridge", "estuary"]
SENTIMENT_WORDS = {  # every word occurs in the sample corpus's English text; the last 8 of each are held out
    "positive": ["good", "great", "excellent", "beautiful", "fine", "happy", "friendly", "fresh", "warm", "safe",
                 "easy", "perfect", "popular", "bright", "calm", "clean", "quiet", "comfortable", "reliable", "ideal"],
    "negative": ["poor", "broken", "noisy", "slow", "late", "crowded", "expensive", "difficult", "dangerous", "cold",
                 "wet", "closed", "empty", "hard", "narrow", "dark", "loud", "flooded", "stale", "steep"],
}
SENTIMENT_HELD_OUT = 8
SENTIMENT_TEMPLATES = [  # {a}, {b}, {c}: opinion words of one polarity
    "The {place} was {a}.", "We found the {place} {a} and {b}.", "Our visit to the {place} was {a}.",
    "Honestly, the {place} is {a}.", "Everyone said the {place} was {a}.", "A {a} morning at the {place}.",
    "The {place} is always {a} and {b}.", "After the changes, the {place} feels {a}.", "What a {a} {place}!",
    "The new {place} looks {a}, and the staff were {b}.", "I thought the {place} was {a}.",
    "The {place} was {a} again this week.", "My family went to the {place}; it was {a} and {b}.",
    "Two words for the {place}: {a} and {b}.", "By the evening the {place} was {a}.",
    "The old {place} still seems {a}.", "Visitors describe the {place} as {a}.",
    "The {place} was {a}, {b} and {c}.", "It was a {a} day: the {place} was {b} and {c}.",
    "We found the {place} {a}, {b} and {c}.", "Visitors call the {place} {a}, {b} and {c}.",
    "The staff were {a}, the rooms {b} and the {place} {c}.", "Our week at the {place} was {a} and {b}, the bread {c}.",
]


def sentiment_words(label: str, part: str) -> list[str]:
    """The opinion words of ``label`` in ``part``: "seen", "held_out" or "all"."""
    words = SENTIMENT_WORDS[label]
    return {"seen": words[:-SENTIMENT_HELD_OUT], "held_out": words[-SENTIMENT_HELD_OUT:], "all": words}[part]


def sentiment_sentence(rng: random.Random, words: list[str], min_words: int = 1) -> str:
    """One review: a template whose opinion slots are filled with distinct words of ``words``."""
    templates = [t for t in SENTIMENT_TEMPLATES if t.count("{") - 1 >= min_words]
    template = rng.choice(templates)
    a, b, c = rng.sample(words, 3)
    text = template.format(place=rng.choice(SENTIMENT_PLACES), a=a, b=b, c=c)
    return re.sub(r"\b([Aa]) (?=[aeiou])", r"\1n ", text)  # "an excellent", "An empty"


def build_sentiment() -> dict[str, tuple[bytes, dict]]:
    """The three files and their planted.json entries."""
    rng = random.Random(SENTIMENT_SEED)
    labels = sorted(SENTIMENT_WORDS)
    seen: set[str] = set()

    def fresh(words: list[str], min_words: int = 1) -> str:
        while True:
            text = sentiment_sentence(rng, words, min_words)
            if text not in seen:
                seen.add(text)
                return text

    train = [(fresh(sentiment_words(labels[i % 2], "seen")), labels[i % 2]) for i in range(SENTIMENT_TRAIN_ROWS)]
    test = [(fresh(sentiment_words(labels[i % 2], "held_out" if i % 4 >= 2 else "seen")), labels[i % 2])
            for i in range(SENTIMENT_TEST_ROWS)]
    rng.shuffle(train)
    rng.shuffle(test)
    documents = []
    for d in range(SENTIMENT_UNLABELLED_DOCS):
        polarity = labels[d % 2]  # a review is positive or negative throughout, as real ones are
        sentences = [fresh(sentiment_words(polarity, "all"), min_words=2) for _ in range(SENTIMENT_SENTENCES_PER_DOC)]
        documents.append({"id": f"review-{d:03d}", "text": " ".join(sentences),
                          "url": f"https://reviews.example.org/riverside/{d:03d}"})

    def table(rows: list[tuple[str, str]], held_out: bool) -> tuple[bytes, dict]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(rows)
        entry = {"rows": len(rows), "columns": ["text", "label"],
                 "labels": {label: sum(1 for _, y in rows if y == label) for label in labels},
                 "use": "labelled sentiment for corpusforge finetune (make demo); not a build input"}
        if held_out:
            entry["rows_with_held_out_words_only"] = SENTIMENT_TEST_ROWS // 2
            entry["opinion_words"] = {label: sentiment_words(label, "all") for label in labels}
            entry["held_out_words"] = {label: sentiment_words(label, "held_out") for label in labels}
        return buf.getvalue().encode("utf-8"), entry

    unlabelled = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents).encode("utf-8")
    return {SENTIMENT_TRAIN_NAME: table(train, False), SENTIMENT_TEST_NAME: table(test, True),
            SENTIMENT_UNLABELLED_NAME: (unlabelled, {
                "lines": len(documents), "sentences": len(documents) * SENTIMENT_SENTENCES_PER_DOC,
                "use": "unlabelled reviews: a pretraining input of make demo (not of the sample build)"})}


def write_sentiment(output_dir: Path) -> dict[str, dict]:
    """Write the sentiment files; returns their planted.json ``files`` entries."""
    entries = {}
    for name, (data, entry) in build_sentiment().items():
        (output_dir / name).write_bytes(data)
        entries[name] = entry
    return entries


# --------------------------------------------------------------------------- main

def generate(output_dir: Path) -> dict:
    rng = random.Random(SEED)
    warc, web_cases, warc_counts, checks = build_warc(rng)
    check_texts(checks)
    wiki, wiki_index, wiki_cases = build_wiki()
    dup_source = next(a for a in checks["distinct"] if a.title == "Why octopuses change colour")
    jsonl, doc_cases = build_jsonl(dup_source)
    threads, thread_cases = build_threads()

    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / WARC_NAME).write_bytes(warc)
    (output_dir / WIKI_NAME).write_bytes(wiki)
    (output_dir / WIKI_INDEX_NAME).write_bytes(wiki_index)
    (output_dir / JSONL_NAME).write_bytes(jsonl)
    for name, data in threads.items():
        (output_dir / name).write_bytes(data)
    manifest = {
        "format_version": 1,
        "generator": GENERATOR,
        "files": {
            WARC_NAME: warc_counts,
            WIKI_NAME: {"pages": len(wiki_cases), "index": WIKI_INDEX_NAME},
            JSONL_NAME: {"lines": len(doc_cases)},
            **{name: {"lines": data.count(b"\n")} for name, data in threads.items()},
        },
        "cases": web_cases + wiki_cases + doc_cases + thread_cases,
    }
    manifest["files"].update(write_sentiment(output_dir))
    with open(output_dir / PLANTED_NAME, "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output_dir", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the files (default: {DEFAULT_OUTPUT.relative_to(REPO)})")
    args = parser.parse_args(argv)
    manifest = generate(args.output_dir)
    counts: dict[str, int] = {}
    for case in manifest["cases"]:
        key = f"{case['file']}:{case['kind']}"
        counts[key] = counts.get(key, 0) + 1
    for key in sorted(counts):
        print(f"{counts[key]:4d}  {key}")
    print(f"wrote {args.output_dir}")


if __name__ == "__main__":
    main()
