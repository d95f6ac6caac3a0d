"""Sentence boundaries on real lines of train pages (SPEC §2, GUIDELINES §1 and §7).

Each case segments a stretch of a page in ../shared, quoted by reference (`span`), with the rules
alone (no furniture model), and expects the gold segments' offsets among the output: the kinds of
text the rules once cut or joined wrongly. Made-up lines check that each rule stays in its class.
"""

from __future__ import annotations

import pytest

from nlp.segmentation import segment_text

from .conftest import needs_pages, span


def ref(name, doc, start, end, expected, segments=None):
    """A stretch of ``doc`` and the (start, end) offsets in the page its segments must have."""
    return pytest.param(doc, start, end, expected, segments or {}, id=name)


CASES = [
    # footnote digits after a year range or a grouped number: "… in 2015–16.4 The Ministry …"
    ref("footnote-after-year-range", "pool-167", 1189, 1623, [(1189, 1296), (1297, 1623)]),
    ref("footnote-after-grouped-number", "pool-116", 405, 761, [(405, 515), (516, 761)]),
    # a citation mark after the closing quote: '… outcome."[270] The green paper …'
    ref("citation-after-quote", "pool-323", 1585, 1900, [(1585, 1769), (1770, 1900)]),
    ref("citation-after-quote-2", "pool-097", 900, 1389, [(900, 1201), (1202, 1389)]),
    # a stop glued after a closing quote: '… "Rehabilitation Revolution".Paid for by …'
    ref("glued-after-quote", "pool-074", 1817, 1998, [(1817, 1915), (1915, 1998)]),
    # comments: '?......' opens the next piece; runs of dots before lower case do not end one
    ref("question-then-dots", "pool-240", 803, 1236, [(803, 1010), (1010, 1124), (1124, 1236)]),
    # comments and quoted letters that start a sentence in lower case
    ref("lower-case-start", "pool-224", 1606, 1734, [(1606, 1703), (1704, 1734)]),
    ref("lower-case-start-quoted", "pool-202", 319, 574, [(319, 441), (442, 574)]),
    # "… Transforming Rehabilitation? (TR)": the bracketed abbreviation is no sentence
    ref("bracketed-abbreviation", "pool-316", 141, 276, [(141, 276)]),
    # section numbers: glued to a PDF heading, set off by a wide space, two levels
    ref("number-glued-to-heading", "pool-167", 0, 83, [(39, 80)], {(39, 80): "heading"}),
    ref("number-glued-to-heading-2", "pool-258", 38, 83, [(39, 83)]),
    ref("number-glued-to-footnote", "pool-233", 1776, 1935, [(1777, 1935)]),
    ref("number-wide-space", "pool-097", 65, 143, [(68, 143)], {(68, 143): "heading"}),
    ref("number-two-levels", "pool-013", 1554, 1651, [(1571, 1651)]),
    # a Hansard header glued to the speech
    ref("hansard-header-glued", "pool-297", 1964, 1992, [(1964, 1977), (1977, 1992)], {(1964, 1977): "boilerplate"}),
    # a transcript's speaker prefixes are furniture; the turn keeps the speaker
    ref("transcript-speakers", "pool-260", 380, 742, [(391, 400), (401, 449), (634, 649), (650, 742)],
        {(391, 400): "boilerplate", (634, 649): "boilerplate", (650, 742): "body"}),
    # a heading run into its paragraph: before "The …", or where its first words recur
    ref("run-in-heading-opener", "003_c9ebe3be5a93ccd6", 15569, 15672, [(15569, 15589), (15590, 15672)],
        {(15569, 15589): "heading"}),
    ref("run-in-heading-repeated", "pool-118", 743, 1201, [(743, 805), (806, 964), (965, 1026), (1027, 1201)],
        {(743, 805): "heading", (965, 1026): "heading", (806, 964): "body"}),
    # a page title asking a question, then more: one heading
    ref("title-with-question", "pool-259", 0, 46, [(0, 46)], {(0, 46): "heading"}),
    ref("title-with-question-2", "pool-071", 0, 49, [(0, 49)], {(0, 49): "heading"}),
    # a sentence carried on after a blank line
    ref("blank-line-after-comma", "pool-241", 140, 503, [(140, 503)]),
    ref("blank-line-after-and", "pool-227", 837, 1028, [(837, 1028)]),
    ref("blank-line-before-quote", "pool-273", 1608, 1767, [(1608, 1767)]),
    # a hard-wrapped sentence whose last word stands alone on a line
    ref("one-word-tail", "pool-023", 42, 141, [(42, 141)]),
    # an image's alt text, then its caption ending in the credit: furniture (GUIDELINES §7)
    ref("alt-text-and-caption", "pool-139", 200, 420, [(202, 216), (217, 390), (391, 416)],
        {(202, 216): "boilerplate", (217, 390): "boilerplate", (391, 416): "boilerplate"}),
    ref("caption-twice", "pool-029", 0, 260, [(39, 90), (91, 143), (174, 226)],
        {(0, 38): "boilerplate", (39, 90): "boilerplate", (91, 143): "boilerplate", (174, 226): "boilerplate"}),
    # pages copied from PDFs (issue 16): a page number alone on its line is furniture and never joins
    # the line after it; a bare number beside another is a table's cell; a viewer's chrome and a
    # breadcrumb trail are furniture; a PDF with a blank line after every line still runs on
    ref("pdf-page-number", "pool-020", 0, 200, [(95, 97)], {(95, 97): "boilerplate"}),
    ref("pdf-page-number-before-text", "pool-017", 0, 160, [(0, 2)], {(0, 2): "boilerplate"}),
    ref("pdf-page-number-indented", "pool-232", 1490, 1570, [(1537, 1538)], {(1537, 1538): "boilerplate"}),
    ref("pdf-viewer-chrome", "pool-143", 0, 290, [(41, 43), (189, 203), (270, 280)],
        {(41, 43): "boilerplate", (189, 203): "boilerplate", (270, 280): "boilerplate"}),
    ref("breadcrumb-trail", "pool-285", 0, 117, [(19, 116)], {(19, 116): "boilerplate"}),
    ref("pdf-hyphen-broken-words", "pool-044", 985, 1283, [(985, 1283)]),
    ref("pdf-blank-line-after-every-line", "pool-143", 1150, 1757, [(1208, 1519), (1521, 1660), (1661, 1756)]),
    # a list number glued to its item: "1)Draw up a …"
    ref("glued-list-number", "pool-047", 1420, 1830, [(1428, 1618), (1719, 1820)],
        {(1428, 1618): "list-item", (1719, 1820): "list-item"}),
]


