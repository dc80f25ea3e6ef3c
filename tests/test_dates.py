"""Publication dates: stamps in every common form, numeric day/month order, URLs, datelines, captions, relative
stamps, where on the page a date counts, and years settled by the documents analysed together.

Every text is written for these tests.
"""

from __future__ import annotations

import pytest

from crossnews.clean import body_text, clean, date_from_collection
from crossnews.clean.metadata import (
    caption_date,
    match_dateline,
    numeric_order,
    parse_date_line,
    read_date_stamps,
    url_date,
)
from crossnews.ingest import RawInput

PROSE = [
    "The harbour council met for six hours before agreeing to postpone the vote on the channel expansion.",
    '"We need more time to study the figures," the council chair, Ada Brook, told reporters after the session.',
    "Opponents of the plan say the dredging would damage fishing grounds that supply half of the town's catch.",
    "A final decision is now expected at the next session, which has been scheduled for early next month.",
]
HEADLINE = "Harbour vote delayed as council seeks more data"


def page(lines: list[str], **given: str) -> RawInput:
    return RawInput("t.txt", "\n\n".join(lines) + "\n", "text", "file", given)


@pytest.mark.parametrize("line, value, raw", [
    ("Thursday, March 2, 2017", "2017-03-02", None),
    ("Thursday, 9 November 2023 4:15 PM EST", "2023-11-09T16:15", None),  # a named zone keeps the printed time
    ("7 Feb, 2019 08:05", "2019-02-07T08:05", None),
    ("Published Jan 3, 2022 9:41 pm", "2022-01-03T21:41", None),
    ("Published: 21st June 2017 07:30 AM", "2017-06-21T07:30", None),
    ("April 2, 2016 / 6:05 AM / 3 years ago", "2016-04-02T06:05", "April 2, 2016 / 6:05 AM"),
    ("Friday 3-March-2023", "2023-03-03", None),
    ("  • 24-08-2021, 13:40", "2021-08-24T13:40", "24-08-2021, 13:40"),
    ("This Article is From Feb 02, 2015", "2015-02-02", None),
    ("Published: 2 May 2019 08:30 GMT  |   Last Updated: 3 May 2019 10:00 GMT   |  A+A-", "2019-05-02T08:30Z",
     "Published: 2 May 2019 08:30 GMT"),
    ("Source: Example Wire| 2017-04-09 08:12:30|Editor: Ann Lee", "2017-04-09T08:12:30", "2017-04-09 08:12:30"),
    ("By    |   Saturday, 4 May 2024 09:00 AM EDT", "2024-05-04T09:00", "Saturday, 4 May 2024 09:00 AM EDT"),
    ("Posted on 2 Jan 2020 | A+A-", "2020-01-02", "Posted on 2 Jan 2020"),
    ("Jan 5, 2021 01:30 +05:30", "2021-01-05T01:30+05:30", None),  # the printed offset is kept, not converted
    ("2016/10/07", "2016-10-07", None),
    ("Iran Press TV Sun Mar 16, 2014 5:47PM GMT", "2014-03-16T17:47Z", "Sun Mar 16, 2014 5:47PM GMT"),
    ("Published 9:05 PM ET, Wed June 5, 2019", "2019-06-05T21:05", None),  # the time before the date
    ("June 5, 20199:05 PM GMTUpdated 2 days ago", "2019-06-05T21:05Z", "June 5, 20199:05 PM GMT"),  # glued
    ("2019-06-05T21:05:00Z", "2019-06-05T21:05Z", None),
    ("Tue 4 Jun 2019 10.05 BST | Comments (12)", "2019-06-04T10:05", "Tue 4 Jun 2019 10.05 BST"),
    ("Updated: August 8, 2019 10:00 ET", "2019-08-08T10:00", None),  # an update only: still a date line
    # a byline on the stamp's line, before or after it; reading time beside it
    ("By Ada Brook on Thu, Nov 9, 2023 at 4:00 am", "2023-11-09T04:00", "Thu, Nov 9, 2023 at 4:00 am"),
    ("Posted on September 21, 2020 by Ada Brook", "2020-09-21", "Posted on September 21, 2020"),
    ("Oct 30 2020 by Ada van Brook", "2020-10-30", "Oct 30 2020"),
    ("By Harbour Desk | March 3, 2018 | 4 Min Read", "2018-03-03", "March 3, 2018"),
    ("By Ada Brook 8 January 2020, 3:51 pm 11 Edit", "2020-01-08T15:51", "8 January 2020, 3:51 pm"),
    ("Written: 2023-11-07 15:03:30 / Updated: 2023-11-07 15:30:46", "2023-11-07T15:03:30",
     "Written: 2023-11-07 15:03:30"),
    ("01.21.2020 07:00 AM", "2020-01-21T07:00", None),  # the only reading that is a date
    ("11/08/23 5:19pm", "2023-11-08T17:19", None),  # a year of two digits, on a stamp line
    ("Written by on 16/07/2018", "2018-07-16", "16/07/2018"),  # a byline the page left empty
])
def test_date_stamps_in_common_forms(line, value, raw):
    assert parse_date_line(line) == (value, raw or line.strip())


