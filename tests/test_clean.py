"""Cleaning on texts written for these tests: the evidence is general, not the seeds' strings."""

from __future__ import annotations

import pytest

from crossnews.clean import SiteLines, body_text, clean, norm_line, split_lines
from crossnews.clean.metadata import match_dateline, parse_date_line
from crossnews.core.errors import InputError
from crossnews.ingest import RawInput

PROSE = [
    "The council met for six hours on Tuesday before agreeing to postpone the vote on the harbour expansion.",
    '"We need more time to study the figures," the council chair, Ada Brook, told reporters after the session.',
    "Opponents of the plan say the dredging would damage fishing grounds that supply half of the town's catch.",
    "A final decision is now expected at the next session, which has been scheduled for early next month.",
]


def raw(text: str, **given: str) -> RawInput:
    return RawInput(source="test.txt", text=text, kind="text", origin="file", given=given)


def page(header: list[str], body: list[str], footer: list[str]) -> str:
    return "\n\n".join(header + body + footer) + "\n"


def test_header_footer_furniture_with_reuters_style_dateline():
    text = page(
        ["Home", "World News", "Subscribe to our weekly briefing", "Harbour vote delayed as council seeks more data",
         "By Jane Doe", "March 3, 2021 10:15 UTC"],
        ["PORTVILLE, Maine (Reuters) - " + PROSE[0]] + PROSE[1:],
        ["(Reporting by Jane Doe; Editing by Tom Roe)", "© 2021 Example Wire. All rights reserved.",
         "Share this article"],
    )
    doc = clean(raw(text))
    assert doc.text == text
    assert doc.title == "Harbour vote delayed as council seeks more data"
    assert doc.dateline == "PORTVILLE"
    assert doc.outlet == "Reuters"
    assert doc.author == "Jane Doe"
    assert doc.published == "2021-03-03T10:15Z"
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons["Subscribe to our weekly briefing"] == "furniture:call-to-action"
    assert reasons["Home"].startswith("furniture:")
    assert reasons["World News"] == "furniture:section-label"
    assert reasons["(Reporting by Jane Doe; Editing by Tom Roe)"] == "metadata:credits"
    assert reasons["© 2021 Example Wire. All rights reserved."] == "furniture:call-to-action"
    assert reasons["PORTVILLE, Maine (Reuters) -"] == "metadata:dateline"
    body = body_text(doc)
    assert body.startswith("The council met for six hours")
    assert body.endswith("scheduled for early next month.")


def test_body_only_text_is_all_body():
    text = "\n".join(PROSE)
    doc = clean(raw(text, title="Given title", outlet="Given Outlet", published="2020-01-02"))
    assert (doc.body.start, doc.body.end) == (0, len(text))
    assert doc.removed == ()
    assert (doc.title, doc.outlet, doc.published) == ("Given title", "Given Outlet", "2020-01-02")
    assert doc.published_evidence.method == "given"


def test_given_fields_override_detection():
    text = page(["Harbour vote delayed as council seeks more data", "March 3, 2021 10:15 UTC"], PROSE, [])
    doc = clean(raw(text, title="Override", published="2021-03-04"))
    assert doc.title == "Override"
    assert doc.published == "2021-03-04"


def test_only_furniture_is_rejected_with_reason():
    text = page(["Home", "News", "Subscribe to our newsletter"], [], ["Share", "© 2020 Example"])
    with pytest.raises(InputError) as err:
        clean(raw(text))
    assert err.value.source == "test.txt"
    assert "no article text" in err.value.reason


def test_lines_repeated_across_documents_of_a_site_are_furniture():
    texts = [page(["Harbour Gazette", "Tide tables and weather"], PROSE[i:i + 2], ["Printed on recycled pixels"])
             for i in range(2)]
    site = SiteLines()
    for t in texts:
        site.add("harbour-gazette", [norm_line(line.text) for line in split_lines(t)])
    doc = clean(raw(texts[0]), site_lines=site, site="harbour-gazette")
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons["Printed on recycled pixels"].startswith("furniture:")
    assert "Tide tables and weather" in reasons
    alone = clean(raw(texts[0]))
    assert "Printed on recycled pixels" in {alone.text[r.start:r.end] for r in alone.removed}


