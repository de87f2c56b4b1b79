import datetime as dt

import pytest
from django.urls import reverse

from canhgiac.reporting import services
from canhgiac.reporting.models import Period, Submission
from canhgiac.reporting.tests.conftest import NARRATIVE


@pytest.fixture
def period(make_period, fixed_figures):
    return make_period(codes=("QLTT", "CA"))


def test_index_lists_periods_and_offers_to_open_the_agencys_report(period, signed_in, officer_qltt):
    html = signed_in(officer_qltt).get(reverse("reporting:index")).content.decode()
    assert period.name in html and "Lập báo cáo — QLTT" in html


def test_officer_fills_the_form_and_sees_errors_by_field(period, signed_in, officer_qltt, agency):
    c = signed_in(officer_qltt)
    r = c.post(reverse("reporting:open_submission", args=[period.pk, agency("QLTT").pk]))
    sub = Submission.objects.get(period=period, agency=agency("QLTT"))
    assert r.url == reverse("reporting:submission", args=[sub.pk])
    html = c.get(r.url).content.decode()
    assert 'value="10"' in html and "Không có số liệu hệ thống — nhập tay" in html
    data = {"action": "submit", "v_cases": "-1"}
    html = c.post(r.url, data).content.decode()
    assert "Số vụ việc phát hiện, xử lý: không được âm." in html
    data = {f"v_{i.code}": (sub.prefill.get(i.code) or 0) for i in sub.form.indicators.all()}
    data.update({f"n_{k}": v for k, v in NARRATIVE.items()})
    data.update(
        {
            "b_cases__smuggling": "4",
            "b_cases__counterfeit": "3",
            "b_cases__trade_fraud": "3",
            "v_cases": "11",
            "action": "submit",
        }
    )
    html = c.post(r.url, data, follow=True).content.decode()
    assert "khác số liệu hệ thống (10), cần ghi lý do" in html
    data["r_cases"] = "Một vụ chuyển từ Công an sang."
    c.post(r.url, data)
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.values["cases"] == 11 and sub.reasons["cases"]


def test_period_board_shows_who_has_not_reported(make_period, signed_in, coordinator_sct, agency):
    period = make_period(
        deadline=services.today() - dt.timedelta(days=2), codes=("QLTT", "CA"), commune=False
    )
    html = (
        signed_in(coordinator_sct)
        .get(reverse("reporting:period", args=[period.pk]) + "?missing=1")
        .content.decode()
    )
    assert (
        'data-agency="QLTT"' in html and "Quá hạn 2 ngày" in html and 'data-testid="completeness">0' in html
    )


def test_coordinator_creates_a_quarter_and_a_campaign(signed_in, coordinator_sct, agency):
    c = signed_in(coordinator_sct)
    r = c.post(
        reverse("reporting:period_create"),
        {
            "kind": "quarterly",
            "year": 2027,
            "number": 2,
            "cutoff": "decree09",
            "expiry_days": 10,
            "agencies": [agency("QLTT").pk, agency("CA").pk],
            "include_communes": "on",
        },
    )
    period = Period.objects.get(name="Quý II/2027")
    assert r.url == reverse("reporting:period", args=[period.pk])
    assert (period.data_from, period.data_to) == (dt.date(2027, 3, 15), dt.date(2027, 6, 14))
    codes = set(period.submitters.values_list("code", flat=True))
    assert {"QLTT", "CA"} <= codes and "SCT" not in codes and "HQ" not in codes
    assert period.submitters.filter(kind="commune").count() == len(codes) - 2 > 50
    r = c.post(
        reverse("reporting:period_create"),
        {"kind": "quarterly", "year": 2027, "cutoff": "decree09", "expiry_days": 10},
    )
    html = r.content.decode()
    assert "Kỳ quý: cần nhập quý (1–4)." in html and "Cần ít nhất một đơn vị báo cáo." in html
    c.post(
        reverse("reporting:campaign_create"),
        {
            "name": "Cao điểm Tết",
            "start": "2027-01-04",
            "end": "2027-02-10",
            "every_days": 7,
            "expiry_days": 3,
            "agencies": [agency("QLTT").pk],
        },
    )
    campaign = Period.objects.filter(campaign="Cao điểm Tết")
    assert campaign.count() == 6
    assert set(campaign.first().submitters.values_list("code", flat=True)) == {"QLTT"}


def test_coordinator_moves_a_deadline(period, signed_in, coordinator_sct, officer_qltt):
    url = reverse("reporting:period_edit", args=[period.pk])
    new = period.deadline + dt.timedelta(days=5)
    r = signed_in(coordinator_sct).post(
        url,
        {
            "name": period.name,
            "deadline": new.strftime("%d/%m/%Y"),
            "office_deadline": (new + dt.timedelta(days=2)).isoformat(),
            "expiry_days": 0,
        },
    )
    assert r.status_code == 302
    period.refresh_from_db()
    assert period.deadline == new and period.expiry_days == 0
    r = signed_in(coordinator_sct).post(
        url,
        {
            "name": period.name,
            "deadline": period.data_to - dt.timedelta(days=1),
            "office_deadline": new,
            "expiry_days": 0,
        },
    )
    assert "Hạn gửi của đơn vị phải sau ngày chốt số liệu." in r.content.decode()
    signed_in(officer_qltt)
    assert signed_in(officer_qltt).get(url).status_code == 403


