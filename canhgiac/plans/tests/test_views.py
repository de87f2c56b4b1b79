import datetime as dt

import pytest
from django.urls import reverse

from canhgiac.core import policy
from canhgiac.plans.models import Update


@pytest.fixture
def officer_syt(make_user):
    return make_user("officer_syt", "SYT", policy.OFFICER)


@pytest.mark.parametrize("name", ["plans:list", "plans:mine", "plans:due", "plans:scorecard"])
def test_pages_render_for_an_officer(signed_in, officer_ca, name):
    assert signed_in(officer_ca).get(reverse(name)).status_code == 200


def test_the_plan_table_is_grouped_like_the_appendix(signed_in, coordinator_sct, plan):
    html = signed_in(coordinator_sct).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert html.count('<h2 class="pl-group">') == 8
    assert 'data-task="6.1"' in html and "Cần phân công chủ trì" in html


def test_an_officer_posts_an_update_from_the_task_page(signed_in, officer_syt, task, pdf):
    t = task("7.7")
    cp = t.checkpoints.get(due_date=dt.date(2026, 2, 28))
    client = signed_in(officer_syt)
    page = client.get(reverse("plans:task", args=[t.pk]))
    assert b'data-testid="update-form"' in page.content
    response = client.post(
        reverse("plans:task", args=[t.pk]),
        {
            "checkpoint": cp.pk,
            "agency": officer_syt.primary_membership.agency_id,
            "status": "done",
            "percent": "",
            "narrative": "Đã ký cam kết.",
            "evidence_file": pdf(),
            "evidence_number": "",
            "evidence_date": "",
        },
    )
    assert response.status_code == 302
    assert Update.objects.get(checkpoint=cp).status == "done"


def test_the_form_shows_a_vietnamese_message_naming_the_field(signed_in, officer_syt, task):
    t = task("1.2")
    cp = t.checkpoints.get()
    response = signed_in(officer_syt).post(
        reverse("plans:task", args=[t.pk]),
        {
            "checkpoint": cp.pk,
            "agency": officer_syt.primary_membership.agency_id,
            "status": "done",
            "narrative": "Xong",
        },
    )
    assert response.status_code == 200
    assert "Báo cáo hoàn thành cần đính kèm tệp minh chứng" in response.content.decode()


def test_an_officer_of_another_agency_gets_no_form_and_cannot_post(signed_in, officer_qltt, task):
    t = task("1.2")
    client = signed_in(officer_qltt)
    assert b'data-testid="update-form"' not in client.get(reverse("plans:task", args=[t.pk])).content
    assert client.post(reverse("plans:task", args=[t.pk]), {"status": "done"}).status_code == 403


def test_evidence_download_is_audited_and_hidden_from_other_agencies(
    signed_in, officer_syt, officer_qltt, task, agency, report
):
    from canhgiac.audit.models import AuditEvent

    update = report(officer_syt, task("1.2"), agency("SYT"), dt.date(2026, 2, 28), on=dt.date(2026, 2, 20))
    url = reverse("plans:evidence", args=[update.pk])
    assert signed_in(officer_qltt).get(url).status_code == 404
    response = signed_in(officer_syt).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="plans.evidence_downloaded").exists()


def test_exports_run_as_jobs_and_are_audited(signed_in, coordinator_sct, officer_qltt, plan, export_download):
    from canhgiac.audit.models import AuditEvent

    client = signed_in(coordinator_sct)
    xlsx_job, page, xlsx = export_download(client, reverse("plans:export_xlsx", args=[plan.pk]))
    docx_job, _page, docx = export_download(client, reverse("plans:export_docx", args=[plan.pk]))
    assert xlsx_job.status == docx_job.status == "done" and "Tải tệp" in page.content.decode()
    assert xlsx.status_code == docx.status_code == 200
    assert "no-store" in xlsx["Cache-Control"] and "no-store" in docx["Cache-Control"]
    assert b"".join(xlsx.streaming_content)[:2] == b"".join(docx.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action__in=["plans.exported_xlsx", "plans.exported_docx"]).count() == 2
    assert signed_in(officer_qltt).get(xlsx_job.result["url"]).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 302


def test_the_docx_report_has_the_administrative_header_and_every_task(plan):
    import io

    from docx import Document

    from canhgiac.plans import exports

    doc = Document(io.BytesIO(exports.progress_docx(None, plan)))
    header = doc.tables[0].rows[0].cells
    assert "SỞ CÔNG THƯƠNG" in header[0].text and "Số:" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text and "Đắk Lắk, ngày" in header[1].text
    assert [r.cells[0].text for r in doc.tables[1].rows[1:]] == list(
        plan.tasks.values_list("code", flat=True)
    )
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs}
    assert fonts == {"Times New Roman"}
    assert {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip()} <= {13, 14}


