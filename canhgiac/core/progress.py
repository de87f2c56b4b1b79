"""Progress of a job made of named steps (an export: gather the figures, build the tables, render,
save), for `core.Job` and its page: done/total out of 100 and a message naming the step.

    steps = Steps(report, [("gather", 60), ("tables", 10), ("render", 25), ("save", 5)])
    steps.start("gather", _("Bước 1/4: đang tổng hợp số liệu…"), units=len(submissions) + 24)
    for ...: steps.tick()
    steps.start("tables", _("Bước 2/4: đang lập bảng…"), units=len(tables))

Each step has a fixed weight (its share of the whole, the weights adding up to the total); when a
step starts, its real size in units is given (once known: the number of accepted reports, of tables,
of tasks), and each `tick()` moves the bar by weight/units. The total never changes, so the bar
never goes back; a step that ends early (fewer units than it might have had) jumps to the next.

`report(done, total, message)` is called on every step change and tick; the export runner
(core.exports) writes it to the job row at once, outside any transaction (numbers at most twice a
second, a new step always). `Steps.quiet()` reports nothing, for callers without a job (the command
line, the figures pages).
"""

from __future__ import annotations

from collections.abc import Callable

Report = Callable[[int, int, str | None], None]


class Steps:
    def __init__(self, report: Report | None, plan: list[tuple[str, int]]):
        self._report = report
        self._weights = dict(plan)
        self._order = [name for name, _weight in plan]
        self._current: str | None = None
        self._units = 1
        self._ticks = 0
        self._message: str | None = None

    @classmethod
    def quiet(cls) -> Steps:
        return cls(None, [])

    @property
    def total(self) -> int:
        return sum(self._weights.values())

    @property
    def done(self) -> int:
        if self._current is None:
            return 0
        index = self._order.index(self._current)
        before = sum(self._weights[name] for name in self._order[:index])
        weight = self._weights[self._current]
        return before + weight * min(self._ticks, self._units) // self._units

    def start(self, name: str, message: str, units: int = 1) -> None:
        """Begin step `name` (every earlier step counts as done) made of `units` units of work."""
        if name not in self._weights:  # a step the plan does not name weighs nothing
            self._order.append(name)
            self._weights[name] = 0
        self._current, self._units, self._ticks = name, max(1, units), 0
        self._message = str(message)
        self._emit()

    def tick(self, n: int = 1) -> None:
        """`n` more units of the current step are done."""
        if self._current is None:
            return
        self._ticks += n
        self._emit()

    def _emit(self) -> None:
        if self._report is not None:
            self._report(self.done, self.total, self._message)
