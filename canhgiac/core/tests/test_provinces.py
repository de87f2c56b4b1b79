"""Provinces are apart: with Đắk Lắk and Lạng Sơn loaded, each rule answers for the user's own
province only. National administrators span both; national viewers read figures, no records."""

import datetime as dt

import pytest

from canhgiac.audit import services as audit
from canhgiac.audit.models import AuditEvent
from canhgiac.cases.models import Case, Inspection
from canhgiac.core import policy
from canhgiac.directory import services as directory
from canhgiac.directory.models import Agency, Responsibility
from canhgiac.reporting import consolidation, exports
from canhgiac.reporting import services as reporting
from canhgiac.reporting.models import Period
from canhgiac.subjects.models import Subject
from canhgiac.tips import services as tips
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


def _quarter(user, **extra):
    """A first-quarter 2026 period opened by `user` (system scope when None)."""
    d = reporting.period_defaults(Period.Kind.QUARTERLY, 2026, 1)
    return reporting.create_period(
        user,
        kind=Period.Kind.QUARTERLY,
        name="Quý I/2026",
        data_from=d.data_from,
        data_to=d.data_to,
        deadline=d.deadline,
        office_deadline=d.office_deadline,
        **extra,
    )


def _visible(user, obj) -> bool:
    return policy.visible_to(user, type(obj).objects.filter(pk=obj.pk)).exists()


def test_a_lang_son_coordinator_neither_sees_nor_changes_a_dak_lak_case(
    dak_lak_case, coordinator_lang_son, coordinator_sct
):
    assert _visible(coordinator_sct, dak_lak_case) and policy.can(coordinator_sct, "change", dak_lak_case)
    assert not _visible(coordinator_lang_son, dak_lak_case)
    for action in ("view", "change", "delete", "export"):
        assert not policy.can(coordinator_lang_son, action, dak_lak_case), action
    with pytest.raises(policy.PermissionDenied):
        policy.require(coordinator_lang_son, "change", dak_lak_case)


def test_a_case_shared_with_all_agencies_stays_in_its_province(
    dak_lak_case, officer_qltt_lang_son, officer_ca
):
    Case.objects.filter(pk=dak_lak_case.pk).update(sensitive=False, visibility=Case.Visibility.ALL)
    case = Case.objects.get(pk=dak_lak_case.pk)
    assert _visible(officer_ca, case)
    assert not _visible(officer_qltt_lang_son, case)


def test_the_same_role_in_the_other_province_may_not_record_for_this_one(officer_qltt_lang_son, officer_qltt):
    dak_lak_qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    assert policy.can(officer_qltt, "add", Case, agency=dak_lak_qltt)
    assert not policy.can(officer_qltt_lang_son, "add", Case, agency=dak_lak_qltt)
    assert not policy.can(officer_qltt_lang_son, "cases.import", agency=dak_lak_qltt)
    assert policy.can(officer_qltt, "cases.import", agency=dak_lak_qltt)


def test_a_case_recorded_by_a_lang_son_officer_is_lang_son_s(officer_qltt_lang_son, lang_son):
    from canhgiac.cases import services

    unit = lang_son.children.order_by("code").first()
    case = services.create_case(
        officer_qltt_lang_son,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ ở Lạng Sơn",
        },
    )
    assert case.lead_agency.province == lang_son


def test_inspections_and_warnings_keep_to_their_province(coordinator_lang_son, coordinator_sct, dak_lak_case):
    qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    business = Subject.objects.create(
        kind=Subject.Kind.ORGANISATION, name="Cửa hàng A", recorded_by_agency=qltt
    )
    inspection = Inspection.objects.create(
        agency=qltt, business=business, unit=dak_lak_case.unit, planned_on=dt.date(2026, 4, 1)
    )
    assert _visible(coordinator_sct, inspection) and not _visible(coordinator_lang_son, inspection)
    assert not policy.can(coordinator_lang_son, "change", inspection)
    assert policy.can(coordinator_sct, "cases.publish_warning", dak_lak_case)
    assert not policy.can(coordinator_lang_son, "cases.publish_warning", dak_lak_case)


def test_subjects_of_one_province_are_not_visible_in_the_other(coordinator_lang_son, coordinator_sct):
    qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    subject = Subject.objects.create(kind=Subject.Kind.PERSON, name="Nguyễn Văn A", recorded_by_agency=qltt)
    assert _visible(coordinator_sct, subject)
    assert not _visible(coordinator_lang_son, subject)
    assert not policy.can(coordinator_lang_son, "change", subject)


