"""core.progress.Steps: named steps of fixed weight, each of a size known when it starts."""

from canhgiac.core.progress import Steps


def test_steps_move_forward_only_and_end_at_the_total():
    seen = []
    steps = Steps(lambda done, total, message: seen.append((done, total, message)), [("a", 60), ("b", 40)])
    steps.start("a", "Bước 1", units=3)
    for _i in range(3):
        steps.tick()
    steps.start("b", "Bước 2", units=4)
    steps.tick(4)
    assert [d for d, _t, _m in seen] == [0, 20, 40, 60, 60, 100]
    assert {t for _d, t, _m in seen} == {100}
    assert [m for _d, _t, m in seen] == ["Bước 1"] * 4 + ["Bước 2"] * 2


def test_a_step_that_ends_early_jumps_to_the_next_and_extra_ticks_do_not_overshoot():
    seen = []
    steps = Steps(lambda done, total, message: seen.append(done), [("a", 50), ("b", 30), ("c", 20)])
    steps.start("a", "a", units=10)
    steps.tick()  # 1 of 10 done, then the step turns out to be over
    steps.start("c", "c", units=1)  # "b" was not needed
    steps.tick(5)
    assert seen == [0, 5, 80, 100]


def test_quiet_steps_report_nothing_and_accept_any_step():
    steps = Steps.quiet()
    steps.start("anything", "x", units=0)
    steps.tick()
    assert steps.total == 0
