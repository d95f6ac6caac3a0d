"""claims_quantities: golden tables from the seed documents, negatives, properties, the component.

Every sentence below is copied from a seed (corpus/000_… to 004_…); ``test_sentences_are_verbatim``
checks that each still occurs in its document.
"""

from __future__ import annotations

import math

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.quantities import find_quantities
from nlp.components.quantities import QuantityTagger
from nlp.records import Quantity, Segment

from .conftest import span

SEEDS = ("000_57d1069afaf7de82", "001_561fdb856de98ebf", "002_845ac5acf3db497b",
         "003_c9ebe3be5a93ccd6", "004_1ecf1996b45117b8")


def q(sentence, mention, value, unit, approx="exact", value_high=None, *, xfail=None):
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(sentence, mention, value, unit, approx, value_high, marks=marks,
                        id=f"{mention}|{sentence[:30]}")


S = {  # seed sentences, by a short key
    "five_years": "Transforming Rehabilitation tested probation services severely over the past five years.",
    "half_staff": "Our CRC inspections have found a consistent issue with what staff perceive to be unmanageable caseloads, with more than half of staff interviewed in 2019 saying this was a problem.",
    "two_thirds": "Two-thirds of the CRC staff we interviewed had a caseload of more than 50.",
    "forty_two": "Forty-two percent had caseloads over 60, and significant minorities had caseloads of over 70 and into the eighties.",
    "officers": "We welcome the government’s ambition to recruit 1,000 new probation officers and the additional £155m investment in probation in this financial year but that needs to be sustained into the next spending review period.",
    "eight_ten": "The NPS is performing better overall, whereas eight out of ten CRCs inspected this year received the lowest possible rating – ‘Inadequate’ – for the implementation and delivery of probation supervision.",
    "quarter_million": "More than a quarter of a million people are under probation supervision each year.",
    "premises": "She also proposes a rethink about probation premises: only 15 per cent are jointly occupied by the NPS and CRCs.",
    "estate": "In her view, the existence of two separate estate footprints is both inefficient and ineffective.",
    "figures": "Latest available figures show 258,157 people were under probation supervision at the end of September 2018.",
    "supervised": "Community Rehabilitation Companies supervised 151,788 low and medium-risk offenders and the National Probation Service supervised 106,369 higher-risk offenders.",
    "trusts": "Prior to 2014, 35 self-governing probation trusts delivered probation services across England and Wales.",
    "crcs": "The government’s Transforming Rehabilitation programme replaced these trusts with a new public-sector National Probation Service (NPS) and 21 Community Rehabilitation Companies – these are owned by eight organisations, each different in constitution and outlook.",
    "divisions": "This report is based on aggregated data from HMI Probation’s inspection of four NPS Divisions and 15 CRCs in 2018/2019.",
    "readers": "Thirty eight people submitted a total of 57 questions which I collated and summarised before sending them off to HMPPS a month ago.",
    "lammy": "The Government accepted the recommendations of the Lammy Review and work has been going on across the criminal justice system to implement these over the last two years.",
    "trainees": "We have more than 800 new probation officers currently in training who will make a real difference as they qualify.",
    "regions": "The 12 Probation Regions have been designed around our partnerships.",
    "directors": "Each region has a director – all 12 have been in post from 1 April (some are existing NPS regional directors).",
    "funding": "For more than 15 years, probation funding has been on a downward trend; government spending per person under supervision is down 40 per cent in real terms since 2003/2004 (to just £3,550 in 2018/2019) – and flaws in the recent CRC contracts mean that this is likely to be worse for medium/low-risk offenders.",
    "losses": "By March 2018, CRCs were forecasting losses of nearly £300 million on their contracts, compared with expected profits of £269 million – a gap of over £560 million.",
    "homeless": "Perhaps the biggest concern for service users has been in regard to the provision of accommodation – more than 11,000 prisoners are released into homelessness each year.",
    "invested": "There are some welcome early signs that things may be improving – albeit from a low baseline; an additional £150 million has been invested by the government in probation in 2020/2021.",
    "ttg": "We know that an extra £22 million per year for CRCs has made a real difference to Through the Gate services for released prisoners – we rate rated eight out of ten as ‘Outstanding’ on the quality of this work.",
    "about_half": "‘… overall, not enough is being done, or done to an acceptable standard, in about half of all CRC cases we have inspected’.",
    "nineteen": "There were examples of good practice in some CRC areas, but when inspected against our new standards and ratings, 19 out of 21 were rated as ‘Requires improvement’ (2018/2019).",
    "nine": "Since September 2019, we have been able to complete nine inspections leading to an overall rating.",
    "three": "All of these services were rated as ‘Requires improvement’ in 2018/2019 – three are now rated as ‘Good’.",
    "five_crcs": "Five CRCs were rated as ‘Inadequate’ for the quality of their day-to-day offender management, against all our standards.",
    "seven": "While, in overall terms, we rated five of the seven NPS regions as ‘Good’ in our first round of inspections against our new standards, every region had at least two quality standards on which they were rated as ‘Requires improvement’.",
    "six_seven": "We applied this rating to all seven in relation to our standards for staffing, and to six out of seven for the quality of information services and facilities.",
    "vacancies": "Although probation services officer (PSO) numbers in the NPS have increased substantially since 2014, PO numbers remain an issue, with over 650 vacancies in September 2019 and particular issues with vacancy rates in London, the South East and East of England.",
    "dividends": "The government’s commitment to increase the number of trainee POs is welcome and there are signs that it is starting to pay dividends – with the number of POs rising by almost six per cent in the year to June 2020 and the gap in vacancies closing to 483.",
    "recruited": "We found that 153 new PO trainees had been recruited, and a full staffing complement after a long period below strength – although it was concerning to see that 32 per cent of officers had workloads in excess of 110 per cent of their expected levels.",
    "facilities": "In 2019, only 43 per cent of facilities management jobs were completed within the 10-day target.",
    "orders": "For example, on our return visit to the North West division, we found 700 outstanding work orders.",
    "fewer_half": "On every aspect of supervision in relation to risk of serious harm (apart from initial assessment), we have continued to find that, on average, fewer than half the cases we assess in CRCs are satisfactory in relation to planning, delivery or review of actions to manage risk of harm.",
    "third_cases": "We have found that, on average, these checks are not being done in over a third of cases.",
    "fallen": "We found that the number of skilled PO grade staff had fallen by 38 per cent since our last inspection.",
    "six_months": "There is a real risk to delivery over the coming six months, as attention is diverted by the demands of transition to the new structures in June next year.",
    "flow": "Flow tests are still under suspicion of being nearly 50% *inaccurate*, i.e. giving false negative results, but no-one (govt) will release the data in those pilot areas.",
    "as_many": "However, experts warn that the tests may miss as many as half of covid-19 cases, depending on who is using them—making them unsuitable for a “test and release” strategy to enable people to leave lockdown or to allow students to go home from university...",
    "drop": "So the claims that the Prime Minister and the Secretary of State for Health are making that there has been a three-quarters drop in Liverpool because of mass testing are completely false.",
    "minutes": "The government has claimed that rapid lateral flow covid-19 tests, which are being used in mass testing pilots in England and can provide results in 30 minutes, are “accurate and sensitive enough to be used in the community,” after evaluation results were published.",
    "oral": "The Inspection found that there were no written records of over one third of *oral reports that had been presented to Court.",
    "eighty": "This is further compounded by the MOJ proposing that oral and short format reports make up 80% of all reports to Court.",
    "custody": "A key aspect of the Act was to give statutory supervision to those serving less than 24 months custody.",
    "one_nine": "The inspection found that one in nine cases had an incomplete or missing Risk of Serious Harm assessment at the point of allocation.",
    "adjourned": "Full length Pre-sentence reports, which are adjourned for 3 weeks, are more likely to contain this information as they allow enough time for enquires to be made.",
    "one_third": "Only one third of all CRC cases had a completed risk of harm assessment prior to allocation despite half of all CRC cases being assessed as posing a medium risk of harm.",
    "appointment": "Only half of cases had an appointment with their assigned offender manager within 5 working days of sentence or release.",
    "intake": "This appears to be driven by the 10 working day target to have sentence plans in place but results in 2 people having to familiarise themselves with a case rather than one and breaks the end to end supervision that had become good practice in Probation Trusts.",
    "bbr": "CRC members have reported that some CRC are concerned about the cost of the programme that currently takes 18 months to complete and have stopped providing it.",
    "weeks": "Some are looking to introduce their own none accredited none evidence based programme that would run for just 12 weeks.",
    "quarter": "One quarter of offenders in the Inspection sample had gone on to be convicted of a further offence.",
    "two_thirds_less": "In less than two thirds of cases there was evidence of reasonable action being taken to minimise the offender’s risk of harm to others and protect the public.",
    "gold": "In 2011 the Probation Service won the Gold Award for Excellence and the performance of all 35 Trusts was assessed by the MOJ as excellent or good.",
    "nearly_half": "Nearly half of the cases in this sample had not had any form of review of the management plan or the risk of harm assessment and those that had were of poor quality.",
    "fifth": "In contrast to the Cs, in the NPS less than one fifth of offenders had been convicted of a further offence.",
    "three_quarters": "Changes to risk of harm were responded to appropriately in more than three quarters of cases with all other agencies and people being notified in a timely manner.",
    "split": "CRCs are presenting more cases back to NPS and the predicted 70:30 caseload split is nearer 50:50.",
    "existence": "The NPS has been in existence for approximately 18 months now and it is unacceptable that staff are not benefiting from the new civil servant status.",
    "two_reports": "Paul Wilson also states in his introduction that their findings are broadly similar to the last HMIP two reports published in May 2014 and November 2014 and that many of the previous recommendations still apply.",
    "one_year": "It is of concern that many of these previous recommendations have not been implemented or improved on almost one year after CRC contracts were mobilised.",
    "mccann": "Our review of the Joseph McCann case found all these issues combined, to become a catalogue of errors – not least eight missed opportunities to revoke his indeterminate sentence for public protection licence between 2017 and 2019.",
    "covid_data": "Thurs 3rd: 390,000 tests completed out of 580,000 capacity",
    "deaths": "It is a matter of record that when we were shown the data to justify the current lockdown back at the end of October—the 4,000 deaths a day figure—that information was a long way from being accurate.",
}

