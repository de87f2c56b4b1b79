"""The standard 389 report form (version 1), the national groups and their default mapping.

Loaded by `canhgiac setup` (idempotent). Indicator codes match the figure sources in sources.py.
"""

# code, label, unit, disaggregation, parent code, required
STANDARD_INDICATORS = [
    ("cases", "Số vụ việc phát hiện, xử lý", "count", "violation_type", "", True),
    ("goods_value_vnd", "Trị giá hàng hóa vi phạm", "vnd", "", "", True),
    ("fines_vnd", "Tiền xử phạt vi phạm hành chính", "vnd", "", "", True),
    ("budget_revenue_vnd", "Tổng thu nộp ngân sách nhà nước (đã gồm tiền phạt)", "vnd", "", "", True),
    (
        "other_revenue_vnd",
        "Thu khác nộp ngân sách nhà nước, ngoài tiền phạt (truy thu thuế, bán hàng tịch thu…)",
        "vnd",
        "",
        "budget_revenue_vnd",
        True,
    ),
    ("criminal_cases", "Số vụ khởi tố hình sự", "count", "", "cases", True),
    ("defendants", "Số bị can bị khởi tố", "count", "", "", True),
    ("inspections_planned", "Số cuộc thanh tra, kiểm tra theo kế hoạch", "count", "", "", True),
    ("inspections_done", "Số cuộc thanh tra, kiểm tra đã thực hiện", "count", "", "", True),
    ("tips_received", "Số tin báo, tố giác, phản ánh tiếp nhận", "count", "", "", True),
    ("tips_accepted", "Số tin báo được thụ lý", "count", "", "tips_received", True),
    ("tips_resolved", "Số tin báo đã giải quyết (kể cả tin thụ lý kỳ trước)", "count", "", "", True),
    ("commitments_signed", "Số bản cam kết được ký", "count", "", "", False),
    ("plan_tasks_total", "Số nhiệm vụ được giao theo Kế hoạch", "count", "", "", False),
    ("plan_tasks_done_on_time", "Nhiệm vụ hoàn thành đúng hạn", "count", "", "plan_tasks_total", False),
    ("plan_tasks_done_late", "Nhiệm vụ hoàn thành quá hạn", "count", "", "plan_tasks_total", False),
    ("plan_tasks_in_progress", "Nhiệm vụ đang thực hiện trong hạn", "count", "", "plan_tasks_total", False),
    ("plan_tasks_overdue", "Nhiệm vụ quá hạn chưa hoàn thành", "count", "", "plan_tasks_total", False),
]

# What each indicator includes, shown under it in the report form (issue 11: no figure twice).
INDICATOR_HELP = {
    "cases": "Vụ việc phát hiện trong kỳ (theo ngày phát hiện), mỗi vụ tính một lần theo hành vi vi phạm chính.",
    "goods_value_vnd": "Tổng trị giá các dòng hàng hóa vi phạm của các vụ việc phát hiện trong kỳ.",
    "fines_vnd": "Tiền phạt ghi trong quyết định xử phạt vi phạm hành chính của các vụ việc phát hiện trong kỳ.",
    "budget_revenue_vnd": (
        "Tổng số đã nộp ngân sách nhà nước của các vụ việc, đã gồm tiền phạt đã nộp và các khoản thu khác; "
        "không cộng thêm tiền phạt hay thu khác vào số này."
    ),
    "other_revenue_vnd": (
        "Phần thu nộp ngân sách ngoài tiền phạt: với từng vụ việc, tổng thu nộp ngân sách trừ tiền phạt "
        "(không âm). Là một phần của tổng thu nộp ngân sách; không gồm tiền phạt."
    ),
    "criminal_cases": (
        "Vụ việc có kết quả xử lý là khởi tố hình sự; là một phần của số vụ việc. Tỷ lệ khởi tố = số vụ "
        "khởi tố ÷ số vụ có dấu hiệu tội phạm (mục tiêu 100%)."
    ),
    "defendants": "Tổng số bị can bị khởi tố của các vụ việc phát hiện trong kỳ.",
    "tips_received": "Tin báo, tố giác, phản ánh tiếp nhận trong kỳ.",
    "tips_accepted": (
        "Tin báo tiếp nhận trong kỳ đã được thụ lý. Tỷ lệ thụ lý = số tin thụ lý ÷ số tin tiếp nhận "
        "trong kỳ (mục tiêu 100%)."
    ),
    "tips_resolved": (
        "Tin báo giải quyết xong trong kỳ, kể cả tin thụ lý từ các kỳ trước. Tỷ lệ giải quyết = số tin "
        "giải quyết ÷ số tin phải giải quyết (thụ lý trong kỳ và kỳ trước chuyển sang; mục tiêu trên 90%)."
    ),
}