@pytest.mark.parametrize("doc, start, end, expected, segments", CASES)
def test_real_boundaries(doc, start, end, expected, segments):
    text = span(doc, start, end)
    needs_pages(text)
    got = {(s.start + start, s.end + start): s.segment for s in segment_text(text)}
    for pair in expected:
        assert pair in got, (pair, span(doc, *pair), sorted(got))
    for pair, segment in segments.items():
        assert got[pair] == segment, (pair, span(doc, *pair))


def test_table_numbers_are_no_page_numbers():
    """A bare number beside another bare number is a table's cell (pool-180: staff in post by year)."""
    text = span("pool-180", 1089, 1206)
    needs_pages(text)
    got = {(s.start + 1089, s.end + 1089): s.segment for s in segment_text(text)}
    assert (1117, 1120) in got and (1122, 1125) in got
    assert got[(1117, 1120)] != "boilerplate" and got[(1122, 1125)] != "boilerplate"
    alone = segment_text("The figures follow.\n\n418\n\nStaff in post rose.")
    assert [s.segment for s in alone][1] == "boilerplate"


def test_pdf_furniture_rules_stay_in_class():
    """Page marks and viewer chrome of PDF copies (issue 16) are furniture; a sentence about them is not."""
    text = ("Download\n\nShare this document\n\nReport this document\n\nPage 3 of 40\n\n— 4 —\n\n12 | P a g e\n\n"
            "Home » Publications » Probation reform\n\n"
            "Staff can download page 3 of the report.\n\nPage 3 sets out the costs.")
    labelled = dict(_texts(text))
    for furniture in ("Download", "Share this document", "Report this document", "Page 3 of 40", "— 4 —",
                      "12 | P a g e", "Home » Publications » Probation reform"):
        assert labelled[furniture] == "boilerplate", furniture
    assert labelled["Staff can download page 3 of the report."] == "body"
    assert labelled["Page 3 sets out the costs."] == "body"