GOLDEN = [
    q(S["five_years"], "five years", 5, "years"),
    q(S["half_staff"], "more than half", 0.5, "fraction", "more_than"),
    q(S["two_thirds"], "Two-thirds", 0.6667, "fraction"),
    q(S["two_thirds"], "more than 50", 50, "count", "more_than"),
    q(S["forty_two"], "Forty-two percent", 42, "percent"),
    q(S["forty_two"], "over 60", 60, "count", "more_than"),
    q(S["forty_two"], "over 70", 70, "count", "more_than"),
    q(S["officers"], "1,000", 1000, "count"),
    q(S["officers"], "£155m", 155_000_000, "gbp"),
    q(S["eight_ten"], "eight out of ten", 0.8, "fraction"),
    q(S["quarter_million"], "More than a quarter of a million", 250_000, "count", "more_than"),
    q(S["premises"], "15 per cent", 15, "percent"),
    q(S["estate"], "two", 2, "count"),
    q(S["figures"], "258,157", 258157, "count"),
    q(S["supervised"], "151,788", 151788, "count"),
    q(S["supervised"], "106,369", 106369, "count"),
    q(S["trusts"], "35", 35, "count"),
    q(S["crcs"], "21", 21, "count"),
    q(S["crcs"], "eight", 8, "count"),
    q(S["divisions"], "four", 4, "count"),
    q(S["divisions"], "15", 15, "count"),
    q(S["readers"], "Thirty eight", 38, "count"),
    q(S["readers"], "57", 57, "count"),
    q(S["lammy"], "two years", 2, "years"),
    q(S["trainees"], "more than 800", 800, "count", "more_than"),
    q(S["regions"], "12", 12, "count"),
    q(S["directors"], "12", 12, "count"),
    q(S["funding"], "more than 15 years", 15, "years", "more_than"),
    q(S["funding"], "40 per cent", 40, "percent"),
    q(S["funding"], "£3,550", 3550, "gbp"),
    q(S["losses"], "nearly £300 million", 300_000_000, "gbp", "about"),
    q(S["losses"], "£269 million", 269_000_000, "gbp"),
    q(S["losses"], "over £560 million", 560_000_000, "gbp", "more_than"),
    q(S["homeless"], "more than 11,000", 11000, "count", "more_than"),
    q(S["invested"], "£150 million", 150_000_000, "gbp"),
    q(S["ttg"], "£22 million", 22_000_000, "gbp"),
    q(S["ttg"], "eight out of ten", 0.8, "fraction"),
    q(S["about_half"], "about half", 0.5, "fraction", "about"),
    q(S["nineteen"], "19 out of 21", 0.9048, "fraction"),
    q(S["nine"], "nine", 9, "count"),
    q(S["three"], "three", 3, "count"),
    q(S["five_crcs"], "Five", 5, "count"),
    q(S["seven"], "five of the seven", 0.7143, "fraction"),  # a share, as the gold reads it
    q(S["seven"], "at least two", 2, "count", "at_least"),
    q(S["six_seven"], "seven", 7, "count"),
    q(S["six_seven"], "six out of seven", 0.8571, "fraction"),
    q(S["vacancies"], "over 650", 650, "count", "more_than"),
    q(S["dividends"], "almost six per cent", 6, "percent", "about"),
    q(S["dividends"], "483", 483, "count"),
    q(S["recruited"], "153", 153, "count"),
    q(S["recruited"], "32 per cent", 32, "percent"),
    q(S["recruited"], "in excess of 110 per cent", 110, "percent", "more_than"),
    q(S["facilities"], "43 per cent", 43, "percent"),
    q(S["facilities"], "10-day", 10, "days"),
    q(S["orders"], "700", 700, "count"),
    q(S["fewer_half"], "fewer than half", 0.5, "fraction", "less_than"),
    q(S["third_cases"], "over a third", 0.3333, "fraction", "more_than"),
    q(S["fallen"], "38 per cent", 38, "percent"),
    q(S["six_months"], "six months", 6, "months"),
    q(S["flow"], "nearly 50%", 50, "percent", "about"),
    q(S["as_many"], "as many as half", 0.5, "fraction", "at_most"),
    q(S["drop"], "three-quarters", 0.75, "fraction"),
    q(S["minutes"], "30 minutes", 30, "other"),
    q(S["oral"], "over one third", 0.3333, "fraction", "more_than"),
    q(S["eighty"], "80%", 80, "percent"),
    q(S["custody"], "less than 24 months", 24, "months", "less_than"),
    q(S["one_nine"], "one in nine", 0.1111, "fraction"),
    q(S["adjourned"], "3 weeks", 3, "weeks"),
    q(S["one_third"], "one third", 0.3333, "fraction"),
    q(S["one_third"], "half", 0.5, "fraction"),
    q(S["appointment"], "half", 0.5, "fraction"),
    q(S["appointment"], "within 5 working days", 5, "days", "at_most"),  # the gold: within 12 months -> at_most
    q(S["intake"], "10 working day", 10, "days"),
    q(S["intake"], "2", 2, "count"),
    q(S["bbr"], "18 months", 18, "months"),
    q(S["weeks"], "12 weeks", 12, "weeks"),
    q(S["quarter"], "One quarter", 0.25, "fraction"),
    q(S["two_thirds_less"], "less than two thirds", 0.6667, "fraction", "less_than"),
    q(S["gold"], "35", 35, "count"),
    q(S["nearly_half"], "Nearly half", 0.5, "fraction", "about"),
    q(S["fifth"], "less than one fifth", 0.2, "fraction", "less_than"),
    q(S["three_quarters"], "more than three quarters", 0.75, "fraction", "more_than"),
    q(S["split"], "70:30", 2.3333, "ratio"),
    q(S["split"], "nearer 50:50", 1.0, "ratio", "about"),  # as the gold reads it: nearer is a cue like nearly
    q(S["existence"], "approximately 18 months", 18, "months", "about"),
    q(S["two_reports"], "two", 2, "count"),
    q(S["one_year"], "almost one year", 1, "years", "about"),
    q(S["mccann"], "eight", 8, "count"),
    q(S["covid_data"], "390,000", 390_000, "count"),
    q(S["covid_data"], "580,000", 580_000, "count"),
    q(S["deaths"], "4,000", 4000, "count"),
]


