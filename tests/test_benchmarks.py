"""Correctness of the benchmark harness on tiny inputs; no timings are asserted."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import article, inprocess, memory, profiling, quality, report, run, scaling, stats
from benchmarks import http as bench_http
from benchmarks import training as bench_training
from benchmarks.http import CACHED_SUFFIX

# --- percentiles ---------------------------------------------------------------------------


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60),
    st.floats(0, 100),
)
@settings(max_examples=200, deadline=None)
def test_percentile_matches_numpy_linear_method(values: list[float], q: float) -> None:
    assert stats.percentile(values, q) == pytest.approx(
        float(np.percentile(values, q)), rel=1e-9, abs=1e-6
    )


def test_percentile_of_known_sample() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert stats.percentile(values, 0) == 1.0
    assert stats.percentile(values, 50) == 3.0
    assert stats.percentile(values, 100) == 5.0
    assert stats.percentile(values, 25) == 2.0
    assert stats.percentile([1.0, 2.0], 99) == pytest.approx(1.99)


@pytest.mark.parametrize("q", [-1, 100.5])
def test_percentile_refuses_q_out_of_range(q: float) -> None:
    with pytest.raises(ValueError, match="q must be within"):
        stats.percentile([1.0], q)


def test_percentile_refuses_empty_sample() -> None:
    with pytest.raises(ValueError, match="empty"):
        stats.percentile([], 50)


def test_summarize_and_median_of_runs() -> None:
    run_a = stats.summarize([1.0, 2.0, 3.0])
    assert run_a == {"n": 3, "p50": 2.0, "p99": pytest.approx(2.98), "mean": 2.0, "min": 1.0}
    runs = [{"p50": 1.0}, {"p50": 9.0}, {"p50": 2.0}]
    assert stats.median_of_runs(runs) == {"p50": 2.0}
    with pytest.raises(ValueError):
        stats.median_of_runs([])


# --- the benchmark article -----------------------------------------------------------------


def test_article_is_deterministic_and_about_600_words() -> None:
    first = article.make_article()
    assert first == article.make_article()
    assert article.make_article(seed=1) != first
    headline, body = first
    assert headline
    words = article.word_count(body)
    longest = max(article.word_count(s) for s in article.SENTENCES) + 2
    assert 600 <= words < 600 + longest


def test_article_body_has_quotes_attributions_and_loaded_words() -> None:
    body = article.make_body(600)
    assert body.count('"') >= 2
    assert "according to" in body.lower() or " said" in body
    assert any(word in body for word in ("devastating", "disaster", "outrageous", "shameful"))
    assert "\n" in body  # paragraphs, as scraped article text has


@pytest.mark.parametrize("n", [100, 1_000, 10_000])
def test_make_body_reaches_the_requested_length(n: int) -> None:
    assert article.word_count(article.make_body(n)) >= n


def test_make_body_refuses_non_positive_length() -> None:
    with pytest.raises(ValueError, match="n_words must be positive"):
        article.make_body(0)


# --- the wrk output parser -----------------------------------------------------------------

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8123/v1/score
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms  400.00us  12.31ms   91.00%
    Req/Sec     3.81k   120.00     4.00k    70.00%
  Latency Distribution
     50%  497.00us
     75%    2.20ms
     90%    2.60ms
     99%    1.20s
  38012 requests in 10.00s, 40.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:   3801.20
Transfer/sec:      4.01MB
"""


def test_parse_wrk_reads_rate_latency_and_errors() -> None:
    result = bench_http.parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(3801.20)
    assert result.p50_ms == pytest.approx(0.497)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 38012
    assert result.duration_s == pytest.approx(10.0)
    assert result.errors == 8


def test_parse_wrk_without_latency_distribution_is_an_error() -> None:
    text = "\n".join(line for line in WRK_OUTPUT.splitlines() if "%" not in line)
    with pytest.raises(ValueError, match="--latency"):
        bench_http.parse_wrk(text)


