"""Risk scoring of online listings (issue 15, item 3): a score 0–100 and the reasons, in Vietnamese.

Pure functions on folded text (canhgiac.core.text.fold: lower case, no diacritics, "đ" → "d"), so a
seller who drops the diacritics ("hang xach tay khong hoa don") scores as one who writes them. The
database is read once per batch by the caller (`Context`): the registry's reference prices, the
sellers already in cases, flagged before, and the number of shops of each seller.

The rules and their weights (docs/online.md lists them with examples):

- counterfeit vocabulary ("rep 1:1", "super fake", "hàng F1", "like auth", "hàng nhái") — strong, 60;
  weak words on their own ("auth", "copy", "loại 1") 25. Honest uses are removed first: "fake đền
  gấp 10", "phát hiện fake hoàn tiền", "cam kết không bán hàng giả", "nói không với hàng nhái".
- smuggling vocabulary ("xách tay không hóa đơn", "nội địa Trung", "hàng lậu", "không tem nhập
  khẩu") 55; "xách tay" alone 15.
- health claims ("chữa khỏi", "đặc trị", "thay thế thuốc", "khỏi hẳn", "trị dứt điểm") 55 for
  drugs, food supplements, milk and cosmetics (from the category hint, or recognised in the
  text), 30 for other goods.
- missing registration number where the category (the hint) needs one: drugs 60 (flags by itself),
  cosmetics, food supplements, milk and medical devices 25 (adds to the score only).
- a price far below the registry's reference price for the product (matched by brand and name):
  under 50 % of it 40, under 30 % 55.
- the seller is a subject of a case: 20.
- the seller has several shops (accounts linked to one subject): 10.
- the seller was flagged before: a reason and +30 review priority, never the score or the flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from canhgiac.core.text import fold

DEFAULT_THRESHOLD = 50

STRONG_COUNTERFEIT = (
    r"rep\s*1\s*[:\-x]\s*1",
    r"rep\s*11\b",
    r"\brep\b",
    r"replica",
    r"super\s*fake",
    r"sieu\s*fake",
    r"hang\s*fake",
    r"\bfake\s*(loai\s*1|1|cao\s*cap|xin|chuan)",
    r"\bf1\b",
    r"like\s*auth",
    r"\blike\s*(chinh\s*hang|hang\s*hang)",
    r"copy\s*1\s*[:\-x]\s*1",
    r"hang\s*nhai",
    r"\bnhai\s*(hieu|thuong\s*hieu|y\s*het)",
    r"hang\s*gia\s*(cao\s*cap|loai\s*1|giong)",
    r"\bmirror\b",
    r"\bsf\b",
    r"hang\s*dap\s*hop",
    r"\bfake\b",
)
WEAK_COUNTERFEIT = (r"\bauth\b", r"\bcopy\b", r"\bloai\s*1\b", r"hang\s*tuon", r"\bvnxk\b")
# Honest shops use the same words; these phrases are removed before the vocabulary is searched.
HONEST = (
    r"(phat\s*hien|neu\s*la|neu|bat\s*duoc|check\s*ra)?\s*(hang\s*)?fake\s*(la\s*)?"
    r"(den|hoan|boi\s*thuong|xin\s*den|tra\s*lai|phat)\w*(\s*(gap|x)\s*\d+|\s*tien|\s*\d+\s*lan)?",
    r"(khong|ko|k|noi\s*khong\s*voi|cam\s*ket\s*khong|tuyet\s*doi\s*khong|khong\s*ban|chong)\s*"
    r"(ban\s*|phai\s*|co\s*|kinh\s*doanh\s*)?(hang\s*)?(fake|nhai|gia|rep|f1|copy|lau|tuon)\b"
    r"(\s*(,|va|hay|/|-)\s*(hang\s*)?(fake|nhai|gia|rep|f1|copy|lau|tuon)\b)*",
    r"(phan\s*biet|cach\s*nhan\s*biet|canh\s*giac\s*voi|tranh\s*mua|coi\s*chung)\s*(hang\s*)?"
    r"(that\s*(va\s*|-\s*)?)?(hang\s*)?(gia|fake|nhai)",
    r"(hang\s*)?(that|chinh\s*hang)\s*(va|hay|-|/)\s*(hang\s*)?(gia|fake|nhai)",
    r"check\s*(ma\s*)?auth",
    r"(100\s*%?\s*)?authentic",
    r"auth\s*(card|code|chinh\s*hang)",
)
SMUGGLING = (
    r"xach\s*tay\s*(khong|ko|k)\s*(co\s*)?(hoa\s*don|hd|giay\s*to|chung\s*tu)",
    r"(khong|ko|k)\s*(co\s*)?(hoa\s*don|hd)\s*(chung\s*tu|do|vat)?",
    r"noi\s*dia\s*(trung|tq|china)",
    r"hang\s*noi\s*dia\s*(trung|tq)",
    r"hang\s*lau",
    r"(khong|ko|k|chua)\s*(co\s*)?(tem|nhan\s*phu)\s*(nhap\s*khau|tieng\s*viet)?",
    r"hang\s*(bai|ve\s*theo\s*duong\s*tieu\s*ngach|tieu\s*ngach)",
    r"(tieu\s*ngach|qua\s*bien\s*gioi)",
    r"\bne\s*thue\b|tron\s*thue",
)
WEAK_SMUGGLING = (r"xach\s*tay",)
HONEST_SMUGGLING = (
    r"(?<!khong )(?<!ko )(?<!k )(?<!chua )\b(co|du|xuat|kem)\s*(day\s*du\s*)?(hoa\s*don|hd)",
    r"(?<!khong )(?<!ko )(?<!k )(?<!chua )\b(co|du)\s*(tem|nhan\s*phu)",
)
HEALTH_CLAIMS = (
    r"chua\s*khoi",
    r"khoi\s*(han|hoan\s*toan|100|benh|dut\s*diem|ngay)",
    r"dac\s*tri",
    r"thay\s*the\s*(hoan\s*toan\s*)?thuoc",
    r"tri\s*(dut\s*diem|tan\s*goc|khoi|bach\s*benh)",
    r"dut\s*diem",
    r"chua\s*(duoc\s*)?(ung\s*thu|tieu\s*duong|gout|xuong\s*khop|bach\s*benh)",
    r"(than\s*duoc|tien\s*duoc)",
    r"(khong\s*can|bo)\s*(uong\s*)?thuoc",
    r"(hieu\s*qua|cam\s*ket)\s*100\s*%",
    r"tang\s*chieu\s*cao\s*\d+\s*cm",
)
# A registration or declaration number written in the listing (any of the forms the goods app knows).
REGISTRATION = re.compile(
    r"(\bv[dn]\d?\s*-\s*\d{1,7}\s*-\s*\d{2}\b|\b\d{12}\b|/cbmp|dksp|so\s*dang\s*ky|\bsdk\b|"
    r"so\s*cong\s*bo|so\s*tiep\s*nhan|so\s*luu\s*hanh|\bsdk\s*:|giay\s*phep\s*luu\s*hanh)"
)
HEALTH_CATEGORIES = {"drugs", "functional_food", "milk", "cosmetics", "medical_devices"}
# Categories that need a registration or declaration number (as goods.products.REGISTRATION_REQUIRED).
REGISTRATION_REQUIRED = {"drugs", "cosmetics", "functional_food", "medical_devices", "milk"}
INFER = (
    (
        "drugs",
        re.compile(
            r"\bthuoc\s*(tri|chua|khang|giam|ha|bo|dac|dong\s*y|nam|tay|ngu|xit|nho)|khang\s*sinh|vien\s*nen|\bthuoc\b(?!\s*la)"
        ),
    ),
    (
        "functional_food",
        re.compile(
            r"vien\s*uong|thuc\s*pham\s*(chuc\s*nang|bao\s*ve\s*suc\s*khoe)|\btpcn\b|collagen|vitamin"
        ),
    ),
    ("milk", re.compile(r"\bsua\s*(bot|cong\s*thuc|non|tang\s*can|cho\s*be|tuoi)")),
    (
        "cosmetics",
        re.compile(
            r"my\s*pham|\bkem\s*(tron|duong|chong|tri|tam|nen)|serum|\bson\s*(moi|li|kem)|tay\s*trang|phan\s*nen"
        ),
    ),
)


def _compile(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_STRONG = _compile(STRONG_COUNTERFEIT)
_WEAK = _compile(WEAK_COUNTERFEIT)
_HONEST = _compile(HONEST)
_SMUGGLING = _compile(SMUGGLING)
_WEAK_SMUGGLING = _compile(WEAK_SMUGGLING)
_HONEST_SMUGGLING = _compile(HONEST_SMUGGLING)
_HEALTH = _compile(HEALTH_CLAIMS)
# The notice the law requires of food supplements is not a claim.
_HEALTH_NOTICE = re.compile(
    r"(khong\s*phai\s*la\s*thuoc|khong\s*co\s*tac\s*dung\s*thay\s*the\s*thuoc(\s*chua\s*benh)?)"
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Reference:
    """A registered product's reference price, as the goods services give it."""

    name: str
    brand: str
    price_vnd: int
    tokens: frozenset = frozenset()