def _mentions(text):
    return {text[f.start:f.end]: f for f in find_quantities(text)}


@pytest.mark.parametrize("sentence, mention, value, unit, approx, value_high", GOLDEN)
def test_golden(sentence, mention, value, unit, approx, value_high):
    found = _mentions(sentence)
    assert mention in found, f"found {list(found)}"
    f = found[mention]
    assert f.value == pytest.approx(value, rel=5e-3)
    assert f.value_high == (None if value_high is None else pytest.approx(value_high))
    assert (f.unit, f.approx) == (unit, approx)


# Every mention in the sentence, in order (catches spurious extra mentions).
ALL_MENTIONS = [
    (S["two_thirds"], ["Two-thirds", "more than 50"]),
    (S["forty_two"], ["Forty-two percent", "over 60", "over 70"]),
    (S["funding"], ["more than 15 years", "40 per cent", "£3,550"]),
    (S["losses"], ["nearly £300 million", "£269 million", "over £560 million"]),
    (S["seven"], ["five of the seven", "at least two"]),
    (S["recruited"], ["153", "32 per cent", "in excess of 110 per cent"]),
    (S["directors"], ["12"]),
    (S["divisions"], ["four", "15"]),
    (S["mccann"], ["eight"]),
    (S["covid_data"], ["390,000", "580,000"]),
    (S["flow"], ["nearly 50%"]),
    (S["facilities"], ["43 per cent", "10-day"]),
]