@pytest.mark.parametrize("line", [
    "Talks resume March 3, 2021",  # a headline with a date in it
    "Harbour reopens Reuters March 3, 2021",
    "The talks resumed on March 3, 2021.",
    "Updated at:",
    "3 years ago",  # a relative stamp alone is not an absolute date
    "March 2021 budget",
    "Read more: the council voted on 4 May 2019 to delay the plan",
    "By the end of March 3, 2018",  # "by" and no name
    "Talks by Peru on March 3, 2018 failed",
    "Version 2.5.23",
])
def test_not_date_stamps(line):
    assert parse_date_line(line) is None


def test_updates_and_relative_stamps_are_told_apart():
    stamps = read_date_stamps("Published: 2 May 2019 | Updated: 3 May 2019 | 5 days ago", crawled="2019-05-08")
    assert [(s.kind, s.value) for s in stamps] == [("published", "2019-05-02"), ("updated", "2019-05-03"),
                                                   ("relative", "2019-05-03")]


@pytest.mark.parametrize("text, kwargs, order", [
    ("Filed 23-04-2019 and 05-06-2019.", {}, "dmy"),  # 23 can only be a day
    ("Filed 04/23/2019 and 05/06/2019.", {}, "mdy"),
    ("Filed 05/06/2019.", {"url": "https://x.example/2019/06/05/harbour"}, "dmy"),  # the URL's date fits one reading
    ("Filed 05/06/2019.", {"country": "US"}, "mdy"),
    ("Filed 05/06/2019.", {"country": "GB"}, "dmy"),
    ("Filed 05/06/2019.", {"sep": "/"}, "mdy"),
    ("Filed 05-06-2019.", {"sep": "-"}, "dmy"),
    # a regional edition in the URL, over the outlet's country
    ("Filed 05/06/2019.", {"url": "https://www.msn.example/en-gb/news/harbour", "country": "US", "sep": "/"}, "dmy"),
    ("Filed 05/06/2019.", {"url": "https://uk.harbour.example/news/harbour", "sep": "/"}, "dmy"),
    ("Filed 05/06/2019.", {"url": "https://www.msn.example/en-us/news/harbour", "country": "GB"}, "mdy"),
])
def test_numeric_day_month_order_from_the_evidence(text, kwargs, order):
    assert numeric_order(text, **kwargs)[0] == order


def test_an_ambiguous_numeric_stamp_is_read_as_the_page_writes_dates():
    text = ["Harbour vote delayed", "Published 05-06-2019, 09:29", *PROSE, "Related: 23-04-2019"]
    dmy = clean(page(text))
    assert dmy.published == "2019-06-05T09:29"
    assert "ambiguous" in dmy.published_evidence.reason
    us = clean(page(["Harbour vote delayed", "Published 05/06/2019, 09:29", *PROSE],
                    url="https://www.npr.org/sections/harbour"))
    assert us.published == "2019-05-06T09:29"  # a US outlet writes the month first
    # a printed weekday settles it: June 4, 2019 was a Tuesday, April 6 a Saturday
    tuesday = clean(page(["Harbour vote delayed", "Tue 04/06/2019", *PROSE]))
    assert tuesday.published == "2019-06-04"