def test_the_xlsx_lists_every_task_with_its_status(plan, coordinator_sct):
    import io

    from openpyxl import load_workbook

    from canhgiac.plans import exports

    wb = load_workbook(io.BytesIO(exports.plan_xlsx(coordinator_sct, plan, as_of=dt.date(2026, 3, 1))))
    rows = list(wb["Tiến độ nhiệm vụ"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == list(plan.tasks.values_list("code", flat=True))
    by_code = {r[1]: r for r in rows}
    assert (
        by_code["1.2"][7] == "Quá hạn chưa hoàn thành"
        and by_code["6.1"][7] == "Đang thực hiện (chưa đến hạn)"
    )
    assert wb["Theo cơ quan"].max_row > 1


def test_the_home_page_shows_the_plan_figures_and_the_menu_entry(signed_in, coordinator_sct):
    html = signed_in(coordinator_sct).get(reverse("dashboard:home")).content.decode()
    assert "Phần việc kế hoạch quá hạn" in html and reverse("plans:list") in html


def test_the_standing_office_assigns_a_lead_from_the_task_page(
    signed_in, coordinator_sct, officer_ca, task, agency
):
    t = task("2.3")
    url = reverse("plans:task_assign", args=[t.pk])
    assert signed_in(officer_ca).post(url, {"lead_agencies": [agency("CA").pk]}).status_code == 403
    t.refresh_from_db()
    assert t.needs_assignment  # the officer's post changed nothing
    client = signed_in(coordinator_sct)
    assert (
        "Phân công (Cơ quan Thường trực)" in client.get(reverse("plans:task", args=[t.pk])).content.decode()
    )
    client.post(url, {"lead_agencies": [agency("CA").pk], "responsible_person": "Phó Giám đốc Công an tỉnh"})
    t.refresh_from_db()
    assert not t.needs_assignment and t.responsible_person == "Phó Giám đốc Công an tỉnh"


def test_the_overdue_list_of_an_officer_shows_only_his_agency(signed_in, officer_ca):
    html = signed_in(officer_ca).get(reverse("plans:due") + "?tab=overdue").content.decode()
    assert "Công an tỉnh" in html and "Sở Y tế" not in html


def test_the_progress_docx_author_is_the_plan_owner_not_python_docx(plan):
    import io

    from docx import Document

    from canhgiac.plans import exports

    author = Document(io.BytesIO(exports.progress_docx(None, plan))).core_properties.author
    assert author != "python-docx" and author.split()[0] == plan.owner_agency.name.upper().split()[0]


def test_the_docx_cites_the_issuing_decision_without_blanks_or_a_doubled_of(plan):
    import io
    import re

    from docx import Document

    from canhgiac.plans import exports

    doc = Document(io.BytesIO(exports.progress_docx(None, plan)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Quyết định số 02490/QĐ-UBND ngày 29/12/2025" in text
    assert not re.search(r"số\s+/|ngày\s+tháng|của\s+\S*\s*của|\s…", text)
    assert not re.search(r"của [^;\n]* của Ủy ban nhân dân tỉnh Đắk Lắk của", text)


def test_a_plan_copied_from_a_draft_is_cited_without_its_blanks(db, settings):
    from canhgiac.directory import services as directory
    from canhgiac.plans import loader

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    directory.setup_province("lang_son")
    plan = loader.load_shipped(["lang_son"])[0].plan
    citation = plan.citation()
    assert "/TB-VP" not in citation and "ngày tháng" not in citation
    assert citation.startswith("Thông báo Kết luận") and citation.count(" của ") >= 1


def test_the_plan_page_shows_the_decision_and_the_lead_readings(plan, signed_in, coordinator_sct):
    page = signed_in(coordinator_sct).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "02490/QĐ-UBND ngày 29/12/2025" in page
    readings = page.split('data-testid="lead-readings"')[1].split("</details>")[0]
    for code in ["2.3", "6.3", "7.2", "7.3", "7.4", "7.5", "7.9", "8.3"]:
        assert f">{code}</a>" in readings, code
    task = plan.tasks.get(code="1.1")
    detail = signed_in(coordinator_sct).get(reverse("plans:task", args=[task.pk])).content.decode()
    reading = detail.split('data-testid="lead-reading">')[1].split("</dd>")[0]
    assert "không gồm Ủy ban MTTQ và báo chí" in reading and "UBND các xã, phường" in reading


@pytest.mark.parametrize("url_name", ["plans:export_xlsx", "plans:export_docx"])
def test_plan_exports_show_each_step_and_the_tasks_built_while_they_run(
    url_name, signed_in, coordinator_sct, plan, export_download, job_rows_seen
):
    job, _page, download = export_download(signed_in(coordinator_sct), reverse(url_name, args=[plan.pk]))
    assert job.status == "done" and download.status_code == 200
    running = [row for row in job_rows_seen if row[0] == "running"]
    steps = [m.split(":")[0] for _s, _d, _t, m in running if m.startswith("Bước")]
    assert list(dict.fromkeys(steps)) == ["Bước 1/4", "Bước 2/4", "Bước 3/4", "Bước 4/4"]
    tables = [done for _s, done, _t, m in running if m.startswith("Bước 2/4")]
    assert len(set(tables)) > 5  # one write per task row built (the plan has dozens of tasks)
    dones = [done for _s, done, _t, _m in running]
    assert dones == sorted(dones) and dones[-1] == 100
