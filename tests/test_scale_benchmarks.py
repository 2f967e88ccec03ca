"""The scaling benchmark's arithmetic and page on small inputs; no timings are asserted."""

from __future__ import annotations

import pytest

from benchmarks import capacity, scale
from service.answers import Answer

RESULTS = {
    "command": "python -m benchmarks.scale",
    "started_utc": "2026-01-01 00:00 UTC",
    "environment": {
        "cpu_model": "test CPU",
        "cpus": 2,
        "load_average": "0.10 / 0.10 / 0.10 (1, 5, 15 min)",
        "load_average_end": "0.20 / 0.10 / 0.10",
    },
    "options": "full",
    "elapsed_s": 12.0,
}


def test_hit_rate_follows_cache_size_and_not_the_number_of_workers():
    answer = Answer(0.5, b"x" * 1000)
    args = {
        "requests": 20_000,
        "distinct": 2_000,
        "zipf_exponent": 1.0,
        "headline_chars": 60,
        "body_chars": 1000,
        "answer": answer,
    }
    none = capacity.simulate_hit_rate(workers=1, cache_bytes=0, **args)
    small = capacity.simulate_hit_rate(workers=1, cache_bytes=100_000, **args)
    large = capacity.simulate_hit_rate(workers=1, cache_bytes=1_000_000, **args)
    spread = capacity.simulate_hit_rate(workers=4, cache_bytes=1_000_000, **args)
    assert none == 0.0
    assert 0.0 < small < large < 1.0
    assert spread < large and spread == pytest.approx(large, abs=0.05)


def test_batch_cores_are_volume_over_rate():
    (row,) = capacity.batch_table(100.0, 200.0, volumes=(8_640_000,))
    assert row["mean_articles_per_second"] == pytest.approx(100.0)
    assert row["cores_all_day"] == pytest.approx(1.0)
    assert row["cores_in_8_hours"] == pytest.approx(3.0)
    assert row["cores_all_day_dedicated"] == pytest.approx(0.5)


def test_reader_cores_mix_scored_and_cached_requests():
    a = capacity.ReaderAssumptions(
        readers=864_000, articles_per_reader=1, peak_to_mean=2.0, utilisation=0.5
    )
    out = capacity.reader_table(a, hit_rate=0.5, scored_per_core=10.0, cached_per_core=1000.0)
    assert out["mean_requests_per_second"] == pytest.approx(10.0)
    assert out["peak_requests_per_second"] == pytest.approx(20.0)
    assert out["core_ms_per_request"] == pytest.approx(50.5)
    assert out["busy_cores_at_peak"] == pytest.approx(1.01)
    assert out["cores_at_peak"] == 3
    assert out["cores_without_cache"] == 4


def test_http_rates_are_read_from_the_benchmarks_page(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(
        "| service, 1 worker | GET /healthz | 5,657 | 1 ms | 2 ms | 0 |\n"
        "| service, 1 worker | POST /v1/score | 156 | 51 ms | 89 ms | 0 |\n"
        "| service, 1 worker, answer cache on (the same article repeated) | POST /v1/score"
        " | 2,800 | 2 ms | 4 ms | 0 |\n"
    )
    assert scale.http_per_core(page) == (156.0, 2800.0)
    assert scale.http_per_core(tmp_path / "missing.md") == (None, None)


def test_the_page_renders_measured_and_skipped_parts():
    workers = {
        "runs": 3,
        "articles_per_second": 200.0,
        "best_articles_per_second": 210.0,
        "all_articles_per_second": [200.0, 190.0, 210.0],
        "scoring_seconds": 50.0,
        "startup_seconds": 5.0,
        "worker_rss_mb": 300.0,
        "worker_peak_rss_mb": 310.0,
        "client_peak_rss_mb": 120.0,
        "articles_per_cpu_second": 220.0,
    }
    small = {
        "articles": 10_000,
        "input_mb": 40.0,
        "articles_per_second": 380.0,
        "worker_peak_rss_mb": 310.0,
        "client_peak_rss_mb": 120.0,
    }
    results = {
        **RESULTS,
        "batch": {
            "articles": "synthetic",
            "speedup_articles": 10_000,
            "speedup_input_mb": 40.0,
            "rounds": 3,
            "partition_rows": 500,
            "by_workers": {"1": workers, "2": {**workers, "articles_per_second": 380.0}},
            "speedup": 1.9,
            "speedup_best": 1.8,
            "per_core_articles_per_second": 200.0,
            "per_cpu_second": 220.0,
            "growth": {
                "workers": 2,
                "small": small,
                "large": {
                    **small,
                    "articles": 100_000,
                    "articles_per_second": 370.0,
                    "articles_per_cpu_second": 210.0,
                },
                "cost_per_article_ratio": 380.0 / 370.0,
            },
        },
        "batch_capacity": capacity.batch_table(200.0, 220.0),
        "cache": {
            "requests_simulated": 1000,
            "answer_bytes": 27_000,
            "64mb_1w": 0.5,
            "64mb_8w": 0.49,
            "256mb_1w": 0.7,
        },
        "http": {"scored_per_worker": 156.0, "cached_per_worker": 2800.0},
        "outofcore": {"skipped": "--skip-outofcore was given"},
    }
    results["readers"] = capacity.reader_table(
        capacity.ReaderAssumptions(), hit_rate=0.5, scored_per_core=156.0, cached_per_core=2800.0
    )
    page = scale.render(results)
    assert "**Speed-up from 1 to 2 workers**: 1.90x (medians" in page
    assert "puts the speed-up at about 2.00x" in page
    assert "| 100,000,000 | 1,157 |" in page
    assert "an article costs 1.05x the worker CPU at 100,000 articles" in page
    assert "Not measured: --skip-outofcore was given." in page
    assert "| answer-cache hit rate (measured, 64 MB) | 0.500 |" in page
    skipped = scale.render({**RESULTS, "batch": {"skipped": "failed: boom"}})
    assert "Not measured: failed: boom." in skipped
