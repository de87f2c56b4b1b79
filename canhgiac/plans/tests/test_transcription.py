"""The shipped Đắk Lắk plan against the appendix (seed 004), row by row, as `canhgiac setup` loads it.

The table below was read from the seed's appendix table: task code, lead agencies as codes
(the lead cell mapped per docs/plan-format.md), the deadline cell as printed, the expected result.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from canhgiac.plans.models import Task

MEMBERS, COMMUNES, BORDER = "ALL_MEMBERS", "COMMUNES", "BORDER_COMMUNES"
# Rows whose lead cell prints nothing: read as merged cells, flagged for the Standing Office.
MERGED_READINGS = ["6.3", "7.2", "7.3", "7.4", "7.5", "7.9"]
BOTH = [MEMBERS, COMMUNES]
REGULAR = "Thường xuyên"
QUARTERLY_AFTER = "02/2026 và định kỳ theo quý thực hiện sau khi hoàn thành nhiệm vụ sau tháng 02/2026"

# (code, lead codes, deadline as printed, expected output as printed)
APPENDIX = [
    (
        "1.1",
        BOTH,
        REGULAR,
        "- Báo cáo tổng hợp khó khăn, vướng mắc và đề xuất;\n- Văn bản góp ý các dự thảo Văn bản quy phạm pháp luật.",
    ),
    ("1.2", ["SYT"], "02/2026", "Báo cáo rà soát"),
    ("1.3", ["SNNMT"], "02/2026", "Báo cáo rà soát"),
    ("1.4", ["SVHTTDL"], "02/2026", "Báo cáo rà soát"),
    ("1.5", ["HQ", "THUE"], "02/2026", "Báo cáo rà soát"),
    ("1.6", ["CA"], "02/2026", "Báo cáo rà soát"),
    ("1.7", ["SKHCN"], "02/2026", "Báo cáo rà soát"),
    ("1.8", ["SXD"], "02/2026", "Báo cáo rà soát"),
    ("1.9", ["SCT"], "02/2026", "Báo cáo rà soát"),
    ("1.10", ["BCHQS"], "02/2026", "Báo cáo rà soát"),
    ("1.11", ["SNV"], "02/2026", "Báo cáo rà soát"),
    ("2.1", BOTH, REGULAR, "Kết luận giao ban"),
    ("2.2", [COMMUNES, "CA", "QLTT", "BDBP", "HQ"], REGULAR, "Hồ sơ nghiệp vụ"),
    ("2.3", [], REGULAR, "Văn bản chỉ đạo"),
    ("2.4", BOTH, "12/2025", "Kế hoạch"),
    ("3.1", BOTH, REGULAR, "Khóa đào tạo, Hội thảo, hội nghị"),
    ("3.2", BOTH, REGULAR, "Sổ tay, tài liệu hướng dẫn nghiệp vụ"),
    ("3.3", BOTH, REGULAR, "Văn bản cảnh báo, hướng dẫn nghiệp vụ"),
    ("3.4", BOTH, REGULAR, "Văn bản quán triệt"),
    ("3.5", BOTH, REGULAR, "Kế hoạch, chương trình thanh tra, kiểm tra"),
    ("4.1", BOTH, REGULAR, "Kế hoạch thanh tra, kiểm tra"),
    ("4.2", BOTH, REGULAR, "Kế hoạch thanh tra, kiểm tra"),
    ("4.3", BOTH, REGULAR, "Kế hoạch thanh tra, kiểm tra"),
    ("5.1", [MEMBERS], REGULAR, "Quy chế, quy định phối hợp"),
    ("6.1", ["SCT"], "2027", "Hệ thống cơ sở dữ liệu"),
    ("6.2", ["CA"], "2027", "Hệ thống cơ sở dữ liệu"),
    (
        "6.3",
        [],
        "Theo chỉ đạo của Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đối mới sáng tạo và chuyển đổi số",
        "Hệ thống cơ sở dữ liệu",
    ),
    ("6.4", ["STC"], "Thường xuyên/đột xuất", "Dự toán ngân sách"),
    ("7.1", ["BAO"], "2027", "Kênh chương trình, chuyên mục"),
    ("7.2", [], "Định kỳ, thường xuyên", "Nội dung chương trình"),
    ("7.3", [], "Định kỳ, thường xuyên", "Báo cáo"),
    ("7.4", [], "Định kỳ, thường xuyên", "Nội dung chương trình"),
    ("7.5", [], REGULAR, "Nội dung chương trình"),
    (
        "7.6",
        [MEMBERS],
        REGULAR,
        "Niêm yết số điện thoại đường dây nóng tại trụ sở và trên website của đơn vị.",
    ),
    ("7.7", ["SYT"], QUARTERLY_AFTER, "Bản cam kết"),
    ("7.8", ["SVHTTDL"], "Thường xuyên định kỳ", "Văn bản hướng dẫn, tuyên truyền"),
    ("7.9", [], QUARTERLY_AFTER, "Văn bản quán triệt"),
    (
        "7.10",
        ["SCT"],
        "02/2026 và định kỳ theo quý thực hiện đối với các sàn thương mại điện tử, mạng xã hội mới phát sinh sau thời điểm tháng 02/2026",
        "Bản cam kết",
    ),
    ("7.11", ["SVHTTDL"], "Định kỳ", "Báo cáo rà soát, kiểm tra"),
    ("8.1", BOTH, REGULAR, "Chương trình, kế hoạch"),
    ("8.2", ["CA"], REGULAR, "Thông báo thông tin đầu mối liên hệ"),
    ("8.3", [BORDER], REGULAR, "Chương trình, kế hoạch, thỏa thuận hợp tác"),
]
GROUP_SIZES = {"1": 11, "2": 4, "3": 5, "4": 3, "5": 1, "6": 4, "7": 11, "8": 3}
SEED = Path("/work/shared/seeds/004_20ed9f5f90139763.txt")


def test_setup_loads_the_appendix_whole(plan):
    assert [g.code for g in plan.groups.all()] == list(GROUP_SIZES)
    assert {g.code: g.tasks.count() for g in plan.groups.all()} == GROUP_SIZES
    assert list(plan.tasks.order_by("order").values_list("code", flat=True)) == [row[0] for row in APPENDIX]
    assert plan.owner_agency.code == "SCT" and plan.province.codename == "dak_lak"
    assert (plan.start, plan.end) == (dt.date(2025, 12, 1), dt.date(2030, 12, 31))


@pytest.mark.parametrize(("code", "lead", "deadline", "output"), APPENDIX, ids=[r[0] for r in APPENDIX])
def test_each_row_matches_the_seed(plan, code, lead, deadline, output):
    task = plan.tasks.get(code=code)
    assert sorted(task.lead_codes) == sorted(lead)
    assert task.deadline_text == deadline
    assert task.expected_output == output


@pytest.mark.parametrize(("code", "lead", "deadline", "output"), APPENDIX, ids=[r[0] for r in APPENDIX])
def test_each_row_is_led_by_the_agencies_of_its_codes(plan, code, lead, deadline, output):
    from canhgiac.directory.models import Agency

    task = plan.tasks.get(code=code)
    # "Các sở, ngành": departments and forces, not the Fatherland Front nor the press.
    members = set(
        Agency.objects.filter(province=plan.province)
        .exclude(kind__in=["commune", "mass"])
        .values_list("code", flat=True)
    )
    assert "MTTQ" not in members and "BAO" not in members and "CA" in members
    communes = set(
        Agency.objects.filter(province=plan.province, kind="commune").values_list("code", flat=True)
    )
    border = set(
        Agency.objects.filter(province=plan.province, kind="commune", unit__border=True).values_list(
            "code", flat=True
        )
    )
    expected = set()
    for c in lead:
        expected |= {MEMBERS: members, COMMUNES: communes, BORDER: border}.get(c, {c})
    assert set(task.lead_agencies.values_list("code", flat=True)) == expected


def test_the_goods_database_action_is_led_by_sct_and_due_in_2027(plan):
    task = plan.tasks.get(action__startswith="Xây dựng cơ sở dữ liệu về hàng hóa")
    assert list(task.lead_agencies.values_list("code", flat=True)) == ["SCT"]
    assert task.schedule_kind == Task.Kind.ONCE and task.due_date == dt.date(2027, 12, 31)
    assert list(task.checkpoints.values_list("due_date", flat=True)) == [dt.date(2027, 12, 31)]


def test_a_task_whose_lead_has_no_code_is_flagged_for_assignment(plan):
    flagged = plan.tasks.filter(needs_assignment=True).order_by("order")
    assert list(flagged.values_list("code", flat=True)) == ["2.3", *MERGED_READINGS]
    assert flagged.get(code="2.3").other_bodies == [
        "Cơ quan điều tra",
        "cơ quan được giao tiến hành một số hoạt động điều tra",
    ]
    assert not any(t.lead_agencies.exists() for t in flagged)


def test_merged_cell_readings_are_flagged_with_their_reading(plan):
    for code, merged_with in zip(MERGED_READINGS, ["6.2", "7.1", "7.1", "7.1", "7.1", "7.8"], strict=True):
        task = plan.tasks.get(code=code)
        assert task.needs_assignment and task.lead_text == "", code
        assert f"dòng {merged_with}" in task.lead_reading, code


def test_task_8_3_goes_only_to_the_communes_on_the_cambodian_border(plan):
    leads = plan.tasks.get(code="8.3").lead_agencies.all()
    names = sorted(a.unit.name for a in leads)
    assert names == ["Xã Buôn Đôn", "Xã Ea Bung", "Xã Ia Lốp", "Xã Ia Rvê"]


def test_the_plan_carries_the_decision_that_issued_it(plan):
    assert (plan.document_number, plan.document_date) == ("02490/QĐ-UBND", dt.date(2025, 12, 29))


def test_deadlines_become_checkpoints(plan):
    def dues(code):
        return list(plan.tasks.get(code=code).checkpoints.values_list("due_date", flat=True))

    assert dues("2.4") == [dt.date(2025, 12, 31)]
    assert dues("1.2") == [dt.date(2026, 2, 28)]
    # "Thường xuyên": checked at the yearly report to the Standing Office, 30/9 each year.
    assert dues("2.1") == [dt.date(y, 9, 30) for y in range(2026, 2031)]
    # "02/2026 và định kỳ theo quý": the first deadline, then every quarter end to the plan end.
    quarterly = dues("7.7")
    assert quarterly[:3] == [dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 6, 30)]
    assert quarterly[-1] == dt.date(2030, 12, 31) and len(quarterly) == 1 + 4 * 5 - 0
    # "Định kỳ theo tháng": every month end from 12/2025.
    monthly = dues("7.11")
    assert monthly[0] == dt.date(2025, 12, 31) and monthly[-1] == dt.date(2030, 12, 31) and len(monthly) == 61


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not in this checkout")
def test_every_action_and_deadline_is_printed_in_the_seed(plan):
    seed = _squash(SEED.read_text(encoding="utf-8"))
    for task in plan.tasks.all():
        # An action cell cut by a page break is checked piecewise: its first 80 characters.
        assert _squash(task.action)[:80] in seed, task.code
        if task.deadline_text:
            assert _squash(task.deadline_text) in seed, task.code


END_2026 = dt.date(2026, 12, 31)
# Lạng Sơn notice (seed 003), item by item: (code, lead codes from the item's heading, due dates).
NOTICE = [
    ("1.1", BOTH, [END_2026]),
    ("1.2", BOTH, [END_2026]),
    ("1.3", BOTH, [END_2026]),
    ("1.4", BOTH, [END_2026]),
    ("2.1", ["BDBP"], [END_2026]),
    ("2.2", ["HQ"], [END_2026]),
    ("2.3", ["CA"], [END_2026]),
    ("2.4", ["QLTT"], [END_2026]),
    ("2.5", ["THUE"], [END_2026]),
    ("2.6", ["SCT"], [END_2026]),
    ("2.7", ["BAO"], [END_2026]),
    ("2.8", [MEMBERS], [END_2026]),
    ("2.9.1", [COMMUNES], [END_2026]),
    ("2.9.2", [COMMUNES], [END_2026]),
    ("2.9.3", [COMMUNES], [dt.date(2026, 5, 30)]),
    # 2.10: "Cơ quan Thường trực Ban Chỉ đạo 389 tỉnh", which the notice names as the QLTT sub-department.
    ("2.10.1", ["QLTT"], [dt.date(2026, 5, 30)]),
    ("2.10.2", ["QLTT"], [END_2026]),
    ("2.10.3", ["QLTT"], [dt.date(2026, 5, 22)]),
    ("2.10.4", ["QLTT"], [dt.date(2026, 5, 25)]),
    ("2.10.5", ["QLTT"], [dt.date(2026, 5, 18)]),
]


def test_lang_son_notice_loads_with_qltt_as_standing_office(settings, db):
    """Lạng Sơn as a second province: its agencies keep the short codes, in their province."""
    from canhgiac.directory import services as directory
    from canhgiac.plans import loader

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    province = directory.setup_province("lang_son")
    result = loader.load_shipped(["lang_son"])[0]
    plan = result.plan
    assert plan.owner_agency.code == "QLTT" and plan.owner_agency.province == province
    assert (result.groups, result.tasks) == (2, 20)
    dues = {t.code: [c.due_date for c in t.checkpoints.all()] for t in plan.tasks.all()}
    assert dues["2.10.5"] == [dt.date(2026, 5, 18)]
    assert dues["2.10.3"] == [dt.date(2026, 5, 22)]
    assert dues["2.10.4"] == [dt.date(2026, 5, 25)]
    assert dues["2.10.1"] == [dt.date(2026, 5, 30)]
    assert list(plan.tasks.get(code="2.10.5").lead_agencies.values_list("code", flat=True)) == ["QLTT"]
    assert list(plan.tasks.get(code="2.1").lead_agencies.values_list("code", flat=True)) == ["BDBP"]
    assert set(plan.tasks.get(code="2.9.1").lead_agencies.values_list("kind", flat=True)) == {"commune"}
    assert [t.code for t in plan.tasks.order_by("order")] == [row[0] for row in NOTICE]
    for code, lead, due in NOTICE:
        t = plan.tasks.get(code=code)
        assert sorted(t.lead_codes) == sorted(lead), code
        assert dues[code] == due, code
        assert all(a.province_id == province.pk for a in t.lead_agencies.all()), code
    # 2.8 "các sở, ngành thành viên khác": the members other than the seven named in 2.1-2.7.
    named = {
        a.pk
        for t in plan.tasks.filter(code__in=[f"2.{i}" for i in range(1, 8)])
        for a in t.lead_agencies.all()
    }
    others = set(plan.tasks.get(code="2.8").lead_agencies.values_list("pk", flat=True))
    assert len(named) == 7 and others and not (others & named)
    assert not plan.tasks.get(code="2.8").lead_agencies.filter(kind="mass").exists()
