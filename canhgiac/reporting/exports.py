"""DOCX (Decree 30/2020/NĐ-CP administrative format) and XLSX exports of a consolidated report.

Decree 30/2020, Appendix I, as applied here: A4, margins top/bottom 2 cm, left 3 cm, right 2 cm;
Times New Roman; issuing body in capitals (parent body regular, issuing body bold, a short rule
under it); national motto in bold with a rule under "Độc lập - Tự do - Hạnh phúc"; "Số: …/BC-…";
place and date in italics; the document type "BÁO CÁO" in bold capitals with its summary in bold
under it; body 14 pt justified with a 1 cm first-line indent; "Nơi nhận:" bold italic 12 pt with
its list in 11 pt; signer's title in bold capitals; page numbers centred at the top from page 2;
annex tables after the signature, each titled "Phụ lục".

Both builders take an optional `steps` (core.progress.Steps) and report steps 2–4 of an export
(step 1, gathering the figures, is the consolidation's): the tables' rows are built (one unit per
table), the document is rendered (the body, then one unit per table or sheet), and it is saved.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from canhgiac.core import spreadsheet
from canhgiac.core.docx_admin import FONT, admin_header
from canhgiac.core.docx_admin import no_borders as _no_borders
from canhgiac.core.docx_admin import page_number_header as _page_number_header
from canhgiac.core.docx_admin import para as _para
from canhgiac.core.docx_admin import rule_under as _rule_under
from canhgiac.core.docx_admin import set_font as _set_font
from canhgiac.core.docx_admin import set_widths as _set_widths
from canhgiac.core.exports import exporter
from canhgiac.core.numbers import format_vn_percent
from canhgiac.core.progress import Steps
from canhgiac.reporting.consolidation import Consolidated, Row, grouped_rows, standing_office


def num(value) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}".replace(",", ".")


def pct(value) -> str:
    if value is None:
        return "—"
    return format_vn_percent(value, signed=True)


def change_words(row: Row) -> str:
    """'tăng 12,5% so với cùng kỳ' / 'giảm 3,0% …' / 'bằng cùng kỳ' / 'cùng kỳ năm trước: 0' /
    '' when last year's figure is unknown."""
    if row.last_year is None or row.value is None:
        return ""
    if row.value == row.last_year:
        return "bằng cùng kỳ"
    if not row.last_year:
        return "cùng kỳ năm trước: 0"
    p = row.change_pct
    word = "tăng" if p > 0 else "giảm"
    return f"{word} {abs(p):.1f}% so với cùng kỳ".replace(".", ",")


def _with_unit(row: Row) -> str:
    return f"{num(row.value)} đồng" if row.unit == "vnd" else num(row.value)


# --- DOCX -------------------------------------------------------------------------------------


def _issuer(report: Consolidated) -> tuple[str, str, str]:
    """(parent body, issuing body, number suffix) for the header."""
    office = standing_office(report.province_unit)
    province = report.province.replace("Tỉnh ", "").replace("Thành phố ", "")
    parent = f"UBND TỈNH {province.upper()}"
    body = (office.short_name or office.name).upper() if office else "CƠ QUAN THƯỜNG TRỰC BCĐ 389"
    suffix = f"BC-{office.code}" if office else "BC-BCĐ389"
    return parent, body, suffix


def _header(doc, report: Consolidated):
    parent, body, suffix = _issuer(report)
    place = report.province.replace("Tỉnh ", "").replace("Thành phố ", "")
    number = report.number or f"     /{suffix}"
    admin_header(doc, parent=parent, body=body, number=number, place=place, day=report.issued_on)


def _title(doc, report: Consolidated):
    c = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "BÁO CÁO", size=14, bold=True, align=c, before=18, after=0)
    subject = (
        "Kết quả công tác đấu tranh chống buôn lậu, gian lận thương mại, hàng giả "
        "và xâm phạm quyền sở hữu trí tuệ"
    )
    _para(doc, subject, size=14, bold=True, align=c, after=0)
    _para(doc, _period_name(report), size=14, bold=True, align=c, after=2)
    _rule_under(doc, 6.0, 6.0)
    _para(doc, "", size=6, align=c, after=6)


