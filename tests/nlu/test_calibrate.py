"""The calibration search scores decisions the way a citizen meets them."""

from __future__ import annotations

from dataclasses import replace

from bot.nlu_client import Parse
from bot.nlu_tools import calibrate
from bot.understanding.calibration import DEFAULT_CONFIG

THRESHOLD = 0.55


def _case(text: str, gold: str, ranking: dict[str, float], *, real: bool = True) -> calibrate.Case:
    best = max(ranking, key=lambda i: ranking[i])
    parse = Parse(text, best, ranking[best], ranking=tuple(ranking.items()))
    return calibrate.Case(text, gold, real, (parse,))


def test_served_wrong_and_across_topics_are_counted_apart_from_asking() -> None:
    cases = [
        _case("trợ cấp bao nhiêu", "allowance_amount", {"allowance_amount": 0.95}),
        # Served, wrong, same topic.
        _case("hồ sơ trợ cấp", "allowance_procedure", {"allowance_amount": 0.9}),
        # Served, wrong, another topic.
        _case("sửa nhà được bao nhiêu", "housing_amount", {"labour_export": 0.97}),
        # Too unsure to serve: asked about, not counted as served.
        _case("nhà và trợ cấp", "housing_amount", {"housing_amount": 0.5, "allowance_amount": 0.5}),
        _case("chào", "greet", {"greet": 0.99}, real=False),
    ]
    outcome = calibrate.score(cases, DEFAULT_CONFIG, THRESHOLD)
    assert outcome.real_total == 4 and outcome.chat_total == 1
    assert outcome.real_served_right == 1
    assert outcome.real_served_wrong == 2 and outcome.real_served_cross == 1
    assert outcome.chat_served_right == 1


def test_the_search_keeps_only_configurations_within_the_bounds() -> None:
    cases = [
        _case("sửa nhà được bao nhiêu", "housing_amount", {"labour_export": 0.97}),
        _case("trợ cấp bao nhiêu", "allowance_amount", {"allowance_amount": 0.95}),
    ]
    kept, safest = calibrate.search(cases, threshold=THRESHOLD, max_wrong=0.1, max_cross=0.0)
    assert kept == []  # the confident cross-topic mistake survives every configuration
    assert len(safest) == len(list(calibrate.grid()))
    assert calibrate.changed_knobs(replace(DEFAULT_CONFIG, scope_guard=False)) == {
        "scope_guard": False
    }


def test_a_site_always_falls_in_the_same_fold() -> None:
    assert calibrate.fold_of("plo.vn", 3) == calibrate.fold_of("plo.vn", 3)
    assert {calibrate.fold_of(f"site{i}.vn", 3) for i in range(30)} == {0, 1, 2}
