"""Events name the actor's agency by its province-qualified key ("66:QLTT"): the short code is the
same in every province. Events sealed before keep their short code (never rewritten: the hash
covers it), the chain still verifies, and the audit page reads both, per province."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from canhgiac.audit import services
from canhgiac.audit.models import AuditEvent
from canhgiac.core.context import acting_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _verify():
    out = io.StringIO()
    call_command("audit-verify", stdout=out, stderr=out)
    return out.getvalue()


def test_a_new_event_records_the_agency_key(officer_qltt, officer_qltt_lang_son, lang_son):
    with acting_as(officer_qltt):
        dak_lak = services.record("test.agency")
    with acting_as(officer_qltt_lang_son):
        lang = services.record("test.agency")
    assert dak_lak.agency_code == officer_qltt.active_memberships()[0].agency.key
    assert dak_lak.agency_code.endswith(":QLTT") and lang.agency_code == f"{lang_son.code}:QLTT"
    assert dak_lak.agency_code != lang.agency_code


def test_a_national_user_s_events_name_no_agency(national_admin):
    with acting_as(national_admin):
        event = services.record("test.national")
    assert event.agency_code == ""


def test_an_old_chain_with_short_codes_still_verifies_after_the_upgrade(officer_qltt):
    # An event as the earlier version wrote it (the bare short code), sealed into the chain.
    old = services.record("test.before_upgrade", agency_code="QLTT")
    services.seal()
    old_hash = AuditEvent.objects.get(pk=old.pk).hash
    with acting_as(officer_qltt):
        new = services.record("test.after_upgrade")
    services.seal()
    _verify()  # raises CommandError on a broken chain
    stored = AuditEvent.objects.get(pk=old.pk)
    assert stored.agency_code == "QLTT" and stored.hash == old_hash
    assert ":" in AuditEvent.objects.get(pk=new.pk).agency_code
    # and the chain still catches an edit of the agency column, old or new
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET agency_code = %s WHERE id = %s", ["99:QLTT", old.pk])
    with pytest.raises(CommandError):
        _verify()


def test_the_audit_page_filters_by_short_code_within_the_viewer_s_province(
    signed_in, officer_qltt, officer_qltt_lang_son, coordinator_sct, coordinator_lang_son, lang_son
):
    with acting_as(officer_qltt):
        services.record("test.dak_lak_marker")
    with acting_as(officer_qltt_lang_son):
        services.record("test.lang_son_marker")
    for viewer, mine, theirs, label in (
        (coordinator_sct, "test.dak_lak_marker", "test.lang_son_marker", "Đắk Lắk"),
        (coordinator_lang_son, "test.lang_son_marker", "test.dak_lak_marker", "Lạng Sơn"),
    ):
        html = signed_in(viewer).get("/audit/?agency=QLTT").content.decode()
        assert mine in html and theirs not in html, label
        # the agency column names the agency, not the bare (ambiguous) code
        assert "QLTT — " in html
    key = f"{lang_son.code}:QLTT"
    assert (
        "test.lang_son_marker" not in signed_in(coordinator_sct).get(f"/audit/?agency={key}").content.decode()
    )
