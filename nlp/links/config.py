"""Every threshold of cross-source linking in one frozen dataclass, each with its trade-off."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkConfig:
    # --- candidate generation -------------------------------------------------------------
    # Neighbours asked of the ANN index per claim: more finds more links in big clusters of
    # repeats, but every extra neighbour is one more pair to judge.
    k: int = 10
    # Below this many claims the exact (brute-force) neighbour search is cheaper than building
    # an HNSW index; above it hnswlib is used.
    exact_below: int = 2000
    # HNSW graph degree: higher gives better recall and more memory (~M*8 bytes a claim).
    hnsw_m: int = 16
    # HNSW build beam: higher gives a better graph and a slower build.
    hnsw_ef_construction: int = 100
    # HNSW query beam (at least k): higher gives better recall and slower queries.
    hnsw_ef: int = 64
    # Threads for hnswlib queries (-1: all cores); queries give the same answers on any number.
    hnsw_threads: int = -1
    # Threads for building the HNSW index. One builds the same graph, and so writes the same
    # links, on every run; more build faster, but the insertion order (and with it which of
    # many equally near duplicates each claim gets as neighbours) then varies from run to run.
    hnsw_build_threads: int = 1
    # Cosine below which an ANN neighbour is not worth judging: lower finds looser paraphrases
    # and updates, higher keeps the candidate list short.
    candidate_min_sim: float = 0.5
    # Further neighbours, past the first k up to far_k, are candidates only at or above
    # far_min_sim and when the two share rare words (rare-word overlap, as pairs.py reads it, at
    # least far_min_overlap): the loose restatements of a story every source retells sit 10-50 deep
    # in each other's lists, among claims that share only its topic. On train+dev (with value
    # blocks), far_k 50 with 0.45 / 0.15 and no cap made 37 more gold links candidates for 9,000
    # more pairs (k 50 with no overlap test, floor 0.5: 36 more for 90,000). far_k <= k turns it off.
    far_k: int = 50
    far_min_sim: float = 0.45
    far_min_overlap: float = 0.1
    # ... and at most this many of them a claim (the nearest): a claim among many near copies of
    # itself (a story every source retells, or a synthetic benchmark's perturbed claims) finds
    # all of them sharing its rare words. Higher finds more in such crowds, at linear cost: on
    # train+dev 3 / 5 / 10 / no cap found 28 / 32 / 38 / 43 more gold links than no further
    # neighbours; on bench_links' 100k synthetic claims 10 adds 3% pairs, no cap 24%. With rare-word
    # neighbours (below), overlap 0.1 and far_max 20 made 5 + 5 more train+dev gold links candidates
    # than 0.15 and 10, for 12,300 more pairs (+14%); far_k 100 would add 3 + 1 for 7,800 more, and
    # a query twice as deep.
    far_max: int = 20
    # Rare-word neighbours (candidates.rare_codes): each claim's rare_k nearest claims by rare-word
    # overlap, counting the words at most rare_max_df claims use, at rare_min_overlap or above.
    # TF-IDF-like neighbours find paraphrases the static encoder ranks far down (a shared name or
    # term): on train+dev, k 10 made 17 + 10 more gold links candidates (0.81 -> 0.86 train, 0.79
    # -> 0.85 dev) for 22,500 more pairs (+33%); k 15: +22 / +14 for 34,500. A word used by more
    # than rare_max_df claims is skipped: it says little, and a common word makes the inverted
    # index quadratic (on 4,336 claims 200 found 5 + 3 fewer links than no cap; 800 the same as
    # 500). Lower rare_min_overlap finds more pairs that share one middling word: 0.1 found the
    # same gold links as 0.15 for 4,000 more pairs.
    rare_k: int = 10
    rare_max_df: int = 500
    rare_min_overlap: float = 0.15
    # MinHash permutations and LSH banding (bands * rows == num_perm): the near-duplicate
    # threshold is about (1/bands)^(1/rows) (0.5 for 16x4); more bands catch looser repeats.
    minhash_perm: int = 64
    lsh_bands: int = 16
    lsh_rows: int = 4
    # Word n-gram length of MinHash shingles: 1 is lenient (word bags), 2 respects word order.
    shingle_n: int = 2
    # A bucket (LSH band or measure block) bigger than this is boilerplate-like and is skipped:
    # larger finds more pairs, at quadratic cost in the bucket size.
    max_bucket: int = 50
    # Inside a block bigger than max_bucket (a measure, finding or entity-year block of a big
    # corpus), each claim is paired with this many neighbours on either side once the block is
    # ranked by period: more finds more updates and repeats, at linear cost in the block size.
    block_window: int = 30
    # Pairs encoded per chunk when computing cosines and scoring: memory vs overhead.
    chunk: int = 200_000
    # A claim whose words (as a set), numbers (in order) and entity ids recur in at least this many
    # documents is a crowd (nlp/links/crowds.py): each copy gets one `copy` link to the crowd's first claim and skips
    # the rest of linking. Lower collapses smaller crowds (fewer links and pairs to judge; a copy's
    # own links to other claims then live only on its representative); higher links more copies
    # pairwise (n copies: n(n-1)/2 links). The corpus has no crowd of 3 documents or more, so 5
    # changes none of its links; bench_links' 100k synthetic claims: 1.22M links -> ~0.2M. 0: off.
    crowd_min_docs: int = 5

    # --- memory ---------------------------------------------------------------------------
    # Claims encoded per call of the encoder (their rows are copied out at once), and rows per
    # hnswlib add_items call: larger batches the encoder better, smaller holds fewer rows twice.
    embed_chunk: int = 20_000
    # Query rows per hnswlib knn_query call (each holds (rows, k + 1) labels and distances).
    query_chunk: int = 20_000
    # Above exact_below claims, keep the vectors in a temporary file while the ANN index (which
    # holds its own float32 copy) exists, reading them back once it is dropped: halves the peak
    # memory of the link step for some disk traffic (4 * dim bytes a claim, written and read once).
    spill_vectors: bool = True

    # --- numeric reasoning ----------------------------------------------------------------
    # Relative half-width of `about` (around, some, circa): 0.1 reads `about 300` as [270, 330].
    about_tolerance: float = 0.1
    # Relative cap on the rounding read into an exact figure (`1,000` is [950, 1050], not
    # [500, 1500]); smaller makes exact figures stricter.
    rounding_cap: float = 0.05
    # Half-width, in percentage points, of a fraction said in words (`two-thirds` ~ 64-69 %).
    fraction_word_points: float = 2.5
    # A one-sided figure (`more than 800`) counts as repeating another only when that one is
    # within this factor of the bound (`258,157` repeats `more than a quarter of a million`;
    # `1,000` does not repeat `more than 800`). Larger links looser restatements.
    bound_max_ratio: float = 1.2
    # Disagreeing figures further apart than this factor are taken as different measures, not
    # an update or contradiction (`2 people` vs `220,000 people`). Larger finds bigger changes.
    change_max_ratio: float = 3.0
    # Measure agreement (overlap of content words of the two measures) needed to compare two
    # figures at all: higher avoids linking the same number with different meanings.
    measure_min: float = 0.5
    # Sentence cosine needed before two agreeing figures count as a repeat (tuned on dev pairs,
    # pooled ones included, with the static encoder).
    numeric_repeat_min_sim: float = 0.65
    # ... lowered to this when both are the same plain count (`21` and `21`, no about/over/range)
    # of the same named measure (`Community Rehabilitation Companies`). Not much lower: a blind
    # judge of the links we proposed (annotations/links_pooled.jsonl) found most `21 CRCs` pairs
    # at lower cosines only share background (`Sodexo owns six of the 21 CRCs` vs the 2014 split),
    # so 0.35 gave dev repeat precision 0.51; 0.6 (with the two values below) gives 0.70.
    numeric_exact_repeat_min_sim: float = 0.6
    # A background figure, the same measure and value in at least this share of the documents
    # (`21 CRCs`: the split every page recalls), repeats only at this cosine or above: sharing it
    # says little. (The gold labels such pairs inconsistently: train mostly repeat, dev mostly none.)
    background_min_share: float = 0.05
    background_repeat_min_sim: float = 0.75
    # ... and only when the count is at least this: `two parts` and `two tiers` share a number by
    # chance far more often than `21 CRCs` does. Lower lets small counts carry a link alone.
    exact_repeat_min_value: float = 3.0
    # Sentence cosine needed before disagreeing figures count as an update or contradiction:
    # lower finds more updates phrased differently, at the risk of unrelated figures.
    numeric_change_min_sim: float = 0.6
    # Without a period in either sentence, the document dates stand in: documents this many
    # months apart or less are taken as the same time (contradiction), further apart as an
    # update. Either verdict then also needs the same named measure (agreement >= 0.99) and
    # sentences this close: lower finds more, on weaker evidence.
    same_time_months: int = 6
    undated_contradict_min_sim: float = 0.6
    undated_update_min_sim: float = 0.65

    # --- text relations -------------------------------------------------------------------
    # Word Jaccard at or above which two sentences are near-verbatim repeats.
    verbatim_min_overlap: float = 0.6
    # Paraphrase: the mean of cosine and rare-word overlap (idf-weighted cosine of the content
    # word sets) must reach paraphrase_min_score, with the cosine at least paraphrase_min_sim and
    # the shorter sentence at least paraphrase_min_words content words and the overlap at least
    # paraphrase_min_overlap. Lower values find looser
    # paraphrases and more false repeats.
    paraphrase_min_score: float = 0.5
    paraphrase_min_sim: float = 0.5
    paraphrase_min_overlap: float = 0.42
    paraphrase_min_words: int = 5
    # Negation contradiction: the texts must be this alike apart from the negation cue.
    negation_min_sim: float = 0.75
    negation_min_overlap: float = 0.6
    # A negation in only one sentence that does not negate a word the other sentence uses
    # (`we cannot lose the innovation` vs `the reforms did unleash innovation`) leaves the
    # pair to the repeat tests; one that does (`will not improve` vs `will improve`) blocks them.

    # --- learned pair judge (nlp/links/pairs.py) --------------------------------------------
    # How the pair model of models/links (or pair_model_dir) is used, when there is one:
    # "judge": the model decides which candidates are repeats (pairs.decide; updates and
    # contradictions the rules find stand) and its probability that a pair is linked is the
    # score; "score": the rules (scoring.judge) decide, the model only scores; "off": the rules
    # with their own scores, as before the model. Trained on train pairs alone, "judge" gave dev
    # repeat precision 0.68 against the rules' 0.63 at the same recall (0.36), 25 must-not-link
    # pairs linked of 612 against 33 (models/links/MODEL_CARD.md).
    pair_model: str = "judge"
    pair_model_dir: str | None = None
    # Candidates below this cosine reach the model only when LSH found them (near-verbatim): lower
    # judges more pairs, mostly block pairs, for few extra links.
    model_min_sim: float = 0.4

    # --- output ---------------------------------------------------------------------------
    # Links scoring below this are dropped: higher gives fewer, surer links.
    min_score: float = 0.0