@pytest.mark.parametrize("url, value, raw, partial", [
    ("https://x.example/world/2018/03/09/harbour-vote/1234567/", "2018-03-09", "2018/03/09", False),
    ("https://x.example/uk-news/2018/apr/12/harbour-vote", "2018-04-12", "2018/apr/12", False),
    ("https://x.example/news/harbour-vote-2014-03-16-council", "2014-03-16", "2014-03-16", False),
    ("https://x.example/amp/20181125/harbour-vote-1070109325.html", "2018-11-25", "20181125", False),
    ("https://x.example/world/201811251070109325-harbour-vote/", "2018-11-25", "20181125", False),
    ("https://x.example/en/20190525-harbour-vote", "2019-05-25", "20190525", False),
    ("https://x.example/english/2018-11/28/c_137637873.htm", "2018-11-28", "2018-11/28", False),
    ("https://x.example/originals/2019/06/harbour-vote", "2019-06", "2019/06", True),
    ("https://x.example/02-Mar-2019/harbour-vote-delayed", "2019-03-02", "02-Mar-2019", False),
])
def test_dates_in_urls(url, value, raw, partial):
    found = url_date(url)
    assert found is not None and (found.value, found.raw, found.partial) == (value, raw, partial)


@pytest.mark.parametrize("url", [
    "https://x.example/politics/993632",
    "https://x.example/a/12345678/b",  # not a plausible date
    "https://x.example/a/20991301/b",
    "https://x.example/2018/13/45/harbour",
    "https://x.example/harbour?date=2018-03-09",  # the query is not the path
])
def test_no_date_in_these_urls(url):
    assert url_date(url) is None


@pytest.mark.parametrize("line, place, date, agency", [
    ("BAKU, MARCH 3, AZERTAC. The minister said the talks would resume next week in the capital.", "BAKU",
     "MARCH 3", "AZERTAC"),
    ("WASHINGTON: The senators said the bill would be put to a vote before the summer recess.", "WASHINGTON",
     None, None),
    ("June 4 (UPI) -- The senators said the bill would be put to a vote before the recess.", "", "June 4", "UPI"),
    ("OSLO, Nov. 28 (Xinhua) -- The minister said the talks would resume next week in the capital.", "OSLO",
     "Nov. 28", "Xinhua"),
])
def test_datelines_with_dates_and_agencies(line, place, date, agency):
    dl = match_dateline(line)
    assert dl is not None and (dl.place, dl.date, dl.agency) == (place, date, agency)


@pytest.mark.parametrize("line", [
    "UPDATE: The senators said the bill would be put to a vote before the summer recess.",
    "BAKU, MARCH 3, HARBOUR. The minister said the talks would resume next week in the capital.",
])
def test_not_datelines(line):
    assert match_dateline(line) is None


def test_the_stamp_after_the_headline_beats_a_banner_date_above_it():
    doc = clean(page(["Mon 3-Jun-2024", HEADLINE, "Thursday 9-November-2023", *PROSE]))
    assert doc.published == "2023-11-09"
    removed = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert removed["Thursday 9-November-2023"] == "metadata:published"
    assert removed["Mon 3-Jun-2024"] == "furniture:timestamp"
    ev = doc.published_evidence
    assert doc.text[ev.span.start:ev.span.end] == ev.raw == "Thursday 9-November-2023"


def test_a_stamp_at_the_top_of_the_body_is_found_and_taken_out_of_it():
    standfirst = ("Calling the delay a blow to the fishing fleet, the mayor urged the council to publish its figures "
                  "before the next session.")
    line = "Published: 21st June 2017 07:30 AM  |   Last Updated: 22nd June 2017 10:00 AM   |  A+A-"
    doc = clean(page([HEADLINE, standfirst, line, *PROSE]))
    assert doc.published == "2017-06-21T07:30"
    assert doc.published_evidence.raw == "Published: 21st June 2017 07:30 AM"
    assert "Last Updated" not in body_text(doc)


def test_a_date_deep_in_the_body_is_not_the_publication_date():
    body = [*PROSE, "On March 4, 2018, the council had first discussed the plan in a closed session.",
            "The vote was finally held on 12 June 2018."]
    doc = clean(page([HEADLINE, *body]))
    assert doc.published is None


def test_the_order_of_evidence():
    update = "Updated: August 8, 2019 10:00 ET"
    # a URL date beats an update stamp; without the URL, the update is the best there is
    assert clean(page([HEADLINE, update, *PROSE], url="https://x.example/2019/08/06/harbour")).published \
        == "2019-08-06"
    assert clean(page([HEADLINE, update, *PROSE])).published == "2019-08-08T10:00"
    # a publication stamp beats the URL
    assert clean(page([HEADLINE, "Published Aug 7, 2019", *PROSE],
                      url="https://x.example/2019/08/06/harbour")).published == "2019-08-07"
    # a month-only URL is weak: a partial date, used when nothing else is printed
    doc = clean(page([HEADLINE, *PROSE], url="https://x.example/originals/2019/06/harbour"))
    assert doc.published == "2019-06" and doc.published_evidence.method == "url (month only)"