@dataclass
class Context:
    """What the rules need beyond the listing, read once per batch."""

    # brand (folded) -> the registry's products of that brand with a reference price
    references: dict[str, list[Reference]] = field(default_factory=dict)
    # seller keys (account or subject ids, as the caller chooses) with these facts
    in_cases: set = field(default_factory=set)
    flagged_before: set = field(default_factory=set)
    shops: dict = field(default_factory=dict)  # seller key -> number of shops
    flagged_listings: dict = field(default_factory=dict)  # seller key -> ids of its flagged listings

    @classmethod
    def with_references(cls, products, **kwargs) -> Context:
        """products: iterable of (name, brand, reference_price_vnd)."""
        refs: dict[str, list[Reference]] = {}
        for name, brand, price in products:
            if not price or not brand:
                continue
            key = fold(brand).strip()
            if not key:
                continue
            tokens = frozenset(t for t in _WORD.findall(fold(name)) if len(t) > 1 and t not in key.split())
            refs.setdefault(key, []).append(Reference(name, brand, int(price), tokens))
        return cls(references=refs, **kwargs)


@dataclass
class Result:
    score: int
    flagged: bool
    priority: int
    reasons: list[str]


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đ"


def _match_reference(text: str, words: set, context: Context) -> Reference | None:
    best, best_overlap = None, 0
    for brand, products in context.references.items():
        if brand not in text:
            continue
        for product in products:
            overlap = len(product.tokens & words)
            needed = max(1, min(2, len(product.tokens)))
            if overlap >= needed and overlap > best_overlap:
                best, best_overlap = product, overlap
    return best