def test_officer_cannot_open_coordinator_pages(signed_in, officer_qltt, period):
    c = signed_in(officer_qltt)
    for name, args in (
        ("period_create", []),
        ("campaign_create", []),
        ("consolidated", [period.pk]),
        ("timeliness", []),
        ("groups", []),
    ):
        assert c.get(reverse(f"reporting:{name}", args=args)).status_code == 403


def test_consolidated_page_and_download(period, signed_in, coordinator_sct, export_download):
    c = signed_in(coordinator_sct)
    html = c.get(reverse("reporting:consolidated", args=[period.pk])).content.decode()
    assert "Báo cáo tổng hợp của tỉnh" in html and "Số liệu trên hệ thống (toàn tỉnh)" in html
    r = c.post(
        reverse("reporting:consolidated", args=[period.pk]),
        {"number": "12/BC-SCT", "section_situation": "Tình hình chung đã biên tập."},
    )
    assert r.status_code == 302
    job, _page, r = export_download(c, reverse("reporting:export_period", args=[period.pk, "docx"]))
    assert job.status == "done" and job.owner == coordinator_sct
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert "no-store" in r["Cache-Control"]
    from canhgiac.reporting.tests.test_consolidation import _docx_text

    text = _docx_text(b"".join(r.streaming_content))
    assert "Số: 12/BC-SCT" in text and "Tình hình chung đã biên tập." in text


def test_window_export_from_the_index(
    signed_in, coordinator_sct, officer_qltt, fixed_figures, export_download
):
    job, page, r = export_download(
        signed_in(coordinator_sct),
        reverse("reporting:export_window"),
        {"date_from": "2026-01-01", "date_to": "2026-03-31", "fmt": "xlsx"},
    )
    assert "01/01/2026" in job.title and "Hoàn thành" in page.content.decode()
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    assert signed_in(officer_qltt).get(job.result["url"]).status_code == 403


def test_an_export_of_a_period_one_cannot_consolidate_is_refused_at_once(period, signed_in, officer_qltt):
    from canhgiac.core.models import Job

    r = signed_in(officer_qltt).get(reverse("reporting:export_period", args=[period.pk, "docx"]))
    assert r.status_code in (403, 404) and not Job.objects.exists()


def test_form_edit_creates_a_new_version_and_old_periods_keep_theirs(period, signed_in, coordinator_sct):
    old = period.form
    inds = list(old.indicators.all())
    secs = list(old.sections.all())
    data = {
        "name": old.name,
        "note": "Thêm chỉ tiêu livestream",
        "ind-TOTAL_FORMS": len(inds) + 1,
        "ind-INITIAL_FORMS": len(inds),
        "sec-TOTAL_FORMS": len(secs),
        "sec-INITIAL_FORMS": len(secs),
    }
    for n, i in enumerate(inds):
        data.update(
            {
                f"ind-{n}-code": i.code,
                f"ind-{n}-label": i.label,
                f"ind-{n}-unit": i.unit,
                f"ind-{n}-disaggregation": i.disaggregation,
                f"ind-{n}-parent_code": i.parent_code,
            }
        )
        if i.required:
            data[f"ind-{n}-required"] = "on"
    n = len(inds)
    data.update(
        {
            f"ind-{n}-code": "livestream_cases",
            f"ind-{n}-label": "Vụ việc bán hàng qua livestream",
            f"ind-{n}-unit": "count",
            f"ind-{n}-parent_code": "cases",
        }
    )
    for n, s in enumerate(secs):
        data.update({f"sec-{n}-code": s.code, f"sec-{n}-title": s.title})
    r = signed_in(coordinator_sct).post(reverse("reporting:form_edit", args=[old.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    new = services.current_form()
    assert new.version == old.version + 1 and new.indicators.filter(code="livestream_cases").exists()
    period.refresh_from_db()
    assert period.form == old and not old.indicators.filter(code="livestream_cases").exists()


def test_form_version_rejects_unknown_parent(coordinator_sct):
    form = services.current_form()
    with pytest.raises(services.ReportingError) as exc:
        services.new_form_version(
            coordinator_sct,
            form,
            name="x",
            indicators=[{"code": "a", "label": "A", "parent_code": "zzz"}],
            sections=[],
        )
    assert "không có trong biểu mẫu" in exc.value.errors[0]["message"]


def test_home_card_counts_reports_waiting_for_the_standing_office(period, signed_in, coordinator_sct, agency):
    Submission.objects.create(period=period, agency=agency("QLTT"), form=period.form, status="approved")
    html = signed_in(coordinator_sct).get(reverse("dashboard:home")).content.decode()
    assert "Báo cáo chờ tiếp nhận" in html


def test_an_agency_sees_only_its_own_row_on_the_board(period, signed_in, officer_ca):
    html = signed_in(officer_ca).get(reverse("reporting:period", args=[period.pk])).content.decode()
    assert 'data-agency="CA"' in html and 'data-agency="QLTT"' not in html
