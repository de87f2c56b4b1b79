"""Synthetic subject records: four agencies writing the same people and companies, each its own way.

Used by bench/subjects_generator.py and bench/subjects_er.py (quality and scale) and by the tests.
Every record carries its true identity (`true_id`), so pairwise precision and recall can be
measured. The realities: dropped diacritics, upper case, typos, company forms ("Cty", "Công ty
TNHH", "CÔNG TY TRÁCH NHIỆM HỮU HẠN", "TM DV"), household businesses ("HKD …", "Hộ kinh doanh …"),
Ê Đê and other minority names ("H'Hen Niê", "H' Hen Niê", "Hhen Nie"), middle names dropped or
cut to an initial, a year of birth alone, dates as dd/mm/yyyy or ISO, phones as "0912 345 678",
"+84912345678" or "0912.345.678", a citizen ID or the old 9-digit card, identifiers missing or
mistyped. The traps: namesakes in the same commune born a year or two apart, households sharing an
address and a phone, people who changed phones, common names shared by different people, a branch
(tax code "-001") that is not its head office.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 2),
    ("Phan", 4.5),
    ("Vũ", 2),
    ("Võ", 2),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 0.7),
    ("Trương", 0.6),
    ("Lâm", 0.5),
    ("Mai", 0.5),
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Xuân", "Ngọc", "Đình"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Thùy", "Mỹ", "Hồng", "Phương"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Hải",
    "Nam",
    "Long",
    "Sơn",
    "Thắng",
    "Tâm",
    "Phúc",
    "Quang",
    "Khánh",
    "Trung",
    "Hiếu",
    "Đạt",
    "Huy",
    "Tài",
    "Lộc",
    "Bình",
    "Cường",
    "Vinh",
    "Toàn",
    "Thành",
]
GIVEN_F = [
    "Lan",
    "Hoa",
    "Hương",
    "Mai",
    "Linh",
    "Trang",
    "Hằng",
    "Nga",
    "Thủy",
    "Yến",
    "Phượng",
    "Oanh",
    "Hạnh",
    "Loan",
    "Thảo",
    "Nhung",
    "Vân",
    "Hà",
    "Ngọc",
    "Dung",
    "Huyền",
    "Tuyết",
    "Liên",
    "Chi",
]
EDE_FAMILY = ["Niê", "Êban", "Mlô", "Byă", "Ktla", "Adrơng", "Ayŭn", "Knul", "Hwing", "Êya"]
EDE_F = ["Hen", "Bia", "Yim", "Nhi", "Ly", "Luyện", "Duin", "Hiên", "Mai", "Ngơn"]
EDE_M = ["Blốk", "Bhin", "Sơn", "Thuyn", "Kông", "Jut", "Yông", "Ngông", "Krông", "Dhăm"]
COMPANY_WORDS = [
    "Hoàng Long",
    "Phú Quý",
    "Tân Phát",
    "Minh Anh",
    "Đại Thành",
    "Hưng Thịnh",
    "An Khang",
    "Thành Đạt",
    "Việt Hàn",
    "Tây Nguyên",
    "Ban Mê",
    "Kim Ngân",
    "Phát Lộc",
    "Sao Mai",
    "Hồng Phúc",
    "Nam Việt",
    "Đông Á",
    "Bảo Ngọc",
    "Trường Sơn",
    "Cao Nguyên",
]
COMPANY_TRADE = ["Thương mại", "Thương mại Dịch vụ", "Xuất nhập khẩu", "Sản xuất Thương mại", ""]
STREETS = [
    "Lê Duẩn",
    "Phan Bội Châu",
    "Nguyễn Tất Thành",
    "Hùng Vương",
    "Lý Thường Kiệt",
    "Y Jut",
    "Ngô Quyền",
    "Trần Phú",
    "Hai Bà Trưng",
    "Mai Hắc Đế",
    "Giải Phóng",
    "Quang Trung",
]
AGENCIES = ("QLTT", "CA", "THUE", "HQ")


def _strip(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    op = rng.random()
    if op < 0.4:
        return text[:i] + text[i + 1 :]
    if op < 0.7 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiounhtc") + text[i + 1 :]


def _digits_typo(rng: random.Random, digits: str) -> str:
    i = rng.randrange(len(digits))
    return digits[:i] + str((int(digits[i]) + rng.randint(1, 9)) % 10) + digits[i + 1 :]


def _mst(rng: random.Random) -> str:
    """A 10-digit tax code with a valid check digit (vn.mst's weights)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        body = "6" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        check = 10 - sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:
            return body + str(check)


def _phone(rng: random.Random) -> str:
    return rng.choice(["09", "03", "08", "07"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _write_phone(rng: random.Random, phone: str) -> str:
    style = rng.random()
    if style < 0.3:
        return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    if style < 0.5:
        return "+84" + phone[1:]
    if style < 0.7:
        return f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"
    return phone


def people(n: int, units: list[str], seed: int = 389) -> list[dict]:
    """`n` true identities (about 80 % persons, 20 % organisations), with the traps built in."""
    rng = random.Random(seed)
    families = [f for f, _w in FAMILY]
    weights = [w for _f, w in FAMILY]
    out: list[dict] = []
    while len(out) < n:
        i = len(out)
        unit = rng.choice(units)
        address = f"{rng.randint(1, 300)} {rng.choice(STREETS)}"
        if rng.random() < 0.8:
            female = rng.random() < 0.5
            if rng.random() < 0.1:
                given = rng.choice(EDE_F if female else EDE_M)
                name = (
                    f"{'H' if female else 'Y'}'{given} {rng.choice(EDE_FAMILY)}"
                    if female
                    else f"Y {given} {rng.choice(EDE_FAMILY)}"
                )
                minority = True
            else:
                family = rng.choices(families, weights)[0]
                middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
                name = f"{family} {middle} {rng.choice(GIVEN_F if female else GIVEN_M)}"
                minority = False
            birth = dt.date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
            person = {
                "true_id": i,
                "kind": "person",
                "name": name,
                "minority": minority,
                "birth": birth,
                "cccd": "066" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                "cmnd": "24" + "".join(str(rng.randint(0, 9)) for _ in range(7)),
                "phones": [_phone(rng)],
                "address": address,
                "unit": unit,
            }
            if rng.random() < 0.15:
                person["phones"].append(_phone(rng))  # changed phones
            if rng.random() < 0.1:
                person["moved_to"] = f"{rng.randint(1, 300)} {rng.choice(STREETS)}"  # moved house
            out.append(person)
            trap = rng.random()
            if trap < 0.06 and len(out) < n:
                # a namesake in the same commune, born a year or two later
                twin = dict(
                    person,
                    true_id=len(out),
                    birth=birth.replace(year=birth.year + rng.choice((1, 2))),
                    cccd="066" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                    cmnd="24" + "".join(str(rng.randint(0, 9)) for _ in range(7)),
                    phones=[_phone(rng)],
                    address=f"{rng.randint(1, 300)} {rng.choice(STREETS)}",
                )
                out.append(twin)
            elif trap < 0.16 and len(out) < n and not minority:
                # a household: spouse or sibling at the same address with the same phone
                family = name.split()[0]
                female2 = not female
                member = {
                    "true_id": len(out),
                    "kind": "person",
                    "minority": False,
                    "name": f"{family if rng.random() < 0.5 else rng.choices(families, weights)[0]} "
                    f"{rng.choice(MIDDLE_F if female2 else MIDDLE_M)} {rng.choice(GIVEN_F if female2 else GIVEN_M)}",
                    "birth": dt.date(birth.year + rng.randint(-4, 4), rng.randint(1, 12), rng.randint(1, 28)),
                    "cccd": "066" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                    "cmnd": "24" + "".join(str(rng.randint(0, 9)) for _ in range(7)),
                    "phones": [person["phones"][0]],
                    "address": address,
                    "unit": unit,
                }
                out.append(member)
        else:
            words = rng.choice(COMPANY_WORDS)
            if rng.random() < 0.25:
                owner = f"{rng.choices(families, weights)[0]} {rng.choice(MIDDLE_M + MIDDLE_F)} {rng.choice(GIVEN_M + GIVEN_F)}"
                org = {
                    "true_id": i,
                    "kind": "organization",
                    "form": "hkd",
                    "core": owner,
                    "trade": "",
                    "tax": _mst(rng) if rng.random() < 0.5 else "",
                    "phones": [_phone(rng)],
                    "address": address,
                    "unit": unit,
                }
            else:
                org = {
                    "true_id": i,
                    "kind": "organization",
                    "form": rng.choice(["tnhh", "tnhh", "cp"]),
                    "core": words
                    + (
                        f" {rng.choice(['Đắk Lắk', 'Miền Trung', 'Sài Gòn', '389', 'Xanh'])}"
                        if rng.random() < 0.6
                        else ""
                    ),
                    "trade": rng.choice(COMPANY_TRADE),
                    "tax": _mst(rng),
                    "phones": [_phone(rng)],
                    "address": address,
                    "unit": unit,
                }
            out.append(org)
            if org["tax"] and org["form"] != "hkd" and rng.random() < 0.05 and len(out) < n:
                # a branch: its own tax code (head office + -001), not the head office
                out.append(
                    dict(
                        org,
                        true_id=len(out),
                        tax=org["tax"] + "-001",
                        branch=True,
                        phones=[_phone(rng)],
                        address=f"{rng.randint(1, 300)} {rng.choice(STREETS)}",
                    )
                )
    return out[:n]


def _org_name(rng: random.Random, org: dict) -> str:
    trade = org["trade"]
    if org["form"] == "hkd":
        return rng.choice(["Hộ kinh doanh ", "HKD ", "hộ kinh doanh "]) + org["core"]
    form = {
        "tnhh": [
            "Công ty TNHH",
            "Cty TNHH",
            "CÔNG TY TRÁCH NHIỆM HỮU HẠN",
            "Công ty Trách nhiệm hữu hạn",
            "Cty",
        ],
        "cp": ["Công ty Cổ phần", "Cty CP", "CTCP", "Công ty CP"],
    }[org["form"]]
    if trade and rng.random() < 0.3:
        trade = {
            "Thương mại": "TM",
            "Thương mại Dịch vụ": "TM DV",
            "Xuất nhập khẩu": "XNK",
            "Sản xuất Thương mại": "SX TM",
        }.get(trade, trade)
    elif rng.random() < 0.2:
        trade = ""  # the trade words left out
    name = " ".join(x for x in (rng.choice(form), trade, org["core"]) if x)
    if org.get("branch"):
        name = "Chi nhánh " + name
    return name


def _person_name(rng: random.Random, person: dict) -> str:
    name = person["name"]
    if person["minority"]:
        r = rng.random()
        if r < 0.25:
            name = name.replace("'", "' ")
        elif r < 0.45:
            name = name.replace("'", "").replace("Y ", "Y")
    else:
        parts = name.split()
        r = rng.random()
        if r < 0.08:
            name = f"{parts[0]} {parts[-1]}"  # middle name dropped
        elif r < 0.16:
            name = f"{parts[0]} {parts[1][0]}. {parts[-1]}"  # cut to an initial
    return name


def records(
    identities: list[dict], seed: int = 389, agencies=AGENCIES, mean_agencies: float = 2.0
) -> list[dict]:
    """Each identity written by one to four agencies (about `mean_agencies` on average), each
    record as that agency's officer typed it. Returns import rows plus `agency` and `true_id`."""
    rng = random.Random(seed + 1)
    out = []
    counters = {a: 0 for a in agencies}
    p_more = (mean_agencies - 1) / 3
    for ident in identities:
        n = 1 + sum(rng.random() < p_more for _ in range(3))
        for agency in rng.sample(list(agencies), min(n, len(agencies))):
            counters[agency] += 1
            row = {
                "source_ref": f"{agency}-{counters[agency]:07d}",
                "agency": agency,
                "true_id": ident["true_id"],
                "kind": ident["kind"],
                "birth_date": "",
                "id_number": "",
                "tax_code": "",
                "phone": "",
                "address": "",
                "unit_code": "",
            }
            if ident["kind"] == "person":
                name = _person_name(rng, ident)
                r = rng.random()
                if r < 0.5:
                    row["birth_date"] = (
                        ident["birth"].strftime("%d/%m/%Y")
                        if rng.random() < 0.7
                        else ident["birth"].isoformat()
                    )
                elif r < 0.8:
                    row["birth_date"] = str(ident["birth"].year)
                r = rng.random()
                if r < 0.45:
                    row["id_number"] = ident["cccd"]
                elif r < 0.6:
                    row["id_number"] = ident["cmnd"]
                if row["id_number"] and rng.random() < 0.04:
                    row["id_number"] = _digits_typo(rng, row["id_number"])
            else:
                name = _org_name(rng, ident)
                if ident["tax"] and rng.random() < 0.75:
                    row["tax_code"] = ident["tax"]
                    if rng.random() < 0.03:
                        row["tax_code"] = _digits_typo(rng, row["tax_code"][:10]) + row["tax_code"][10:]
            r = rng.random()
            if r < 0.2:
                name = _strip(name)
            elif r < 0.35:
                name = name.upper()
            elif r < 0.45:
                name = _strip(name).upper()
            if rng.random() < 0.1:
                name = _typo(rng, name)
            row["name"] = name
            if rng.random() < 0.65:
                row["phone"] = _write_phone(rng, rng.choice(ident["phones"]))
            if rng.random() < 0.6:
                address = ident["address"]
                if ident.get("moved_to") and rng.random() < 0.5:
                    address = ident["moved_to"]
                if rng.random() < 0.3:
                    address = _strip(address)
                row["address"] = address
            if rng.random() < 0.8:
                row["unit_code"] = ident["unit"]
            out.append(row)
    return out


def pairs_of(labels: dict) -> set[tuple]:
    """Every unordered pair of keys sharing a label."""
    groups: dict = {}
    for key, label in labels.items():
        groups.setdefault(label, []).append(key)
    out = set()
    for members in groups.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                out.add((a, b))
    return out


def pairwise(truth: dict, found: dict) -> dict:
    """Pairwise precision, recall and F1 of `found` clusters against `truth` (both key → label)."""
    true_pairs, found_pairs = pairs_of(truth), pairs_of(found)
    tp = len(true_pairs & found_pairs)
    precision = tp / len(found_pairs) if found_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": len(true_pairs),
        "found_pairs": len(found_pairs),
        "tp": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