def _period_name(report: Consolidated) -> str:
    """'năm 2026', 'tháng 11/2026', 'Quý IV/2026', or the window when there is no period."""
    window = f"từ ngày {report.date_from:%d/%m/%Y} đến ngày {report.date_to:%d/%m/%Y}"
    if report.period is None:
        return window
    name = report.period.name
    return name if name.startswith(("Quý", "Kỳ")) else name[:1].lower() + name[1:]


def _period_phrase(report: Consolidated) -> str:
    window = f"từ ngày {report.date_from:%d/%m/%Y} đến ngày {report.date_to:%d/%m/%Y}"
    if report.period is None:
        return window
    return f"{_period_name(report)} (số liệu {window})"


def _heading(doc, text):
    _para(doc, text, size=14, bold=True, before=6, after=6)


def _narrative(doc, text: str, placeholder: str):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        _para(doc, placeholder, italic=True)
    for line in lines:
        _para(doc, line)


def _results_paragraphs(doc, report: Consolidated):
    rows = {r.code: r for r in (report.reported or report.system)}
    source = (
        "Tổng hợp báo cáo của các sở, ngành, UBND các xã, phường"
        if report.reported
        else "Theo số liệu trên hệ thống Cảnh Giác 389"
    )
    cases = rows.get("cases")
    if cases is None or cases.value is None:
        _para(doc, f"{source}: chưa có số liệu về số vụ việc trong kỳ.")
        return
    parts = [
        f"{source}, các lực lượng chức năng trên địa bàn tỉnh đã phát hiện, xử lý {num(cases.value)} vụ vi phạm"
        + (f" ({change_words(cases)})" if change_words(cases) else "")
    ]
    for code, phrase in (
        ("criminal_cases", "khởi tố hình sự {v} vụ"),
        ("defendants", "{v} bị can"),
        ("fines_vnd", "tiền xử phạt vi phạm hành chính {v} đồng"),
        ("budget_revenue_vnd", "tổng thu nộp ngân sách nhà nước {v} đồng (đã gồm tiền phạt)"),
        ("other_revenue_vnd", "trong đó thu ngoài tiền phạt {v} đồng"),
        ("goods_value_vnd", "trị giá hàng hóa vi phạm {v} đồng"),
    ):
        row = rows.get(code)
        if row is not None and row.value is not None:
            extra = f" ({change_words(row)})" if change_words(row) else ""
            parts.append(phrase.format(v=num(row.value)) + extra)
    _para(doc, "; ".join(parts) + ".")
    if report.groups:
        source_note = (
            "theo báo cáo của các đơn vị"
            if report.groups_source == "submissions"
            else "theo số liệu hệ thống"
        )
        _para(doc, f"Phân theo nhóm hành vi vi phạm ({source_note}):")
        for i, g in enumerate(report.groups, start=1):
            extra = f", {change_words(g)}" if change_words(g) else ""
            end = "." if i == len(report.groups) else ";"
            _para(doc, f"- Nhóm {g.label}: {num(g.value)} vụ{extra}{end}")
    tips = {r.code: r for r in report.system}
    if "tips_received" in tips and tips["tips_received"].value is not None:
        t = tips["tips_received"]
        acc, res = tips.get("tips_accepted"), tips.get("tips_resolved")
        text = f"Công tác tiếp nhận, xử lý tin báo: tiếp nhận {num(t.value)} tin báo, tố giác, phản ánh"
        text += f" ({change_words(t)})" if change_words(t) else ""
        if acc is not None and acc.value is not None:
            text += f"; thụ lý {num(acc.value)} tin"
        if res is not None and res.value is not None:
            text += f"; đã giải quyết {num(res.value)} tin"
        _para(doc, text + ".")