@pytest.mark.parametrize("sentence, mentions", ALL_MENTIONS, ids=[m[0] for _s, m in ALL_MENTIONS])
def test_all_mentions(sentence, mentions):
    assert [sentence[f.start:f.end] for f in find_quantities(sentence)] == mentions


# (seed sentence, a stretch of it that must hold no mention): years and dates, Q numbers, section
# and series numbers, phone numbers, times, ordinals, 'one of', COVID-19, URLs.
NEGATIVE = [
    (span("pool-279", 1142, 1196), "Q3"),
    ("Q15: Does the new model address workload issues, e.g. high caseloads, recruitment/retention?", "Q15"),
    ("We have committed to a joint thematic inspection of the OMiC arrangements, in both custody and the community, with HM Inspectorate of Prisons in the summer of 2021 (this was postponed form summer 2020 due to the impact of COVID-19 on business as usual).", None),
    ("These services are to go live in June 2021; is there sufficient time to transition probation over to the new model?", None),
    ("September 2020", None),
    ("The report is available at justiceinspectorates.gov.uk/hmiprobation on 28 March 2019.", None),
    ("For media enquiries, please contact Head of Communications, Catherine Chan on 07889 405930 or media@hmiprobation.gov.uk (E-mail address)", None),
    ("Friday 4 December 2020", None),
    ("HMIP – Probation Inspection Report January 2015", None),
    ("Transforming Rehabilitation – Early implementation 4", None),
    ("On 15th January 2015 HMIP for Probation published a report looking at the arrangements for the supervision of offenders post privatisation.", None),
    ("This is the forth report since the implementation of Transforming Rehabilitation.", None),
    ("Section 2.39 in the report states:", None),
    ("Reply to 08:00", None),
    ("The E3 programme has been set up as a result of significant business risks being identified within the NPS.", None),
    ("Reforming probation remains one of our top strategic priorities for the Criminal Justice System and the current issues we are facing don’t take away the need to stabilise and improve how probation protects the public and reduces reoffending.", None),
    ("One of the things that clearly didn’t work previously was how small and specialist organisations, voluntary or otherwise, could get involved.", None),
    ("Ian is currently Managing Director of Interserve Citizen Services (a division of Interserve Group Ltd) and will be joining MTC on 4 January 2021.", None),
    ("We are now in the sixth and final year of the Transforming Rehabilitation reforms, given the decision by the government – in May 2019 – to end these contracts early.", None),
    ("Can the government provide figures for short prison sentences prior to and following the Offender Rehabilitation Act 2014?", None),
    ("1. TR was a crude politically-motivated, ideological juggernaut used to monetise probation service provision", None),
    ("https://www.bmj.com/content/371/bmj.m4469", None),
    ("In May 2019, it declared that it would be bringing the offender management function of the CRCs (representing most of the expenditure) back into the public sector by the end of 2020, and committed to this reform happening first in Wales from the end of 2019.", None),
    (S["mccann"], "between 2017 and 2019"),
    (S["directors"], "1 April"),
    (S["divisions"], "2018/2019"),
    (S["funding"], "2003/2004"),
    (S["covid_data"], "3rd"),
    (S["flow"], "no-one"),
    (S["gold"], "2011"),
]


@pytest.mark.parametrize("sentence, stretch", NEGATIVE, ids=[f"{n[1] or ''}|{n[0][:30]}" for n in NEGATIVE])
def test_negative(sentence, stretch):
    stretch = stretch or sentence
    lo = sentence.index(stretch)
    hi = lo + len(stretch)
    hits = [sentence[f.start:f.end] for f in find_quantities(sentence) if f.start < hi and lo < f.end]
    assert hits == []


