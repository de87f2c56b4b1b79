import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from canhgiac.audit import services
from canhgiac.audit.models import AppendOnlyError, AuditEvent, AuditHead
from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _verify(*args):
    out = io.StringIO()
    call_command("audit-verify", *args, stdout=out, stderr=out)
    return out.getvalue()


def _three_sealed():
    events = [services.record("test.one"), services.record("test.two", changes={"x": 1})]
    events.append(services.record("test.three"))
    services.seal()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def test_the_chain_verifies_on_a_fresh_database_and_has_an_id():
    assert "toàn vẹn" in _verify()
    assert len(AuditHead.objects.get(pk=1).chain_id) == 32


def test_a_change_of_a_business_object_is_recorded_with_before_and_after(officer_qltt):
    qltt = Agency.objects.get(code="QLTT")
    qltt.hotline = "0262 3 389 389"
    qltt.save()
    event = AuditEvent.objects.filter(action="directory.agency.update", object_id=str(qltt.pk)).latest("id")
    assert event.changes == {"hotline": {"before": "", "after": "0262 3 389 389"}}


def test_events_are_written_without_touching_the_head_and_sealed_in_id_order():
    head_before = AuditHead.objects.get(pk=1).count
    first, second = services.record("test.a"), services.record("test.b")
    assert AuditEvent.objects.get(pk=first.pk).seq is None
    assert AuditHead.objects.get(pk=1).count == head_before
    services.seal()
    first, second = AuditEvent.objects.get(pk=first.pk), AuditEvent.objects.get(pk=second.pk)
    assert second.seq == first.seq + 1 and second.prev_hash == first.hash
    assert AuditHead.objects.get(pk=1).last_hash == second.hash


def test_the_verify_command_seals_pending_events_first():
    services.record("test.pending")
    out = _verify()
    assert "niêm phong" in out and "toàn vẹn" in out
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()