@pytest.mark.parametrize(
    ("token", "ms"), [("250.00us", 0.25), ("1.5ms", 1.5), ("2s", 2000.0), ("1.00m", 60000.0)]
)
def test_parse_duration_ms(token: str, ms: float) -> None:
    assert bench_http.parse_duration_ms(token) == pytest.approx(ms)


def test_parse_duration_ms_refuses_other_text() -> None:
    with pytest.raises(ValueError, match="not a wrk duration"):
        bench_http.parse_duration_ms("fast")


def test_wrk_post_script_reads_the_body_file_from_the_environment() -> None:
    assert 'os.getenv("BENCH_BODY_FILE")' in bench_http.WRK_POST_SCRIPT
    assert 'wrk.method = "POST"' in bench_http.WRK_POST_SCRIPT


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, status: int) -> None:
        payload = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # the stdlib's naming
        self._answer(200 if self.path == "/ok" else 404)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer(200)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_python_load_generator_counts_requests_and_errors(local_server: str) -> None:
    ok = bench_http.run_python_load(
        local_server + "/ok", duration_s=5, connections=2, max_requests=40
    )
    assert ok.requests == 40
    assert ok.errors == 0
    assert ok.p50_ms <= ok.p99_ms
    posted = bench_http.run_python_load(
        local_server + "/ok", duration_s=5, connections=1, body=b"{}", max_requests=5
    )
    assert posted.requests == 5
    missing = bench_http.run_python_load(
        local_server + "/missing", duration_s=5, connections=1, max_requests=6
    )
    assert missing.errors == 6


def test_free_port_is_bindable() -> None:
    import socket

    port = bench_http.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


# --- memory --------------------------------------------------------------------------------


def test_parse_status_reads_rss_in_megabytes() -> None:
    text = "Name:\tpython\nVmHWM:\t  200000 kB\nVmRSS:\t  102400 kB\nThreads:\t4\n"
    assert memory.parse_status(text) == {
        "peak_rss_mb": pytest.approx(204.8),
        "rss_mb": pytest.approx(104.8576),
    }


def test_parse_status_without_rss_is_an_error() -> None:
    with pytest.raises(ValueError, match="no VmRSS"):
        memory.parse_status("Name:\tzombie\n")


def test_process_memory_of_this_process() -> None:
    import os

    mem = memory.process_memory(os.getpid())
    assert mem["rss_mb"] > 1


def test_artifact_size_sums_the_folder(tmp_path: Path) -> None:
    (tmp_path / "model.joblib").write_bytes(b"x" * 100)
    (tmp_path / "model-card.json").write_bytes(b"{}")
    assert memory.artifact_size(tmp_path) == {
        "files": {"model-card.json": 2, "model.joblib": 100},
        "total_bytes": 102,
    }


# --- span quality ---------------------------------------------------------------------------


@dataclass
class _Span:
    field: str
    start: int
    end: int


@dataclass
class _Result:
    spans: list[_Span]
    framing: Any = None

    def __post_init__(self) -> None:
        self.framing = SimpleNamespace(spans=self.spans)