def test_a_photo_caption_date_is_weak_evidence():
    caption = "The mayor speaks to fishermen at the quay in Portville, Monday, March 12, 2018. (Photo: Jane Roe)"
    doc = clean(page([HEADLINE, caption, *PROSE]))
    assert doc.published == "2018-03-12"
    assert doc.published_evidence.method == "text: photo caption"
    # the URL's date comes first; a file photo's date never counts
    assert clean(page([HEADLINE, caption, *PROSE], url="https://x.example/2018/03/13/harbour")).published \
        == "2018-03-13"
    assert clean(page([HEADLINE, "File photo of the quay in Portville, March 12, 2018.", *PROSE])).published is None


@pytest.mark.parametrize("line, value", [
    ("... speaks in Portville, Monday, March 12, 2018. (Photo: Jane Roe)", "2018-03-12"),
    ("... at a news conference in Oslo, Norway March 13, 2018. — Example pic", "2018-03-13"),
    ("... were held in the port on Nov. 26, 2018. (Photo: Jane Roe)", None),  # after a preposition
    ("On March 4, 2018, the council met.", None),
])
def test_caption_dates(line, value):
    found = caption_date(line)
    assert (found[0] if found else None) == value


def test_a_relative_stamp_counts_back_from_the_crawl_date():
    doc = clean(page([HEADLINE, "Published 3 days ago", *PROSE], crawled="2024-01-10"))
    assert doc.published == "2024-01-07"
    assert doc.published_evidence.method == "text: relative stamp"
    assert clean(page([HEADLINE, "Published 3 days ago", *PROSE])).published is None


def test_a_yearless_dateline_takes_the_year_of_a_url_date_nearby():
    body = ["BRISTOL, June 30. /EXAMPLE/. The mayor said the bridge would reopen within weeks."] + PROSE[1:]
    doc = clean(page([HEADLINE, *body], url="https://x.example/2023/07/01/bridge"))
    assert doc.published == "2023-06-30"
    assert doc.published_evidence.choice == 2023
    # across New Year
    body = ["BRISTOL, December 31. /EXAMPLE/. The mayor said the bridge would reopen within weeks."] + PROSE[1:]
    assert clean(page([HEADLINE, *body], url="https://x.example/2024/01/02/bridge")).published == "2023-12-31"


def test_an_agency_dateline_without_slashes_gives_date_and_outlet():
    body = ["BAKU, MARCH 3, AZERTAC. The minister said on Friday that the talks would resume in 2016."] + PROSE[1:]
    doc = clean(page([HEADLINE, *body]))
    assert doc.outlet == "AZERTAC"
    assert doc.published_evidence.raw == "MARCH 3"
    assert doc.published.endswith("-03-03")


def _yearless(text_year_hint: str, day: str = "March 12") -> RawInput:
    body = [f"PORTVILLE, {day}. /EXAMPLE/. The council said the plan {text_year_hint}."] + PROSE[1:]
    return page([HEADLINE, *body])


def test_a_collection_settles_a_year_the_page_leaves_open():
    doc = clean(_yearless("would be published soon"))
    assert doc.published == "--03-12"
    settled = date_from_collection(doc, ["2018-03-09", "2018-03-14T10:00Z", "--03-11", None])
    assert settled.published == "2018-03-12"
    ev = settled.published_evidence
    assert ev.choice == 2018 and ev.tentative and "closest to the other documents" in ev.reason
    # too far from every other document, or nothing to compare with: unchanged
    assert date_from_collection(doc, ["1970-06-01"]).published == "--03-12"
    assert date_from_collection(doc, []).published == "--03-12"


def test_a_collection_rechooses_a_tentative_year():
    # May 26 was a Sunday in 2019 and in 2024: the weekday leaves them tied and the most recent is taken
    doc = clean(_yearless("was approved on Sunday after the 2014 review", day="May 26"))
    assert doc.published == "2024-05-26" and doc.published_evidence.tentative
    settled = date_from_collection(doc, ["2019-05-25", "2019-06-02"])
    assert settled.published == "2019-05-26" and settled.published_evidence.choice == 2019
    assert "also fits 2024" in settled.published_evidence.reason
    # a printed year is never changed
    printed = clean(page([HEADLINE, "Published March 12, 2015", *PROSE]))
    assert date_from_collection(printed, ["2018-03-09"]) is printed