# Pages of other sites (train split), quoted by reference: (sentence, mention, value, value_high, unit).
PAGES = [
    (span("pool-030", 1295, 1376), "£467million", 467e6, None, "gbp"),
    (span("pool-030", 1377, 1539), "£3.7billion", 3.7e9, None, "gbp"),
    (span("page-075", 115, 236), "6", 6, None, "count"),  # Sodexo (6): a count after a name
    (span("pool-141", 468, 751), "approximately three times", 3, None, "ratio"),
    (span("pool-141", 468, 751), "almost twice", 2, None, "ratio"),
    (span("pool-103", 325, 620), "hundreds of millions of pounds", 1e8, None, "gbp"),
    (span("pool-027", 1792, 1982), "tens of thousands", 1e4, None, "count"),
    (span("pool-184", 756, 1080), "a couple of days", 2, None, "days"),
    (span("page-078", 756, 1037), "a decade", 10, None, "years"),
    (span("pool-199", 597, 701), "halved", 0.5, None, "fraction"),
    (span("pool-267", 1061, 1156), "70/30", 2.3333, None, "ratio"),
    (span("pool-120", 1626, 1754), "an estimated £7-10bn", 7e9, 1e10, "gbp"),
    (span("pool-311", 1505, 1624), "between 9.5 and 13 billion pounds", 9.5e9, 1.3e10, "gbp"),
    (span("page-075", 1837, 1902), "between 51% and 32%", 32, 51, "percent"),
    (span("pool-080", 1316, 1437), "20–30%", 20, 30, "percent"),
    (span("pool-109", 1882, 1979), "between 16% and 48%", 16, 48, "percent"),
    (span("pool-132", 1440, 1863), "- 12 percentage points", -12, None, "other"),  # a difference of percentages
    (span("pool-150", 678, 832), "20 out of the 21", 0.9524, None, "fraction"),
    (span("pool-196", 515, 797), "18 and over", 18, None, "years"),
    (span("pool-201", 564, 705), "between the ages of 12 and 18", 12, 18, "years"),
    (span("pool-280", 1302, 1445), "8,294.5 square metres", 8294.5, None, "other"),
    (span("pool-288", 1093, 1288), "12 months", 12, None, "months"),  # June 2021 – 12 months: no year range
    (span("pool-045", 1807, 1992), "77%", 77, None, "percent"),  # from 20% to 77%: two figures
    (span("pool-135", 708, 1006), "131", 131, None, "count"),  # 131 – 30%: a count and its share, no title number
    (span("pool-144", 1164, 1355), "8m hours", 8e6, None, "other"),  # a scale suffix with no currency
    (span("pool-108", 717, 938), "2.5 percentage point", 2.5, None, "other"),  # a difference of percentages
    (span("pool-247", 1479, 1577), "over 55", 55, None, "years"),  # staff over 55: an age group
    (span("pool-181", 1309, 1454), "under 18s", 18, None, "years"),
    # the whole of a share that counts bodies is a count of its own; of targets or regions, a share
    (span("page-057", 785, 912), "six", 6, None, "count"),
    (span("page-057", 785, 912), "21", 21, None, "count"),
    (span("pool-070", 1833, 1977), "21", 21, None, "count"),  # 21 regional Community Rehabilitation Companies
    (span("pool-153", 1145, 1368), "21", 21, None, "count"),  # the 21 partnerships
    (span("page-021", 1506, 1617), "8 of the 24", 0.3333, None, "fraction"),
    (span("003_c9ebe3be5a93ccd6", 9054, 9288), "five of the seven", 0.7143, None, "fraction"),
    (span("pool-184", 67, 162), "25", 25, None, "years"),  # I'm 25: an age
]


@pytest.mark.parametrize("sentence, mention, value, value_high, unit", PAGES,
                         ids=[f"{p[1]}" for p in PAGES])
def test_pages(sentence, mention, value, value_high, unit):
    found = _mentions(sentence)
    assert mention in found, f"found {list(found)}"
    f = found[mention]
    assert (f.value, f.value_high, f.unit) == (pytest.approx(value, rel=5e-3),
                                               None if value_high is None else pytest.approx(value_high), unit)


# (sentence of another site's page, a stretch of it that must hold no mention; None: the whole sentence):
# citations, codes, labels, footnote markers, page stamps, 'one' that does not count.
PAGES_NEGATIVE = [
    (span("pool-044", 234, 247), None),  # a journal's volume(issue) and pages
    (span("pool-155", 327, 356), None),  # a DOI
    (span("page-033", 0, 309), "1695"),  # col 1695
    (span("pool-063", 25, 49), None),  # a page's age stamp
    (span("pool-273", 1636, 1767), "354"),  # Vol. 463, c. 354
    (span("pool-082", 65, 102), None),  # (PB 44)
    (span("pool-004", 1529, 1726), "FTSE 250"),
    (span("pool-229", 87, 354), "BBC 5 live after the BBC 1"),
    (span("pool-202", 806, 909), "Day 1"),
    (span("pool-226", 21, 32), None),  # TR Day Four
    (span("pool-028", 1317, 1438), None),  # One former civil servant says
    (span("pool-003", 673, 837), "a golden one"),
    (span("page-097", 911, 995), None),  # I for one
    (span("pool-236", 1398, 1520), "one by one"),
    (span("pool-270", 1194, 1343), "a third party"),
    (span("pool-096", 1930, 1992), "scale of one to 25"),
    (span("pool-096", 1930, 1992), "where 25 is"),  # a point on the scale, no amount
    (span("pool-108", 514, 715), "20201"),  # a footnote glued to a year
    (span("pool-177", 1568, 1693), None),  # March 2020,4 … June 2020;5 … February 2021.6
    (span("pool-167", 1189, 1623), "2015–16.4"),
    (span("pool-073", 1422, 1588), "month,2"),
    (span("pool-054", 1886, 1935), None),  # 1: Voluntary organisations …
    (span("pool-181", 909, 1032), None),  # Table 1, Service1, 12 months to 30 June 2022
    (span("pool-229", 69, 85), None),  # 1, November 2013
    (span("page-048", 515, 620), "31 3 21"),
    (span("pool-311", 936, 1200), "Oct 29"),
    (span("pool-232", 339, 353), None),  # ISSN
    (span("page-096", 1543, 1797), "two-tier"),
    (span("pool-069", 1333, 1479), "One reason"),
    (span("pool-018", 1619, 1803), "one reason"),
    (span("pool-081", 813, 1013), "a third sector"),  # a fraction word used as an ordinal
    (span("pool-089", 433, 510), "one."),  # 'if they see one.': a pronoun
    (span("pool-033", 318, 489), "one;"),  # 'a long and tough one;'
    (span("pool-308", 286, 482), "one having"),
    (span("pool-309", 1553, 1692), "the only one"),
    (span("pool-220", 1692, 1895), "one where"),
    (span("pool-238", 37, 144), "Napo 135"),  # a title's number before its closing quote
]