def test_editor_initials_and_newsletter_in_footer():
    text = page(["A headline that is long enough to be one"], PROSE, ["ABC/XYZ", "NEWSLETTER",
                                                                      "Join the Example.org mailing list"])
    doc = clean(raw(text))
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons["ABC/XYZ"] == "furniture:editor-initials"
    assert reasons["Join the Example.org mailing list"] == "furniture:call-to-action"
    assert doc.republisher == "Example.org"


@pytest.mark.parametrize("line, place, agency", [
    ("MOSCOW, December 28. /TASS/. Officials said on Wednesday that the talks would go on.", "MOSCOW", "TASS"),
    ("WASHINGTON (Reuters) - The US Senate voted on Thursday to pass the bill into law.", "WASHINGTON", "Reuters"),
    ("LONDON, March 3 (AP) — Britain's prime minister said the plan would be published soon.", "LONDON", "AP"),
    ("NEW YORK — Stocks rose sharply on Monday as investors weighed the new figures.", "NEW YORK", None),
])
def test_datelines(line, place, agency):
    dl = match_dateline(line)
    assert dl is not None
    assert dl.place == place
    assert dl.agency == agency


@pytest.mark.parametrize("line", [
    "NATO allies met in Brussels on Monday to discuss the plan for the coming year.",
    "US officials declined to comment.",
    "NEWSLETTER",
])
def test_not_datelines(line):
    assert match_dateline(line) is None


@pytest.mark.parametrize("line, value", [
    ("Sun Mar 16, 2014 5:47PM GMT", "2014-03-16T17:47Z"),
    ("March 3, 2021", "2021-03-03"),
    ("Published: 12 May 2019 08:30 GMT", "2019-05-12T08:30Z"),
    ("2020-07-01", "2020-07-01"),
])
def test_date_lines(line, value):
    assert parse_date_line(line)[0] == value


@pytest.mark.parametrize("line", ["Updated at:", "March on Washington draws thousands", "We may march"])
def test_not_date_lines(line):
    assert parse_date_line(line) is None


def test_yearless_dateline_url_and_crawl_evidence():
    body = ["BRISTOL, June 5. /EXAMPLE/. The mayor said on Monday that the bridge would reopen in 2019."] + PROSE[1:]
    text = page(["Bridge to reopen, says mayor"], body, [])
    with_url = clean(raw(text, url="https://news.example.org/2023/06/05/bridge"))
    assert with_url.published == "2023-06-05"
    assert with_url.published_evidence.choice == 2023
    # June 5 was a Monday in 2023 and 2028 (after the crawl date); the crawl date leaves one candidate
    crawled = clean(raw(text, crawled="2024-01-01"))
    assert crawled.published == "2023-06-05"
    assert crawled.published_evidence.choice == 2023
    assert any("crawl date" in r for c in crawled.published_evidence.candidates for r in c.reasons)


def test_html_main_text_is_aligned_into_the_page_text():
    paras = "".join(f"<p>{p}</p>" for p in PROSE)
    html = (
        "<!doctype html><html><head><title>Harbour vote delayed | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2021-03-03T10:15:00+01:00">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<div class='cookie'>We use cookies to improve your experience.</div>"
        f"<article><h1>Harbour vote delayed as council seeks more data</h1>{paras}</article>"
        "<aside><h3>Related</h3><ul><li>Another story about the harbour</li></ul></aside>"
        "<footer>© 2021 Example News</footer><script>alert(1)</script></body></html>"
    )
    doc = clean(RawInput("page.html", html, "html", "file"))
    assert doc.format == "html"
    assert doc.title == "Harbour vote delayed as council seeks more data"
    assert doc.published == "2021-03-03T10:15+01:00"
    assert doc.outlet == "Example News"
    body = body_text(doc)
    for p in PROSE:
        assert p in body
    assert "cookies" not in body and "alert" not in doc.text and "Another story" not in body
    removed = {doc.text[r.start:r.end] for r in doc.removed}
    assert "We use cookies to improve your experience." in removed