class _WordScorer:
    """Marks every occurrence of one word, in the headline and the body separately."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.seen: list[tuple[str, str]] = []

    def score(self, headline: str, body: str) -> _Result:
        self.seen.append((headline, body))
        spans = []
        for name, text in (("headline", headline), ("body", body)):
            start = text.find(self.word)
            while start >= 0:
                spans.append(_Span(name, start, start + len(self.word)))
                start = text.find(self.word, start + 1)
        return _Result(spans)


def test_ptc_spans_are_mapped_back_onto_the_article_text() -> None:
    text = "Shocking title\n\nA shocking claim.\nShocking again."
    doc = SimpleNamespace(
        text=text,
        spans=((2, 10, "Loaded_Language"), (text.index("again"), len(text) - 1, "Doubt")),
    )
    scorer = _WordScorer("hocking")
    result = quality.evaluate_ptc_spans(scorer, [doc])
    assert scorer.seen == [("Shocking title", "\nA shocking claim.\nShocking again.")]
    loaded = result["loaded_techniques"]
    # Three predicted spans; only the title's (1, 8) overlaps gold (2, 10), by 6 of 7 chars.
    assert loaded["predicted"] == 3
    assert loaded["precision"] == pytest.approx((6 / 7) / 3)
    assert loaded["recall"] == pytest.approx(6 / 8)
    assert result["all_techniques"]["gold"] == 2


def test_used_corpora_reads_the_training_data_of_the_card() -> None:
    card = {
        "data": [
            {"name": "chakraborty-clickbait"},
            {"corpus": "hyperpartisan-semeval2019", "role": "train"},
            {"corpus": "semeval2020-ptc-dev", "role": "evaluate"},
            "semeval2020-ptc",
            {"files": []},
        ]
    }
    assert quality.used_corpora(card) == [
        "chakraborty-clickbait",
        "hyperpartisan-semeval2019",
        "semeval2020-ptc",
    ]


def test_quality_without_a_corpora_root_says_why() -> None:
    out = quality.evaluate_quality(object(), {"metrics": {"a": 1}}, None)
    assert "no corpora root" in out["corpora"]["skipped"]
    assert out["card_metrics"] == {"a": 1}


# --- scaling -------------------------------------------------------------------------------


def test_fit_line_recovers_a_line() -> None:
    intercept, slope = scaling.fit_line([0, 1, 2, 3], [1.0, 3.0, 5.0, 7.0])
    assert intercept == pytest.approx(1.0)
    assert slope == pytest.approx(2.0)
    with pytest.raises(ValueError):
        scaling.fit_line([1, 1], [2, 3])


def _rows(cost: Any) -> list[dict[str, float]]:
    return [{"words": w, "p50_ms": cost(w)} for w in (100, 1_000, 10_000, 50_000)]


def test_marginal_ratio_is_one_for_linear_and_large_for_quadratic_cost() -> None:
    assert scaling.marginal_ratio(_rows(lambda w: 2.0 + 0.001 * w)) == pytest.approx(1.0)
    assert scaling.marginal_ratio(_rows(lambda w: 2.0 + 1e-6 * w * w)) > 3
    assert np.isnan(scaling.marginal_ratio(_rows(lambda w: w)[:2]))


class _CountingScorer:
    def __init__(self) -> None:
        self.calls = 0
        self.headline_model = None

    def score(self, headline: str, body: str) -> None:
        self.calls += 1


def test_measure_scaling_reports_every_size() -> None:
    out = scaling.measure_scaling(_CountingScorer(), sizes=(50, 200, 400), runs=1, budget_s=0.001)
    assert all(r["words"] >= s for r, s in zip(out["rows"], (50, 200, 400), strict=True))
    assert len(out["rows"]) == 3
    assert all(r["calls"] >= 2 for r in out["rows"])


# --- in-process ----------------------------------------------------------------------------


def test_measure_article_calls_the_scorer_runs_times_calls_plus_warmup() -> None:
    scorer = _CountingScorer()
    out = inprocess.measure_article(scorer, "h", "b c", runs=3, calls=7, warmup=2)
    assert scorer.calls == 3 * 7 + 2
    assert out["words"] == 3
    assert out["p50_ms"] <= out["p99_ms"]


def test_measure_batch_falls_back_to_a_loop() -> None:
    scorer = _CountingScorer()
    out = inprocess.measure_batch(scorer, size=4, runs=2, words=20)
    assert out["method"] == "Scorer.score in a loop"
    assert scorer.calls == 4 * 3  # one untimed pass, then two runs


def test_time_calls_refuses_zero_calls() -> None:
    with pytest.raises(ValueError):
        inprocess.time_calls(lambda: None, 0)


# --- profiling -----------------------------------------------------------------------------


@dataclass
class _Frame:
    function: str
    time: float
    children: list[_Frame] = field(default_factory=list)
    class_name: str | None = None
    file_path_short: str = "x.py"
    line_no: int = 1
    is_synthetic: bool = False


def test_summarize_profile_breaks_down_the_entry_function() -> None:
    slow = _Frame(
        "predict", 6.0, [_Frame("transform", 4.0), _Frame("[self]", 2.0, is_synthetic=True)]
    )
    fast = _Frame("detect", 1.0)
    score = _Frame("score", 10.0, [slow, fast, _Frame("[self]", 3.0, is_synthetic=True)])
    root = _Frame("main", 10.0, [score])
    out = profiling.summarize_profile(root)
    rows = [(r["frame"].split(" ")[0], r["share"], r["depth"]) for r in out["breakdown"]]
    # Callees by share; the large one (>= 15%) is opened one level further.
    assert rows == [
        ("predict", 0.6, 0),
        ("transform", 0.4, 1),
        ("(own", pytest.approx(0.3), 0),
        ("detect", 0.1, 0),
    ]
    own = {row["frame"].split(" ")[0]: row["share"] for row in out["self_time"]}
    assert own["transform"] == pytest.approx(0.4)
    assert own["predict"] == pytest.approx(0.2)
    assert own["score"] == pytest.approx(0.3)


def _tiny_headline_model() -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    loaded = [f"You won't believe this shocking trick number {i}!" for i in range(20)]
    sober = [f"Council approves budget for district {i} schools" for i in range(20)]
    model = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("words", TfidfVectorizer(sublinear_tf=True)),
                        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
                    ]
                ),
            ),
            (
                "classifier",
                CalibratedClassifierCV(
                    LogisticRegression(C=5.0), method="sigmoid", cv=2, ensemble=False
                ),
            ),
        ]
    )
    return model.fit(loaded + sober, [1] * 20 + [0] * 20)


def test_direct_headline_evaluation_matches_the_pipeline() -> None:
    model = _tiny_headline_model()
    fitted = profiling.linear_headline_parts(model)
    texts = ["Shocking trick you won't believe", "Council approves schools budget", "zzz"]
    expected = model.predict_proba(texts)[:, 1]
    got = [profiling.direct_headline_proba(t, *fitted) for t in texts]
    assert got == pytest.approx(list(expected), abs=1e-9)


def test_linear_headline_parts_refuses_other_models() -> None:
    with pytest.raises(ValueError, match="two-step Pipeline"):
        profiling.linear_headline_parts(object())


def test_measure_headline_paths_prefers_the_scorers_own_path() -> None:
    model = _tiny_headline_model()
    scorer = SimpleNamespace(
        headline_model=model, clickbait=lambda h: float(model.predict_proba([h])[0, 1])
    )
    out = profiling.measure_headline_paths(scorer, ["a shocking trick", "budget"], calls=2)
    assert out["path"].startswith("Scorer.clickbait")
    assert out["max_abs_difference"] == 0.0
    plain = profiling.measure_headline_paths(
        SimpleNamespace(headline_model=model), ["a shocking trick", "budget"], calls=2
    )
    assert plain["path"].startswith("direct evaluation")
    assert plain["max_abs_difference"] < 1e-9


# --- training command, environment ---------------------------------------------------------


def test_training_command_adds_config_only_when_the_cli_has_it(tmp_path: Path) -> None:
    with_config = bench_training.training_command(tmp_path, help_text="--config PATH --output")
    without = bench_training.training_command(tmp_path, help_text="--output PATH")
    assert "--config" not in without
    assert without[-2:] == ["--output", str(tmp_path)]
    if (bench_training.REPO_ROOT / bench_training.DEFAULT_CONFIG).is_file():
        assert with_config[with_config.index("--config") + 1] == str(bench_training.DEFAULT_CONFIG)


def test_cpu_model_reads_proc_cpuinfo_text() -> None:
    text = "processor\t: 0\nvendor_id\t: X\nmodel name\t: Test CPU 3000\nflags\t: a b\n"
    assert run.cpu_model(text) == "Test CPU 3000"
    assert run.cpu_model("processor : 0\n") == "unknown CPU"


def test_parse_args_defaults_match_make_bench() -> None:
    args = run.parse_args([])
    assert args.model == Path("models/default")
    assert args.output == Path("docs/benchmarks.md")
    assert not args.quick


# --- report --------------------------------------------------------------------------------


def test_fmt() -> None:
    assert report.fmt(None) == "n/a"
    assert report.fmt(float("nan")) == "n/a"
    assert report.fmt(12345) == "12,345"
    assert report.fmt(0.98765, 2) == "0.99"
    assert report.fmt(2500.4) == "2,500"
    assert report.fmt(True) == "yes"


def test_table_escapes_pipes_and_checks_row_length() -> None:
    text = report.table(["a", "b"], [["x|y", 1]])
    assert text.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | 1 |"]
    with pytest.raises(ValueError):
        report.table(["a", "b"], [["only one"]])


def _results(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "command": "python -m benchmarks.run --model models/default --output docs/benchmarks.md",
        "started_utc": "2026-01-01 00:00 UTC",
        "environment": {
            "cpu_model": "Test CPU",
            "cpus": 2,
            "usable_cpus": 2,
            "load_average": "0.00 / 0.00 / 0.00 (1, 5, 15 min)",
            "python": "3.11.7",
            "libraries": {"scikit-learn": "1.9.1"},
        },
        "options": "full",
        "model": {"name": "m", "version": "1", "sha256": "abc", "path": "models/default"},
        "quality": {
            "used_corpora": ["chakraborty-clickbait"],
            "card_metrics": {"headline": {"accuracy": 0.99}, "body_coefficients": {"x": 1.0}},
            "root": "/corpora",
            "available": ["chakraborty-clickbait"],
            "chakraborty-clickbait": {
                "split": "held-out fifth",
                "part": "headline model",
                "n": 100,
                "accuracy": 0.99,
                "f1": 0.99,
                "macro_f1": 0.99,
                "roc_auc": 0.9995,
            },
            "hyperpartisan-semeval2019": {"skipped": "no reader"},
            "semeval2020-ptc": {"skipped": "no folder"},
            "babe-mbic": {"skipped": "not used"},
            "polnear": {"skipped": "no module"},
        },
        "inprocess": {
            "words": 600,
            "chars": 3600,
            "runs": 5,
            "calls": 1000,
            "p50_ms": 0.8,
            "p99_ms": 1.5,
            "mean_ms": 0.9,
            "articles_per_second_per_core": 1100.0,
            "articles_per_second": 1100.0,
        },
        "http": {"skipped": "--skip-http was given"},
        "memory": {"artifact": {"files": {"model.joblib": 30_000_000}, "total_bytes": 30_000_000}},
        "training": {"skipped": "--skip-training was given"},
        "scaling": {
            "rows": [{"words": 100, "calls": 5, "p50_ms": 1.0, "us_per_word": 10.0}],
            "fixed_ms": 0.5,
            "us_per_word_fit": 1.0,
            "marginal_ratio": 1.1,
        },
        "profile": {"skipped": "pyinstrument is not installed"},
        "elapsed_s": 120.0,
    }
    base.update(over)
    return base


def test_goals_say_yes_no_and_not_measured() -> None:
    rows = {goal: holds for goal, _, holds in report.goals(_results())}
    assert rows["Chakraborty held-out accuracy >= 0.985"] == "yes"
    assert rows["Chakraborty held-out ROC-AUC >= 0.999"] == "yes"
    assert rows["in-process p50 <= 4 ms (600-word article)"] == "yes"
    assert rows["artifact <= 20 MB"] == "**no**"
    assert rows["reference set (test): article ROC-AUC >= 0.80"] == "not measured"
    assert rows[SCORED_GOAL] == "not measured"
    assert rows[CACHED_GOAL] == "not measured"
    assert rows["training < 60 s"] == "not measured"
    # Training and HTTP were skipped, so the run's own time proves nothing about `make bench`.
    assert rows["`make bench` < 10 minutes"] == "not measured"


SCORED_GOAL = "HTTP POST /v1/score >= 0.40 of GET /healthz (req/s), every request scored"
CACHED_GOAL = (
    "HTTP POST /v1/score >= 0.40 of GET /healthz (req/s), the same article repeated (answer cache)"
)


def test_goals_use_the_one_worker_server_ratios() -> None:
    def pair(ratio: float) -> dict[str, Any]:
        return {
            "ratio": ratio,
            "memory_after_warmup": {"rss_mb": 260.0},
            "healthz": {},
            "score": {},
        }

    servers = {
        "service, 2 workers": pair(0.9),
        "service, 1 worker": pair(0.15),
        "service, 1 worker" + CACHED_SUFFIX: pair(0.45),
    }
    rows = {goal: holds for goal, _, holds in report.goals(_results(http={"servers": servers}))}
    assert rows[SCORED_GOAL] == "**no**"
    assert rows[CACHED_GOAL] == "yes"
    assert rows["worker RSS after warm-up <= 250 MB"] == "**no**"


def test_render_has_the_header_every_section_and_the_reasons() -> None:
    page = report.render(_results())
    assert page.startswith("# Benchmarks\n")
    for needle in (
        "`python -m benchmarks.run --model models/default --output docs/benchmarks.md`",
        "Test CPU",
        "3.11.7",
        "scikit-learn 1.9.1",
        "`abc`",
        "## Goals",
        "## Quality",
        "accuracy about 0.93",
        "Not measured: no reader.",
        "Not measured: --skip-http was given.",
        "Not measured: pyinstrument is not installed.",
        "Webis-Clickbait-17",
        "headline.accuracy",
    ):
        assert needle in page, needle
    assert "body_coefficients" not in page  # fitted weights are not measurements


class _SleepyScorer(_CountingScorer):
    def score(self, headline: str, body: str) -> None:
        import time

        super().score(headline, body)
        time.sleep(0.002)


def test_measure_article_budget_cuts_calls_but_never_below_100() -> None:
    scorer = _SleepyScorer()
    out = inprocess.measure_article(
        scorer, "h", "b", runs=1, calls=1000, warmup=2, run_budget_s=0.01
    )
    assert out["calls"] == 100
    assert scorer.calls == 102


def test_main_refuses_a_missing_model_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    code = run.main(["--model", str(tmp_path / "absent"), "--output", str(out), "--quick"])
    assert code == 2
    assert not out.exists()


def _load(rps: float) -> dict[str, Any]:
    return {"requests_per_second": rps, "p50_ms": 1.0, "p99_ms": 4.0, "requests": 10, "errors": 0}


def test_render_http_memory_and_training_sections() -> None:
    pair = {
        "healthz": _load(5000.0),
        "score": _load(2500.0),
        "ratio": 0.5,
        "ratios": [0.5],
        "score_one_connection": _load(900.0),
        "memory_after_warmup": {"rss_mb": 180.0},
        "memory_after_load": {"rss_mb": 181.0, "peak_rss_mb": 190.0},
    }
    http_result = {
        "tool": "wrk 4.1.0",
        "tool_note": "wrk found on PATH",
        "connections": 8,
        "duration_s": 10.0,
        "rounds": 3,
        "payload_bytes": 3770,
        "servers": {"service, 1 worker": pair},
        "noop": {**pair, "ratio": 0.6},
    }
    training_result = {
        "command": "python -m training.train --output <tmp>",
        "wall_s": 42.0,
        "card_training_seconds": 40.0,
        "data": ["chakraborty-clickbait"],
    }
    page = report.render(_results(http=http_result, training=training_result))
    assert "| service, 1 worker | **ratio POST / healthz** | **0.500** |" in page
    assert "no-op POST baseline" in page
    assert "POST /v1/score, 1 connection" in page
    assert "server worker RSS after warm-up | 180.0 MB" in page
    assert "42.0 s" in page
    rows = {goal: holds for goal, _, holds in report.goals(_results(http=http_result))}
    assert rows["worker RSS after warm-up <= 250 MB"] == "yes"


def test_render_sourcing_splits_as_rows() -> None:
    results = _results()
    results["quality"]["polnear"] = {
        "matching": "cue overlap",
        "polnear_dev": {
            "split": "PolNeAR dev (official)",
            "precision": 0.8,
            "recall": 0.5,
            "f1": 0.615,
            "articles": 84,
            "gold_attributions": 2193,
            "predicted_attributions": 1400,
            "hedge_recall": 0.9,
        },
    }
    page = report.render(results)
    assert "| PolNeAR dev (official) | 84 | 0.800 | 0.500 | 0.615 | 2,193 | 1,400 |" in page
    assert "| polnear_dev.hedge_recall | 0.9000 |" in page
    assert "| matching | cue overlap |" in page


def test_render_profile_tables_and_call_tree() -> None:
    profile = {
        "entry": "score",
        "calls": 100,
        "breakdown": [
            {"frame": "Sourcing.analyze (s.py:1)", "share": 0.6, "depth": 0},
            {"frame": "extract (s.py:9)", "share": 0.4, "depth": 1},
        ],
        "self_time": [{"frame": "extract (s.py:9)", "share": 0.4}],
        "text": "  _  ._ banner\nRecorded: 12:00\n\n1.000 profile_scoring  p.py:1\n`- 0.9 score\n",
    }
    page = report.render(_results(profile=profile))
    assert "| `Sourcing.analyze (s.py:1)` | 60.0% |" in page
    assert "| ↳ `extract (s.py:9)` | 40.0% |" in page
    assert "```text\n1.000 profile_scoring  p.py:1\n`- 0.9 score\n```" in page
    assert "banner" not in page


# --- article extraction ----------------------------------------------------------------------


def test_extraction_metric_counts_segments_as_the_evaluation_set_defines():
    from benchmarks.extraction import Counts

    counts = Counts()
    counts.add("The storm hit. Share this.", {"with": ["storm hit", "rain"], "without": ["Share"]})
    counts.add("Nothing", {"with": ["x"], "without": ["menu", "ads"]})
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 2, 1, 2)
    figures = counts.figures()
    assert figures["precision"] == pytest.approx(0.5)
    assert figures["recall"] == pytest.approx(1 / 3)
    assert figures["f1"] == pytest.approx(0.4)
    assert figures["accuracy"] == pytest.approx(0.5)


def test_extraction_benchmark_runs_on_the_projects_own_pages():
    from benchmarks.extraction import extractors, load_own_pages, measure

    pages = load_own_pages()
    results = measure(pages, extractors(None), repeat=1)
    ours = results["this service (sensational.html)"]["body"].figures()
    assert ours["f1"] == 1.0
    assert ours["headlines"] == 1.0
    assert len(results["this service (sensational.html)"]["body"].seconds) == len(pages)


def test_sourcing_speed_is_measured_on_the_benchmark_articles() -> None:
    from benchmarks.sourcing import measure_sourcing
    from sensational.sourcing import SourcingAnalyzer

    figures = measure_sourcing(SourcingAnalyzer(), words=120, runs=1, calls=3, warmup=1)
    assert figures["articles"] == 3 and figures["calls_per_run"] == 3
    assert 0 < figures["fastest_ms"] <= figures["p50_ms"] <= figures["p99_ms"]
    with pytest.raises(ValueError, match="positive"):
        measure_sourcing(SourcingAnalyzer(), runs=0)


def test_sensationalism_figures_come_from_the_card_beside_the_model_before() -> None:
    card = {
        "reference": {
            "article": {"roc_auc": 0.83, "accuracy": 0.76, "spearman": 0.6, "ece": 0.1},
            "labels_by_grade": {
                "grade_2": {"low": 2, "medium": 8, "high": 10},
                "grade_3": {"low": 0, "medium": 5, "high": 15},
            },
        },
        "sensationalism": {
            "case_invariance": {"title_vs_sentence": {"mean_delta": 0.01, "label_flips": 0.08}}
        },
    }
    results = _results()
    results["quality"]["card_metrics"] = card
    rows = {goal: (shown, holds) for goal, shown, holds in report.goals(results)}
    assert rows["reference set (test): article ROC-AUC >= 0.80"] == ("0.8300", "yes")
    assert rows["reference set (test): sensational articles labelled low <= 10%"] == (
        "0.0500",
        "yes",
    )
    assert rows["Title Case vs sentence case: label flips <= 5% of published headlines"] == (
        "0.0800",
        "**no**",
    )
    page = report.render(results)
    assert "| reference article ROC-AUC | 0.8300 | 0.8472 |" in page
    assert "| NewsAgendas clickbait ROC-AUC | n/a | 0.5117 |" in page