def score(
    title: str,
    description: str = "",
    price_vnd: int | None = None,
    category: str = "",
    seller=None,
    context: Context | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Result:
    """Score one listing. `category` is the goods category code of the hint ('' when unknown);
    `seller` the key the context's seller facts are keyed by (None: unknown seller)."""
    context = context or Context()
    text = fold(f"{title} \n {description}")
    points = 0
    reasons: list[str] = []

    cleaned = _HONEST.sub(" ", text)
    strong = _STRONG.search(cleaned)
    if strong:
        points += 60
        reasons.append(_("Từ ngữ của hàng giả, hàng nhái: “%(w)s”.") % {"w": strong.group(0).strip()})
    else:
        weak = _WEAK.search(cleaned)
        if weak:
            points += 25
            reasons.append(_("Từ ngữ thường gặp ở hàng giả: “%(w)s”.") % {"w": weak.group(0).strip()})

    smuggle_text = _HONEST_SMUGGLING.sub(" ", cleaned)
    smuggling = _SMUGGLING.search(smuggle_text)
    if smuggling:
        points += 55
        reasons.append(
            _("Dấu hiệu hàng nhập lậu, không rõ nguồn gốc: “%(w)s”.") % {"w": smuggling.group(0).strip()}
        )
    else:
        weak = _WEAK_SMUGGLING.search(smuggle_text)
        if weak:
            points += 15
            reasons.append(_("Hàng “xách tay”: cần kiểm tra hóa đơn, chứng từ."))

    inferred = category
    if not inferred:
        for code, pattern in INFER:
            if pattern.search(text):
                inferred = code
                break
    health = _HEALTH.search(_HEALTH_NOTICE.sub(" ", text))
    if health:
        if inferred in HEALTH_CATEGORIES:
            points += 55
            reasons.append(
                _("Quảng cáo công dụng chữa bệnh cho thuốc, thực phẩm chức năng, sữa hoặc mỹ phẩm: “%(w)s”.")
                % {"w": health.group(0).strip()}
            )
        else:
            points += 30
            reasons.append(_("Quảng cáo công dụng chữa bệnh: “%(w)s”.") % {"w": health.group(0).strip()})

    if category in REGISTRATION_REQUIRED and not REGISTRATION.search(text):
        if category == "drugs":
            points += 60
            reasons.append(_("Thuốc rao bán không ghi số đăng ký lưu hành."))
        else:
            points += 25
            reasons.append(_("Không ghi số đăng ký / số công bố, là giấy tờ bắt buộc với nhóm hàng này."))

    if price_vnd and context.references:
        words = set(_WORD.findall(text))
        product = _match_reference(text, words, context)
        if product is not None and price_vnd < product.price_vnd * 0.5:
            ratio = price_vnd * 100 // product.price_vnd
            points += 55 if price_vnd < product.price_vnd * 0.3 else 40
            reasons.append(
                _("Giá %(price)s chỉ bằng %(ratio)s%% giá tham khảo %(ref)s của “%(name)s”.")
                % {
                    "price": _vnd(price_vnd),
                    "ratio": ratio,
                    "ref": _vnd(product.price_vnd),
                    "name": product.name,
                }
            )

    priority = 0
    if seller is not None:
        if seller in context.in_cases:
            points += 20
            reasons.append(_("Người bán đã là đối tượng trong vụ việc."))
        shops = context.shops.get(seller, 1)
        if shops > 1:
            points += 10
            reasons.append(_("Người bán có %(n)s gian hàng, tài khoản.") % {"n": shops})
        if seller in context.flagged_before:
            priority += 30
            reasons.append(_("Người bán đã từng bị gắn cờ: ưu tiên xem xét."))

    points = min(points, 100)
    return Result(points, points >= threshold, min(points + priority, 130), reasons)


def claims_health(title: str, description: str = "") -> bool:
    """Whether a listing advertises a cure or treatment (the health-claim reason of `score`), the
    false-advertising and false-quality-claim reviews' count (seed 004, 7.3 and 7.11)."""
    text = fold(f"{title} \n {description}")
    return bool(_HEALTH.search(_HEALTH_NOTICE.sub(" ", text)))