def _texts(text):
    return [(text[s.start : s.end], s.segment) for s in segment_text(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a colon heading outside a transcript is not a speaker prefix
        ("Probation Service Reform: Parliamentary Approval\n\nThe Secretary of State may not do so.",
         ["Probation Service Reform: Parliamentary Approval", "The Secretary of State may not do so."]),
        # a decimal is no footnote; a footnote follows a year
        ("The rate rose from 2.5 to 3.4 per cent. It fell in 2017.5 Then it rose.",
         ["The rate rose from 2.5 to 3.4 per cent.", "It fell in 2017.5", "Then it rose."]),
        # lower case after an abbreviation or a quotation carries on
        ("Costs rose, e.g. we paid more. 'This is great.' she said.",
         ["Costs rose, e.g. we paid more.", "'This is great.' she said."]),
        # heading lines after a blank line stay apart unless the sentence is left open
        ("Taken before the Justice Committee\n\non Wednesday 27 February 2013",
         ["Taken before the Justice Committee", "on Wednesday 27 February 2013"]),
        # a long first line without a stop is no title
        ("I was away last week and found this one among the many that readers kindly sent in",
         ["I was away last week and found this one among the many that readers kindly sent in"]),
        # glued skip links and an update stamp are furniture; a caption's credit ends the caption
        ("Skip to main contentSkip to navigation\nLast modified on Tue 21 May 2019 04.14 EDT\n\nCosts rose.",
         ["Skip to main contentSkip to navigation", "Last modified on Tue 21 May 2019 04.14 EDT", "Costs rose."]),
        # an abbreviation that stands before numbers does not end a sentence there; a year after a stop does
        ("Staff fell by approx. 123 posts, i.e. 12 per cent, by 5 Dec. 2019. 2020 was worse.",
         ["Staff fell by approx. 123 posts, i.e. 12 per cent, by 5 Dec. 2019.", "2020 was worse."]),
        # a list line numbered "2. " stays a list item
        ("Points:\n\n2. The Coalition Agreement set out a plan.",
         ["Points:", "The Coalition Agreement set out a plan."]),
    ],
)
def test_rules_stay_in_class(text, expected):
    assert [t for t, _ in _texts(text)] == expected


def test_furniture_rules_stay_in_class():
    labelled = dict(_texts("Skip to main contentSkip to navigation\nLast modified on Tue 21 May 2019 04.14 EDT\n\n"
                           "Chris Grayling\nChris Grayling at the ministry. Photo: PA\n\n"
                           "Probation Reform\nThe minister defended the plans. He spoke for an hour.\n\n"
                           "Published 2 February 2016\n\nBy Matt Smith | 3 May 2019\n\nCookies on our website\n\n"
                           "By continuing to browse you agree to our use of cookies.\n\nBy the end of 2019 costs rose."))
    for furniture in ("Skip to main contentSkip to navigation", "Last modified on Tue 21 May 2019 04.14 EDT",
                      "Chris Grayling", "Chris Grayling at the ministry.", "Photo: PA", "By Matt Smith | 3 May 2019",
                      "Cookies on our website", "By continuing to browse you agree to our use of cookies."):
        assert labelled[furniture] == "boilerplate", furniture
    # a heading over a paragraph with no credit stays a heading; a bare publication date too (§7)
    assert labelled["Probation Reform"] == "heading"
    assert labelled["The minister defended the plans."] == "body"
    assert labelled["Published 2 February 2016"] != "boilerplate"
    assert labelled["By the end of 2019 costs rose."] == "body"  # "By" before no name: no byline


