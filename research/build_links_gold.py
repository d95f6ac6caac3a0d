"""Gold cross-document claim links (annotator-g, guideline 1.0).

Every pair below was judged by hand after reading both sentences in their documents.
Sentences are referenced as "DOC:SENT_ID" (DOC shorthand: 000..004 for the numbered
documents, p003..p102 for page-NNN); the script copies doc_id/start/end/hash from
annotations/gold/DOC_ID.jsonl, checks them, orders each pair (a.doc_id < b.doc_id),
rejects duplicates and same-document pairs, and writes annotations/links.jsonl.

    python research/build_links_gold.py
"""
import datetime
import json
import pathlib
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.gold.sources import with_text  # noqa: E402

GOLD = ROOT / "annotations" / "gold"
OUT = ROOT / "annotations" / "links.jsonl"
SPLIT = json.loads((ROOT / "annotations" / "split.json").read_text())
TEST = set(SPLIT["test"])

LONG = {
    "000": "000_57d1069afaf7de82",
    "001": "001_561fdb856de98ebf",
    "002": "002_845ac5acf3db497b",
    "003": "003_c9ebe3be5a93ccd6",
    "004": "004_1ecf1996b45117b8",
}

# (a, b, relation, note)
PAIRS = [
    # ---------------- repeat ----------------
    # HMI Probation annual report 2014-15 and its press release
    ("p012:1", "p015:4", "repeat", "same sentence: good progress on regular inspections in 2014-15"),
    ("p012:3", "p015:6", "repeat", "same list item: six full joint inspections and 31 short quality screenings"),
    ("p012:4", "p015:7", "repeat", "same list item: audit of workloads and of case transfer to NPS/CRCs"),
    ("p012:5", "p015:8", "repeat", "same list item: 14 inspections of adult offending work"),
    ("p012:6", "p015:9", "repeat", "same list item: 43 inspections of offender management in prisons"),
    ("p012:7", "p015:10", "repeat", "same list item: five thematic reports"),
    ("p012:8", "p015:11", "repeat", "same claim: new inspection model piloted in first half of 2015-16"),
    ("p012:9", "p015:12", "repeat", "same claim: continued focus on public safety"),
    # Justin Russell 2020 evidence / annual report 2020 / 2021 reflections
    ("000:38", "003:53", "repeat", "'structural reform/reunification is not a magic bullet for improving performance'"),
    ("000:39", "003:56", "repeat", "supervision quality will not improve merely by shifting cases from CRCs into NPS"),
    ("000:39", "p102:6", "repeat", "same 'lifting and shifting' claim, CRCs/private sector -> NPS/public sector"),
    ("000:28", "003:57", "repeat", "PO vacancies must be filled and staff trained for new responsibilities"),
    ("000:28", "p102:7", "repeat", "PO vacancies must be filled and staff trained"),
    ("000:27", "003:55", "repeat", "probation must be funded properly"),
    ("000:17", "003:58", "repeat", "positive CRC innovations must not be lost in transition"),
    ("000:17", "p102:8", "repeat", "positive innovations (of private companies) must not be lost"),
    ("000:16", "003:92", "repeat", "TR unleashed innovation in some CRCs/areas"),
    ("000:15", "003:86", "repeat", "TR reforms tested probation severely"),
    ("000:58", "003:12", "repeat", "probation staff adapted well/quickly to Covid-19 working (inspectorate 2020)"),
    ("003:28", "p051:10", "repeat", "extra GBP 22 million a year for CRC Through the Gate work"),
    # Stacey 2019 annual report
    ("001:1", "p045:8", "repeat", "Stacey: TR/part-privatisation model 'irredeemably flawed'"),
    ("001:1", "p051:7", "repeat", "TR model irredeemably flawed ~ JC 'unconvinced TR can ever deliver an effective service'"),
    ("001:49", "003:41", "repeat", "quote: 'incredibly difficult, if not impossible' to reduce probation to contractual measures/requirements"),
    ("001:54", "p042:6", "repeat", "258,157 under supervision (Sep 2018) ~ 'more than a quarter of a million at any one time'"),
    ("001:10", "p042:6", "repeat", "'more than a quarter of a million' under probation supervision (Stacey vs Gauke)"),
    ("001:4", "p018:11", "repeat", "CRC work rated poor/Inadequate by the Chief Inspector"),
    ("001:7", "p066:2", "repeat", "shortage of (qualified) probation officers across the service"),
    ("001:18", "p096:9", "repeat", "commerce/profit motive undermined professional ethics/values"),
    # recruitment / vacancies
    ("000:44", "p084:3", "repeat", "government aim: 1,000 new/extra probation officers (in training) this financial year"),
    ("000:45", "003:63", "repeat", "'hundreds' of NPS PO vacancies ~ 'over 650 vacancies' (Sep 2019)"),
    # NAO 2019 and cost overrun
    ("p018:16", "p045:7", "repeat", "NAO March 2019: 'at least GBP 467m' ~ 'almost GBP 500m' extra cost to taxpayers"),
    ("p018:15", "p051:9", "repeat", "contracts ended 14 months early"),
    ("003:42", "p018:15", "repeat", "early termination of CRC contracts (2018)"),
    ("p021:9", "p051:9", "repeat", "CRC activity volumes lower than expected"),
    ("p051:9", "p060:10", "repeat", "2018 announcement of early end/shake-up after CRC funding model failed"),
    ("p018:13", "p087:8", "repeat", "NAO: financial pressures stopped CRCs investing / developing supply chains"),
    ("p093:12", "p096:12", "repeat", "CRC caseloads lower than bid/promised volumes"),
    # structure of TR
    ("p018:6", "p096:3", "repeat", "2014 split: 21 private CRCs + public NPS"),
    ("p018:6", "p036:14", "repeat", "2014 split of probation into NPS and 21 CRCs"),
    ("p090:10", "p096:3", "repeat", "NPS + 21 CRCs structure (2014 split; 2015 delivery start - both true)"),
    ("p009:4", "p096:3", "repeat", "new NPS starts June 2014 (2 June) ~ service split in June 2014"),
    ("p036:14", "p075:2", "repeat", "eight organisations run the 21 CRCs"),
    ("p057:6", "p075:5", "repeat", "Sodexo owns/holds six CRCs"),
    ("p018:18", "p075:3", "repeat", "Working Links owns three CRCs"),
    ("p018:18", "p060:3", "repeat", "Working Links CRCs went into administration"),
    ("p057:4", "p075:14", "repeat", "Sodexo announced staff cuts (first CRC owner to do so)"),
    ("p045:4", "p090:12", "repeat", "CRCs supervise low and medium risk offenders"),
    ("p027:17", "p045:4", "repeat", "CRCs supervise low and medium risk offenders"),
    ("p072:13", "p036:16", "repeat", "CRCs made responsible for Through the Gate"),
    # short-sentence supervision
    ("p042:10", "p096:4", "repeat", "extension of supervision to ~40,000 short-sentence releases"),
    ("p072:17", "p096:4", "repeat", "40,059 short-sentence prisoners (2015) ~ 'approximately 40,000'"),
    ("p033:1", "p036:15", "repeat", "statutory supervision now for prisoners on sentences under 12 months"),
    # reunification announcements
    ("p045:3", "p051:13", "repeat", "May 2019: supervision of all offenders back under the NPS"),
    ("003:43", "p051:13", "repeat", "May 2019: CRC offender management back into public sector"),
    ("003:43", "p045:5", "repeat", "May 2019 plan: NPS takes over by end of 2020 / December 2020"),
    ("p024:3", "p045:3", "repeat", "May 2019 decision: offender supervision to NPS (all supervision = 80% of CRC work)"),
    ("p024:9", "p045:11", "repeat", "2019/20 plan: unpaid work and interventions stay with private/voluntary partners"),
    ("p024:3", "p096:6", "repeat", "CRC contracts end April 2021 ~ Spring 2021"),
    ("p045:14", "p084:8", "repeat", "government admits TR/Grayling's reforms failed"),
    ("003:52", "p084:8", "repeat", "June 2020 announcement: remaining CRC work back into public service from summer 2021"),
    ("p084:8", "p090:13", "repeat", "CRC contracts end summer/June 2021, service reunified under NPS"),
    ("p042:15", "p051:11", "repeat", "summer 2018: consultation on future of probation launched"),
    ("002:65", "p090:15", "repeat", "12 probation regions = 11 in England + 1 in Wales"),
    ("002:33", "p087:12", "repeat", "Dynamic Framework brings in local/smaller voluntary providers"),
    ("p087:2", "p090:16", "repeat", "Dynamic Framework commissions rehabilitation and resettlement services"),
    ("p075:10", "p087:8", "repeat", "CRC supply chains (tier 2/3 providers) not developed"),
    # inspections and reports
    ("003:38", "p072:5", "repeat", "joint 2016 Through the Gate inspection: resettlement work poor"),
    ("p072:5", "p093:16", "repeat", "Oct 2016 joint inspection found resettlement services poor"),
    ("p033:4", "p093:13", "repeat", "Sept 2016 Public Accounts Committee report critical of TR"),
    ("p003:1", "p093:8", "repeat", "Jan 2014 Justice Committee report raised concerns/criticisms"),
    ("p093:7", "p096:7", "repeat", "TR's failings were foretold/predictable"),
    ("003:33", "p096:11", "repeat", "HMIP: 'two-tier and fragmented' service"),
    ("004:49", "p012:10", "repeat", "information-sharing problems between NPS and CRCs (early TR inspections)"),
    ("004:75", "p015:2", "repeat", "too early/soon to judge TR/CRCs on reoffending (2015)"),
    ("p024:5", "p060:7", "repeat", "Napo: we warned the government (from day one) about privatisation"),
    ("p024:5", "p096:9", "repeat", "probation should not be run for profit ~ profit motive contradicted public-service values"),
    ("p096:11", "p097:3", "repeat", "NPS/CRC staff divide and tension"),
    ("p096:12", "p097:10", "repeat", "CRCs perceived as inferior / CRC staff feel 'second class'"),
    # ---------------- contradict ----------------
    ("000:44", "003:27", "contradict", "additional probation investment 2020/21: GBP 155m vs GBP 150m, same source/year, no approximation cue"),
    ("p021:12", "p024:6", "contradict", "cost of the 2017 CRC bail-out: GBP 342m vs 'estimated GBP 280m'"),
    ("p033:1", "p042:10", "contradict", "short-sentence prisoners newly supervised under TR: around 45,000 vs 40,000 (no period difference)"),
    ("003:7", "p018:10", "contradict", "CRCs brought innovative operating models vs CRCs failed to innovate (same CRCs, same TR period)"),
    ("004:8", "p027:16", "contradict", "start of private CRC contracts: 1 Feb 2014 vs Feb 2015"),
    ("p024:3", "p045:5", "contradict", "May 2019 plan: transfer on contract expiry April 2021 vs NPS takes over December 2020"),
    ("003:43", "p024:3", "contradict", "May 2019 plan: CRC offender management back by end of 2020 vs April 2021"),
    ("003:86", "p060:7", "contradict", "probation not 'in crisis' vs service fallen into 'total chaos' (both about 2015-2020)"),
    # ---------------- update ----------------
    ("p018:16", "p021:12", "update", "extra cost to taxpayer of CRC contracts: GBP 342m (Dec 2017) -> at least GBP 467m (Mar 2019)"),
    ("p021:12", "p045:7", "update", "extra cost to taxpayer: GBP 342m (Dec 2017) -> almost GBP 500m (Mar 2019)"),
    ("001:54", "p102:9", "update", "people under probation supervision: 258,157 (Sep 2018) -> 220,000 (2021)"),
    ("p042:6", "p102:9", "update", "people under probation supervision: >250,000 (2019) -> 220,000 (2021)"),
    ("002:65", "p045:10", "update", "number of new NPS regions: eleven (May 2019 plan) -> 12 (2020)"),
    ("p045:10", "p090:15", "update", "NPS regions: eleven in E&W (2019 plan) -> 11 in England + 1 in Wales (2020)"),
    ("003:52", "p045:11", "update", "unpaid work/interventions: private partner per area (May 2019) -> back in public sector (June 2020 decision)"),
    ("003:52", "p024:9", "update", "unpaid work/interventions: remain private (early 2020 blueprint) -> public sector (June 2020)"),
    ("002:73", "p060:14", "update", "Wales reunification: due 'next year' 2020 (Feb 2019) -> done December 2019"),
    ("003:43", "p060:14", "update", "Wales reunification date: 2020 (Feb 2019) -> end of 2019 (May 2019 decision)"),
    ("003:64", "p081:8", "update", "PO numbers growth: almost 6% in year to June 2020 -> 5.7% in year to Sept 2020"),
    ("001:4", "003:50", "update", "CRCs rated 'Inadequate' on delivery: 8 of 10 inspected (2018/19) -> five CRCs (2019/20)"),
    ("003:73", "004:71", "update", "CRC cases with adequate risk-of-harm action: under two thirds (2015) -> under half (2020)"),
    ("003:28", "p072:3", "update", "Through the Gate quality: poor (2016) -> eight out of ten 'Outstanding' (2020)"),
    ("004:7", "p072:3", "update", "Through the Gate provision: slow/disjointed (Jan 2015) -> poor one year in (Oct 2016)"),
    ("p015:2", "p018:10", "update", "TR innovation: too early to say (2015) -> CRCs failed to innovate (2019)"),
    ("p015:2", "p018:8", "update", "TR effect on reoffending: too early to say (2015) -> failed to reduce as expected (2019)"),
    ("p045:5", "p090:13", "update", "date NPS takes over CRC work: December 2020 (2019 plan) -> June 2021 (2020)"),
    ("p090:13", "p096:6", "update", "CRC contract end: Spring 2021 (Dec 2019) -> June 2021 (later 2020 plan)"),
    # ---------------- none (look-alikes) ----------------
    ("001:4", "003:28", "none", "'eight out of ten' CRCs Inadequate (supervision) vs eight out of ten Outstanding (Through the Gate)"),
    ("003:19", "p081:8", "none", "GBP 3,550 spending per person vs 3,550 FTE probation officers"),
    ("003:19", "p024:7", "none", "spending down 40 per cent vs serious further offences up over 40 per cent"),
    ("004:18", "p024:3", "none", "80% oral/short reports vs 80 per cent of CRC work transferring"),
    ("p024:3", "p048:8", "none", "80 per cent transfer announced vs Napo campaign goal of 100% return"),
    ("001:4", "003:39", "none", "8/10 CRCs Inadequate for delivery vs 19/21 'Requires improvement' overall: different rating measure"),
    ("003:39", "p018:9", "none", "'19 out of 21' CRCs rated vs 'six out of 21' CRCs met reoffending targets"),
    ("p009:8", "p018:6", "none", "'21 years old' vs 21 CRCs"),
    ("p012:5", "p018:15", "none", "14 inspections vs contracts ended 14 months early"),
    ("003:68", "p015:9", "none", "43 per cent of facilities jobs vs 43 inspections"),
    ("p042:14", "p045:7", "none", "about 500 additional resettlement staff vs almost GBP 500m cost"),
    ("p042:10", "p045:12", "none", "payment by results introduced (2014) vs will not be used in new model: different claims"),
    ("p018:8", "p042:11", "none", "failed to reduce reoffending by expected levels vs some reduction seen: compatible"),
    ("p018:9", "p042:11", "none", "reoffences per reoffender up 22% vs reoffending reduced: different measures"),
    ("p018:9", "p024:7", "none", "22% rise in reoffences per reoffender vs 23% rise in serious further offences"),
    ("000:41", "p078:4", "none", "two-thirds of CRC staff with caseload >50 vs 66% of magistrates lack confidence"),
    ("000:42", "003:66", "none", "42% of CRC staff caseloads >60 vs 32% of NW NPS officers over 110% workload"),
    ("003:75", "004:36", "none", "domestic abuse checks missing in over a third vs one third of CRC cases with RoSH assessment"),
    ("001:55", "p066:1", "none", "NPS supervises 106,369 (E&W) vs NPS Wales supervises nearly 7,000: different scope"),
    ("003:61", "p066:4", "none", "five of seven NPS regions rated Good vs NPS Wales rated Good: different scope"),
    ("004:109", "p066:9", "none", "NPS sickness rising (2015, E&W) vs NPS Wales sickness low (2019)"),
    ("002:65", "p024:9", "none", "12 regions in E&W vs an 11-region service (England): different scope"),
    ("002:57", "p084:3", "none", "800+ POs currently in training vs target of 1,000 extra: different measure"),
    ("003:20", "p024:6", "none", "forecast CRC losses of nearly GBP 300m vs GBP 280m bail-out"),
    ("p021:2", "p051:10", "none", "July 2017 bail-out vs July 2018 GBP 22m stabilisation: different events"),
    ("p018:12", "p030:11", "none", "reforms rushed without testing vs 2014 proposed clause requiring a pilot: same topic only"),
    ("p042:3", "p051:11", "none", "response to the consultation (May 2019) vs launch of it (2018)"),
    ("p036:3", "p051:7", "none", "JC inquiry launched (2017) vs its 2018 report's conclusion"),
    ("p036:15", "p097:16", "none", "sentences of 12 months or less vs 12 months maximum length of an order"),
    ("004:24", "p036:15", "none", "ORA supervision <24 months custody vs short sentences <=12 months: both true (top-up vs new group)"),
    ("004:107", "p027:12", "none", "predicted 70:30 split actually 50:50 (caseload) vs CRCs responsible for 70 per cent (design share)"),
    ("p057:4", "p075:16", "none", "Sodexo announced one third redundancies (2015) vs FTE fell 32-51% (2018): different measures"),
    ("p072:18", "p075:11", "none", "about 9% of prisoners on short sentences vs 9% of survey respondents"),
    ("p009:15", "p057:5", "none", "two-year degree course vs two years' TR disruption"),
    ("p012:11", "p015:1", "none", "struggling areas adapt worst vs transitional problems persist: different findings"),
]


