"""spaCy's statistical components on chosen sentences only (analysis = "sentences", the default)
against running them over every word (analysis = "documents"): the outputs must agree."""

from __future__ import annotations

import pytest

from nlp.config import Config

from .conftest import SEED_IDS, span

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def documents_mode():
    import nlp

    return nlp.load(Config(analysis="documents"), components=("claims_segmenter", "claims_entities",
                                                                "claims_quantities"))


@pytest.fixture(scope="module")
def both(pipeline, documents_mode, corpus_docs):
    texts = [corpus_docs[doc_id].text for doc_id in SEED_IDS]
    light = ("claims_claims", "claims_stance")
    return list(zip(pipeline.pipe(texts, disable=light), documents_mode.pipe(texts)))


def test_default_pipeline_runs_no_statistical_component_over_whole_documents(pipeline):
    assert not set(pipeline.pipe_names) & {"tok2vec", "tagger", "parser", "ner"}
    assert {"tok2vec", "parser", "ner"} <= set(pipeline.component_names)  # loaded, disabled


def test_quantities_agree_with_a_whole_document_parse(both):
    same_measure = total = 0
    for sentences, documents in both:
        assert not sentences.has_annotation("DEP") and documents.has_annotation("DEP")
        a = [(q.start, q.end, q.value, q.unit) for q in sentences._.quantities]
        b = [(q.start, q.end, q.value, q.unit) for q in documents._.quantities]
        assert a == b
        for x, y in zip(sentences._.quantities, documents._.quantities):
            total += 1
            same_measure += x.measure == y.measure
    assert total > 80 and same_measure / total >= 0.97


def test_entities_agree_with_whole_document_ner(both):
    for sentences, documents in both:
        a = {(e.start, e.end, e.label, e.entity_id) for e in sentences._.entities}
        b = {(e.start, e.end, e.label, e.entity_id) for e in documents._.entities}
        assert len(a ^ b) <= max(1, len(b) // 50), sorted(a ^ b)


@pytest.mark.parametrize("sentence, wanted", [
    (("Mr Russell is head of HM Inspectorate of Probation, the independent inspectorate of youth offending and " + span("pool-116", 360, 400)), True),  # 'Mr Russell': a person the gazetteer lacks
    ("In her final Annual Report, Dame Glenys Stacey depicts a sector under exceptional strain:", True),
    ("They are designed based on the best available evidence and are evaluated.", False),
    ("However, the new ways of working haven’t suited everyone.", False),
    ("The NPS is performing better overall, whereas eight out of ten CRCs inspected this year received the "
     "lowest possible rating.", False),  # every name is in the gazetteer
])
def test_ner_runs_only_where_it_could_add_a_name(pipeline, sentence, wanted):
    tagger = pipeline.get_pipe("claims_entities")
    doc = pipeline(sentence, disable=["claims_claims", "claims_stance"])
    chosen = tagger.finder.ner_windows(doc, tagger.finder.match(doc), [(0, len(sentence))])
    assert bool(chosen) is wanted


def test_config_file_rejects_an_unknown_analysis_mode(tmp_path):
    from nlp.errors import ConfigError

    path = tmp_path / "bad.toml"
    path.write_text('analysis = "paragraphs"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="analysis must be one of"):
        Config.from_toml(path)