# Made-up lines for the rules above: (sentence, mention, value, value_high, unit).
MADE_UP = [
    ("In all 2.5m people were supervised.", "2.5m", 2.5e6, None, "count"),
    ("He served three-and-a-half years.", "three-and-a-half years", 3.5, None, "years"),
    ("The wait was 3 hrs and 20 mins.", "3 hrs", 3, None, "other"),
    ("The wait was 3 hrs and 20 mins.", "20 mins", 20, None, "other"),
    ("Reoffending fell by 3 percentage points.", "3 percentage points", 3, None, "other"),
    ("Caseloads rose by 5-10 percentage points.", "5-10 percentage points", 5, 10, "other"),
    ("Reoffending affects one-in-five offenders.", "one-in-five", 0.2, None, "fraction"),
    ("The risk was one in 1,000 cases.", "one in 1,000", 0.001, None, "fraction"),
    ("The risk was one in a thousand.", "one in a thousand", 0.001, None, "fraction"),
    ("It was 1 in 3.", "1 in 3", 0.3333, None, "fraction"),  # the sentence's stop is no decimal point
    ("A third of CRCs were rated inadequate.", "A third", 0.3333, None, "fraction"),
    ("They met only 4 of its 24 targets.", "4 of its 24", 0.1667, None, "fraction"),  # a share
    ("Sodexo owns six of the 21 CRCs.", "six", 6, None, "count"),  # the 21 CRCs: a count cited as such
    ("Sodexo owns six of the 21 CRCs.", "21", 21, None, "count"),
    ("Only one of the 31 inspections was good.", "one", 1, None, "count"),  # 'only one of': a count
    ("It came just one day after the report.", "one day", 1, None, "days"),
    ("They speak for less than half an hour.", "less than half an hour", 0.5, None, "other"),
    ("Offenders get six-weekly telephone calls.", "six-weekly", 6, None, "weeks"),
    ("Caseloads of over 60 are common.", "over 60", 60, None, "count"),  # no people before it: no age
    ("Schemes for people under 25 work.", "under 25", 25, None, "years"),
    ("They attend 3 weekly sessions.", "3", 3, None, "count"),  # a -ly unit only hyphen-joined
    ("She wrote 2 monthly reports.", "2", 2, None, "count"),
    ("No 16 year olds were held there.", "16 year", 16, None, "years"),  # 'No' at a sentence start: no label
    ("The count rose to one.", "one", 1, None, "count"),  # a sentence-final 'one' after 'to' counts
    ("It fell from three to one.", "one", 1, None, "count"),
    ("He served 10 of the 12 months.", "12 months", 12, None, "months"),  # no share: a duration follows
    ("He served 10 of the 12 months.", "10", 10, None, "count"),
    ("Seven of the 35 probation trusts merged.", "35", 35, None, "count"),  # a body-count measure's whole
    ("Seven of the 21 targets were met.", "Seven of the 21", 0.3333, None, "fraction"),  # 21 alone is no rule
    ("The caseload split is now 50-50.", "50-50", 1.0, None, "ratio"),
    ("It was a fifty-fifty decision.", "fifty-fifty", 1.0, None, "ratio"),
    ("Scores ranged 20-80 across areas.", "20-80", 20, 80, "count"),  # unequal ends: a range
    ("It cost a quarter of a billion pounds.", "a quarter of a billion pounds", 2.5e8, None, "gbp"),
]


@pytest.mark.parametrize("sentence, mention, value, value_high, unit", MADE_UP, ids=[m[1] for m in MADE_UP])
def test_made_up(sentence, mention, value, value_high, unit):
    test_pages(sentence, mention, value, value_high, unit)