def test_a_banner_date_above_the_headline_loses_to_the_url():
    lines = ["Mon 3-Jun-2024", HEADLINE, *PROSE]
    assert clean(page(lines, url="https://x.example/news/2023/11/09/harbour")).published == "2023-11-09"
    assert clean(page(lines)).published == "2024-06-03"  # nothing contradicts it
    # a stamp a day off the URL's date (time zones, a URL made the day before) is the printed date
    assert clean(page(["Nov 10, 2023 01:30", HEADLINE, *PROSE],
                      url="https://x.example/news/2023/11/09/harbour")).published == "2023-11-10T01:30"


def test_title_case_city_datelines_only_open_an_article():
    line = "New Delhi: India said on Monday it was watching the situation in the strait closely."
    assert match_dateline(line) is None  # elsewhere "Austin: ..." may be a transcript's speaker
    dl = match_dateline(line, title_case=True)
    assert dl is not None and dl.place == "New Delhi"
    assert match_dateline("Lavrov: We have said many times that the talks must go on.", title_case=True) is None
    assert match_dateline("Update: The council said the vote would be delayed a month.", title_case=True) is None
    # a dash after the city, as agencies' copy prints it; not a small town's name, nor an aside
    dashed = match_dateline("London — Western officials said on Tuesday the talks had failed again.", title_case=True)
    assert dashed is not None and dashed.place == "London"
    assert match_dateline("Paris — the city of light — was quiet today and all was well.", title_case=True) is None
    assert match_dateline("Smallbury — The mayor said on Monday the bridge would reopen.", title_case=True) is None
    doc = clean(page([HEADLINE, line, *PROSE]))
    assert doc.dateline == "New Delhi"
    assert body_text(doc).startswith("India said on Monday")


def test_a_caption_older_than_the_story_is_a_file_photo():
    caption = "The mayor speaks at the quay in Portville, Monday, March 12, 2018. REUTERS/Jane Roe"
    later = "The plan was first tabled in 2021 and revised twice since then, the council said in a statement."
    doc = clean(page([HEADLINE, caption, *PROSE, later]))
    assert doc.published is None


def test_a_yearless_date_gives_the_same_record_on_any_day_of_the_year():
    """The evidence of a year inferred "not after today" names no date: two runs either side of midnight (as a
    batch and its check in CI may be) give the same record."""
    import datetime as dt

    from crossnews.clean.metadata import infer_year

    body = "MOSCOW, December 28. The minister said on Wednesday that the talks in 2014 had failed."
    first = infer_year(12, 28, body, raw="December 28", span=None, method="dateline")
    assert not any(dt.date.today().isoformat() in r for c in first[1].candidates for r in c.reasons)
    assert "the day of the analysis" in repr(first[1])


def test_a_stamp_below_a_standfirst_and_a_tagline_is_still_the_top_of_the_article():
    # a tagline above the site's menu and a standfirst below the headline read as prose; the byline and stamp
    # under them belong to the header, not to the middle of the article
    doc = clean(page(["A non-profit newsroom, powered by its readers.", "Listen", "Donate", "News", HEADLINE,
                      "The council wants to study the figures again before it decides on the channel, officials say.",
                      "By Ada Brook", "Share", "Email", "Print", "Published Nov 8, 2023", *PROSE]))
    assert doc.published == "2023-11-08"
    assert doc.title == HEADLINE


def test_a_headline_that_reads_as_a_sentence_above_its_byline_is_the_title():
    for headline in ("Will the harbour council ever vote on the channel expansion?",
                     "The council delays the harbour vote. Opponents cheer."):
        doc = clean(page([headline, "By Ada Brook | March 3, 2021", *PROSE]))
        assert doc.title == headline
        assert doc.text[doc.body.start:].startswith(PROSE[0])