def test_call_to_action_words_inside_sentences_are_not_furniture():
    body = PROSE[:2] + ["The charity said donations had doubled this year.", "Share prices fell 3%.",
                        "Subscribe to our newsletter!"] + PROSE[2:]
    doc = clean(raw(page(["Harbour vote delayed as council seeks more data"], body, [])))
    text = body_text(doc)
    assert "The charity said donations had doubled this year." in text
    assert "Share prices fell 3%." in text
    assert "Subscribe to our newsletter!" not in text


def test_a_stray_opening_mark_after_the_full_stop_still_ends_a_sentence():
    # found by Hypothesis: three prose paragraphs each ending '.“' were all taken for page furniture
    para = "Mara Quill said that the dam would reopen on Monday.“"
    text = "Dam talks stall\n\n" + "\n\n".join([para] * 3) + "\n"
    doc = clean(RawInput("p.txt", text, "text", "file"))
    assert para in doc.text[doc.body.start:doc.body.end]


# --- titles and page machinery ----------------------------------------------------------------------------------

TITLE = "Harbour vote delayed as council seeks more data"


@pytest.mark.parametrize("furniture", [
    "Skip to main content",
    "Live blog update| Harbour news",
    "World › Europe › Harbour",
    "NewsletterWorld NewsBusiness InsightLegalRisk Management @ Example Group",  # a menu glued by the scraper
    "This Article is From Feb 02, 2015",
    "The mayor visits the quay in Portville on a grey morning (Picture: Jane Roe)",
    "A crane lifts a container at the quay in Portville, where the channel would be deepened, "
    "as the council meets. (Example Wire)",
])
def test_page_furniture_is_never_the_title(furniture):
    doc = clean(raw(page([furniture, TITLE], PROSE, [])))
    assert doc.title == TITLE
    assert furniture.strip() not in body_text(doc)


def test_a_caption_does_not_start_the_article_and_a_headline_after_it_is_the_title():
    caption = ("Fishing boats are moored in the harbour at Portville, where the council wants to deepen the channel "
               "for larger ships, on a grey morning. (Example Wire)")
    doc = clean(raw(page(["Theme", caption, "Local Politics", TITLE], PROSE, [])))
    assert doc.title == TITLE
    assert body_text(doc).startswith(PROSE[0])
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons[caption] == "furniture:caption"


def test_captions_inside_the_article_are_furniture_but_sentences_are_not():
    body = PROSE[:2] + ["A crane at the quay in Portville, March 3, 2021. REUTERS/Jane Roe",
                        "The plan would need the approval of both the EU/NATO."] + PROSE[2:]
    doc = clean(raw(page([TITLE], body, [])))
    text = body_text(doc)
    assert "REUTERS/Jane Roe" not in text
    assert "The plan would need the approval of both the EU/NATO." in text


def test_an_icon_dump_before_the_page_is_not_the_article():
    icons = " ".join(f"{name}icon" for name in ("bookmark", "camera", "check", "chevron", "close", "download",
                                                "email", "facebook", "home", "link", "menu", "search", "share",
                                                "sign", "tag", "trash", "twitter", "video", "play", "pause"))
    doc = clean(raw(page([icons, "7 Feb, 2019 08:05", TITLE, TITLE], PROSE, [])))
    assert doc.title == TITLE
    assert doc.published == "2019-02-07T08:05"
    assert body_text(doc).startswith(PROSE[0])


def test_names_with_inner_capitals_keep_a_headline():
    doc = clean(raw(page(["YouTube and WhatsApp curb harbour vote videos"], PROSE, [])))
    assert doc.title == "YouTube and WhatsApp curb harbour vote videos"


def test_a_short_headline_printed_twice_is_the_title_not_the_outlet():
    doc = clean(raw(page(["Harbour vote delayed again", "Harbour vote delayed again"], PROSE, [])))
    assert doc.title == "Harbour vote delayed again"
    assert doc.outlet is None


def test_affiliate_disclaimers_are_calls_to_action():
    disclaimer = ("Harbour Weekly is supported by its audience. When you buy through links on our site, we may earn "
                  "an affiliate commission. Learn more")
    doc = clean(raw(page([disclaimer, TITLE], PROSE, [])))
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons[disclaimer] == "furniture:call-to-action"
    assert doc.lede is None


