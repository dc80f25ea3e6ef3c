"""Outlets: the gazetteer, hosts and subdomains, credits in bylines and sign-offs, and the site's own printed name.

Texts are written for these tests; the outlet names are real (the gazetteer's), the hosts of unknown sites are
``.example``.
"""

from __future__ import annotations

from collections import Counter

import pytest

from crossnews.clean import clean
from crossnews.clean.metadata import find_outlet, host_spelled_name, outlet_for_domain, outlets
from crossnews.ingest import RawInput

PROSE = [
    "The harbour council met for six hours on Tuesday before agreeing to postpone the vote on the expansion.",
    '"We need more time to study the figures," the council chair, Ada Brook, told reporters after the session.',
    "Opponents of the plan say the dredging would damage fishing grounds that supply half of the town's catch.",
    "A final decision is now expected at the next session, which has been scheduled for early next month.",
]


def page(lines: list[str], url: str | None = None) -> RawInput:
    given = {"url": url} if url else {}
    return RawInput("t.txt", "\n\n".join(lines) + "\n", "text", "file", given)


def test_gazetteer_names_aliases_and_domains_are_unambiguous():
    names = Counter(o.name for o in outlets())
    assert not [n for n, k in names.items() if k > 1]
    owner: dict[str, str] = {}
    for o in outlets():
        for alias in (o.name, *o.aliases, *o.strict):
            assert owner.setdefault(alias.lower(), o.name) == o.name, alias
    domains = Counter(d for o in outlets() for d in o.domains)
    assert not [d for d, k in domains.items() if k > 1]
    for o in outlets():
        assert o.country is None or (len(o.country) == 2 and o.country.isupper()), o.name


@pytest.mark.parametrize("host, name", [
    ("cloudflarepoc.newsmax.com", "Newsmax"),
    ("staging.mercurynews.com", "The Mercury News"),
    ("feeds.bbci.co.uk", "BBC News"),
    ("www.bbc.co.uk", "BBC News"),
    ("africa.cgtn.com", "CGTN Africa"),  # the longest matching domain wins
    ("cgtn.com", "CGTN"),
    ("english.alarabiya.net", "Al Arabiya"),
    ("economictimes.indiatimes.com", "The Economic Times"),
    ("timesofindia.indiatimes.com", "The Times of India"),
])
def test_hosts_and_subdomains_map_to_the_outlet(host, name):
    found = outlet_for_domain(host)
    assert found is not None and found.name == name


@pytest.mark.parametrize("host", ["notnewsmax.com", "bbc.co.uk.example", "example.org"])
def test_lookalike_hosts_are_not_outlets(host):
    assert outlet_for_domain(host) is None


def test_names_that_are_ordinary_words_match_only_whole():
    assert find_outlet("Metro").name == "Metro"
    assert find_outlet("The Hill").name == "The Hill"
    assert find_outlet("Metro council approves the budget") is None
    assert find_outlet("Up the hill and The Hill again") is None
    assert find_outlet("Marrakand Telegraph Agency (MARTA)") is None  # not The Telegraph
    assert find_outlet("Reuters Staff").name == "Reuters"  # an unambiguous name matches inside a line


def test_a_byline_crediting_another_outlet_makes_the_host_the_republisher():
    doc = clean(page(["Harbour vote delayed", "By Jane Doe | Washington Post", *PROSE],
                     "https://staging.mercurynews.com/2021/03/03/harbour-vote"))
    assert doc.outlet == "The Washington Post"
    assert doc.republisher == "The Mercury News"
    assert doc.author == "Jane Doe"
    removed = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert removed["By Jane Doe | Washington Post"] == "metadata:byline"
    ev = next(e for e in doc.evidence if e.field == "outlet")
    assert doc.text[ev.span.start:ev.span.end] == "Washington Post"


def test_an_agency_byline_at_the_top_of_the_body_is_the_source():
    caption = ("Fishing boats are moored in the harbour at dawn, as the council prepares for a vote on a plan that "
               "would deepen the channel. (Photo | AP)")
    doc = clean(page(["Harbour vote delayed", caption, "By ANI", *PROSE],
                     "https://www.newindianexpress.com/world/harbour-vote"))
    assert doc.outlet == "ANI"
    assert doc.republisher == "The New Indian Express"
    assert "By ANI" not in doc.analysis_text()


def test_a_sign_off_credit_names_the_agency():
    doc = clean(page(["Harbour vote delayed", *PROSE, "— Reuters"], "https://www.dawn.com/news/123/harbour"))
    assert (doc.outlet, doc.republisher) == ("Reuters", "Dawn")


def test_a_photo_credit_is_not_the_source_of_the_text():
    doc = clean(page(["Harbour vote delayed", "AP Photo/Jane Roe", *PROSE], "https://www.mediaite.com/harbour"))
    assert (doc.outlet, doc.republisher) == ("Mediaite", None)