def test_short_line_repeated_on_a_page_is_furniture():
    text = ("Home affairs\nHome affairs\nHome affairs\n\nProbation Reform\n\nThe minister defended the plans.\n\n"
            "Questions to ask:\n\nWho pays?\n\nQuestions to ask:\n\nWho gains?\n\nQuestions to ask:\n\nWho loses?")
    labelled = [(text[s.start : s.end], s.segment) for s in segment_text(text)]
    assert [seg for t, seg in labelled if t == "Home affairs"] == ["boilerplate"] * 3
    assert ("Probation Reform", "heading") in labelled
    # a line ending in a colon introduces what follows each time: not furniture
    assert all(seg != "boilerplate" for t, seg in labelled if t == "Questions to ask:")


def test_glued_list_number_before_capitals():
    text = "Conference notes:\n\n1)UNISON members do not need another change.\n2)The independence is under threat."
    assert _texts(text)[1:] == [("UNISON members do not need another change.", "list-item"),
                                ("The independence is under threat.", "list-item")]


def test_transcript_turn_keeps_speaker():
    text = ("Q1 Chair: Welcome, Minister. Will you start?\n\n"
            "Chris Grayling: First, I thank you for inviting me.\n\n"
            "Q2 Chair: Thank you. What evidence is there?")
    segs = segment_text(text)
    labelled = [(text[s.start : s.end], s.segment, s.speaker) for s in segs]
    assert ("Chris Grayling:", "boilerplate", None) in labelled
    assert ("First, I thank you for inviting me.", "body", "Chris Grayling") in labelled
    assert ("Welcome, Minister.", "body", "Chair") in labelled


# Journal metadata and site widgets alone on a line (`late_boilerplate_lines`): furniture, marked
# after the furniture model; the lines are looked up in their pages by gold offsets.
LATE_FURNITURE = [
    ("pool-044", 71, 98),  # a DOI glued to its label
    ("pool-044", 363, 378),  # the publisher's journal host
    ("pool-214", 331, 356),  # article reuse guidelines
    ("pool-214", 1360, 1381),  # corresponding author
    ("pool-155", 84, 111),  # published date glued to its label
    ("pool-068", 113, 133),  # date glued to its label
    ("pool-143", 205, 224),  # a viewer's post date
    ("pool-150", 172, 185),  # a cookie banner's button
    ("pool-103", 94, 126),  # a debate site's alert link
    ("pool-190", 1122, 1153),  # a newsletter sign-up
    ("pool-183", 1443, 1521),  # a forum post's edit note
    ("pool-183", 1522, 1531),  # a forum member's post count
    ("pool-183", 1739, 1752),  # a forum's footer
]


@pytest.mark.parametrize("doc, start, end", LATE_FURNITURE, ids=[f"{d}:{s}" for d, s, _e in LATE_FURNITURE])
def test_late_furniture_lines(doc, start, end):
    page = span(doc, 0, None)  # the whole page (skips where ../shared is absent)
    segs = {(s.start, s.end): s.segment for s in segment_text(page)}
    assert segs.get((start, end)) == "boilerplate", segs.get((start, end))


def test_late_furniture_made_up_lines():
    text = ("Probation Journal\n\nDOI: 10.1177/0264550519999999\n\nISSN 0264-5505\n\nCorresponding Author:\n\n"
            "Jane Doe, University of Somewhere\n\nArticle reuse guidelines: sagepub.com/journals-permissions\n\n"
            "The doi.org links in this article were checked in 2019.\n\nPublished date 01 March 2019")
    labelled = dict((text[s.start : s.end], s.segment) for s in segment_text(text))
    for line in ("DOI: 10.1177/0264550519999999", "ISSN 0264-5505", "Corresponding Author:",
                 "Article reuse guidelines: sagepub.com/journals-permissions", "Published date 01 March 2019"):
        assert labelled[line] == "boilerplate", line
    assert labelled["The doi.org links in this article were checked in 2019."] == "body"