@pytest.mark.parametrize("header", [
    ["Harbour Vote Delayed Again", "By Ada Brook", "March 3, 2021"],  # title case, above the byline
    ["Harbour Vote Delayed Again", "March 3, 2021"],  # above the stamp
    ["Home", "Harbour Vote Delayed Again"],  # three words or more, right above the article
])
def test_a_short_title_case_headline_is_the_title_not_a_section_label(header):
    assert clean(page([*header, *PROSE])).title == "Harbour Vote Delayed Again"


def test_a_topic_tag_right_above_the_article_is_no_title():
    assert clean(page(["Harbour Vote", *PROSE])).title is None


URL = "https://news.example.org/2021/03/03/harbour-vote-delayed-as-council-seeks-more-data/"


def test_the_url_slug_names_the_headline_among_the_menus():
    menus = ["Skip to main content", "Sign in to your account", "World news and more", "Local Sports Weather Desk"]
    doc = clean(page([*menus, HEADLINE, "By Ada Brook", "March 3, 2021", *PROSE], url=URL))
    assert doc.title == HEADLINE
    assert doc.published == "2021-03-03"
    assert "slug" in next(e for e in doc.evidence if e.field == "title").method  # the reader sees why


def test_a_headline_below_a_promotion_starts_the_article_after_it():
    promo = "Our new podcast tells the story of the harbour in six episodes, and the first two are out now."
    doc = clean(page(["Home", promo, "Harbour Vote Delayed as Council Seeks More Data", *PROSE], url=URL))
    assert doc.title == "Harbour Vote Delayed as Council Seeks More Data"
    assert doc.text[doc.body.start:].startswith(PROSE[0])


def test_a_lead_paragraph_that_says_the_slug_stays_in_the_article():
    lead = "The harbour vote was delayed on Tuesday as the council seeks more data on the channel expansion."
    doc = clean(page([lead, *PROSE], url=URL))
    assert doc.title is None
    assert doc.text[doc.body.start:].startswith(lead)


def test_a_headline_far_down_a_page_scraped_whole_is_found_by_its_slug():
    menus = [f"Section number {k} of the site" for k in range(12)]
    promo = ("Listen to our new podcast about the port and its people, six episodes telling the story of the town "
             "and its fishing fleet, out now.")
    doc = clean(page([promo, *menus, promo, *menus, promo, *menus, HEADLINE, "March 3, 2021", *PROSE, *PROSE],
                     url=URL))
    assert doc.title == HEADLINE
    assert doc.published == "2021-03-03"
    assert doc.text[doc.body.start:].startswith(PROSE[0])


def test_a_link_to_a_related_story_after_the_article_does_not_move_it():
    long_article = [p + " " + p for p in PROSE] * 4  # the article: some hundreds of words
    doc = clean(page([*long_article, "Harbour vote delayed as council seeks more data, again", *PROSE], url=URL))
    assert doc.text[doc.body.start:].startswith(long_article[0])
    quoting = clean(page([*PROSE, "Shared: " + URL.replace("-", " "), *PROSE], url=URL))
    assert quoting.text[quoting.body.start:].startswith(PROSE[0])


def test_the_headline_is_the_line_above_the_byline_not_the_first_menu_line():
    menus = ["Sign in to your account", "Weather for the harbour today", "Listen to the morning show"]
    doc = clean(page([*menus, HEADLINE, "By Ada Brook", "March 3, 2021", *PROSE]))
    assert doc.title == HEADLINE


def test_a_stamp_further_under_the_headline_than_the_top_of_the_article():
    # a standfirst, a photo caption and share buttons between the headline and its stamp, the article started
    share = ["Share", "Email", "Print", "Comments", "Save"]
    standfirst = PROSE[0] + " Opponents and fishers say they will keep up the fight."
    doc = clean(page([HEADLINE, standfirst, "The harbour at dusk (Photo: Jane Roe)", *share, PROSE[1], PROSE[2],
                      PROSE[3], "Updated March 3, 2021", PROSE[0]]))
    assert doc.published == "2021-03-03"


def test_a_today_banner_above_the_menus_is_not_the_date():
    menus = ["Sunday, 5 May 2024", "World", "Politics", "Business", "Sign in"]
    doc = clean(page([*menus, HEADLINE, "Share", *PROSE], url="https://news.example.org/2021/03/03/harbour-vote/"))
    assert doc.published == "2021-03-03"
    banner = next(r for r in doc.removed if doc.text[r.start:r.end] == "Sunday, 5 May 2024")
    assert banner.reason == "furniture:timestamp"
    # nothing else dates the page: no date rather than the banner's
    assert clean(page([*menus, HEADLINE, "Share", *PROSE])).published is None