def test_an_unknown_host_takes_the_name_its_copyright_line_prints():
    doc = clean(page(["Harbour vote delayed", *PROSE, "© 2023 Harbour Gazette. All rights reserved."],
                     "https://harbourgazette.example/2023/harbour"))
    assert doc.outlet == "Harbour Gazette"
    ev = next(e for e in doc.evidence if e.field == "outlet")
    assert "copyright" in ev.method
    # with a wire credited in the dateline, the printed site name is the republisher, not the bare host
    wired = clean(page(["Harbour vote delayed", "PORTVILLE (Reuters) - " + PROSE[0], *PROSE[1:],
                        "© 2023 Harbour Gazette. All rights reserved."], "https://harbourgazette.example/harbour"))
    assert (wired.outlet, wired.republisher) == ("Reuters", "Harbour Gazette")


def test_an_unknown_host_takes_a_printed_name_that_spells_it():
    doc = clean(page(["Harbour vote delayed", "Kestrel Wire - " + PROSE[0], *PROSE[1:]],
                     "https://www.kestrelwire.example/harbour"))
    assert doc.outlet == "Kestrel Wire"
    # a lower-case phrase is not a name: the name is the host's own spelling
    plain = clean(page(["Harbour vote delayed", PROSE[0] + " The kestrel wire was cut.", *PROSE[1:]],
                       "https://www.kestrelwire.example/harbour"))
    assert plain.outlet == "Kestrel Wire"
    assert next(e for e in plain.evidence if e.field == "outlet").method.startswith("url: the site's name as its host")


def test_a_possessive_name_that_spells_the_host():
    doc = clean(page(["Skip to main content", "Ada's Harbour", "Harbour vote delayed again", *PROSE],
                     "https://www.adasharbour.example/harbour"))
    assert doc.outlet == "Ada's Harbour"


def test_with_no_name_printed_the_host_spells_the_name_or_stays_bare():
    doc = clean(page(["Harbour vote delayed", *PROSE], "https://news.harbour-gazette.example/a"))
    assert doc.outlet == "Harbour Gazette"
    for host, name in [("dailyharbourwrap.example", "Daily Harbour Wrap"), ("wxyz.example", "WXYZ"),
                       ("kqbt646.example", "KQBT646"), ("harbourtimes.co.example", "Harbour Times"),
                       ("the-kestrel.org.uk", "The Kestrel")]:
        assert clean(page(["Harbour vote delayed", *PROSE], f"https://{host}/a")).outlet == name, host
    # a label that does not split into common words stays the host: no name is made up
    assert clean(page(["Harbour vote delayed", *PROSE], "https://zqvorblatnex.example/a")).outlet == \
        "zqvorblatnex.example"
    assert host_spelled_name("dorvaskqin.example") is None
    assert host_spelled_name("hamodia.example") is None  # not "Hamo Dia": "hamo" is no common word


def test_sources_known_by_their_sites_only_are_never_read_from_text():
    assert outlet_for_domain("www.state.gov").name == "U.S. Department of State"
    assert outlet_for_domain("news.un.org").name == "UN News"  # not the United Nations' un.org
    assert find_outlet("NATO") is None and find_outlet("United Nations") is None
    doc = clean(page(["Harbour vote delayed", "NATO", *PROSE], "https://www.nato.int/cps/en/harbour.htm"))
    assert (doc.outlet, doc.republisher) == ("NATO", None)


@pytest.mark.parametrize("line", ["US foreign policy", "Scroll down", "All hot air", "Roll call vote"])
def test_common_phrases_are_not_outlet_names(line):
    assert find_outlet(line) is None


def test_a_section_named_like_an_outlet_is_not_the_outlet():
    doc = clean(page(["Nation", "Metro", "Harbour vote delayed", *PROSE], "https://harbour.example/a"))
    assert doc.outlet == "Harbour"  # the host's own spelling


def test_a_menu_label_printed_twice_is_not_the_outlet_of_a_site():
    # a scraper keeps the menu twice (the bar and the drawer): "News" and "38°F" are printed twice above the article
    lines = ["News", "Sport", "38°F", "News", "Sport", "38°F", "Harbour vote delayed again", *PROSE,
             "© 2014 - 2023 Harbour Gazette Ltd CC-BY-SA"]
    doc = clean(page(lines, "https://harbourgazette.example/2023/harbour"))
    assert doc.outlet == "Harbour Gazette"
    # without an address to check the label against, a name printed twice above the article stays the outlet
    assert clean(page(["Harbour Gazette", "Harbour Gazette", "Harbour vote delayed again", *PROSE])).outlet \
        == "Harbour Gazette"


@pytest.mark.parametrize("label", ["Home", "Close", "Front Page", "40°F", "Games", "World News", "Barbados News"])
def test_without_an_address_a_menu_label_printed_twice_is_no_outlet(label):
    # no address to check it against: a label that is not made like a paper's name is the menu's
    lines = [label, "Sign in", label, "Harbour vote delayed again", *PROSE]
    assert clean(page(lines)).outlet is None


def test_an_ordinary_word_outlet_name_as_a_section_label_of_another_site_is_no_credit():
    doc = clean(page(["Metro", "Metro", "Harbour vote delayed again", *PROSE], "https://www.mediaite.com/harbour"))
    assert (doc.outlet, doc.republisher) == ("Mediaite", None)
    wire = clean(page(["Reuters", "Harbour vote delayed again", *PROSE], "https://www.mediaite.com/harbour"))
    assert (wire.outlet, wire.republisher) == ("Reuters", "Mediaite")