def test_html_captions_the_extractor_keeps_stay_in_the_article():
    paras = "".join(f"<p>{p}</p>" for p in PROSE)
    html = ("<html><head><title>Harbour vote delayed</title></head><body><article><h1>Harbour vote delayed</h1>"
            f"{paras}<figure><figcaption>The quay at Portville is busy on most days of the week, with boats coming "
            "and going. Photo: Jane Roe</figcaption></figure></article></body></html>")
    doc = clean(RawInput("page.html", html, "html", "file"))
    assert "Photo: Jane Roe" not in {doc.text[r.start:r.end] for r in doc.removed if r.reason == "furniture:caption"}


def test_html_alignment_ignores_invisible_characters_and_list_bullets():
    from crossnews.clean import _align

    text = ("Ingredients\n120g\u2063 dried noodles\n2 eggs\nsoft\u00adhyphenated words in a much longer line of text"
            "\nMenu")
    main = "Ingredients\n- 120g dried noodles\n- 2 eggs\nsofthyphenated words in a much longer line of text"
    assert _align(split_lines(text), main) == [True, True, True, True, False]


def test_the_markup_headline_is_the_title_line_and_an_author_note_is_no_lede():
    from crossnews.clean import _layout_text

    header = ["Notes from a small harbour town", "Expert Views In Crisis", "Jane Roe",
              "Jane Roe is a professor of maritime law at the University of Portville.",
              "The council wants more data before it decides on the harbour, and opponents fear for the fishing."]
    text = "\n".join(header + PROSE) + "\n"
    lines = split_lines(text)
    kept = [False] * len(header) + [True] * len(PROSE)
    layout = _layout_text(text, lines, site=None, site_lines=None, kept=kept, headline="Expert Views In Crisis")
    reasons = {text[r.start:r.end]: r.reason for r in layout.removed}
    assert layout.title == "Expert Views In Crisis"
    assert reasons["Notes from a small harbour town"] == "furniture:outside-body"
    assert reasons[header[3]] == "furniture:outside-body"
    assert layout.lede is not None and text[layout.lede.start:layout.lede.end] == header[4]
    # without the markup's headline, the first line that reads like one is taken
    assert _layout_text(text, lines, site=None, site_lines=None, kept=kept).title == header[0]


def test_a_pitch_for_the_latest_news_inside_the_article_is_a_call_to_action():
    pitch = "For the latest stories and breaking news updates download the Portville Post apps for iOS and Android."
    doc = clean(raw(page([TITLE], PROSE[:2] + [pitch] + PROSE[2:], [])))
    reasons = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert reasons[pitch] == "furniture:call-to-action"
    kept = "For the latest figures, the council said, residents should download the report from its website."
    assert kept in body_text(clean(raw(page([TITLE], PROSE[:2] + [kept] + PROSE[2:], []))))


def test_a_dash_between_a_quotation_and_its_verb_reads_as_english_typography():
    # '... the safety raft,"-said the press service': the dash of Russian and Ukrainian typography, kept in
    # translation, is recorded as removed so the attribution parses; offsets do not move
    quotes = ['"The tug lost its raft and its engine,"-said the press service of the navy.',
              '"No permit was asked for, "— reads the statement of the border service.',
              'A well-known captain - and a "tired" one - spoke.']
    text = "\n".join(PROSE[:2] + quotes + PROSE[2:])
    doc = clean(raw(text, title="Given title"))
    dashes = [r for r in doc.removed if r.reason == "typography:quote-dash"]
    assert [text[r.start:r.end] for r in dashes] == ["-", "—"]  # not the hyphen, nor the dash after "tired"
    assert 'engine," said the press' in doc.analysis_text()