def _compliance(doc, report: Consolidated):
    board = report.board
    if not board:
        return
    t = board["totals"]
    _para(
        doc,
        (
            f"Tình hình chấp hành chế độ báo cáo: {t['reported']}/{t['expected']} đơn vị đã gửi báo cáo "
            f"(đầy đủ {pct_plain(t['completeness'])}), trong đó {t['on_time']} đơn vị gửi đúng hạn "
            f"(đúng hạn {pct_plain(t['timeliness'])}); hạn gửi là ngày {board['period'].deadline:%d/%m/%Y}."
        ),
    )
    late = [r for r in board["rows"] if r["reported"] and not r["on_time"]]
    missing = [r for r in board["rows"] if not r["reported"]]
    if late:
        _para(
            doc,
            "Gửi chậm: "
            + "; ".join(f"{r['agency']} (chậm {r['days_late']} ngày)" for r in late[:40])
            + ("…" if len(late) > 40 else "")
            + ".",
        )
    if missing:
        _para(
            doc,
            "Chưa gửi báo cáo: "
            + "; ".join(str(r["agency"]) for r in missing[:60])
            + (f" và {len(missing) - 60} đơn vị khác" if len(missing) > 60 else "")
            + ".",
        )


def pct_plain(value) -> str:
    return format_vn_percent(value)


def _signature(doc, report: Consolidated):
    _para(doc, "", size=6, after=6)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, [7.5, 8.5])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    _set_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    recipients = report.recipients or (
        "Như trên;\nChủ tịch UBND tỉnh, Trưởng BCĐ 389 tỉnh (b/c);\n"
        "Văn phòng Thường trực BCĐ 389 quốc gia (b/c);\nCác thành viên BCĐ 389 tỉnh;\n"
        f"Lưu: VT, {_issuer(report)[2].removeprefix('BC-')}."
    )
    for line in recipients.splitlines():
        if line.strip():
            _para(
                left,
                f"- {line.strip().lstrip('- ')}",
                size=11,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                after=0,
                line=1.0,
            )
    c = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].alignment = c
    title = (report.signer_title or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").upper()
    for i, line in enumerate(title.splitlines()):
        if i == 0:
            _set_font(right.paragraphs[0].add_run(line), 14, bold=True)
        else:
            _para(right, line, size=14, bold=True, align=c, after=0)
    _para(right, "", align=c, after=48)
    _para(right, report.signer_name or "", size=14, bold=True, align=c, after=0)


def _table(doc, headers, rows, widths, size=12):
    """A bordered table; cells get a paragraph style (font size, no spacing) rather than per-run
    formatting, and are reached through the XML rows: python-docx's row.cells walks the whole
    table each time, which made a 120-row annex take seconds."""
    style_id = doc.styles[f"CG Bảng {size}"].style_id
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(tr, values, header=False):
        for i, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            text, bold = value if isinstance(value, tuple) else (value, header)
            para = _Cell(tc, table).paragraphs[0]
            para._p.style = style_id  # by id: the style property looks the default style up each time
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 1 and not header else WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(str(text))
            if bold:
                run.bold = True

    fill(table._tbl.tr_lst[0], headers, header=True)
    for values in rows:
        fill(table.add_row()._tr, values)
    _set_widths(table, widths)
    return table


def _figure_rows(rows: list[Row]):
    out = []
    for i, r in enumerate(rows, start=1):
        label = f"- {r.label}" if r.indent else r.label
        out.append(
            (
                str(i),
                label,
                "Đồng" if r.unit == "vnd" else "Số lượng",
                num(r.value),
                num(r.last_year),
                pct(r.change_pct),
            )
        )
    return out


def _annex_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(2), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return section


def _annex_title(doc, report, number: str, title: str, first=False):
    if not first:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    c = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, f"Phụ lục {number}", size=14, bold=True, align=c, after=0)
    _para(doc, title.upper(), size=14, bold=True, align=c, after=0)
    _, body, suffix = _issuer(report)
    ref = report.number or f"     /{suffix}"
    _para(doc, f"(Kèm theo Báo cáo số {ref} của {body.title()})", size=13, italic=True, align=c, after=12)


def _audit_anchor(doc, report: Consolidated):
    """A paper anchor: the audit chain's head at the end of the report's date (docs/audit.md)."""
    from canhgiac.audit import services as audit

    day = report.issued_on or report.date_to
    end = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    head = audit.head_at(min(end, timezone.now()))
    if head is None:
        return
    _para(
        doc,
        f"Mã kiểm chứng nhật ký hệ thống đến ngày {day:%d/%m/%Y}: chuỗi {head['chain']}, "
        f"{head['count']} sự kiện, mã băm cuối {head['last_hash']}.",
        size=9,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        after=0,
    )


