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
- the seller has several shops (accounts of one province whose subject records belong to one
  resolved entity, see listings.shops_of_sellers): 10.
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
# False quality claims (seed 004, 7.11: "công bố thông tin sai sự thật về quy chuẩn, tiêu chuẩn,
# chất lượng hàng hóa"): certifications and endorsements nobody can check in the listing, "100 %
# natural", superlatives the advertising law forbids without proof, awards, "chính hãng" on goods
# that need a registration number but show none, and "imported" contradicted by the stated origin.
QUALITY_CERT = (
    r"(dat|dat\s*chuan|dat\s*tieu\s*chuan|chung\s*nhan|tieu\s*chuan|chuan)\s*(quoc\s*te\s*)?"
    r"(gmp|fda|iso|haccp|who|usda|cgmp)\b",
    r"\b(fda|usda|who)\s*(hoa\s*ky\s*|my\s*|the\s*gioi\s*)?(da\s*)?"
    r"(chung\s*nhan|cap\s*phep|cong\s*nhan|khuyen\s*dung|phe\s*duyet|kiem\s*dinh)",
    r"(duoc\s*)?bo\s*y\s*te\s*(khuyen\s*dung|chung\s*nhan|bao\s*chung|cong\s*nhan|kiem\s*dinh)",
    r"(huy\s*chuong|giai)\s*vang\s*(quoc\s*te|chat\s*luong|the\s*gioi|chau\s*a)",
    r"top\s*10\s*(thuong\s*hieu|san\s*pham)",
    r"(san\s*pham|thuong\s*hieu)\s*vang\s*(vi\s*suc\s*khoe|chat\s*luong|the\s*gioi)",
    r"(giai\s*thuong|danh\s*hieu)\s*(quoc\s*te|chau\s*a|the\s*gioi)",
)
QUALITY_NATURAL = (
    r"100\s*%?\s*(tu\s*nhien|thien\s*nhien|organic|huu\s*co|thao\s*duoc)",
    r"(hoan\s*toan|tuyet\s*doi)\s*(tu\s*nhien|thien\s*nhien|khong\s*hoa\s*chat)",
    r"(khong|ko|0)\s*(co\s*)?tac\s*dung\s*phu",
)
QUALITY_SUPERLATIVE = (
    r"(so|top)\s*(1|mot)\s*(the\s*gioi|viet\s*nam|vn|chau\s*a|thi\s*truong|nhat\s*ban|han\s*quoc|hien\s*nay)",
    r"(ban\s*chay|thuong\s*hieu|hang\s*dau)\s*so\s*(1|mot)\b",
    r"(tot|hieu\s*qua|an\s*toan|manh|trang)\s*nhat\s*(the\s*gioi|viet\s*nam|hien\s*nay|thi\s*truong)",
    r"duy\s*nhat\s*(tai\s*viet\s*nam|tren\s*thi\s*truong|the\s*gioi)",
)
# A certificate or decision number written next to the claim makes it checkable (not flagged).
_CERT_NUMBER = re.compile(
    r"(chung\s*nhan|gcn|quyet\s*dinh|qd)\s*(so\s*)?[:#.]?\s*\d{2,}|\d{2,}\s*/\s*(gcn|qd|cn|qms)"
)
_QUALITY_HONEST = re.compile(
    r"(khong|chua|ko)\s*(duoc\s*|tu\s*nhan\s*|quang\s*cao\s*|phai\s*)?(dat\s*chuan\s*)?"
    r"(fda|gmp|iso|so\s*1|100\s*%\s*tu\s*nhien)"
)
COUNTRIES = (
    ("jp", r"nhat\s*ban|nhat|japan"),
    ("us", r"hoa\s*ky|my(?!\s*pham)|usa|\bus\b"),
    ("fr", r"phap|france"),
    ("kr", r"han\s*quoc|korea"),
    ("au", r"\buc\b|australia"),
    ("de", r"\bduc\b|germany"),
    ("cn", r"trung\s*quoc|\btq\b|china"),
    ("vn", r"viet\s*nam|\bvn\b|vietnam"),
    ("th", r"thai\s*lan|\bthai\b|thailand"),
)
_COUNTRY = "|".join(f"(?P<{code}>{pattern})" for code, pattern in COUNTRIES)
_IMPORT_CLAIM = re.compile(
    rf"((hang\s*)?nhap(\s*khau)?\b|xach\s*tay)\s*(chinh\s*ngach\s*|nguyen\s*(hop|chai|lon)\s*)?(tu\s*)?(?:{_COUNTRY})?"
)
_ORIGIN = re.compile(
    rf"(xuat\s*xu|made\s*in|san\s*xuat\s*tai|noi\s*san\s*xuat|origin|sx\s*tai)\s*[:\-]?\s*(?:{_COUNTRY})"
)
_CHINH_HANG = re.compile(r"chinh\s*hang")


