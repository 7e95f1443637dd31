"""Recovery metrics, attribution and agreement statistics on logs with known answers."""

from __future__ import annotations

import math

import pytest

from village.scoring.agreement import krippendorff_alpha_interval, spearman, within
from village.scoring.attribution import attribution, pooled
from village.scoring.metrics import recovery_metrics, relapses, reliable_change, time_to_recovery, trapezoid_mean
from village.scoring.report import build_report, judge_agreement
from village.scoring.session_data import SessionData

from .builders import Log

IND = ["induction"] * 3
SUP = ["support"] * 7


def test_recovery_metrics_on_a_known_curve() -> None:
    m = recovery_metrics([2, 5, 7, 6, 4, 2, 1, 6, 2, 2], IND + SUP)
    assert (m.pre, m.initial, m.peak, m.peak_turn, m.final) == (7, 2, 7, 2, 2)
    assert m.change == -5 and m.percent_change == pytest.approx(-71.4286, abs=1e-3)
    assert (m.time_to_recovery, m.censored, m.observed_turns) == (3, False, 7)
    assert m.auc == pytest.approx(25.5 / 7)
    assert m.share_high == pytest.approx(2 / 7)
    assert (m.relapses, m.time_to_relapse) == (1, 2)
    se = 2.5 * math.sqrt(1 - 0.79)
    assert m.rci == pytest.approx(-5 / math.sqrt(2 * se * se)) and m.reliable_change == "improved"
    assert [(g.turn, g.before, g.after) for g in m.sudden_gains] == [(6, 6, 2)]
    assert m.unrated == 0


def test_never_recovering_session_is_censored() -> None:
    m = recovery_metrics([6, 7, 6, 5, 5], ["induction", "induction", "support", "support", "support"])
    assert m.time_to_recovery is None and m.censored and m.observed_turns == 3
    assert m.reliable_change == "no reliable change" and m.change == -2


def test_no_distress_means_nothing_to_recover_from() -> None:
    m = recovery_metrics([1, 0, 0, 1], ["induction", "induction", "support", "support"])
    assert not m.distressed and m.time_to_recovery is None and not m.censored


def test_unrated_turns_are_counted_and_skipped() -> None:
    m = recovery_metrics([6, None, 2, 2], ["induction", "support", "support", "support"])
    assert m.unrated == 1 and m.time_to_recovery == 2 and m.share_high == 0


def test_without_induction_the_first_turn_is_the_baseline() -> None:
    m = recovery_metrics([8, 4, 1, 1], ["support"] * 4)
    assert m.pre == 8 and m.observed_turns == 3 and m.time_to_recovery == 2


def test_small_pieces() -> None:
    assert trapezoid_mean([4]) == 4 and trapezoid_mean([0, 10]) == 5 and trapezoid_mean([]) is None
    assert time_to_recovery([3, 2, 3, 2, 2], m=2) == 4
    assert time_to_recovery([1, 1, 1], m=3) == 1
    assert relapses([1, 1, 7, 1, 1, 9], m=2) == (2, 2)
    assert reliable_change(5, 5) == (0.0, "no reliable change")
    assert reliable_change(2, 9)[1] == "worsened"


def attribution_log() -> Log:
    return (Log().target(6)
            .helper("ada", 1, "reflection_of_feelings").helper("bo", 1, "distraction").target(4, 1)
            .helper("ada", 2, "reflection_of_feelings").target(3, 2)
            .helper("bo", 3, "distraction").target(5, 3).end())


def test_attribution_by_move_and_helper() -> None:
    data = SessionData.from_events(attribution_log().events, "s1")
    got = {(e.group, e.name): e for e in attribution(data)}
    refl = got[("observed", "reflection_of_feelings")]
    assert (refl.n_with, refl.mean_with, refl.n_without, refl.mean_without, refl.difference) == (2, -1.5, 1, 2.0, -3.5)
    dist = got[("observed", "distraction")]
    assert (dist.n_with, dist.mean_with, dist.mean_without) == (2, 0.0, -1.0)
    assert got[("helper", "ada")].mean_with == -1.5
    assert refl.sentence() == "after reflection_of_feelings the rating fell 1.5 on average (n=2); without it, +2.0 (n=1)"


def test_pooled_attribution_counts_every_session() -> None:
    a = SessionData.from_events(attribution_log().events, "a")
    b = SessionData.from_events(attribution_log().events, "b")
    refl = next(e for e in pooled([a, b]) if e.name == "reflection_of_feelings" and e.group == "observed")
    assert (refl.n_with, refl.mean_with, refl.n_without) == (4, -1.5, 2)


def test_krippendorff_alpha_matches_the_published_example() -> None:
    # Krippendorff's reliability-data example (4 coders, 12 units): interval alpha = 0.849
    n = None
    coders = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
              [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    units = [[c[i] for c in coders] for i in range(12)]
    assert krippendorff_alpha_interval(units) == pytest.approx(0.8491, abs=1e-4)
    assert krippendorff_alpha_interval([[1, 1], [2, 2], [5, 5]]) == 1.0


def test_spearman_with_ties_and_within_one() -> None:
    x, y = [1, 2, 2, 5, 7, 3, 0], [2, 2, 3, 4, 8, 1, 0]
    assert spearman(x, y) == pytest.approx(0.7545454545)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert within(x, y) == pytest.approx(6 / 7)  # only 3 vs 1 is two points apart


def test_judge_agreement_counts_refusals() -> None:
    log = Log().target(6).target(4, 1).target(2, 2).target(0, 3).rate_again("llm:x", [5, None, 2, 1])
    res = judge_agreement({"s": log.events}, "lexical", "llm:x")
    assert res["n_pairs"] == 3
    assert res["counts"]["llm:x"] == {"rated": 3, "refused": 1, "unparseable": 0, "error": 0}
    assert res["within_one"] == 1.0 and res["spearman"] == pytest.approx(1.0)


def test_report_puts_it_together() -> None:
    log = (Log().target(5, notebook=7).target(7, notebook=8)
           .helper("ada", 1, "reflection_of_feelings", declared=["surfacing_assumption"]).target(2, 1, notebook=5)
           .helper("ada", 2, "reflection_of_feelings", declared=["reflection_of_feelings"]).target(1, 2, notebook=2).end("recovered"))
    rep = build_report(log.events, "s")
    assert rep["metrics"]["pre"] == 7 and rep["metrics"]["time_to_recovery"] == 1
    gain = rep["metrics"]["sudden_gains"][0]
    assert (gain["turn"], gain["round"]) == (1, 1) and gain["interventions"][0]["helper"] == "ada"
    assert [c["gap"] for c in rep["curve"]] == [2, 1, 3, 1]
    assert rep["masking_gap_mean"] == pytest.approx(1.75)
    assert rep["declared_vs_observed"] == {"labelled": 2, "matching": 1}
    assert rep["interventions"][0]["matches"] is False
    assert rep["status"] == "recovered"