@pytest.mark.parametrize("lede,analysed", [
    # a standfirst of a full sentence the body does not restate is article text: analysed with the body
    ("The mayor of Portville said on Monday it was highly likely that the dredging firm had broken its licence "
     "terms", True),
    # a second headline is metadata, as the headline is
    ("Mayor blames dredging firm as council delays harbour vote to next month", False),
    # so is a standfirst the body restates (its words are analysed there)
    ("The council met for six hours on Tuesday before agreeing to postpone the vote on the harbour expansion "
     "plan", False),
])
def test_a_standfirst_is_analysed_unless_a_headline_or_restated(lede, analysed):
    body = ["PORTVILLE, March 3. /HWN/. " + PROSE[0], *PROSE[1:]]
    doc = clean(raw(page(["All news", TITLE, lede], body, [])))
    assert doc.lede is not None and doc.text[doc.lede.start:doc.lede.end] == lede
    removed = {doc.text[r.start:r.end]: r.reason for r in doc.removed}
    assert removed["PORTVILLE, March 3. /HWN/."] == "metadata:dateline"
    if analysed:
        assert lede not in removed and doc.body.start == doc.lede.start and lede in doc.analysis_text()
    else:
        assert removed[lede] == "metadata:lede" and lede not in doc.analysis_text()
    assert PROSE[1] in doc.analysis_text()


def test_the_comments_after_an_article_scraped_whole_are_not_the_article():
    comment = "I think the council is wrong about this, the harbour needs the channel now, not next year at all."
    another = "Another reader wrote that the vote was a farce, and said so loudly."
    headline = ["Harbour vote delayed as council seeks more data"]
    doc = clean(raw(page(headline, PROSE, ["Leave a Reply", comment, another])))
    assert body_text(doc).rstrip().endswith(PROSE[-1])
    # a box of related stories inside the article does not end it: half the prose is still to come
    boxed = clean(raw(page(["Harbour vote delayed as council seeks more data"],
                           PROSE[:2] + ["Related stories", "Harbour dredging plan opposed"] + PROSE[2:], [])))
    assert body_text(boxed).rstrip().endswith(PROSE[-1])


def test_teasers_and_the_copyright_line_end_or_leave_the_article():
    teaser = "Harbour pilots strike over pay as talks with the port fail …"
    footer = ["© 2023 Harbour Gazette Media. All rights reserved.", "Top Stories",
              "Another storm is due on Friday, forecasters said, and the port may close again for days."]
    doc = clean(raw(page(["Harbour vote delayed as council seeks more data"], PROSE[:3] + [teaser] + PROSE[3:],
                         footer)))
    body = body_text(doc)
    assert teaser not in body and "forecasters" not in body
    assert body.rstrip().endswith(PROSE[-1])
    # a quotation trailing off has no space before its dots: it stays
    trailing = '"We will see what the council decides, and then we will act..."'
    assert trailing in body_text(clean(raw(page(["Harbour vote delayed"], PROSE[:2] + [trailing] + PROSE[2:], []))))


def test_the_printed_headline_beats_a_reworded_metadata_title():
    html = ('<html><head><title>Harbour vote put off: council wants data | Harbour Gazette</title>'
            '<meta property="og:title" content="Harbour vote put off as council wants data"></head><body>'
            '<h1>Harbour vote delayed as council seeks more data on dredging</h1>'
            + "".join(f"<p>{p}</p>" for p in PROSE) + "</body></html>")
    doc = clean(RawInput(source="t.html", text=html, kind="html", origin="file",
                         given={"url": "https://harbourgazette.example/2021/03/harbour-vote-delayed-council-data"}))
    assert doc.title == "Harbour vote delayed as council seeks more data on dredging"


def test_a_browser_notice_and_a_standfirst_leave_the_headline_and_stamp_found():
    header = ["Looks like you’re using a browser we don’t support.",
              "To improve your visit to our site, take a minute and upgrade your browser.",
              "Close", "Latest", "Politics", "Magazine", "Subscribe", "Donate", "About", "Masthead", "Menu",
              "The Harbour Question",
              "The council's long-delayed plan brought fishermen years of uncertainty. Good riddance.",
              "By Ada Brook", "December 23, 2019", "Subscribe"]
    doc = clean(raw(page(header, PROSE, []), url="https://harbourpost.example/article/1559/harbour-question"))
    assert (doc.title, doc.published) == ("The Harbour Question", "2019-12-23")
    assert doc.text[doc.body.start:].startswith(PROSE[0])
    # a journal's notice of fifty words and more, printed twice
    notice = ("Thank you for visiting harbour.example. You are using a browser version with limited support for "
              "CSS. To obtain the best experience, we recommend you use a more up to date browser (or turn off "
              "compatibility mode in your browser). In the meantime, to ensure continued support, we are "
              "displaying the site without styles and JavaScript.")
    header = [notice, notice, "Menu", "NEWS", "24 September 2019", "Harbour vote delayed as council seeks data",
              "The council wants more figures before it decides."]
    doc = clean(raw(page(header, PROSE, [])))
    assert (doc.title, doc.published) == ("Harbour vote delayed as council seeks data", "2019-09-24")


