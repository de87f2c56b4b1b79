"""Write bench/online_labelled.csv: a labelled set of Vietnamese online listings for the risk
scoring of the online app (issue 15). Hand-written phrasings, combined with products, prices and
sellers' habits (no diacritics, capitals, emoji, abbreviations); deterministic (seed 389).

Columns: the import's (listing_ref, platform, url, shop_name, title, description, price_vnd,
category_hint) plus `label` (1 = a violation an officer should review, 0 = honest) and `kind`
(counterfeit, smuggled, health_claim, unregistered_drug, cheap, false_quality, honest_same_words,
honest_quality, honest).

    python bench/online_labelled.py          # rewrites bench/online_labelled.csv
"""

import csv
import random
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("online_labelled.csv")
PLATFORMS = ["shopee", "lazada", "tiktok_shop", "tiki", "facebook", "zalo", "youtube", "website"]

# (title, category, brand, reference price)
FASHION = [
    ("Túi xách Louis Vuitton Neverfull", "textiles_footwear", "Louis Vuitton", 45_000_000),
    ("Giày Nike Air Force 1 trắng", "textiles_footwear", "Nike", 2_900_000),
    ("Đồng hồ Rolex Submariner", "other", "Rolex", 250_000_000),
    ("Giày Adidas Ultraboost 22", "textiles_footwear", "Adidas", 4_200_000),
    ("Ví Gucci GG Marmont", "textiles_footwear", "Gucci", 18_000_000),
    ("Kính Rayban Aviator", "other", "Rayban", 4_500_000),
    ("Áo thun Uniqlo Airism", "textiles_footwear", "Uniqlo", 290_000),
    ("Tai nghe AirPods Pro 2", "electronics", "Apple", 5_990_000),
]
COSMETICS = [
    ("Kem chống nắng La Roche-Posay Anthelios", "cosmetics", "La Roche-Posay", 520_000),
    ("Serum Vitamin C Klairs", "cosmetics", "Klairs", 450_000),
    ("Son kem 3CE Velvet Lip Tint", "cosmetics", "3CE", 320_000),
    ("Nước tẩy trang Bioderma Sensibio", "cosmetics", "Bioderma", 480_000),
]
SUPPLEMENTS = [
    ("Viên uống Omega 3 Blackmores", "functional_food", "Blackmores", 690_000),
    ("Viên uống collagen DHC 30 ngày", "functional_food", "DHC", 280_000),
    ("Viên uống bổ khớp Glucosamine Kirkland", "functional_food", "Kirkland", 890_000),
]
MILK = [
    ("Sữa bột Similac IQ số 4 900g", "milk", "Similac", 620_000),
    ("Sữa bột Meiji Infant Formula 800g", "milk", "Meiji", 560_000),
]
DRUGS = [
    ("Thuốc giảm đau Panadol Extra hộp 15 vỉ", "drugs", "Panadol", 180_000),
    ("Thuốc kháng sinh Augmentin 625mg", "drugs", "Augmentin", 210_000),
    ("Thuốc dạ dày Gaviscon gói", "drugs", "Gaviscon", 150_000),
]
FOOD = [
    ("Cà phê rang xay Buôn Ma Thuột 500g", "food", "", 160_000),
    ("Mật ong rừng Tây Nguyên 1 lít", "food", "", 350_000),
    ("Hạt điều rang muối Bình Phước", "food", "", 240_000),
    ("Tiêu đen Chư Sê 1kg", "food", "", 180_000),
]

