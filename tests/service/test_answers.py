"""The answer cache and the serialiser behind the scoring routes."""

from __future__ import annotations

import dataclasses
import json
import typing

from sensational.results import ScoreResult
from service.answers import Answer, AnswerCache, render
from service.schemas import ScoreResponse


def _answer(n: int) -> Answer:
    return Answer(0.5, b"x" * n)


def test_cache_returns_what_was_put():
    cache = AnswerCache(10_000)
    assert cache.get(("h", "b", False)) is None
    cache.put(("h", "b", False), _answer(10))
    assert cache.get(("h", "b", False)) == _answer(10)
    assert cache.get(("h", "b", True)) is None, "an html answer is another entry"


def test_cache_evicts_the_least_recently_used_within_its_budget():
    cache = AnswerCache(1_000)
    for i in range(5):
        cache.put((f"h{i}", "", False), _answer(100))  # 102 bytes each with the key
    assert len(cache) == 5 and cache.size == 510
    cache.get(("h0", "", False))  # h0 is now the most recent
    for i in range(5, 10):
        cache.put((f"h{i}", "", False), _answer(100))
    assert cache.size <= 1_000
    assert cache.get(("h0", "", False)) is not None
    assert cache.get(("h1", "", False)) is None


def test_cache_skips_entries_larger_than_an_eighth_and_can_be_off():
    cache = AnswerCache(800)
    cache.put(("h", "b", False), _answer(200))
    assert len(cache) == 0
    off = AnswerCache(0)
    off.put(("h", "", False), _answer(1))
    assert len(off) == 0 and off.get(("h", "", False)) is None


def test_replacing_an_entry_keeps_the_size_right():
    cache = AnswerCache(10_000)
    cache.put(("h", "", False), _answer(100))
    cache.put(("h", "", False), _answer(50))
    assert cache.size == 51 and len(cache) == 1


def test_the_documented_schema_has_the_fields_the_serialiser_writes():
    documented = set(ScoreResponse.model_fields)
    written = {f.name for f in dataclasses.fields(ScoreResult)}
    assert documented == written
    hints = typing.get_type_hints(ScoreResult)
    assert set(hints) == written


def test_rendered_answer_validates_against_the_schema(demo_scorer):
    result = demo_scorer.score("Panic grips the capital", "Officials said the talks would go on.")
    answer = render(result)
    assert answer.score == result.score
    ScoreResponse.model_validate(json.loads(answer.json))


def test_repeated_article_is_served_from_the_cache(make_client):
    article = {"headline": "Panic grips the capital", "body": "Sources claim the army revolted."}
    with make_client(answer_cache_mb=8) as client:
        first = client.post("/v1/score", json=article)
        second = client.post("/v1/score", json=article)
        metrics = client.get("/metrics").text
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert 'sensational_answer_cache_total{outcome="hit"} 1.0' in metrics
    assert 'sensational_answer_cache_total{outcome="miss"} 1.0' in metrics


def test_html_and_text_requests_do_not_share_answers(make_client):
    html = "<html><body><article><h1>Panic grips the capital</h1><p>Rain fell.</p></article>"
    with make_client(answer_cache_mb=8) as client:
        from_html = client.post("/v1/score", json={"html": html}).json()
        text = {"headline": from_html["extracted"]["headline"]}
        text["body"] = from_html["extracted"]["body"]
        plain = client.post("/v1/score", json=text).json()
    assert from_html["extracted"] is not None
    assert plain["extracted"] is None
    assert plain["score"] == from_html["score"]


def test_cache_off_scores_every_time(make_client):
    with make_client(answer_cache_mb=0) as client:
        for _ in range(2):
            client.post("/v1/score", json={"headline": "Council sets budget"})
        metrics = client.get("/metrics").text
    assert 'sensational_answer_cache_total{outcome="miss"} 2.0' in metrics
    assert 'outcome="hit"' not in metrics


def test_the_documented_sourcing_schemas_mirror_the_result_types():
    from sensational.results import HeadlineSupport, SourcingResult
    from service.schemas import HeadlineSupportOut, SourcingOut

    for model, result in ((SourcingOut, SourcingResult), (HeadlineSupportOut, HeadlineSupport)):
        assert set(model.model_fields) == {f.name for f in dataclasses.fields(result)}
