import pytest

from throttle import limiter_for
from throttle.simulate import burst_at_edge, compare, simulate


def test_simulate_counts_and_names_the_worst_keys():
    arrivals = [(i * 0.1, "busy") for i in range(30)] + [(5.0, "quiet")]
    report = simulate(lambda clock: limiter_for("10/second", "sliding_log", clock=clock), arrivals)
    assert report.total == 31 and report.denied == 0
    report = simulate(lambda clock: limiter_for("5/second", "sliding_log", clock=clock), arrivals)
    assert report.worst_keys(1)[0][0] == "busy" and report.denied_by_key["quiet"] == 0
    assert 0 < report.denied_share < 1 and report.longest_wait > 0


def test_the_window_edge_is_where_algorithms_differ():
    results = compare("100/minute", burst_at_edge(100, 60.0))
    assert results["fixed_window"].allowed == 200, "both bursts pass a fixed window"
    assert results["sliding_log"].allowed == 100, "an exact log allows 100 in any minute"
    assert results["sliding_counter"].allowed == 100
    assert {results[name].allowed for name in ("gcra", "token_bucket", "leaky_bucket")} == {101}


def test_arrivals_must_be_in_order():
    with pytest.raises(ValueError, match="time order"):
        simulate(lambda clock: limiter_for("1/s", clock=clock), [(1.0, "a"), (0.5, "a")])
