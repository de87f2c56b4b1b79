"""The chain bench/audit_verify.py writes in bulk is a real chain, as the sealer would leave it:
audit-verify passes on it, the sealer goes on from its head, and any tampering fails. So the
bench's figures are the verification of a real chain, not of rows that merely look sealed."""

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db

EVENTS = 11


@pytest.fixture(scope="module")
def bench():
    path = Path(__file__).resolve().parents[3] / "bench" / "audit_verify.py"
    spec = importlib.util.spec_from_file_location("bench_audit_verify", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def written(bench, monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # no anchors of other runs
    monkeypatch.setattr(bench, "CHUNK", 4)  # several chunks (COPYs / transactions' batches)
    lines = []
    bench.build(EVENTS, progress=lambda line, **_: lines.append(line))
    return lines


def _verify():
    out = io.StringIO()
    call_command("audit-verify", stdout=out)
    return out.getvalue()


def test_the_bench_writes_a_chain_that_audit_verify_passes(written):
    assert sum("written" in line for line in written) == 3  # 4 + 4 + 3, one line a chunk
    head = AuditHead.objects.get(pk=1)
    last = AuditEvent.objects.get(seq=EVENTS)
    assert (head.count, head.last_id, head.last_hash) == (EVENTS, last.pk, last.hash)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    result = services.verify_chain(seal_first=False)
    assert result.ok and result.checked == EVENTS, result.reason
    assert f"toàn vẹn: {EVENTS} sự kiện" in _verify()
    # The sealer goes on from the head the bench left, and so do new ids.
    services.record("test.after_bench", changes={"n": 1})
    assert services.seal() == 1
    after = AuditEvent.objects.get(action="test.after_bench")
    assert (after.seq, after.prev_hash) == (EVENTS + 1, last.hash)
    assert after.pk > EVENTS
    assert services.verify_chain(seal_first=False).checked == EVENTS + 1


def _at(seq):
    return AuditEvent.objects.filter(seq=seq)


TAMPERS = {
    "changes edited": (lambda: _at(5).update(changes={"forged": True}), 5, "nội dung đã bị sửa"),
    "time edited": (lambda: _at(7).update(time=_at(6).get().time), 7, "nội dung đã bị sửa"),
    "relinked": (lambda: _at(3).update(prev_hash="f" * 64), 3, "liên kết"),
    "deleted": (lambda: _at(6)._raw_delete(connection.alias), 7, "bị hở"),
    "tail deleted": (
        lambda: AuditEvent.objects.filter(seq__gte=10)._raw_delete(connection.alias),
        EVENTS,
        "cuối chuỗi",
    ),
}


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_a_tampered_bench_chain_fails(written, tamper):
    change, broken, reason = TAMPERS[tamper]
    change()
    result = services.verify_chain(seal_first=False)
    assert not result.ok and result.broken_id == broken and reason in result.reason, result
    with pytest.raises(CommandError, match=f"#{broken}"):
        _verify()


def test_the_changes_template_is_the_jsonb_text(bench):
    changes = {
        "summary": {"before": None, "after": "Vụ việc số 42 — hàng giả tại chợ"},
        "seized_value_vnd": {"before": None, "after": 123456789},
        "status": {"before": "open", "after": "closed"},
    }
    assert bench.changes_format() % (42, 123456789) == bench.jsonb_text(changes)
