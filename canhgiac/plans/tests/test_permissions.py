"""An agency updates only its own share of tasks it leads; the Standing Office sees all."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from canhgiac.core import policy
from canhgiac.plans import services
from canhgiac.plans.models import Update

FEB = dt.date(2026, 2, 28)


def test_an_agency_cannot_report_on_a_task_it_does_not_lead(task, agency, officer_qltt, report):
    with pytest.raises(PermissionDenied):
        report(officer_qltt, task("1.2"), agency("SYT"), FEB, on=dt.date(2026, 2, 20))
    with pytest.raises(PermissionDenied):
        report(officer_qltt, task("1.2"), agency("QLTT"), FEB, on=dt.date(2026, 2, 20))


def test_an_officer_reports_his_agencys_share_of_a_shared_task(task, agency, officer_ca, report):
    t = task("2.2")  # communes, CA, QLTT, BDBP, HQ
    update = report(officer_ca, t, agency("CA"), dt.date(2026, 9, 30), on=dt.date(2026, 9, 1))
    assert update.agency.code == "CA"
    with pytest.raises(PermissionDenied):
        report(officer_ca, t, agency("QLTT"), dt.date(2026, 9, 30), on=dt.date(2026, 9, 1))


def test_a_viewer_cannot_report_even_for_his_own_agency(task, agency, viewer_syt, report):
    with pytest.raises(PermissionDenied):
        report(viewer_syt, task("1.2"), agency("SYT"), FEB, on=dt.date(2026, 2, 20))


def test_a_commune_officer_reports_for_his_commune(task, commune_agency, commune_officer, report):
    update = report(
        commune_officer, task("2.4"), commune_agency, dt.date(2025, 12, 31), on=dt.date(2025, 12, 20)
    )
    assert update.agency == commune_agency
    assert services.reporting_agencies(commune_officer, task("2.4")) == [commune_agency]


def test_updates_are_seen_by_their_agency_and_the_standing_office_only(
    task, agency, officer_ca, officer_qltt, coordinator_sct, report
):
    t = task("2.2")
    report(officer_ca, t, agency("CA"), dt.date(2026, 9, 30), on=dt.date(2026, 9, 1))
    qs = Update.objects.filter(checkpoint__task=t)
    assert services.visible_updates(officer_ca, qs).count() == 1
    assert services.visible_updates(officer_qltt, qs).count() == 0
    assert services.visible_updates(coordinator_sct, qs).count() == 1


def test_only_the_standing_office_assigns_a_flagged_task(task, agency, officer_ca, coordinator_sct):
    t = task("2.3")
    with pytest.raises(PermissionDenied):
        services.assign(officer_ca, t, lead_agencies=[agency("CA")])
    services.assign(
        coordinator_sct, t, lead_agencies=[agency("CA")], responsible_person="Đ/c Phó Giám đốc CA tỉnh"
    )
    t.refresh_from_db()
    assert not t.needs_assignment and list(t.lead_agencies.values_list("code", flat=True)) == ["CA"]


def test_staff_of_another_province_do_not_see_the_plan(plan, make_user, settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    province = directory.setup_province("lang_son")
    outsider = make_user("qltt_lang_son", f"{province.code}:QLTT", policy.OFFICER)
    assert not services.visible_plans(outsider).filter(pk=plan.pk).exists()
    assert services.task_queryset(outsider, plan).count() == 0


def test_done_needs_an_evidence_file_and_messages_name_the_field(task, agency, make_user):
    officer = make_user("officer_syt2", "SYT", policy.OFFICER)
    cp = task("1.2").checkpoints.get()
    with pytest.raises(services.UpdateError) as exc:
        services.post_update(
            officer,
            checkpoint=cp,
            agency=agency("SYT"),
            status="done",
            narrative=" ",
            evidence_number="12/BC",
            on=dt.date(2026, 2, 20),
        )
    assert set(exc.value.errors) == {"narrative", "evidence_file", "evidence_date"}
    assert "minh chứng" in exc.value.errors["evidence_file"]
