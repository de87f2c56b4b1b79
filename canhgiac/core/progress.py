"""Progress of a job made of named steps (an export: gather the figures, build the tables, render,
save), as done/total units and a message naming the step, for `core.Job` and its page.

    steps = Steps(report, [("gather", 12), ("tables", 5), ("render", 1), ("save", 1)])
    steps.start("gather", _("Đang tổng hợp số liệu…"), units=len(submissions) + 12)
    for ...: steps.tick()
    steps.start("tables", _("Đang lập bảng…"))

`report(done, total, message)` is called on every step change and tick; the export runner
(core.exports) writes it to the job row outside any transaction, throttled to two writes a second
except when the message changes. A step's units may be set when it starts (once its size is known,
e.g. the number of accepted reports); the total grows or shrinks accordingly. `Steps(None, …)` and
`Steps.quiet()` report nothing, for callers without a job (the command line, the figures page).
"""

from __future__ import annotations

from collections.abc import Callable

Report = Callable[[int, int, str | None], None]


class Steps:
    def __init__(self, report: Report | None, plan: list[tuple[str, int]]):
        self._report = report
        self._units = dict(plan)
        self._order = [name for name, _units in plan]
        self._current: str | None = None
        self._done_in_step = 0
        self._message: str | None = None

    @classmethod
    def quiet(cls) -> Steps:
        return cls(None, [])

    @property
    def total(self) -> int:
        return sum(self._units.values())

    @property
    def done(self) -> int:
        if self._current is None:
            return 0
        index = self._order.index(self._current)
        before = sum(self._units[name] for name in self._order[:index])
        return before + min(self._done_in_step, self._units[self._current])

    def start(self, name: str, message: str, units: int | None = None) -> None:
        """Begin step `name` (every earlier step counts as done), optionally with its real size."""
        if name not in self._units:  # a step the plan did not foresee: append it
            self._order.append(name)
            self._units[name] = 1
        if units is not None:
            self._units[name] = max(1, units)
        self._current, self._done_in_step, self._message = name, 0, str(message)
        self._emit()

    def tick(self, n: int = 1) -> None:
        """`n` more units of the current step are done."""
        if self._current is None:
            return
        self._done_in_step += n
        self._emit()

    def _emit(self) -> None:
        if self._report is not None:
            self._report(self.done, self.total, self._message)