# Approximation cues (GUIDELINES §3 'approx'), real lines and made-up ones: (sentence, mention, approx).
APPROX = [
    # 'over' a span of time after an amount or a rate, or a verb's particle, is no 'more than'
    (span("pool-153", 826, 887), "seven years", "exact"),  # £450m a year over seven years
    (span("page-039", 1515, 1622), "10 years", "exact"),  # valued at … £20bn over 10 years
    (span("pool-149", 1447, 1683), "70%", "exact"),  # will hand over 70% of the work
    (span("pool-279", 1340, 1542), "one", "exact"),  # under one roof
    (span("pool-028", 1643, 1844), "80 per cent-plus", "more_than"),  # 'plus' as the gold reads it
    (span("pool-133", 803, 929), "70 plus", "more_than"),
    (span("pool-121", 702, 934), "18 years old or over", "at_least"),
    (span("pool-311", 936, 1200), "$725 million", "about"),  # around 450 million pounds ($725 million)
    ("The service has changed more in over 100 years than ever.", "over 100 years", "more_than"),
    ("Pay rose by 1% over two years.", "two years", "exact"),
    ("Sentences of under one year are common.", "under one year", "less_than"),
    ("The split is nearer 60:40.", "nearer 60:40", "about"),
    ("It cost about £5m (£2m of it capital).", "£2m", "exact"),  # no restatement: no shared cue
]


@pytest.mark.parametrize("sentence, mention, approx", APPROX, ids=[a[1] for a in APPROX])
def test_approx(sentence, mention, approx):
    found = _mentions(sentence)
    assert mention in found, f"found {list(found)}"
    assert found[mention].approx == approx


# Made-up lines holding numbers that label, date or idle: (sentence, stretch; None: all of it).
MADE_UP_NEGATIVE = [
    ("The conference ran on 3-5 June 2019 in Leeds.", None),
    ("Meetings are held from 3 to 5 June.", None),
    ("See Vol 12, No 4, pp 23-25 and para. 4.2 of the report.", None),
    ("It was debated in HC 123, Vol 463 and Cmd 45.", None),
    ("The answer to Q 45 was given in Cm 8619 last year.", None),
    ("1 2 3 Next", None),
    ("Each case gets a 1:1 session with an officer who is on call 24-7.", None),
    ("This was the third report, and for a third time the CRC failed.", None),
    ("A fifth inspection is planned.", None),
    ("She was the one who left, and one of them stayed.", None),
    ("Jobs went at six companies, including one in Leeds.", "one"),
    ("Going back to one single probation service will help.", None),
    ("Not for one minute does that mean they are less important.", None),
    ("Users browsing this forum: No registered users and 2 guests", None),
    ("Probation is not a 9-5 job, nor a 9 to 5 one.", None),
]


@pytest.mark.parametrize("sentence, stretch", MADE_UP_NEGATIVE, ids=[n[0][:30] for n in MADE_UP_NEGATIVE])
def test_made_up_negative(sentence, stretch):
    test_negative(sentence, stretch)


@pytest.mark.parametrize("sentence, stretch", PAGES_NEGATIVE, ids=[f"{i}" for i in range(len(PAGES_NEGATIVE))])
def test_pages_negative(sentence, stretch):
    test_negative(sentence, stretch)


def test_sentences_are_verbatim(corpus_docs):
    seeds = [corpus_docs[d].text for d in SEEDS]
    missing = [s for s in {*S.values(), *(n[0] for n in NEGATIVE)} if not any(s in t for t in seeds)]
    assert missing == []


def test_table_sizes():
    assert len(GOLDEN) >= 60 and len(NEGATIVE) >= 15


# ---- properties on arbitrary text -------------------------------------------------------------

_PIECES = st.sampled_from([
    "£", "%", "per cent", "million", "m", "bn", "k", "half", "a", "third", "quarter", "one", "two",
    "thirty", "eight", "out of", "in", "ten", "more than", "over", "about", "nearly", "up to",
    "between", "and", "to", "-", "–", ":", "/", ".", ",", "years", "months", "weeks", "Q3",
    "2019", "2018/2019", "1 April", "07889 405930", "COVID-19", "section 2.39", "\n", "1.", "(",
])
_TEXT = st.lists(
    st.one_of(_PIECES, st.integers(0, 10**7).map(str), st.from_regex(r"\d{1,3}(,\d{3})*(\.\d+)?", fullmatch=True),
              st.text(alphabet="abc £%.,:-/0123456789 \n", max_size=8)),
    max_size=30,
).map(lambda parts: " ".join(parts))


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=80)))
def test_properties(text):
    found = find_quantities(text)
    previous_end = 0
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= previous_end  # sorted and never overlapping
        previous_end = f.end
        assert math.isfinite(f.value)
        assert f.value_high is None or (math.isfinite(f.value_high) and f.value_high > f.value)
        assert f.unit in {"count", "percent", "fraction", "gbp", "ratio", "days", "weeks", "months", "years", "other"}
        assert f.approx in {"exact", "about", "more_than", "less_than", "at_least", "at_most"}
        assert text[f.start:f.end].strip() == text[f.start:f.end]


# ---- the component ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def blank_nlp():
    import nlp.components  # noqa: F401  (registers the factory)

    pipe = spacy.blank("en")
    pipe.add_pipe("claims_quantities")
    return pipe


def test_component_without_parse(blank_nlp):
    text = S["losses"]
    doc = blank_nlp(text)
    qs = doc._.quantities
    assert isinstance(qs, tuple) and all(isinstance(x, Quantity) for x in qs)
    assert [x.text for x in qs] == ["nearly £300 million", "£269 million", "over £560 million"]
    assert all(text[x.start:x.end] == x.text and x.measure is None for x in qs)
    assert [x.start for x in qs] == sorted(x.start for x in qs)
    assert qs[0].period == "By March 2018"