def _country(match) -> str | None:
    return next((code for code, value in match.groupdict().items() if value), None) if match else None


def quality_claims(text: str, category: str) -> tuple[int, list[str]]:
    """(points, phrases) of the false quality claims in folded `text`; `category` the hint or the
    category recognised in the text. Strong (50: flags by itself): an unverified certification,
    endorsement or award, "imported" contradicted by the stated origin, "chính hãng" on goods that
    need a registration number and show none, and "100 % natural" or a superlative on drugs,
    supplements, milk or cosmetics; the last two on other goods 25 (adds only)."""
    text = _QUALITY_HONEST.sub(" ", text)
    strong, weak = [], []
    if not _CERT_NUMBER.search(text):
        found = _CERT.search(text)
        if found:
            strong.append(found.group(0).strip())
    health = category in HEALTH_CATEGORIES
    for pattern in (_NATURAL, _SUPERLATIVE):
        found = pattern.search(text)
        if found:
            (strong if health else weak).append(found.group(0).strip())
    origin = _ORIGIN.search(text)
    if origin:
        claims = list(_IMPORT_CLAIM.finditer(text))
        claimed = next((c for c in claims if _country(c)), claims[0] if claims else None)
        origin_country = _country(origin)
        claimed_country = _country(claimed)
        if claimed and (
            (claimed_country and claimed_country != origin_country)
            or (not claimed_country and origin_country == "vn")
        ):
            strong.append(f"{claimed.group(0).strip()} … {origin.group(0).strip()}")
    if category in REGISTRATION_REQUIRED and not REGISTRATION.search(text):
        found = _CHINH_HANG.search(text)
        if found:
            strong.append(found.group(0))
    if strong:
        return 50, strong + weak
    if weak:
        return 25, weak
    return 0, []


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
_CERT = _compile(QUALITY_CERT)
_NATURAL = _compile(QUALITY_NATURAL)
_SUPERLATIVE = _compile(QUALITY_SUPERLATIVE)


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
    # online account id -> number of shops of its seller (the online app's count: accounts of one
    # resolved entity in the account's province); wins over `shops` when the caller passes it
    account_shops: dict = field(default_factory=dict)
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
    shops: int | None = None,
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

    quality_points, phrases = quality_claims(_HEALTH_NOTICE.sub(" ", text), inferred)
    if quality_points:
        points += quality_points
        reasons.append(
            _("Công bố chất lượng sai sự thật hoặc chưa kiểm chứng: %(w)s.")
            % {"w": ", ".join(f"“{p}”" for p in phrases[:3])}
        )

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
        if shops is None:
            shops = context.shops.get(seller, 1)
        if shops > 1:
            points += 10
            reasons.append(_("Người bán có %(n)s gian hàng, tài khoản.") % {"n": shops})
        if seller in context.flagged_before:
            priority += 30
            reasons.append(_("Người bán đã từng bị gắn cờ: ưu tiên xem xét."))

    points = min(points, 100)
    return Result(points, points >= threshold, min(points + priority, 130), reasons)


def claims_false_quality(title: str, description: str = "", category: str = "") -> bool:
    """Whether a listing makes a false quality claim (the quality reason of `score`, strong or
    weak): the 7.11 review's count (seed 004)."""
    text = fold(f"{title} \n {description}")
    inferred = category or next((code for code, pattern in INFER if pattern.search(text)), "")
    return bool(quality_claims(_HEALTH_NOTICE.sub(" ", text), inferred)[0])


def claims_health(title: str, description: str = "") -> bool:
    """Whether a listing advertises a cure or treatment (the health-claim reason of `score`), the
    false-advertising and false-quality-claim reviews' count (seed 004, 7.3 and 7.11)."""
    text = fold(f"{title} \n {description}")
    return bool(_HEALTH.search(_HEALTH_NOTICE.sub(" ", text)))
