"""Exports: plan status as XLSX, and a progress report as DOCX in the administrative format
(Decree 30/2020/ND-CP: issuing body top left, national motto top right, number and place-date
line, Times New Roman 13-14). Both go through the same scoped services as the screens.

Both take an optional `steps` (core.progress.Steps) and report four steps: the tasks' statuses are
worked out (gathered), the task table is built (one unit per task), the document is rendered, saved.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from canhgiac.core import docx_admin, spreadsheet
from canhgiac.core.exports import exporter
from canhgiac.core.progress import Steps
from canhgiac.plans import services
from canhgiac.plans.models import Plan

FILLS = {
    services.DONE_ON_TIME: "C8E6C9",
    services.DONE_LATE: "FFE0B2",
    services.IN_PROGRESS: "BBDEFB",
    services.OVERDUE: "FFCDD2",
}


def _label(status) -> str:
    return str(services.STATUS_LABELS[status]) if status else "Chưa có mốc"


def _rows(user, plan: Plan, as_of):
    tasks = services.task_queryset(user, plan).order_by("order")
    statuses = services.plan_task_statuses(plan, tasks, as_of=as_of)
    return [(t, statuses[t.pk]) for t in tasks]


def _gather(steps: Steps, plan: Plan) -> None:
    steps.start(
        "gather",
        _("Bước 1/4: đang tính tình trạng các nhiệm vụ của kế hoạch %(code)s…") % {"code": plan.code},
        units=2,
    )


def plan_xlsx(user, plan: Plan, as_of=None, steps: Steps | None = None) -> bytes:
    as_of = as_of or services.today()
    steps = steps or Steps.quiet()
    _gather(steps, plan)
    rows = _rows(user, plan, as_of)
    steps.tick()
    scorecard = services.scorecard(user, plan=plan, as_of=as_of)
    steps.tick()
    steps.start("tables", _("Bước 2/4: đang lập bảng %(n)s nhiệm vụ…") % {"n": len(rows)}, units=len(rows))
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiến độ nhiệm vụ"
    spreadsheet.append(ws, [plan.title])
    spreadsheet.append(ws, [f"Tình hình đến ngày {as_of:%d/%m/%Y}"])
    header = [
        "Nhóm",
        "Mã",
        "Hành động cụ thể",
        "Thời hạn",
        "Mốc tiếp theo",
        "Cơ quan chủ trì",
        "Kết quả, sản phẩm",
        "Tình trạng",
        "Đúng hạn",
        "Quá hạn đã xong",
        "Đang thực hiện",
        "Quá hạn chưa xong",
    ]
    spreadsheet.append(ws, header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for t, s in rows:
        spreadsheet.append(
            ws,
            [
                t.group.code,
                t.code,
                t.action,
                t.deadline_text,
                s.next_due.strftime("%d/%m/%Y") if s.next_due else "",
                t.lead_text or ", ".join(t.other_bodies),
                t.expected_output,
                _label(s.status),
                s.counts[services.DONE_ON_TIME],
                s.counts[services.DONE_LATE],
                s.counts[services.IN_PROGRESS],
                s.counts[services.OVERDUE],
            ],
        )
        if s.status:
            ws.cell(ws.max_row, 8).fill = PatternFill("solid", fgColor=FILLS[s.status])
        steps.tick()
    steps.start("render", _("Bước 3/4: đang định dạng các trang tính…"), units=2)
    for i, width in enumerate([6, 7, 70, 18, 12, 35, 30, 24, 10, 10, 10, 10], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C4"
    steps.tick()
    sc = wb.create_sheet("Theo cơ quan")
    spreadsheet.append(
        sc,
        [
            "Cơ quan",
            "Đã đến hạn",
            "Đúng hạn",
            "Quá hạn đã xong",
            "Đang thực hiện",
            "Quá hạn chưa xong",
            "Tỷ lệ đúng hạn (%)",
        ],
    )
    for cell in sc[1]:
        cell.font = Font(bold=True)
    for r in scorecard:
        spreadsheet.append(
            sc,
            [
                r["agency"].name,
                r["total"],
                r[services.DONE_ON_TIME],
                r[services.DONE_LATE],
                r[services.IN_PROGRESS],
                r[services.OVERDUE],
                r["on_time_rate"],
            ],
        )
    sc.column_dimensions["A"].width = 50
    steps.tick()
    steps.start("save", _("Bước 4/4: đang lưu tệp…"), units=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _font(run, size=13, bold=False, italic=False):
    return docx_admin.set_font(run, size, bold, italic)


def _para(
    container, text="", *, size=13, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0
):
    return docx_admin.para(
        container, text, size=size, bold=bold, italic=italic, align=align, after=space_after, line=1.0
    )


def _widths(table, widths):
    docx_admin.set_widths(table, [width.cm for width in widths])


def progress_docx(user, plan: Plan, as_of=None, steps: Steps | None = None) -> bytes:
    """A progress report from the plan's owner (the Standing Office) to the provincial committee."""
    as_of = as_of or services.today()
    steps = steps or Steps.quiet()
    _gather(steps, plan)
    counts = services.status_counts(user, plan=plan, as_of=as_of)
    steps.tick()
    rows = _rows(user, plan, as_of)
    steps.tick()
    steps.start("tables", _("Bước 2/4: đang lập bảng %(n)s nhiệm vụ…") % {"n": len(rows)}, units=len(rows))
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    province = plan.province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
    owner = plan.owner_agency
    owner_name = owner.name.replace(f" tỉnh {province}", "").replace(f" {province}", "")
    docx_admin.admin_header(
        doc,
        parent=f"UBND TỈNH {province.upper()}",
        body=owner_name.upper(),
        number=f"     /BC-{owner.code.split('-')[0]}",
        place=province,
        day=as_of,
        widths_cm=(6.2, 9.8),
    )

    _para(doc, "", space_after=6)
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"Tiến độ thực hiện {plan.citation()}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, plan.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    body = [
        f"Căn cứ {plan.citation()}; {plan.owner_agency.name} báo cáo tiến độ thực hiện "
        f"đến ngày {as_of:%d/%m/%Y} như sau:",
        "I. TỔNG HỢP CHUNG",
        f"Tổng số phần việc (mốc thực hiện của từng cơ quan chủ trì) đã đến hạn: {counts['total']}, trong đó: "
        f"hoàn thành đúng hạn {counts['done_on_time']}; hoàn thành quá hạn {counts['done_late']}; "
        f"đang thực hiện (đến hạn trong ngày) {counts['in_progress']}; quá hạn chưa hoàn thành {counts['overdue']}.",
        "II. TÌNH HÌNH THỰC HIỆN TỪNG NHIỆM VỤ",
    ]
    for text in body:
        p = _para(doc, text, bold=text.startswith(("I.", "II.")), space_after=6)
        p.paragraph_format.first_line_indent = Cm(1)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["TT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Tình trạng"], strict=True
    ):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), 12, bold=True)
    overdue = []
    for t, s in rows:
        cells = table.add_row().cells
        values = [
            t.code,
            t.action[:400],
            t.lead_text or ", ".join(t.other_bodies),
            t.deadline_text or "—",
            _label(s.status),
        ]
        for cell, text in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(text), 11)
        if s.status == services.OVERDUE:
            overdue.append((t, s))
        steps.tick()
    steps.start("render", _("Bước 3/4: đang dựng văn bản…"), units=2)
    _widths(table, [Cm(1.1), Cm(7.4), Cm(3.3), Cm(2.2), Cm(2.0)])

    _para(doc, "", space_after=6)
    p = _para(doc, "III. CÁC NHIỆM VỤ QUÁ HẠN CẦN CHỈ ĐẠO", bold=True, space_after=6)
    p.paragraph_format.first_line_indent = Cm(1)
    if not overdue:
        _para(doc, "Không có nhiệm vụ quá hạn.", space_after=6).paragraph_format.first_line_indent = Cm(1)
    for t, s in overdue:
        n = s.counts[services.OVERDUE]
        p = _para(
            doc,
            f"- Nhiệm vụ {t.code}: {n} phần việc quá hạn chưa hoàn thành ({t.lead_text.replace(chr(10), ' ')[:200]}).",
            space_after=3,
        )
        p.paragraph_format.first_line_indent = Cm(1)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    steps.tick()
    _para(doc, "", space_after=6)
    sign = doc.add_table(rows=1, cols=2)
    _widths(sign, [Cm(7), Cm(9)])
    recipients, signer = sign.rows[0].cells
    _font(recipients.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in [
        "- Trưởng Ban Chỉ đạo 389 tỉnh (b/c);",
        "- Các thành viên Ban Chỉ đạo 389 tỉnh;",
        "- Lưu: VT.",
    ]:
        _para(recipients, line, size=11)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(signer.paragraphs[0].add_run("THỦ TRƯỞNG CƠ QUAN"), 13, bold=True)
    _para(signer, "(Ký, ghi rõ họ tên, đóng dấu)", size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.core_properties.title = f"Báo cáo tiến độ {plan.code}"
    doc.core_properties.created = timezone.now()
    steps.tick()
    steps.start("save", _("Bước 4/4: đang lưu tệp…"), units=1)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- as background jobs (core.exports)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _build_job(user, params, out, progress, build, action: str, suffix: str, content_type: str):
    from canhgiac.audit import services as audit

    plan = services.visible_plans(user).get(pk=params["plan"])
    steps = Steps(progress, [("gather", 40), ("tables", 40), ("render", 15), ("save", 5)])
    out.write(build(user, plan, steps=steps))
    audit.record(action, obj=plan)
    steps.tick()  # saved: the job is done once the runner has put the file in place
    return f"{plan.code}-{suffix}", content_type


@exporter("plans.xlsx")
def build_xlsx_job(user, params, out, progress):
    return _build_job(
        user, params, out, progress, plan_xlsx, "plans.exported_xlsx", "tien-do.xlsx", XLSX_TYPE
    )


@exporter("plans.docx")
def build_docx_job(user, params, out, progress):
    return _build_job(
        user, params, out, progress, progress_docx, "plans.exported_docx", "bao-cao-tien-do.docx", DOCX_TYPE
    )