def test_component_uses_segments(blank_nlp):
    first, second = S["trusts"], S["orders"]
    text = first + " " + second
    doc = blank_nlp.make_doc(text)
    doc._.segments = (Segment(0, len(first), "body"), Segment(len(first) + 1, len(text), "body"))
    doc = blank_nlp.get_pipe("claims_quantities")(doc)
    by_text = {x.text: x for x in doc._.quantities}
    assert by_text["35"].period == "Prior to 2014"
    assert by_text["700"].period is None  # the year is in the other sentence


def test_component_skips_boilerplate(blank_nlp):
    text = "11 comments:\nOnly 15 per cent are jointly occupied."
    component = blank_nlp.get_pipe("claims_quantities")
    doc = blank_nlp.make_doc(text)
    doc._.segments = (Segment(0, 12, "boilerplate"), Segment(13, len(text), "body"))
    assert [x.text for x in component(doc)._.quantities] == ["15 per cent"]
    keep = QuantityTagger(skip_boilerplate=False)
    assert [x.text for x in keep(doc)._.quantities] == ["11", "15 per cent"]


def test_component_predict_does_not_write(blank_nlp):
    component = blank_nlp.get_pipe("claims_quantities")
    doc = blank_nlp.make_doc(S["premises"])
    preds = component.predict([doc])
    assert doc._.quantities is None
    component.set_annotations([doc], preds)
    assert [x.text for x in doc._.quantities] == ["15 per cent"]


def test_component_empty(blank_nlp):
    assert blank_nlp("")._.quantities == ()
    assert blank_nlp("No numbers here.")._.quantities == ()


# (seed sentence, mention, measure, period), through the full pipeline
MEASURES = [
    (S["recruited"], "153", "new PO trainees", None),
    (S["recruited"], "32 per cent", "officers", None),
    (S["vacancies"], "over 650", "vacancies", "September 2019"),
    (S["figures"], "258,157", "people", "the end of September 2018"),
    (S["eight_ten"], "eight out of ten", "CRCs inspected", "this year"),
    (S["divisions"], "four", "NPS Divisions", "2018/2019"),
    (S["two_thirds"], "Two-thirds", "CRC staff", None),
    (S["facilities"], "43 per cent", "facilities management jobs", "2019"),
    (S["trusts"], "35", "self-governing probation trusts", "Prior to 2014"),
    (S["officers"], "1,000", "new probation officers", "this financial year"),
    (S["officers"], "£155m", "investment", "this financial year"),
    (S["one_nine"], "one in nine", "cases", None),
    (S["homeless"], "more than 11,000", "prisoners", None),
    (S["crcs"], "21", "Community Rehabilitation Companies", None),
    (S["orders"], "700", "outstanding work orders", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("sentence, mention, measure, period", MEASURES, ids=[m[1] for m in MEASURES])
def test_measure_and_period(pipeline, sentence, mention, measure, period):
    found = {x.text: x for x in pipeline(sentence)._.quantities}
    assert mention in found, f"found {list(found)}"
    assert (found[mention].measure, found[mention].period) == (measure, period)


@pytest.mark.slow
def test_pronoun_one_dropped(pipeline):
    text = "The road to recovery for probation services will be a long and winding one to traverse, with huge challenges ahead still to negotiate."
    assert [x.text for x in pipeline(text)._.quantities] == []


@pytest.mark.slow
def test_pipeline_seed_offsets(pipeline, corpus_docs):
    for doc_id in SEEDS[:2]:  # the two short seeds: the rest add time, not coverage
        text = corpus_docs[doc_id].text
        qs = pipeline(text)._.quantities
        assert qs and all(text[x.start:x.end] == x.text for x in qs)
        assert all(a.end <= b.start for a, b in zip(qs, qs[1:]))


# ---- units named by a table's headers (tables.py) ---------------------------------------------

TABLE = ("Table 2: Staff absences, 2022\n\nTotal working days lost\n\nAverage staff in post\n\n"
         "Share absent (%)\n\nNorth\n\n1,200\n\n4,500\n\n3.1\n\nSouth3,4\n\n950\n\n3,900\n\n2.4\n\n"
         "Absences fell by 950 over the year.")


def test_table_cells_take_their_column_unit():
    found = [(TABLE[f.start:f.end], f.unit) for f in find_quantities(TABLE)]
    assert found == [("1,200", "days"), ("4,500", "count"), ("3.1", "percent"), ("950", "days"),
                     ("3,900", "count"), ("2.4", "percent"), ("950", "count")]  # no footnote 4; prose keeps count


def test_table_caption_unit_holds_when_no_header_names_one():
    text = "Table 1: Number of working days lost due to stress\n\nGroup\n\n2021\n\n2022\n\nLondon\n\n418\n\n550\n"
    assert [(text[f.start:f.end], f.unit) for f in find_quantities(text)] == [("418", "days"), ("550", "days")]


def test_table_caption_in_capitals():
    text = "TABLE 1: Number of working days lost due to stress\n\nGroup\n\n2021\n\n2022\n\nLondon\n\n418\n\n550\n"
    assert [(text[f.start:f.end], f.unit) for f in find_quantities(text)] == [("418", "days"), ("550", "days")]


@pytest.mark.parametrize("doc, cells", [
    ("pool-180", {"418": "days", "5,450": "days", "6,399": "days"}),  # the caption names the unit
    ("pool-181", {"2,270": "days", "35,867": "count", "1,373": "days", "17,460": "count"}),  # the headers do
])
def test_table_pages(doc, cells):
    page = span(doc, 0, None)
    found = {page[f.start:f.end]: f.unit for f in find_quantities(page)}
    assert {k: found.get(k) for k in cells} == cells