# code, title, required
STANDARD_SECTIONS = [
    ("situation", "Tình hình buôn lậu, gian lận thương mại, hàng giả và xâm phạm quyền sở hữu trí tuệ", True),
    ("results", "Kết quả thực hiện nhiệm vụ", True),
    ("shortcomings", "Tồn tại, hạn chế và nguyên nhân", True),
    ("next_tasks", "Nhiệm vụ trọng tâm kỳ tới", True),
    ("proposals", "Đề xuất, kiến nghị", False),
]

STANDARD_FORM_CODE = "bcd389"
STANDARD_FORM_NAME = "Báo cáo kết quả công tác đấu tranh chống buôn lậu, gian lận thương mại và hàng giả"

# The three groups that national 389 reports use, with the default mapping of violation types.
NATIONAL_GROUPS = [
    (
        1,
        "Buôn lậu, vận chuyển trái phép hàng hóa qua biên giới",
        ["smuggling", "illegal_transport", "prohibited_goods"],
    ),
    (
        2,
        "Gian lận thương mại, gian lận thuế",
        ["trade_fraud", "tax_fraud", "unknown_origin", "substandard", "false_advertising", "other"],
    ),
    (3, "Hàng giả, xâm phạm quyền sở hữu trí tuệ", ["counterfeit", "ip_infringement"]),
]

# The reviews the 2026–2030 plan schedules on online selling (seed 004; issue 15, item 6), each a
# report form of its own whose indicators the online app pre-fills (sources.py, `online_*`).
# 7.3: the quarterly review of false advertising that misleads the people (SVHTTDL and the sectors
# concerned report to the Standing Office); 7.11: the monthly review of false claims about the
# standards and quality of goods that each sector sends to SVHTTDL.
ONLINE_REVIEW_INDICATORS = [
    ("online_reviewed", "Số tin đăng bán hàng trên mạng đã rà soát, kết luận", "count", "", "", True),
    ("online_flagged", "Số tin đăng bị gắn cờ rủi ro", "count", "", "", True),
    (
        "online_false_claims",
        "Số tin đăng quảng cáo sai sự thật (công dụng chữa bệnh, chất lượng)",
        "count",
        "",
        "online_flagged",
        True,
    ),
    ("online_takedowns", "Số yêu cầu gỡ bỏ gửi nền tảng", "count", "", "", True),
    ("online_warnings", "Số người bán bị cảnh báo", "count", "", "", True),
    ("online_cases", "Số vụ việc lập từ tin đăng", "count", "", "", True),
]

ONLINE_REVIEW_HELP = {
    "online_reviewed": "Tin đăng đã có kết luận (cảnh báo, yêu cầu gỡ bỏ, lập vụ việc, không vi phạm) trong kỳ.",
    "online_flagged": "Tin đăng ghi nhận trong kỳ có điểm rủi ro từ ngưỡng gắn cờ trở lên.",
    "online_false_claims": "Trong số tin bị gắn cờ: tin quảng cáo công dụng chữa bệnh, thay thế thuốc, hoặc công bố sai về chất lượng (chứng nhận FDA, GMP, ISO chưa kiểm chứng, “100% tự nhiên”, “số 1”, giải thưởng, “chính hãng” không có số đăng ký, “nhập khẩu” trái với xuất xứ).",
    "online_takedowns": "Yêu cầu gỡ bỏ gửi nền tảng trong kỳ.",
    "online_warnings": "Tin đăng đã gửi cảnh báo người bán, theo ngày kết luận.",
    "online_cases": "Tin đăng đã chuyển thành vụ việc, theo ngày kết luận.",
}

ONLINE_REVIEW_SECTIONS = [
    ("findings", "Kết quả rà soát, kiểm tra", True),
    ("handling", "Kết quả xử lý vi phạm", True),
    ("proposals", "Đề xuất, kiến nghị", False),
]

# code, name, note (who reports to whom, how often), recipient agency code ("" = Standing Office)
ONLINE_REVIEW_FORMS = [
    (
        "online_qc_quy",
        "Báo cáo đánh giá rà soát quảng cáo sai sự thật (định kỳ theo quý)",
        "Kế hoạch 2026–2030, mục 7.3: các sở, ngành báo cáo Cơ quan Thường trực Ban Chỉ đạo 389 theo quý.",
        "",
    ),
    (
        "online_cl_thang",
        "Báo cáo rà soát, kiểm tra công bố thông tin sai sự thật về tiêu chuẩn, chất lượng hàng hóa (hằng tháng)",
        "Kế hoạch 2026–2030, mục 7.11: các sở, ngành báo cáo Sở Văn hóa, Thể thao và Du lịch hằng tháng.",
        "SVHTTDL",
    ),
]