def test_a_menu_label_that_extends_an_outlet_name_is_not_that_outlet():
    # "The Print Edition" in a magazine's menu opens with "The Print" (ThePrint's name), "Reuters Connect" is a
    # product: a word after the name makes another name; one before it may be a place ("Iran Press TV")
    for label in ("The Print Edition", "Reuters Connect"):
        doc = clean(page(["Books", label, "Harbour vote delayed again", *PROSE], "https://www.mediaite.com/harbour"))
        assert (doc.outlet, doc.republisher) == ("Mediaite", None), label
    wire = clean(page(["Iran Press TV", "Harbour vote delayed again", *PROSE], "https://www.mediaite.com/harbour"))
    assert wire.outlet == "Press TV"


@pytest.mark.parametrize("footer", ["© 2020 Harbour Gazette – Legal Notice & Privacy Policy",
                                    "Copyright © 2020 Harbour Gazette on the Harbour Pro Theme",
                                    "© Harbour Gazette · Powered by Example CMS",
                                    "© 2020 Harbour Gazette a Red Tide Media Company. All rights reserved."])
def test_a_copyright_line_names_the_site_without_what_follows_the_name(footer):
    doc = clean(page(["Harbour vote delayed again", *PROSE, footer], "https://harbourgazette.example/2020/vote"))
    assert doc.outlet == "Harbour Gazette"


def test_a_name_spelling_the_host_does_not_take_a_lowercase_the():
    lines = ["Harbour vote delayed again", *PROSE, "Donate to the Harbour Guild to keep the harbour open."]
    assert clean(page(lines, "https://www.harbourguild.example/vote")).outlet == "Harbour Guild"


def test_a_site_on_a_blogging_platform_is_not_the_platform():
    lines = ["Harbour vote delayed again", *PROSE, "Blog at WordPress.com.", "Follow Ada's harbour notes"]
    doc = clean(page(lines, "https://adasnotes.wordpress.com/2020/01/17/vote/"))
    assert doc.outlet != "WordPress"
    # the platform's own site is the platform
    assert clean(page(lines, "https://wordpress.com/blog/2020/01/17/vote/")).outlet == "WordPress"


def test_a_credit_line_of_a_sidebar_story_after_the_article_credits_that_story():
    sidebar = ["Most read", "Ferry fares rise for the third time this year as the operator blames fuel costs.",
               "—Reuters", "10/17/2020"]
    doc = clean(page(["Harbour vote delayed again", *PROSE, *sidebar], "https://www.mediaite.com/harbour"))
    assert (doc.outlet, doc.republisher) == ("Mediaite", None)
    signed = clean(page(["Harbour vote delayed again", *PROSE, "—Reuters", *sidebar[:2]],
                        "https://www.mediaite.com/harbour"))
    assert (signed.outlet, signed.republisher) == ("Reuters", "Mediaite")


def test_the_host_printed_in_the_header_is_named_as_the_gazetteer_names_it():
    doc = clean(page(["NYMag.com", "Harbour vote delayed again", *PROSE], "https://nymag.com/2020/05/harbour.html"))
    assert doc.outlet == "New York Magazine"


def test_a_byline_of_two_writers_for_an_outlet():
    doc = clean(page(["Harbour vote delayed again", "By Ada Brook And Jon Vell For Reuters", *PROSE],
                     "https://www.mediaite.com/harbour"))
    assert (doc.outlet, doc.republisher) == ("Reuters", "Mediaite")
    assert doc.author == "Ada Brook, Jon Vell"


@pytest.mark.parametrize("host, name", [
    ("harbourins.example", "The Harbour Insider"),  # the host spells most of the name
    ("novagazeta.example", "Nova Gazeta Europe"),
    ("hw.example", "Harbour Weekly"),  # the name's initials
])
def test_a_name_printed_twice_that_the_host_abbreviates_is_the_outlet(host, name):
    doc = clean(page([name, name, "Harbour vote delayed again", *PROSE], f"https://{host}/harbour"))
    assert doc.outlet == name


def test_a_dateline_naming_two_agencies_credits_the_first_and_its_own_site():
    lede = ("PORTVILLE, March 18, 2019 (HNA/AFP) – Harbour police on Monday arrested the suspect in a shooting on a "
            "ferry in which three people were killed, a police chief said.")
    doc = clean(page(["Harbour police arrest ferry shooting suspect", lede, *PROSE], "https://www.hnanews.example/?p=1"))
    assert (doc.outlet, doc.republisher) == ("HNA", None)  # the agency's own site: "hna" opens "hnanews"
    doc = clean(page(["Harbour police arrest ferry shooting suspect", lede.replace("HNA/AFP", "AFP/Reuters"), *PROSE]))
    assert doc.outlet == "Agence France-Presse"
    assert "(AFP/Reuters)" not in doc.analysis_text()  # the dateline, agencies and all, is metadata