def load(doc_id):
    out = {}
    for line in (GOLD / f"{doc_id}.jsonl").open():
        r = json.loads(line)
        if r["layer"] == "sentence":
            out[r["sent_id"]] = r
    return out


def resolve(ref, cache):
    short, sid = ref.split(":")
    doc_id = LONG[short] if short in LONG else "page-" + short[1:]
    if doc_id not in cache:
        cache[doc_id] = load(doc_id)
    r = cache[doc_id][int(sid)]
    if r["segment"] == "boilerplate":
        raise SystemExit(f"{ref} is boilerplate")
    return {"doc_id": r["doc_id"], "start": r["start"], "end": r["end"], "hash": r["hash"]}


def main():
    if OUT.exists() and any('"pair"' in line for line in OUT.read_text(encoding="utf-8").splitlines()):
        raise SystemExit(f"{OUT} holds the pool's judged pairs; this script would drop them "
                         "(scripts/link_candidates.py build keeps the pairs below and adds the pool's)")
    cache = {}
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    seen = set()
    rows = []
    for a_ref, b_ref, rel, note in PAIRS:
        assert rel in {"repeat", "contradict", "update", "none"}, rel
        a, b = resolve(a_ref, cache), resolve(b_ref, cache)
        if a["doc_id"] == b["doc_id"]:
            raise SystemExit(f"same document: {a_ref} {b_ref}")
        if (a["doc_id"], a["start"]) > (b["doc_id"], b["start"]):
            a, b = b, a
        if a["doc_id"] >= b["doc_id"]:
            raise SystemExit(f"order: {a_ref} {b_ref}")
        key = (a["doc_id"], a["start"], a["end"], b["doc_id"], b["start"], b["end"])
        if key in seen:
            raise SystemExit(f"duplicate pair: {a_ref} {b_ref}")
        seen.add(key)
        split = "test" if a["doc_id"] in TEST or b["doc_id"] in TEST else "dev"
        rows.append({"a": a, "b": b, "relation": rel, "split": split,
                     "annotator": "annotator-g", "created": now, "guideline": "1.0", "note": note})
    # validate against the gold records and the pages again (with_text checks each span's hash)
    for row in rows:
        for side in ("a", "b"):
            s = row[side]
            rec = [r for r in cache[s["doc_id"]].values()
                   if r["start"] == s["start"] and r["end"] == s["end"] and r["hash"] == s["hash"]]
            assert len(rec) == 1, s
            with_text(dict(s))
    with OUT.open("w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    rel = Counter(r["relation"] for r in rows)
    spl = Counter(r["split"] for r in rows)
    print(len(rows), dict(rel), dict(spl), f"test share {spl['test'] / len(rows):.0%}")
    print("test by relation", dict(Counter(r["relation"] for r in rows if r["split"] == "test")))


if __name__ == "__main__":
    main()
