"""A few seconds of the load test (``make loadtest`` runs it for minutes), so it cannot rot."""

from __future__ import annotations

from tests.load.run import VERDICT_CYCLE, feedback_payloads, payloads, run, run_feedback


def test_payloads_cover_every_kind_of_request():
    kinds = {(path, next(iter(body))) for path, body in payloads()}
    assert kinds == {
        ("/v1/score", "headline"),
        ("/v1/score", "html"),
        ("/v1/score/batch", "items"),
    }


def test_short_load_run_with_reloads_has_no_failures(demo_model_dir):
    report = run(demo_model_dir, duration=6, concurrency=4, max_requests=2_000, sample_every=1)
    assert report.requests > 0
    assert report.failures == 0, report.failure_examples[:3]
    assert report.reloads == {"corrupt_refused": 1, "good_swapped_in": 1}
    assert report.rss_mb and all(mb > 0 for _, mb in report.rss_mb)
    summary = report.summary(warmup_s=1, settle_s=0.5)
    assert summary["latency_ms"]["p50"] <= summary["latency_ms"]["p99"]
    start, end = report.reload_window_s
    assert 0 < start <= end <= report.duration_s
    assert summary["rss_mb"]["before_reload"] is not None


def test_feedback_payloads_are_distinct_and_cover_every_verdict():
    work = feedback_payloads(500)
    assert {p["verdict"] for p in work} == set(VERDICT_CYCLE)
    assert len({(p["body"], p["verdict"], str(p.get("span"))) for p in work}) == 500
    for p in work:
        if "span" in p:
            s = p["span"]
            assert p["body"][s["start"] : s["end"]] == s["text"]


def test_concurrent_reports_lose_nothing_on_sqlite(demo_model_dir):
    report = run_feedback(demo_model_dir, reports=400, clients=16, repeats_per_client=3)
    assert report.failures == 0, report.failure_examples[:3]
    assert report.created == 400 and report.repeats_ok == 48
    assert report.stored == 400 and not report.lost


def test_concurrent_reports_lose_nothing_on_postgresql(demo_model_dir, postgres_url):
    report = run_feedback(
        demo_model_dir, reports=300, clients=12, repeats_per_client=3, store_url=postgres_url
    )
    assert report.backend == "postgresql"
    assert report.failures == 0, report.failure_examples[:3]
    assert report.created == 300 and report.repeats_ok == 36
    assert report.stored == 300 and not report.lost
