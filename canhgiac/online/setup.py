"""Reference data of the online app, loaded by `canhgiac setup` (idempotent: matched on code)."""

from django.utils.translation import gettext_lazy as _

PLATFORMS = [
    # code, name, kind, takedown contact
    ("shopee", "Shopee", "marketplace", "Bộ phận pháp chế Shopee Việt Nam"),
    ("lazada", "Lazada", "marketplace", "Bộ phận pháp chế Lazada Việt Nam"),
    ("tiktok_shop", "TikTok Shop", "livestream", "Bộ phận pháp chế TikTok Việt Nam"),
    ("tiki", "Tiki", "marketplace", "Bộ phận pháp chế Tiki"),
    ("facebook", "Facebook", "social", "Meta: kênh tiếp nhận yêu cầu của cơ quan nhà nước"),
    ("zalo", "Zalo", "social", "Công ty VNG: bộ phận tiếp nhận yêu cầu của cơ quan nhà nước"),
    ("youtube", "YouTube", "livestream", "Google: kênh tiếp nhận yêu cầu của cơ quan nhà nước"),
    ("website", "Website thương mại điện tử (đã thông báo trên online.gov.vn)", "website", "Chủ website"),
]

_TEMPLATE = (
    "Tôi/Chúng tôi cam kết: {body} Không kinh doanh, quảng cáo hàng cấm, hàng nhập lậu, hàng giả, hàng "
    "không rõ nguồn gốc, xuất xứ; chấp hành quy định về thương mại điện tử, quảng cáo, thuế và bảo vệ "
    "quyền lợi người tiêu dùng; chịu trách nhiệm trước pháp luật nếu vi phạm."
)
SIGNER_KINDS = [
    # code, name, agency in charge, what the commitment adds
    (
        "ecommerce_seller",
        _("Người bán hàng trên sàn thương mại điện tử, mạng xã hội"),
        "SCT",
        "ghi đầy đủ thông tin người bán, hàng hóa và giá; xuất hóa đơn, chứng từ khi bán hàng.",
    ),
    (
        "platform",
        _("Sàn thương mại điện tử, nền tảng số"),
        "SCT",
        "kiểm soát người bán, gỡ bỏ tin đăng vi phạm trong 24 giờ kể từ khi có yêu cầu của cơ quan chức năng.",
    ),
    (
        "press",
        _("Cơ quan báo chí, phát thanh, truyền hình"),
        "SVHTTDL",
        "không đăng, phát quảng cáo sai sự thật, quảng cáo hàng giả, hàng kém chất lượng.",
    ),
    (
        "health",
        _("Bác sĩ, nhà khoa học, người quản lý y tế"),
        "SYT",
        "không quảng cáo, giới thiệu thuốc, thực phẩm chức năng, mỹ phẩm sai sự thật hoặc chưa được cấp phép.",
    ),
    (
        "celebrity",
        _("Người nổi tiếng, nghệ sĩ, vận động viên, người quản lý văn hóa"),
        "SVHTTDL",
        "kiểm chứng sản phẩm trước khi quảng cáo, không quảng cáo sai sự thật về công dụng, chất lượng.",
    ),
    (
        "kol",
        _("KOL, KOC, người có ảnh hưởng trên mạng"),
        "SVHTTDL",
        "kiểm chứng sản phẩm trước khi quảng cáo, bán hàng qua livestream; không quảng cáo sai sự thật.",
    ),
    (
        "health_goods",
        _("Doanh nghiệp kinh doanh hàng liên quan đến sức khỏe"),
        "SYT",
        "chỉ kinh doanh thuốc, thực phẩm chức năng, mỹ phẩm, trang thiết bị y tế đã được cấp phép, công bố.",
    ),
]


def load(provinces=None, stdout=None) -> None:
    from canhgiac.core.context import acting_as
    from canhgiac.online.models import Platform, SignerKind

    with acting_as(None):
        for code, name, kind, contact in PLATFORMS:
            Platform.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "takedown_contact": contact}
            )
        for order, (code, name, agency, body) in enumerate(SIGNER_KINDS, start=1):
            SignerKind.objects.get_or_create(
                code=code,
                defaults={
                    "name": str(name),
                    "agency_code": agency,
                    "template": _TEMPLATE.format(body=body[0].upper() + body[1:]),
                    "order": order,
                },
            )
    if stdout is not None:
        stdout.write(f"online: {len(PLATFORMS)} platforms, {len(SIGNER_KINDS)} kinds of signer")
