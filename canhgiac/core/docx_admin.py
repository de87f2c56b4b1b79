"""Word documents in the Vietnamese administrative format (Decree 30/2020/NĐ-CP, Appendix I):
Times New Roman, the issuing body top-left (parent body regular, issuing body bold, a short rule
under it, "Số: …"), the national motto top-right with a rule under it and the place-and-date line
in italics. Shared by every DOCX export (plans, reporting)."""

from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def set_font(run, size=14, bold=None, italic=None):
    run.font.name = FONT
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def para(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    align=None,
    indent=True,
    before=0,
    after=6,
    line=1.15,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), line
    if align is not None:
        p.alignment = align
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = Cm(1)
    if text:
        set_font(p.add_run(text), size, bold, italic)
    return p


def rule_under(container, left_cm: float, right_cm: float):
    """A short horizontal rule under a centred line: an empty, indented 1 pt paragraph with a
    bottom border (its length = the cell or page width less the two indents)."""
    paragraph = para(container, "", size=1, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, line=Pt(2))
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(left_cm), Cm(right_cm)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, val in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), val)
    borders.append(bottom)
    ppr.append(borders)


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def set_widths(table, widths_cm):
    """Fixed column widths that Word and LibreOffice both honour (grid columns and every cell)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_cm, strict=True):
            tc.width = Cm(width)


def page_number_header(section):
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def date_line(place: str, day) -> str:
    if day is None:
        return f"{place}, ngày      tháng      năm {timezone.localdate().year}"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def admin_header(doc, *, parent: str, body: str, number: str, place: str, day, widths_cm=(6.0, 10.0)):
    """The two-column heading block: issuing body and number left, motto and place-date right.
    The file's author is the issuing body (not the library's default "python-docx")."""
    props = doc.core_properties
    props.author = props.last_modified_by = " ".join(body.split())
    props.comments = ""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, list(widths_cm))
    left, right = table.rows[0].cells
    c = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].alignment = c
    set_font(left.paragraphs[0].add_run(parent), 13)
    para(left, body, size=13, bold=True, align=c, after=0)
    rule_under(left, 2.0, 2.0)
    para(left, f"Số: {number}", size=13, align=c, before=6, after=0)
    right.paragraphs[0].alignment = c
    set_font(right.paragraphs[0].add_run(MOTTO[0]), 12.5, bold=True)
    para(right, MOTTO[1], size=13, bold=True, align=c, after=0)
    rule_under(right, 1.8, 1.8)
    para(right, date_line(place, day), size=14, italic=True, align=c, before=6, after=0)
    return table
