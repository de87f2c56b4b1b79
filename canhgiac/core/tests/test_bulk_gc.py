"""core.bulk.gc_paused: the cyclic collector is off inside (nested too) and back as it was after,
even when the work fails."""

import gc

import pytest

from canhgiac.core import bulk


def test_the_collector_is_paused_inside_and_restored_after_nested_and_failing_uses():
    assert gc.isenabled()
    with bulk.gc_paused():
        assert not gc.isenabled()
        with bulk.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner end does not resume it
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk.gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with bulk.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_runs_with_the_collector_paused(monkeypatch):
    from canhgiac.cases import imports

    seen = []
    monkeypatch.setattr(imports, "_import_cases", lambda *a, **k: seen.append(gc.isenabled()))
    imports.import_cases(b"", "x.csv")
    assert seen == [False] and gc.isenabled()