COUNTERFEIT_PHRASES = [
    "Hàng rep 1:1 y hình, full box bill",
    "REP 1:1 chuẩn từng đường chỉ",
    "hang rep 11 loai dep nhat thi truong",
    "Hàng F1 siêu cấp, không phân biệt được",
    "hang f1 chuan auth 99%",
    "Super fake, da thật, khóa khắc chữ",
    "sieu fake like auth",
    "Like auth, giá sinh viên",
    "Hàng nhái thương hiệu, giống 99%",
    "hàng fake loại 1 đẹp như thật",
    "Replica cao cấp nhập Quảng Châu",
    "copy 1:1 từ bản chính hãng",
    "Mirror quality, hộp giấy tờ đầy đủ",
    "Fake cao cấp, bao đẹp",
    "hàng fake xịn giá rẻ",
    "SF hàng đẹp, ai cần ib",
]
SMUGGLING_PHRASES = [
    "Hàng xách tay không hóa đơn, giá tốt",
    "xach tay ko hoa don nen gia re",
    "Hàng nội địa Trung, bao bì tiếng Trung",
    "hang noi dia trung chinh hang gia re",
    "Hàng về theo đường tiểu ngạch, số lượng có hạn",
    "Không có tem nhập khẩu, không nhãn phụ",
    "khong co hoa don chung tu, ai can lay sll ib",
    "Hàng lậu giá gốc, lấy sỉ inbox",
    "Hàng nội địa TQ, không có hóa đơn",
    "nhập qua biên giới nên giá mềm",
]
HEALTH_PHRASES = [
    "Chữa khỏi đau dạ dày sau 1 liệu trình",
    "đặc trị xương khớp, khỏi hẳn sau 2 tuần",
    "Thay thế thuốc tây, không tác dụng phụ",
    "chua khoi tieu duong, khong can uong thuoc",
    "Trị dứt điểm mụn, nám, tàn nhang",
    "Đặc trị gout, cam kết hiệu quả 100%",
    "Thần dược cho người tiểu đường",
    "Tăng chiều cao 10 cm trong 3 tháng",
    "tri dut diem viem xoang",
    "Bỏ thuốc huyết áp khi dùng sản phẩm này",
]
HONEST_SAME_WORDS = [
    "Hàng chính hãng, phát hiện fake đền gấp 10",
    "fake den gap 10, bao check store",
    "Cam kết không bán hàng giả, hàng nhái",
    "Nói không với hàng fake, hoàn tiền 200% nếu sai",
    "Hướng dẫn phân biệt hàng thật hàng giả khi mua",
    "Shop uy tín, check auth thoải mái",
    "100% authentic, có hóa đơn mua hàng",
    "Hàng xách tay Nhật có hóa đơn, tem nhãn phụ đầy đủ",
    "Phát hiện fake hoàn tiền gấp đôi",
    "khong ban hang fake, bao test",
    "Cảnh giác với hàng nhái trên mạng, mua tại shop chính hãng",
    "Hàng có hóa đơn đỏ VAT, tem nhập khẩu đầy đủ",
    "neu fake xin den 10 lan",
    "Sản phẩm chính hãng - phân biệt thật và giả qua tem QR",
]
HONEST_PHRASES = [
    "Hàng chính hãng phân phối tại Việt Nam, bảo hành 12 tháng",
    "Giao hàng toàn quốc, đổi trả trong 7 ngày",
    "Shop Mall, xuất hóa đơn VAT theo yêu cầu",
    "Sản phẩm mới 100%, nguyên seal",
    "Hàng công ty, có tem chống giả",
    "Miễn phí vận chuyển cho đơn từ 300k",
    "Đặc sản Tây Nguyên, đóng gói cẩn thận",
    "Nhà vườn tự sản xuất, không chất bảo quản",
    "Hàng nhập khẩu chính ngạch, có tờ khai hải quan",
    "Cam kết hàng thật, hoàn tiền nếu không hài lòng",
]
# False quality claims (seed 004, 7.11): unverified certifications and endorsements, "100 %
# natural", superlatives, awards, on drugs, supplements, milk and cosmetics ...
FALSE_QUALITY_PHRASES = [
    "Đạt chuẩn FDA Hoa Kỳ, GMP quốc tế",
    "Được FDA Mỹ chứng nhận an toàn tuyệt đối",
    "Bộ Y tế khuyên dùng cho cả gia đình",
    "chung nhan ISO 22000 va HACCP, chat luong hang dau",
    "100% tự nhiên, an toàn cho bà bầu",
    "Thành phần 100% thiên nhiên, không tác dụng phụ",
    "Số 1 thế giới về làm đẹp",
    "Thương hiệu số 1 Nhật Bản, bán chạy nhất",
    "Tốt nhất thị trường hiện nay",
    "Đạt huy chương vàng quốc tế 2024",
    "Top 10 thương hiệu vàng vì sức khỏe cộng đồng",
    "Sản phẩm vàng vì sức khỏe người Việt",
    "WHO khuyên dùng, hiệu quả đã được kiểm chứng",
]
# ... "imported" contradicted by the stated origin (any goods) ...
FALSE_ORIGIN_PHRASES = [
    "Hàng nhập khẩu Nhật Bản. Xuất xứ: Trung Quốc",
    "Nhập khẩu nguyên hộp từ Mỹ, sản xuất tại Việt Nam",
    "Hàng nhập khẩu Pháp, made in China",
    "hang nhap khau han quoc, xuat xu viet nam",
    "Nhập khẩu Úc chính ngạch - Made in Vietnam",
]
# ... and "chính hãng" on goods that need a registration number, none shown.
GENUINE_NO_NUMBER = [
    "Hàng chính hãng 100%, giá tốt nhất",
    "chinh hang, cam ket chat luong",
    "CHÍNH HÃNG - bao check",
]
# Honest shops that state the same things checkably (certificate numbers, a consistent origin).
HONEST_QUALITY_PHRASES = [
    "Nhà máy đạt chuẩn GMP-WHO, giấy chứng nhận số 255/GCN-QLD",
    "Chứng nhận ISO 9001:2015 số 12345/QMS của nhà máy sản xuất",
    "Thành phần chiết xuất từ thiên nhiên, dùng theo hướng dẫn",
    "Nhập khẩu từ Nhật Bản, xuất xứ Nhật Bản, có tờ khai hải quan",
    "Hàng nhập khẩu chính ngạch từ Hàn Quốc, made in Korea",
    "Made in Vietnam, sản xuất tại Việt Nam",
    "Giao hàng miễn phí nội thành, kho tại số 1 Lê Duẩn",
    "Huy chương vàng Hội chợ nông sản 2024 theo Quyết định số 123/QĐ-BTC",
    "Shop không quảng cáo FDA khi chưa có giấy chứng nhận",
]
REG_NUMBERS = {
    "drugs": ["Số đăng ký VD-21812-14", "SĐK: VN-20367-17", "số đăng ký 893110123423"],
    "cosmetics": ["Số công bố 123456/24/CBMP-QLD", "số tiếp nhận 2345/23/CBMP-HCM"],
    "functional_food": ["Số ĐKSP 1234/2023/ĐKSP", "số công bố 5678/2022/ĐKSP"],
    "milk": ["Số công bố 2345/2021/ĐKSP", "số tiếp nhận bản tự công bố 12/2024"],
}
HONEST_HEALTH_PHRASES = [
    "Sản phẩm không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh",
    "Hỗ trợ bổ sung dinh dưỡng, dùng theo hướng dẫn",
    "Tham khảo ý kiến bác sĩ trước khi dùng",
    "Dùng theo chỉ định của bác sĩ",
]
SHOPS = [
    "Shop Hoa Mai",
    "Kho Sỉ Buôn Ma Thuột",
    "Tiệm Nhà Bơ",
    "Mỹ Phẩm Chị Hằng",
    "Nhà Thuốc An Khang Online",
    "Hàng Nhật Xách Tay Bé Na",
    "Giày Sneaker Đắk Lắk",
    "Đặc Sản Cao Nguyên",
    "Thời Trang Nam Tú",
    "Tổng Kho Gia Dụng",
    "Cô Ba Bán Sữa",
    "Official Store VN",
]
EMOJI = ["", "", "", " 🔥", " ✅", " 💯", " ❤️", " ⚡"]


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def styled(rng, text: str) -> str:
    r = rng.random()
    if r < 0.3:
        text = strip_diacritics(text)  # sellers who drop the diacritics
    if rng.random() < 0.15:
        text = text.upper()
    elif rng.random() < 0.2:
        text = text.lower()
    return text + rng.choice(EMOJI)