def test_a_lang_son_coordinator_does_not_see_a_dak_lak_tip(coordinator_lang_son, coordinator_sct):
    tip, _secret = tips.submit_public({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn."})
    assert tip.lead_agency.province.codename == "dak_lak"
    assert _visible(coordinator_sct, tip)
    assert not _visible(coordinator_lang_son, tip)
    for action in ("view", "handle", "transfer", "view_contact"):
        assert not policy.can(coordinator_lang_son, action, tip), action
    assert not policy.visible_to(coordinator_lang_son, Tip.objects.all()).filter(pk=tip.pk).exists()


def test_a_tip_is_not_transferred_to_another_province(coordinator_sct, ls):
    from django.core.exceptions import ValidationError

    tip, _secret = tips.submit_public({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn."})
    with pytest.raises(ValidationError) as exc:
        tips.transfer(coordinator_sct, tip, ls("QLTT"), "Địa bàn Lạng Sơn")
    assert "agency" in exc.value.message_dict
    tip.refresh_from_db()
    assert tip.lead_agency.province.codename == "dak_lak"


def test_default_submitters_are_the_period_s_province_agencies(lang_son, coordinator_lang_son):
    submitters = reporting.default_submitters(lang_son)
    assert submitters.exists() and set(submitters.values_list("province", flat=True)) == {lang_son.pk}
    assert not submitters.filter(is_standing_office=True).exists()
    period = _quarter(coordinator_lang_son)
    assert period.province == lang_son
    assert set(period.submitters.values_list("province", flat=True)) == {lang_son.pk}
    assert period.submitters.count() == submitters.count()


def test_a_period_of_one_province_is_closed_to_the_other(lang_son, coordinator_lang_son, coordinator_sct):
    period = _quarter(coordinator_sct)
    assert period.province.codename == "dak_lak"
    assert _visible(coordinator_sct, period) and not _visible(coordinator_lang_son, period)
    assert not policy.can(coordinator_lang_son, "consolidate", period)
    assert not policy.can(coordinator_lang_son, "reporting.oversee", province=period.province)
    with pytest.raises(policy.PermissionDenied):
        _quarter(coordinator_lang_son, province=period.province)


def test_a_period_refuses_submitters_of_another_province(lang_son, coordinator_sct, ls):
    with pytest.raises(reporting.ReportingError) as exc:
        _quarter(coordinator_sct, submitters=[ls("CA")])
    assert exc.value.errors[0]["field"] == "submitters"


def test_the_lang_son_report_is_headed_by_lang_son_s_standing_office(lang_son, coordinator_lang_son):
    report = consolidation.consolidate_window(coordinator_lang_son, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert report.province == lang_son.name
    parent, body, suffix = exports._issuer(report)
    office = directory.standing_office(lang_son)
    assert office.code == "QLTT" and office.province == lang_son
    assert body == (office.short_name or office.name).upper()
    assert "LẠNG SƠN" in parent
    assert b"PK" == exports.build_docx(report)[:2]


def test_only_a_province_s_coordinators_consolidate_it(lang_son, coordinator_lang_son):
    dak_lak = directory.province_by_codename("dak_lak")
    with pytest.raises(policy.PermissionDenied):
        consolidation.consolidate_window(
            coordinator_lang_son, dt.date(2026, 1, 1), dt.date(2026, 3, 31), province=dak_lak
        )


def test_office_reminders_go_to_the_period_s_province_only(lang_son, coordinator_lang_son, coordinator_sct):
    from canhgiac.core.models import Notification

    period = _quarter(coordinator_sct)
    from django.utils import timezone

    day = period.office_deadline + dt.timedelta(days=1)
    reporting.send_reminders(now=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
    assert Notification.objects.filter(user=coordinator_sct).exists()
    assert not Notification.objects.filter(user=coordinator_lang_son).exists()


def test_the_matrix_of_one_province_is_not_the_other_s(lang_son, coordinator_lang_son, coordinator_sct):
    row = Responsibility.objects.filter(unit__codename="dak_lak").first()
    own = Responsibility.objects.filter(unit=lang_son).first()
    assert policy.can(coordinator_sct, "change", row)
    assert not policy.can(coordinator_lang_son, "change", row)
    assert policy.can(coordinator_lang_son, "change", own)
    assert not _visible(coordinator_lang_son, row) and _visible(coordinator_lang_son, own)


def test_agency_changes_are_the_province_admins(lang_son, admin_lang_son, admin_user, ls):
    dak_lak_ca = Agency.objects.get(code="CA", province__codename="dak_lak")
    assert policy.can(admin_user, "change", dak_lak_ca)
    assert not policy.can(admin_lang_son, "change", dak_lak_ca)
    assert policy.can(admin_lang_son, "change", ls("CA"))


def test_the_audit_trail_shows_each_province_its_own_users(
    lang_son, coordinator_lang_son, coordinator_sct, officer_qltt
):
    from canhgiac.core.context import acting_as

    with acting_as(officer_qltt):
        event = audit.record("test.event")
    assert _visible(coordinator_sct, event)
    assert not _visible(coordinator_lang_son, event)
    assert not policy.can(coordinator_lang_son, "view", event)
    assert not policy.visible_to(coordinator_lang_son, AuditEvent.objects.filter(actor=officer_qltt)).exists()


def test_accounts_are_managed_within_their_province(
    admin_lang_son, admin_user, officer_qltt, coordinator_lang_son
):
    assert policy.can(admin_user, "change", officer_qltt)
    assert not policy.can(admin_lang_son, "change", officer_qltt)
    assert not policy.can(coordinator_lang_son, "view", officer_qltt)
    assert not _visible(coordinator_lang_son, officer_qltt)
    membership = officer_qltt.memberships.get()
    assert not policy.can(admin_lang_son, "change", membership)


def test_plans_keep_to_their_province(lang_son, coordinator_lang_son, coordinator_sct):
    from canhgiac.plans.models import Plan

    plan = Plan.objects.filter(province__codename="dak_lak").first()
    assert plan is not None
    assert _visible(coordinator_sct, plan) and not _visible(coordinator_lang_son, plan)
    assert not policy.can(coordinator_lang_son, "change", plan)
    qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    assert not policy.can(coordinator_lang_son, "plans.manage_agency_plan", agency=qltt)
    assert policy.can(coordinator_sct, "plans.manage_agency_plan", agency=qltt)


def test_a_national_admin_spans_both_provinces(national_admin, dak_lak_case, lang_son):
    assert _visible(national_admin, dak_lak_case)
    assert policy.can(national_admin, "change", dak_lak_case)
    assert policy.province_ids(national_admin) is None
    assert policy.can(national_admin, "reporting.consolidate", province=lang_son)


def test_a_national_viewer_reads_figures_and_no_record(national_viewer, dak_lak_case):
    assert policy.can(national_viewer, "cases.figures")
    assert policy.can(national_viewer, "reporting.figures")
    assert not _visible(national_viewer, dak_lak_case)
    assert not policy.can(national_viewer, "view", dak_lak_case)
    assert not policy.can(national_viewer, "cases.list")
    tip, _secret = tips.submit_public({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn."})
    assert not _visible(national_viewer, tip)


def test_a_case_import_takes_short_codes_of_the_province_given(lang_son, ls):
    import csv
    import io

    from canhgiac.cases import imports

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, lineterminator="\n")
    writer.writeheader()
    row = {k: "" for k in imports.COLUMNS}
    row.update(
        agency_code="QLTT",
        case_ref="LS-1",
        detected_on="10/03/2026",
        unit_code=lang_son.children.order_by("code").first().code,
        violation_type="counterfeit",
        summary="Vụ nhập ở Lạng Sơn",
    )
    writer.writerow(row)
    result = imports.import_cases(out.getvalue().encode(), "x.csv", province="lang_son")
    assert result.ok, result.errors
    assert Case.objects.get(agency_ref="LS-1").lead_agency == ls("QLTT")
    bad = imports.import_cases(out.getvalue().encode(), "x.csv", province="khong_co")
    assert not bad.ok and bad.errors[0].column == "province"
    # a Lạng Sơn commune is not a Đắk Lắk case's: the line is refused, naming the column
    row.update(case_ref="DL-1")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    foreign = imports.import_cases(out.getvalue().encode(), "x.csv", province="dak_lak")
    assert not foreign.ok and foreign.errors[0].column == "unit_code"
    assert not Case.objects.filter(agency_ref="DL-1").exists()


def test_agency_lookups_by_short_code_stay_in_one_province(lang_son, ls):
    assert directory.agency_by_code("QLTT", lang_son) == ls("QLTT")
    assert directory.agency_by_code("QLTT", "dak_lak").province.codename == "dak_lak"
    assert directory.agency_by_code("QLTT") is None
    assert ls("QLTT").key == f"{lang_son.code}:QLTT"


def test_border_communes_are_set_by_each_province_s_own_standing_office(
    lang_son, coordinator_sct, coordinator_lang_son, officer_qltt
):
    dak_lak = directory.home_province(coordinator_sct)
    assert policy.can(coordinator_sct, "set_border", dak_lak)
    assert not policy.can(coordinator_sct, "set_border", lang_son)
    assert policy.can(coordinator_lang_son, "set_border", lang_son)
    assert not policy.can(coordinator_lang_son, "set_border", dak_lak)
    assert not policy.can(officer_qltt, "set_border", dak_lak)


def test_an_agency_s_hotline_is_published_by_its_own_leaders_only(
    lang_son, leader_qltt, leader_qltt_lang_son, admin_lang_son
):
    qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    qltt_ls = Agency.objects.get(code="QLTT", province=lang_son)
    assert policy.can(leader_qltt, "publish_hotline", qltt)
    assert not policy.can(leader_qltt, "publish_hotline", qltt_ls)
    assert policy.can(leader_qltt_lang_son, "publish_hotline", qltt_ls)
    assert not policy.can(leader_qltt_lang_son, "publish_hotline", qltt)
    assert policy.can(admin_lang_son, "publish_hotline", qltt_ls)
    assert not policy.can(admin_lang_son, "publish_hotline", qltt)


def test_exporting_identification_numbers_stays_with_the_case_s_province_and_leaders(
    dak_lak_case,
    coordinator_sct,
    coordinator_lang_son,
    leader_qltt,
    leader_qltt_lang_son,
    officer_qltt,
    lang_son,
):
    verb = "cases.export_identifiers"
    assert policy.can(coordinator_sct, verb, dak_lak_case)
    assert policy.can(leader_qltt, verb, dak_lak_case)
    assert not policy.can(officer_qltt, verb, dak_lak_case) and not policy.can(officer_qltt, verb)
    assert not policy.can(coordinator_lang_son, verb, dak_lak_case)
    assert not policy.can(leader_qltt_lang_son, verb, dak_lak_case)
    assert policy.can(leader_qltt_lang_son, verb, province=lang_son)
    assert not policy.can(leader_qltt_lang_son, verb, province=dak_lak_case.lead_agency.province)
    assert not policy.can(coordinator_lang_son, verb, province=dak_lak_case.lead_agency.province)


def test_a_job_is_followed_in_its_province_and_its_file_and_api_status_are_its_owners(
    coordinator_sct, admin_user, admin_lang_son, coordinator_lang_son, national_admin
):
    from canhgiac.core import jobs

    job = jobs.create_job("export.reporting.docx", "Báo cáo Đắk Lắk", owner=coordinator_sct)
    for action in ("view", "status", "download"):
        assert policy.can(coordinator_sct, action, job), action
    # the province's administrator follows the job page, but neither the file nor the API status
    assert policy.can(admin_user, "view", job)
    assert not policy.can(admin_user, "status", job) and not policy.can(admin_user, "download", job)
    # Lạng Sơn: nothing, not even its administrator; a national administrator follows, no file
    for user in (admin_lang_son, coordinator_lang_son):
        assert not _visible(user, job)
        for action in ("view", "status", "download"):
            assert not policy.can(user, action, job), (user, action)
    assert policy.can(national_admin, "view", job) and not policy.can(national_admin, "download", job)


def test_a_case_is_recorded_in_a_commune_of_the_lead_agency_s_province(
    officer_qltt_lang_son, officer_qltt, lang_son
):
    from django.core.exceptions import ValidationError

    from canhgiac.cases import services as cases
    from canhgiac.directory.models import AdministrativeUnit

    dak_lak_unit = AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code").first()
    lang_son_unit = AdministrativeUnit.objects.filter(parent=lang_son).order_by("code").first()
    data = {
        "lead_agency_code": "QLTT",
        "detected_on": "2026-03-10",
        "violation_type": "counterfeit",
        "summary": "Vụ",
    }
    for user, foreign in ((officer_qltt_lang_son, dak_lak_unit), (officer_qltt, lang_son_unit)):
        with pytest.raises(ValidationError) as refused:
            cases.create_case(user, {**data, "unit_code": foreign.code})
        assert "unit_code" in refused.value.message_dict
    assert (
        cases.create_case(officer_qltt_lang_son, {**data, "unit_code": lang_son_unit.code}).unit
        == lang_son_unit
    )
