"""`--engine dask`: the same pipeline on a two-worker local Dask cluster writes exactly what the
local engine writes, and resumes and caches through the same work folder."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.config import Config
from nlp.engine import LocalEngine, PipelineSpec, make_engine
from nlp.engine.run import run_corpus

from .test_resume import TABLES, small_documents

distributed = pytest.importorskip("distributed")

LIGHT = Config(exclude=("ner",), use_ner=False)
COMPONENTS = ("claims_segmenter", "claims_entities", "claims_quantities")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask_corpus")
    for name, text in small_documents(words_per_doc=80)[:10]:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def tables(out) -> dict[str, str]:
    return {name: (out / f"{name}.jsonl").read_text() for name in TABLES}


@pytest.mark.slow
def test_two_worker_cluster_matches_the_local_engine(cluster, corpus, tmp_path):
    spec = PipelineSpec(LIGHT, COMPONENTS)
    local = run_corpus([corpus], tmp_path / "local", config=LIGHT, engine=LocalEngine(spec.load(), LIGHT))
    with distributed.Client(cluster) as client:
        from nlp.engine.dask import DaskEngine

        engine = DaskEngine(spec, client=client)
        # the workers built the configured pipeline: spaCy's parser is loaded disabled (analysis = sentences)
        assert engine.pipe_names == list(COMPONENTS)
        remote = run_corpus([corpus], tmp_path / "dask", config=LIGHT, engine=engine, shard_size=2)
        worked = client.run(lambda: __import__("nlp.engine.local", fromlist=["_LOADED"])._LOADED.__len__())
    assert remote.documents == local.documents == 10 and remote.processed == 10
    assert tables(tmp_path / "dask") == tables(tmp_path / "local")
    assert sorted(worked.values()) == [1, 1]  # both workers loaded the pipeline, once each


@pytest.mark.slow
def test_cli_engine_dask_with_scheduler_address_reuses_the_cache(cluster, corpus, tmp_path):
    args = ["run", str(corpus), "--out", str(tmp_path / "out"), "--engine", "dask", "--scheduler",
            cluster.scheduler_address, "--components", ",".join(COMPONENTS), "--shard-size", "3"]
    config = tmp_path / "light.toml"
    config.write_text('exclude = ["ner"]\nuse_ner = false\n')
    first = CliRunner().invoke(app_(), args + ["--config", str(config)])
    assert first.exit_code == 0, first.output
    assert "10 documents (reused 0, processed 10)" in first.stderr
    second = CliRunner().invoke(app_(), args + ["--config", str(config)])
    assert "10 documents (reused 10, processed 0)" in second.stderr
    assert json.loads((tmp_path / "out" / "run.json").read_text())["documents"] == 10


def test_make_engine_picks_local_or_processes():
    spec_config = Config(exclude=("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"),
                         use_ner=False)
    engine = make_engine("local", config=spec_config, components=("claims_segmenter",))
    assert isinstance(engine, LocalEngine) and engine.pipe_names == ["claims_segmenter"]


def app_():
    from nlp.cli.main import app

    return app


@pytest.mark.slow
def test_two_local_worker_processes_match_the_local_engine(corpus, tmp_path):
    from nlp.engine import ProcessEngine

    spec = PipelineSpec(LIGHT, COMPONENTS)
    run_corpus([corpus], tmp_path / "local", config=LIGHT, engine=LocalEngine(spec.load(), LIGHT))
    engine = ProcessEngine(spec, workers=2)
    try:
        summary = run_corpus([corpus], tmp_path / "workers", config=LIGHT, engine=engine, shard_size=2)
    finally:
        engine.close()
    assert summary.processed == 10
    assert tables(tmp_path / "workers") == tables(tmp_path / "local")


def test_a_spec_made_elsewhere_uses_this_machines_default_models_folder():
    here = Config().models_dir
    travelled = PipelineSpec(Config(models_dir="/client/checkout/models"), maker_models_dir="/client/checkout/models")
    assert travelled.local_config().models_dir == here
    explicit = PipelineSpec(Config(models_dir="/shared/models"), maker_models_dir="/client/checkout/models")
    assert explicit.local_config().models_dir == "/shared/models"


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_one_line_error_naming_it():
    import dask

    from nlp.engine.dask import DaskEngine
    from nlp.errors import ConfigError

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        with pytest.raises(ConfigError, match=r"^\[E020\] cannot reach a Dask scheduler at 'tcp://127.0.0.1:9'") as caught:
            DaskEngine(PipelineSpec(LIGHT, COMPONENTS), scheduler="tcp://127.0.0.1:9")
    assert "\n" not in str(caught.value)