def build_docx(report: Consolidated, steps: Steps | None = None) -> bytes:
    steps = steps or Steps.quiet()
    annexes = annex_tables(report, steps)
    steps.start("render", _("Bước 3/4: đang dựng văn bản…"), units=len(annexes) + 1)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for size in (11, 12):
        style = doc.styles.add_style(f"CG Bảng {size}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing, fmt.first_line_indent = Pt(1), Pt(1), 1.0, Cm(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    _page_number_header(section)
    _header(doc, report)
    _title(doc, report)
    kinh_gui = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _set_font(kinh_gui.add_run("Kính gửi: Trưởng Ban Chỉ đạo 389 tỉnh."), 14)
    basis = (
        "Trên cơ sở báo cáo của các sở, ngành, UBND các xã, phường "
        f"({report.accepted_count} báo cáo đã được tiếp nhận) và số liệu trên hệ thống Cảnh Giác 389"
        if report.period is not None
        else "Trên cơ sở số liệu trên hệ thống Cảnh Giác 389"
    )
    _para(
        doc,
        f"{basis}, Cơ quan Thường trực Ban Chỉ đạo 389 tỉnh báo cáo kết quả công tác đấu tranh chống buôn "
        f"lậu, gian lận thương mại, hàng giả và xâm phạm quyền sở hữu trí tuệ {_period_phrase(report)} "
        "như sau:",
    )
    sections = dict(report.sections)
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII"]
    idx = 0

    def head(text):
        nonlocal idx
        _heading(doc, f"{numerals[idx]}. {text.upper()}")
        idx += 1

    placeholder = "(Nội dung do Cơ quan Thường trực tổng hợp, bổ sung.)"
    if "situation" in sections:
        head(sections["situation"])
        _narrative(doc, report.narrative.get("situation", ""), placeholder)
    head(sections.get("results", "Kết quả thực hiện nhiệm vụ"))
    _heading(doc, "1. Kết quả đấu tranh, xử lý vi phạm")
    _results_paragraphs(doc, report)
    _heading(doc, "2. Kết quả thực hiện nhiệm vụ của các cơ quan, đơn vị")
    _narrative(doc, report.narrative.get("results", ""), placeholder)
    number = 3
    if report.plan_status and report.plan_status["total"]:
        _heading(doc, f"{number}. Tiến độ thực hiện Kế hoạch")
        ps = report.plan_status
        _para(
            doc,
            (
                f"Đến ngày {report.date_to:%d/%m/%Y}, có {num(ps['total'])} lượt nhiệm vụ đã đến hạn theo Kế "
                f"hoạch của tỉnh: hoàn thành đúng hạn {num(ps['done_on_time'])}; hoàn thành quá hạn "
                f"{num(ps['done_late'])}; đang thực hiện trong hạn {num(ps['in_progress'])}; quá hạn chưa hoàn "
                f"thành {num(ps['overdue'])}."
            ),
        )
        number += 1
    if report.board:
        _heading(doc, f"{number}. Việc thực hiện chế độ báo cáo")
        _compliance(doc, report)
    for code, title in report.sections:
        if code in ("situation", "results"):
            continue
        head(title)
        _narrative(doc, report.narrative.get(code, ""), placeholder)
    _para(doc, "Số liệu chi tiết tại các Phụ lục kèm theo.", italic=True)
    _para(doc, "Cơ quan Thường trực Ban Chỉ đạo 389 tỉnh trân trọng báo cáo./.")
    _signature(doc, report)
    _audit_anchor(doc, report)
    steps.tick()
    _annexes(doc, report, annexes, steps)
    steps.start("save", _("Bước 4/4: đang lưu tệp…"), units=1)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@dataclass
class Annex:
    """One annex table of the DOCX: its title and rows, as built before the document is rendered."""

    title: str
    headers: list[str]
    rows: list[tuple]
    widths: list[float]
    size: int = 12


def annex_tables(report: Consolidated, steps: Steps | None = None) -> list[Annex]:
    """The annexes' rows (I reported figures, II system figures, III national groups, IV by agency,
    V who reported when), those the report has."""
    steps = steps or Steps.quiet()
    headers = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Cùng kỳ năm trước", "So với cùng kỳ (%)"]
    widths = [1.3, 11.5, 2.7, 3.5, 3.5, 3.2]
    builders = []
    if report.reported:
        builders.append(
            lambda: Annex(
                "Tổng hợp số liệu báo cáo của các đơn vị", headers, _figure_rows(report.reported), widths
            )
        )
    if report.system:
        builders.append(
            lambda: Annex(
                "Số liệu vụ việc, kiểm tra và tin báo trên hệ thống",
                headers,
                _figure_rows(report.system),
                widths,
            )
        )
    if report.groups:

        def groups():
            rows, i = [], 0
            for r in grouped_rows(report):
                if not r.indent:
                    i += 1
                label = f"- {r.label}" if r.indent else (r.label, True)
                rows.append(
                    (
                        "" if r.indent else str(i),
                        label,
                        "Vụ",
                        num(r.value),
                        num(r.last_year),
                        pct(r.change_pct),
                    )
                )
            return Annex("Kết quả theo nhóm hành vi vi phạm", headers, rows, widths)

        builders.append(groups)
    if report.by_agency:

        def by_agency():
            cols = report.agency_columns
            rows = [
                (str(i), str(r["agency"]), *[num(v) for v in r["values"]])
                for i, r in enumerate(report.by_agency, start=1)
            ]
            return Annex(
                "Kết quả theo cơ quan, đơn vị",
                ["STT", "Cơ quan, đơn vị", *[label for _c, label in cols]],
                rows,
                [1.2, 7.0] + [round(17.5 / len(cols), 2)] * len(cols),
                size=11,
            )

        builders.append(by_agency)
    if report.board:

        def board():
            rows = []
            for i, r in enumerate(report.board["rows"], start=1):
                sent = r["submission"].sent_at if r["submission"] and r["reported"] else None
                sent_text = timezone.localtime(sent).strftime("%d/%m/%Y") if sent else "—"
                timing = (
                    "Đúng hạn"
                    if r["on_time"]
                    else (f"Chậm {r['days_late']} ngày" if r["reported"] else "Chưa gửi")
                )
                rows.append((str(i), str(r["agency"]), r["status_label"], sent_text, timing))
            return Annex(
                "Tình hình gửi báo cáo của các cơ quan, đơn vị",
                ["STT", "Cơ quan, đơn vị", "Trạng thái", "Ngày gửi", "Đúng hạn"],
                rows,
                [1.3, 11, 6, 3.5, 3.8],
                size=11,
            )

        builders.append(board)
    steps.start("tables", _("Bước 2/4: đang lập các bảng số liệu…"), units=len(builders))
    annexes = []
    for build in builders:
        annexes.append(build())
        steps.tick()
    return annexes


def _annexes(doc, report: Consolidated, annexes: list[Annex], steps: Steps):
    _annex_section(doc)
    roman = ["I", "II", "III", "IV", "V"]
    for n, annex in enumerate(annexes):
        _annex_title(doc, report, roman[n], annex.title, first=n == 0)
        _table(doc, annex.headers, annex.rows, annex.widths, size=annex.size)
        steps.tick()


# --- XLSX -------------------------------------------------------------------------------------


def build_xlsx(report: Consolidated, steps: Steps | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    steps = steps or Steps.quiet()
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(ws, title_rows, headers, rows, widths):
        for line in title_rows:
            spreadsheet.append(ws, [line])
            ws.cell(ws.max_row, 1).font = bold
        ws.append([])
        spreadsheet.append(ws, headers)
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            spreadsheet.append(ws, row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, float):
                    cell.number_format = "0.0"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = ws.cell(len(title_rows) + 3, 1)

    title = [
        f"Báo cáo tổng hợp — {report.province}",
        f"{report.title}: từ {report.date_from:%d/%m/%Y} đến {report.date_to:%d/%m/%Y}",
    ]
    headers = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ báo cáo", "Cùng kỳ năm trước", "So với cùng kỳ (%)"]

    def fig_rows(rows):
        return [
            (i, r.label, "Đồng" if r.unit == "vnd" else "Số lượng", r.value, r.last_year, r.change_pct)
            for i, r in enumerate(rows, start=1)
        ]

    # Step 2: each sheet's (name, title rows, headers, rows, widths), built before any is written.
    builders = [
        lambda: (
            "Tổng hợp",
            title
            + [
                "Nguồn: báo cáo đã tiếp nhận của các đơn vị" if report.reported else "Nguồn: số liệu hệ thống"
            ],
            headers,
            fig_rows(report.reported or report.system),
            [6, 60, 12, 18, 18, 16],
        )
    ]
    if report.reported and report.system:
        builders.append(
            lambda: ("Số liệu hệ thống", title, headers, fig_rows(report.system), [6, 60, 12, 18, 18, 16])
        )
    if report.groups:
        builders.append(
            lambda: (
                "Nhóm vi phạm",
                title,
                ["Nhóm / loại vi phạm", "Số vụ", "Cùng kỳ", "So với cùng kỳ (%)"],
                [
                    (f"  - {r.label}" if r.indent else r.label, r.value, r.last_year, r.change_pct)
                    for r in grouped_rows(report)
                ],
                [60, 12, 12, 16],
            )
        )
    if report.by_agency:
        builders.append(
            lambda: (
                "Theo đơn vị",
                title,
                ["Mã", "Cơ quan, đơn vị", *[lbl for _c, lbl in report.agency_columns]],
                [(r["agency"].code, str(r["agency"]), *r["values"]) for r in report.by_agency],
                [14, 40] + [18] * len(report.agency_columns),
            )
        )
    if report.board:

        def board():
            rows = []
            for r in report.board["rows"]:
                sent = r["submission"].sent_at if r["submission"] and r["reported"] else None
                rows.append(
                    (
                        r["agency"].code,
                        str(r["agency"]),
                        r["status_label"],
                        timezone.localtime(sent).strftime("%d/%m/%Y") if sent else "",
                        "x" if r["on_time"] else "",
                        r["days_late"],
                    )
                )
            t = report.board["totals"]
            return (
                "Tình hình báo cáo",
                title
                + [
                    f"Đầy đủ: {t['reported']}/{t['expected']} ({pct_plain(t['completeness'])}); "
                    f"đúng hạn: {t['on_time']}/{t['expected']} ({pct_plain(t['timeliness'])})"
                ],
                ["Mã", "Cơ quan, đơn vị", "Trạng thái", "Ngày gửi", "Đúng hạn", "Số ngày chậm"],
                rows,
                [14, 40, 28, 12, 10, 12],
            )

        builders.append(board)
    steps.start("tables", _("Bước 2/4: đang lập các bảng số liệu…"), units=len(builders))
    specs = []
    for build in builders:
        specs.append(build())
        steps.tick()
    # Step 3: the sheets are written.
    steps.start("render", _("Bước 3/4: đang ghi các trang tính…"), units=len(specs))
    for i, (name, title_rows, head, rows, widths) in enumerate(specs):
        ws = wb.active if i == 0 else wb.create_sheet(name)
        ws.title = name
        sheet(ws, title_rows, head, rows, widths)
        steps.tick()
    steps.start("save", _("Bước 4/4: đang lưu tệp…"), units=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- as background jobs (core.exports)


def _build_job(user, params, out, fmt, progress):
    import datetime as dt

    from canhgiac.core.policy import visible_to
    from canhgiac.reporting import services
    from canhgiac.reporting.models import Period

    steps = Steps(progress, [("gather", 60), ("tables", 10), ("render", 25), ("save", 5)])
    if params.get("period"):
        period = visible_to(user, Period.objects.select_related("form")).get(pk=params["period"])
        name, content_type, content = services.export_report(user, fmt=fmt, period=period, steps=steps)
    else:
        name, content_type, content = services.export_report(
            user,
            fmt=fmt,
            date_from=dt.date.fromisoformat(params["date_from"]),
            date_to=dt.date.fromisoformat(params["date_to"]),
            steps=steps,
        )
    out.write(content)
    steps.tick()  # saved: the job is done once the runner has put the file in place
    return name, content_type


@exporter("reporting.docx")
def build_docx_job(user, params, out, progress):
    return _build_job(user, params, out, "docx", progress)


@exporter("reporting.xlsx")
def build_xlsx_job(user, params, out, progress):
    return _build_job(user, params, out, "xlsx", progress)
