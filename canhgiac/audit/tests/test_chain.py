import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from canhgiac.audit import services
from canhgiac.audit.models import AppendOnlyError, AuditEvent
from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


def _verify():
    out = io.StringIO()
    call_command("audit-verify", stdout=out)
    return out.getvalue()


def test_the_chain_verifies_on_a_fresh_database():
    assert "toàn vẹn" in _verify()


def test_a_change_of_a_business_object_is_recorded_with_before_and_after(officer_qltt):
    qltt = Agency.objects.get(code="QLTT")
    qltt.hotline = "0262 3 389 389"
    qltt.save()
    event = AuditEvent.objects.filter(action="directory.agency.update", object_id=str(qltt.pk)).latest("id")
    assert event.changes == {"hotline": {"before": "", "after": "0262 3 389 389"}}


def test_editing_a_row_behind_the_applications_back_breaks_the_chain():
    services.record("test.one")
    target = services.record("test.two", changes={"x": 1})
    services.record("test.three")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s", ["test.forged", target.pk]
        )
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        _verify()


def test_deleting_a_row_breaks_the_chain():
    services.record("test.one")
    target = services.record("test.two")
    after = services.record("test.three")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match=f"#{after.pk}"):
        _verify()


def test_deleting_the_last_rows_is_detected_too():
    services.record("test.one")
    last = services.record("test.two")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [last.pk])
    with pytest.raises(CommandError):
        _verify()


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