def price_near(rng, ref: int) -> int:
    return int(round(ref * rng.uniform(0.8, 1.1), -3))


def main():
    rng = random.Random(389)
    rows = []

    def add(kind, label, product, title_extra, description, price, hint=True):
        name, category, brand, ref = product
        n = len(rows) + 1
        platform = rng.choice(PLATFORMS)
        rows.append(
            {
                "listing_ref": f"L{n:04d}",
                "platform": platform,
                "url": f"https://{platform.replace('_', '')}.example.vn/p/{n}",
                "shop_name": rng.choice(SHOPS),
                "title": styled(rng, f"{name} {title_extra}".strip()),
                "description": styled(rng, description),
                "price_vnd": price,
                "category_hint": category if hint and rng.random() < 0.8 else "",
                "label": label,
                "kind": kind,
            }
        )

    def reg(category):
        return rng.choice(REG_NUMBERS[category]) + ". " if category in REG_NUMBERS else ""

    goods = FASHION + COSMETICS + SUPPLEMENTS + MILK + FOOD
    for _ in range(70):
        p = rng.choice(FASHION + COSMETICS)
        add(
            "counterfeit",
            1,
            p,
            "",
            reg(p[1]) + rng.choice(COUNTERFEIT_PHRASES),
            int(round(p[3] * rng.uniform(0.05, 0.4), -3)),
        )
    for _ in range(55):
        p = rng.choice(FASHION + COSMETICS + SUPPLEMENTS + MILK)
        add("smuggled", 1, p, "", reg(p[1]) + rng.choice(SMUGGLING_PHRASES), price_near(rng, p[3]))
    for _ in range(50):
        p = rng.choice(SUPPLEMENTS + MILK + COSMETICS + DRUGS)
        add("health_claim", 1, p, "", reg(p[1]) + rng.choice(HEALTH_PHRASES), price_near(rng, p[3]))
    for _ in range(30):
        p = rng.choice(DRUGS)
        name, _category, brand, ref = p
        add("unregistered_drug", 1, p, "", rng.choice(HONEST_PHRASES), price_near(rng, ref))
        rows[-1]["category_hint"] = "drugs"
    for _ in range(25):
        p = rng.choice([g for g in goods if g[2]])
        add(
            "cheap",
            1,
            p,
            "",
            reg(p[1]) + rng.choice(HONEST_PHRASES),
            int(round(p[3] * rng.uniform(0.1, 0.28), -3)),
        )
        rows[-1]["category_hint"] = rows[-1]["category_hint"] or p[1]
    for _ in range(40):
        p = rng.choice(SUPPLEMENTS + MILK + COSMETICS)
        reg_text = reg(p[1]) if rng.random() < 0.5 else ""
        add("false_quality", 1, p, "", reg_text + rng.choice(FALSE_QUALITY_PHRASES), price_near(rng, p[3]))
    for _ in range(15):
        p = rng.choice(goods)
        add("false_quality", 1, p, "", reg(p[1]) + rng.choice(FALSE_ORIGIN_PHRASES), price_near(rng, p[3]))
    for _ in range(10):
        p = rng.choice(COSMETICS + SUPPLEMENTS + MILK)
        add("false_quality", 1, p, "", rng.choice(GENUINE_NO_NUMBER), price_near(rng, p[3]))
    for _ in range(60):
        p = rng.choice(goods + DRUGS)
        add("honest_quality", 0, p, "", reg(p[1]) + rng.choice(HONEST_QUALITY_PHRASES), price_near(rng, p[3]))
        if p[1] == "drugs":
            rows[-1]["category_hint"] = "drugs"
    for _ in range(90):
        p = rng.choice(goods + DRUGS)
        add("honest_same_words", 0, p, "", reg(p[1]) + rng.choice(HONEST_SAME_WORDS), price_near(rng, p[3]))
        if p[1] == "drugs":
            rows[-1]["category_hint"] = "drugs"
    for _ in range(130):
        p = rng.choice(goods + DRUGS)
        extra = (
            rng.choice(HONEST_HEALTH_PHRASES) + ". " if p[1] in ("functional_food", "milk", "drugs") else ""
        )
        add("honest", 0, p, "", reg(p[1]) + extra + rng.choice(HONEST_PHRASES), price_near(rng, p[3]))
        if p[1] == "drugs":
            rows[-1]["category_hint"] = "drugs"
    rng.shuffle(rows)
    for i, row in enumerate(rows, start=1):
        row["listing_ref"] = f"L{i:04d}"
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} listings written to {OUT}")


# The registry's reference prices the price rule uses (name, brand, price), as goods.Product rows.
REFERENCES = [(n, b, p) for n, _c, b, p in FASHION + COSMETICS + SUPPLEMENTS + MILK + DRUGS + FOOD if b]

if __name__ == "__main__":
    main()
