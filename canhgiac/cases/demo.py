"""Synthetic sample cases for `canhgiac demo`: a few hundred across agencies and communes."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from canhgiac.cases import services
from canhgiac.cases.models import Case, Inspection
from canhgiac.directory.models import Agency

# (violation type, goods category, description, unit, value per unit, lead agencies)
PATTERNS = [
    ("counterfeit", "cosmetics", "Kem trộn, mỹ phẩm giả nhãn hiệu", "hộp", 180_000, ["QLTT", "CA"]),
    (
        "counterfeit",
        "functional_food",
        "Thực phẩm bảo vệ sức khỏe giả",
        "hộp",
        350_000,
        ["QLTT", "CA", "SYT"],
    ),
    ("unknown_origin", "milk", "Sữa bột không rõ nguồn gốc", "hộp", 420_000, ["QLTT"]),
    ("unknown_origin", "food", "Bánh kẹo, thực phẩm không rõ nguồn gốc", "kg", 60_000, ["QLTT", "SYT"]),
    ("smuggling", "alcohol_tobacco", "Thuốc lá điếu nhập lậu", "bao", 25_000, ["BDBP", "HQ", "CA", "QLTT"]),
    ("smuggling", "fuel", "Xăng dầu vận chuyển trái phép", "lít", 22_000, ["BDBP", "CA"]),
    (
        "illegal_transport",
        "wildlife",
        "Động vật hoang dã vận chuyển trái phép",
        "kg",
        900_000,
        ["BDBP", "CA"],
    ),
    (
        "trade_fraud",
        "fertilizer",
        "Phân bón kém chất lượng ghi sai hàm lượng",
        "bao",
        450_000,
        ["QLTT", "SNNMT"],
    ),
    ("substandard", "pesticides", "Thuốc bảo vệ thực vật ngoài danh mục", "chai", 120_000, ["SNNMT", "QLTT"]),
    (
        "prohibited_goods",
        "drugs",
        "Thuốc tân dược không có giấy phép lưu hành",
        "hộp",
        150_000,
        ["SYT", "CA"],
    ),
    (
        "ip_infringement",
        "textiles_footwear",
        "Giày dép, túi xách giả mạo nhãn hiệu",
        "đôi",
        300_000,
        ["QLTT", "SKHCN"],
    ),
    ("ip_infringement", "electronics", "Phụ kiện điện thoại giả nhãn hiệu", "chiếc", 90_000, ["QLTT"]),
    ("tax_fraud", "other", "Hàng hóa bán không xuất hóa đơn", "lô", 15_000_000, ["THUE"]),
    (
        "false_advertising",
        "functional_food",
        "Quảng cáo thực phẩm chức năng như thuốc chữa bệnh",
        "hộp",
        250_000,
        ["SYT", "SVHTTDL"],
    ),
    ("counterfeit", "drugs", "Thuốc giả bán qua mạng xã hội", "hộp", 200_000, ["CA", "QLTT", "SYT"]),
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "H'",
    "Y",
    "Ksor",
    "Niê",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Thanh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Tuấn",
    "Vy",
]
SHOPS = ["Hộ kinh doanh %s", "Cửa hàng tạp hóa %s", "Công ty TNHH Thương mại %s", "Đại lý %s"]
PLATFORMS = [
    ("Facebook", "https://facebook.com/"),
    ("TikTok", "https://www.tiktok.com/@"),
    ("Shopee", "https://shopee.vn/"),
    ("Zalo", "https://zalo.me/"),
]


def _person(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _case_data(rng, today, agencies, communes, year_days):
    vtype, category, description, unit_name, price, leads = rng.choice(PATTERNS)
    lead = agencies.get(rng.choice(leads)) or agencies["QLTT"]
    commune = rng.choice(communes)
    if rng.random() < 0.15 and commune.code in agencies:
        lead = agencies[commune.code]  # the commune's People's Committee recorded it
    detected = today - dt.timedelta(days=rng.randint(0, year_days))
    quantity = rng.choice([5, 10, 20, 48, 60, 100, 150, 200, 500, 1200])
    value = quantity * price
    online = rng.random() < 0.3
    handling = rng.choices(
        ["administrative", "criminal", "transferred", "no_violation", "pending", ""],
        weights=[55, 6, 6, 4, 17, 12],
    )[0]
    fine = 0
    revenue = 0
    if handling == "administrative":
        fine = rng.choice([2, 5, 10, 15, 25, 40, 60]) * 1_000_000
        revenue = fine + (value if rng.random() < 0.5 else 0) // 10
    elif handling == "criminal":
        revenue = rng.choice([0, 20_000_000, 50_000_000])
    shop = rng.choice(SHOPS) % rng.choice(GIVEN + ["Phát Đạt", "Hưng Thịnh", "Tây Nguyên", "Ban Mê"])
    subjects = [
        {
            "kind": "organisation" if "Công ty" in shop else "person",
            "name": shop if "Công ty" in shop else _person(rng),
            "identifier": str(rng.randint(6_000_000_000, 6_099_999_999))
            if "Công ty" in shop
            else f"066{rng.randint(0, 999_999_999):09d}",
            "role": rng.choice(["owner", "seller"]),
        }
    ]
    if rng.random() < 0.3:
        subjects.append(
            {
                "kind": "person",
                "name": _person(rng),
                "role": "transporter",
                "identifier": f"066{rng.randint(0, 999_999_999):09d}",
            }
        )
    goods = [
        {
            "goods_category": category,
            "description": description,
            "quantity": quantity,
            "unit": unit_name,
            "value_vnd": value,
            "disposition": "confiscated" if handling in ("administrative", "criminal") else "",
        }
    ]
    platform = rng.choice(PLATFORMS) if online else None
    status = {"": rng.choice(["detected", "verifying"]), "pending": "handling"}.get(handling, "closed")
    return {
        "lead_agency_code": lead.code,
        "agency_ref": f"{lead.code}-{detected.year}-{rng.randint(1, 99_999):05d}",
        "detected_on": detected,
        "unit_code": commune.code,
        "address": f"Thôn {rng.randint(1, 12)}, {commune.name}",
        "violation_type": vtype,
        "summary": f"{description} tại {shop}" + (" (bán qua mạng)" if online else ""),
        "online_platform": platform[0] if platform else "",
        "online_url": f"{platform[1]}shop{rng.randint(1000, 9999)}" if platform else "",
        "status": status,
        "outcome": "" if handling == "pending" else handling,
        "decision_no": f"{rng.randint(1, 400)}/QĐ-XPHC" if handling == "administrative" else "",
        "decision_date": detected + dt.timedelta(days=rng.randint(3, 20))
        if handling == "administrative"
        else None,
        "issuing_body": str(lead) if handling == "administrative" else "",
        "fine_vnd": fine,
        "budget_revenue_vnd": revenue,
        "defendants": rng.randint(1, 4) if handling == "criminal" else 0,
        "visibility": rng.choices(["own", "all", "shared"], weights=[3, 6, 1])[0],
        "shared_with": ["CA", "SCT"],
        "sensitive": handling == "criminal" and rng.random() < 0.5,
        "goods": goods,
        "subjects": subjects,
    }


def load_demo(rng, stdout, count: int = 300) -> None:
    if Case.objects.filter(origin="demo").exists():
        stdout.write("  đã có vụ việc mẫu, bỏ qua")
        return
    today = timezone.localdate()
    agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
    for a in list(agencies.values()):
        if a.unit_id:
            agencies[a.unit.code] = a
    communes = [a.unit for a in Agency.objects.filter(kind=Agency.Kind.COMMUNE).select_related("unit")][:60]
    created = 0
    with transaction.atomic():
        for _i in range(count):
            data = _case_data(rng, today, agencies, communes, 540)
            data["origin"] = "demo"
            data["decision_date"] = min(data["decision_date"], today) if data["decision_date"] else None
            try:
                services.create_case(None, data)
            except Exception as exc:  # a clash of random agency refs: skip that one
                stdout.write(f"  bỏ qua một vụ mẫu: {exc}")
                continue
            created += 1
        inspectors = [agencies[c] for c in ("QLTT", "SYT", "SNNMT", "THUE") if c in agencies]
        for i in range(40):
            agency = rng.choice(inspectors)
            planned = today + dt.timedelta(days=rng.randint(-300, 90))
            done = planned <= today and rng.random() < 0.8
            services.save_inspection(
                None,
                {
                    "agency": agency,
                    "business_name": f"Cửa hàng {rng.choice(GIVEN)} {i % 15}",
                    "business_tax_code": f"60{i % 15:08d}",
                    "unit": rng.choice(communes),
                    "planned_on": planned,
                    "done_on": planned if done else None,
                    "status": Inspection.Status.DONE if done else Inspection.Status.PLANNED,
                    "purpose": "Kiểm tra nguồn gốc, xuất xứ hàng hóa",
                },
            )
        warnings = _demo_warnings()
    stdout.write(f"  {created} vụ việc mẫu, 40 cuộc kiểm tra, {warnings} cảnh báo công khai")


def _demo_warnings(limit: int = 4) -> int:
    """Publish a few anonymised warnings as the demo Standing Office coordinator."""
    from canhgiac.accounts.models import User

    coordinator = User.objects.filter(username="coordinator_sct").first()
    if coordinator is None:
        return 0
    published = 0
    seen_types = set()
    for case in (
        Case.objects.filter(origin="demo", outcome=Case.Outcome.ADMINISTRATIVE)
        .select_related("violation_type", "unit")
        .order_by("-detected_on")
    ):
        if case.violation_type_id in seen_types:
            continue
        seen_types.add(case.violation_type_id)
        services.save_warning(coordinator, dict(services.warning_draft(case), case=case), publish=True)
        published += 1
        if published >= limit:
            break
    return published