def test_a_title_case_headline_that_reads_as_a_sentence_above_its_standfirst_and_stamp():
    header = ["Skip to content", "Sign in My Account Subscribe", "Politics", "Ideas", "Science", "Ideas",
              "Will the Harbour Survive the Next Great Storm?",
              "The town's sea wall, built in 1952, was never meant for the storms of this century.",
              "August 23, 2020", "Ada Brook"]
    doc = clean(raw(page(header, PROSE, [])))
    assert (doc.title, doc.published) == ("Will the Harbour Survive the Next Great Storm?", "2020-08-23")
    assert doc.text[doc.body.start:].startswith(("The town's sea wall", PROSE[0]))
    # a first paragraph in sentence case is the article's, not a headline
    lines = ["Politics", "Ideas", "Will the harbour survive the next great storm? Nobody in the town knows.",
             "The town's sea wall, built in 1952, was never meant for the storms of this century.",
             "August 23, 2020", *PROSE]
    assert clean(raw(page(lines, [], []))).title != lines[2]


def test_a_glued_byline_a_handle_and_a_credited_caption_under_the_headline():
    header = ["Business", "Business|Harbour Vote Delayed as Council Seeks More Data", "Advertisement",
              "Harbour Vote Delayed as Council Seeks More Data",
              "The council says it needs more figures, though the dredging plan has been ready since spring.",
              "The harbour at dawn, seen from the sea wall on Monday.Credit...Jon Vell/Harbour Gazette",
              "ByAda Brook@AdaBrook", "Aug. 16, 2020"]
    doc = clean(raw(page(header, PROSE, [])))
    assert (doc.title, doc.published, doc.author) == ("Harbour Vote Delayed as Council Seeks More Data",
                                                       "2020-08-16", "Ada Brook")
    assert "Credit..." not in body_text(doc)


def test_a_headline_above_the_lines_of_its_deck_and_the_byline():
    header = ["Home", "News", "Sport", "Advertisement",
              "Harbour war on dredging: Fishermen and chefs lead plea to the council to block the expansion",
              "Open letter signed by a host of local names including the chef Ada Brook",
              "Councillors adding pressure to delay the vote on the dredging plan",
              "Vote will soon show whether the harbour board gets the final say",
              "By Jon Vell For The Harbour Gazette", "Published: 26 September 2020"]
    doc = clean(raw(page(header, PROSE, [])))
    assert doc.title == header[4]
    # a link to another story above a menu is no part of the headline's run; a breadcrumb neither
    header = ["How to unplug after working all day", "Menu", "News", "Sports", "More Sports:", "Harbour",
              "Home » Latest News » Harbour vote delayed as council seeks more data",
              "Harbour vote delayed as council seeks more data", "By Jon Vell", "August 16, 2020"]
    assert clean(raw(page(header, PROSE, []))).title == header[7]


def test_a_stamp_above_the_headline_and_the_byline_under_it():
    header = ["Visit the harbour this fall", "How to unplug after working all day", "Menu", "News", "Sports",
              "Eagles", "Sixers", "November 08, 2023", "Harbour vote delayed as council seeks more data",
              "The council wants more figures before it decides.", "By Jon Vell"]
    doc = clean(raw(page(header, PROSE, [])))
    assert (doc.title, doc.published) == ("Harbour vote delayed as council seeks more data", "2023-11-08")


def test_a_slug_cut_from_the_standfirst_still_finds_the_headline_above_it():
    header = ["Politics", "World", "Donate", "What It Is Like to Wait for the Harbour Vote",
              "With the vote delayed again, fishermen struggle to plan the season — often without word.",
              "Jon Vell, Ada Brook", "November 8 2023, 3:18 p.m."]
    url = "https://harbourpost.example/2023/11/08/vote-delayed-fishermen-struggle-season/"
    doc = clean(raw(page(header, PROSE, []), url=url))
    assert doc.title == header[3]
