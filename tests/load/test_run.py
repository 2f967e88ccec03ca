"""A few seconds of the load test (``make loadtest`` runs it for minutes), so it cannot rot."""

from __future__ import annotations

from tests.load.run import payloads, run


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