EDITS = {
    "time": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    "actor_id": 999_999,
    "actor_label": "someone-else",
    "agency_code": "CA",
    "action": "test.forged",
    "object_type": "cases.case",
    "object_id": "42",
    "object_repr": "forged",
    "changes": {"x": 2},
    "ip": "10.0.0.9",
    "request_id": "forged-request",
    "prev_hash": "f" * 64,
    "hash": "e" * 64,
    "seq": 10**9,
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_stored_column_behind_the_applications_back_breaks_the_chain(column):
    _one, target, _three = _three_sealed()
    AuditEvent.objects.filter(pk=target.pk).update(**{column: EDITS[column]})
    with pytest.raises(CommandError, match="phá vỡ"):
        _verify()


def test_editing_an_events_id_breaks_the_chain():
    _one, target, _three = _three_sealed()
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = %s WHERE id = %s", [target.pk + 10**6, target.pk])
    with pytest.raises(CommandError, match=f"#{target.pk + 10**6}"):
        _verify()


def test_deleting_a_row_anywhere_breaks_the_chain():
    _one, target, after = _three_sealed()
    AuditEvent.objects.filter(pk=target.pk)._raw_delete(connection.alias)
    with pytest.raises(CommandError, match=f"#{after.pk}"):
        _verify()


def test_deleting_the_last_rows_is_detected_too():
    _one, two, three = _three_sealed()
    AuditEvent.objects.filter(pk__in=[two.pk, three.pk])._raw_delete(connection.alias)
    with pytest.raises(CommandError, match="cuối chuỗi"):
        _verify()


def test_a_truncated_table_is_detected():
    _three_sealed()
    AuditEvent.objects.all()._raw_delete(connection.alias)
    with pytest.raises(CommandError, match="xóa sạch"):
        _verify()


def test_a_deleted_head_is_detected_even_with_the_events_gone():
    _three_sealed()
    AuditEvent.objects.all()._raw_delete(connection.alias)
    AuditHead.objects.all().delete()
    with pytest.raises(CommandError, match="AuditHead"):
        _verify()


def test_a_head_rewound_over_events_still_in_the_table_is_detected():
    _one, two, _three = _three_sealed()
    AuditHead.objects.filter(pk=1).update(count=two.seq, last_id=two.pk, last_hash=two.hash)
    with pytest.raises(CommandError, match="lùi lại"):
        _verify()


def test_deleting_the_tail_and_rewinding_the_head_is_caught_by_the_anchor(var_dir):
    _one, two, three = _three_sealed()
    call_command("audit-anchor", stdout=io.StringIO())
    anchor = json.loads((var_dir / "audit" / "anchors.jsonl").read_text().splitlines()[-1])
    assert anchor["count"] == three.seq and anchor["last_hash"] == three.hash
    assert anchor["chain"] == AuditHead.objects.get(pk=1).chain_id
    AuditEvent.objects.filter(pk=three.pk)._raw_delete(connection.alias)
    AuditHead.objects.filter(pk=1).update(count=two.seq, last_id=two.pk, last_hash=two.hash)
    with pytest.raises(CommandError, match="mốc neo"):
        _verify()


def test_a_truncated_table_with_a_reset_head_is_caught_by_the_anchor():
    _three_sealed()
    call_command("audit-anchor", stdout=io.StringIO())
    AuditEvent.objects.all()._raw_delete(connection.alias)
    AuditHead.objects.filter(pk=1).update(count=0, last_id=0, last_hash=services.GENESIS)
    with pytest.raises(CommandError, match="mốc neo"):
        _verify()


def test_a_chain_that_grew_after_its_anchor_extends_it():
    _three_sealed()
    call_command("audit-anchor", stdout=io.StringIO())
    services.record("test.later")
    assert "nối tiếp mốc neo" in _verify()


def test_until_judges_a_restored_database_by_the_anchors_made_before_its_backup(var_dir):
    _one, two, three = _three_sealed()
    AuditEvent.objects.filter(pk=three.pk)._raw_delete(connection.alias)
    AuditHead.objects.filter(pk=1).update(count=two.seq, last_id=two.pk, last_hash=two.hash)
    chain = AuditHead.objects.get(pk=1).chain_id
    lines = [
        {"chain": chain, "count": two.seq, "last_hash": two.hash, "time": "2026-12-01T10:00:00+00:00"},
        {"chain": chain, "count": three.seq, "last_hash": three.hash, "time": "2026-12-01T11:00:00+00:00"},
    ]
    path = var_dir / "audit" / "anchors.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(CommandError, match="mốc neo"):
        _verify()
    assert "toàn vẹn" in _verify("--until", "2026-12-01T10:30:00+00:00")
    with pytest.raises(CommandError, match="--until"):
        _verify("--until", "yesterday")


def test_a_fresh_database_is_not_judged_by_another_chains_anchors(var_dir):
    path = var_dir / "audit" / "anchors.jsonl"
    path.parent.mkdir(parents=True)
    other = {"chain": "0" * 32, "count": 10**6, "last_hash": "a" * 64, "time": "2026-01-01T00:00:00+00:00"}
    path.write_text(json.dumps(other) + "\n")
    out = _verify()
    assert "toàn vẹn" in out and "chuỗi khác" in out


def test_unsealed_events_older_than_the_sealing_delay_are_reported():
    event = services.record("test.stuck")
    AuditEvent.objects.filter(pk=event.pk).update(time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    result = services.verify_chain(seal_first=False)
    assert not result.ok and "chưa được niêm phong" in result.reason


def test_the_worker_anchors_when_the_last_anchor_is_older_than_the_setting(settings, var_dir):
    settings.CANHGIAC_AUDIT_ANCHOR_MINUTES = 15
    now = dt.datetime.now(dt.UTC)
    assert services.anchor_if_due(now) is not None
    assert services.anchor_if_due(now + dt.timedelta(minutes=5)) is None
    assert services.anchor_if_due(now + dt.timedelta(minutes=16)) is not None
    assert len((var_dir / "audit" / "anchors.jsonl").read_text().splitlines()) == 2


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = services.record("test.one")
    event.action = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_audit_page_is_for_coordinators_only(signed_in, coordinator_sct, officer_qltt):
    services.record("test.visible")
    assert "test.visible" in signed_in(coordinator_sct).get("/audit/?action=visible").content.decode()
    assert signed_in(officer_qltt).get("/audit/").status_code == 403


# Hashes made by the code before the hash's JSON encoder was built once (json.JSONEncoder.encode
# at every call): the format may never change under chains already sealed.
HASH_VECTORS = [
    (
        (7, 5, "2026-03-02T07:05:09.001003+00:00", 12, 'cán bộ "A"\\', "66:QLTT", "cases.case.update")
        + ("cases.case", "42", "Vụ\tviệc\n42", '{"a": [1, 2.5, null, true], "b": "hàng giả"}', "203.113.1.2")
        + ("ab" * 16, "f" * 64),
        "a35658df5338613527bfa8a6b12927be668f05ebcbb9d7714f9f2b192441e85e",
    ),
    (
        (8, 6, "2026-03-02 07:05:09", None, "", "", "auth.login", "", "", "", "{}", None, "", "0" * 64),
        "958b29283c71654e8f2bdabdcb33842c383c09b9dee81f5471f90f466af50864",
    ),
]


@pytest.mark.parametrize(("row", "digest"), HASH_VECTORS)
def test_the_hash_of_a_row_is_the_pinned_one(row, digest):
    assert services.row_hash("3f2a" * 8, row) == digest


@pytest.mark.parametrize(
    "payload",
    [
        ["cg-audit-2", "3f2a", 1, 2, None, True, False, 2.5, -0.0, 10**30, "", "\u0000\u001f\u2028\ud7ff"],
        ['Vụ "việc" \\ / \t\n\r — 😀', '{"a": 1}', [1, [2, "x"]], {"k": "v", "a": None}],
    ],
)
def test_the_hash_json_is_the_standard_encoders(payload):
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(payload)
    assert services._dumps(payload) == standard