def test_a_labelled_stamp_above_the_menus_is_still_the_date():
    menus = ["Published: 3 March 2021", "World", "Politics", "Business", "Sign in"]
    assert clean(page([*menus, HEADLINE, "Share", *PROSE])).published == "2021-03-03"


def test_a_headline_printed_twice_is_no_lede_and_the_stamp_under_the_second_is_the_date():
    standfirst = PROSE[1]
    doc = clean(page(["Home", "World", HEADLINE, "Sunday, 5 May 2024", HEADLINE, "Share", "Email",
                      "Tuesday, 2 March 2021", standfirst, *PROSE]))
    assert doc.title == HEADLINE
    assert doc.published == "2021-03-02"
    assert standfirst in body_text(doc)  # the repeat is no lede, so the standfirst is read


@pytest.mark.parametrize("line, value", [
    ("October 22, 2019 report", "2019-10-22"),  # the kind of piece it dates
    ("Written by Ada Brook, PhD on April 29, 2018", "2018-04-29"),  # the writer's degree in the byline
    ("Reuters 02/10/2020 Ada Brook", "2020-02-10"),  # an outlet before the stamp, its writer after it
])
def test_stamp_lines_with_a_kind_a_degree_or_an_outlet_and_writer(line, value):
    stamps = read_date_stamps(line)
    assert stamps is not None and stamps[0].value == value


@pytest.mark.parametrize("line", ["October 22, 2019 news conference", "Harbour Gazette 02/10/2020 Ada Brook",
                                  "Reuters 02/10/2020 Ada Brook said"])
def test_a_date_in_a_phrase_or_beside_an_unknown_name_is_no_stamp(line):
    assert read_date_stamps(line) is None


def test_the_date_beside_the_weather_in_a_header_is_the_day_the_page_was_fetched():
    lines = ["24.1 C", "Thursday, July 25, 2024", "Home News World", "Harbour vote delayed as council seeks time",
             *PROSE]
    assert clean(page(lines)).published is None
    assert clean(page(lines[1:])).published == "2024-07-25"  # without the weather, a stamp above the headline


def test_a_photos_alt_text_printed_again_as_its_caption_is_no_headline():
    lines = ["Harbour vote delayed as council seeks more time", "30 December 2019, 07:53",
             "Boats have been waiting in the harbour", "Boats have been waiting in the harbour. Picture: PA",
             "By Ada Brook", *PROSE]
    doc = clean(page(lines))
    assert doc.title == "Harbour vote delayed as council seeks more time"
    assert doc.published is not None and doc.published.startswith("2019-12-30")


def test_a_british_sites_numeric_stamp_is_read_day_first():
    # Sky Sports (in the gazetteer, GB) prints "Last Updated: 04/08/18 3:32pm" for 4 August
    lines = [HEADLINE, "Last Updated: 04/08/18 3:32pm", *PROSE]
    doc = clean(page(lines, url="https://www.skysports.com/cricket/news/12123/1/harbour-vote"))
    assert doc.outlet == "Sky Sports" and doc.published is not None and doc.published.startswith("2018-08-04")


def test_a_dateline_with_the_full_date_in_its_brackets_or_opening_the_paragraph():
    lede = " A suspect in the harbour shooting has been arrested, the port police said in a statement."
    doc = clean(page([HEADLINE, "PORTVILLE (Harbour News / Kestrel Wire - 23rd November, 2020)" + lede, *PROSE]))
    assert doc.published == "2020-11-23"
    doc = clean(page([HEADLINE, "Friday, November 11, 2022 – Harbour council chair Ada Brook held a meeting with "
                      "the new port director a few minutes after he was sworn in.", *PROSE]))
    assert doc.published == "2022-11-11"


def test_a_date_stamp_in_the_query_of_the_address():
    assert url_date("http://www.harbournews.example/view.php?ud=20161020000505").value == "2016-10-20"
    assert url_date("https://harbournews.example/view.php?id=20161399") is None  # no such day


def test_a_relative_stamp_or_a_close_button_is_no_part_of_the_headline():
    doc = clean(page(["1 hour ago", *PROSE]))
    assert doc.title != "1 hour ago"
    doc = clean(page(["× Harbour vote delayed as council seeks more data", *PROSE]))
    assert doc.title == HEADLINE
