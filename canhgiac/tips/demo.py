"""Demo tips for `canhgiac demo`: realistic reports across channels, goods, communes and every
status, received over the last three months (some overdue, some grouped as duplicates)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from canhgiac.directory import services as directory
from canhgiac.tips import services
from canhgiac.tips.models import Tip

# (goods category, violation type, description, online link or "")
STORIES = [
    (
        "cosmetics",
        "counterfeit",
        "Tài khoản Facebook livestream bán kem trộn, serum không nhãn mác, quảng cáo "
        "“trắng da sau 7 ngày”, giá rẻ hơn hàng chính hãng một nửa.",
        "https://facebook.com/kemtron.giare/videos/1",
    ),
    (
        "milk",
        "unknown_origin",
        "Cửa hàng tạp hóa gần trường tiểu học bán sữa bột ngoại không có nhãn phụ tiếng "
        "Việt, hộp móp méo, hạn sử dụng bị cạo.",
        "",
    ),
    (
        "functional_food",
        "false_advertising",
        "Trang bán thực phẩm chức năng quảng cáo chữa khỏi tiểu đường, dùng hình ảnh bác sĩ nổi tiếng.",
        "https://shopee.vn/thuc-pham-chuc-nang-tieu-duong-i.1.2",
    ),
    ("fuel", "trade_fraud", "Cây xăng đầu xã bơm thiếu, đồng hồ nhảy số nhanh bất thường vào buổi tối.", ""),
    (
        "alcohol_tobacco",
        "smuggling",
        "Xe tải nhỏ chở thuốc lá ngoại không tem, dỡ hàng vào kho sau chợ lúc khoảng 2 giờ sáng.",
        "",
    ),
    (
        "drugs",
        "counterfeit",
        "Quầy thuốc bán thuốc kháng sinh không cần đơn, vỉ thuốc in chữ nước ngoài, không có số đăng ký.",
        "",
    ),
    (
        "fertilizer",
        "substandard",
        "Đại lý bán phân bón NPK giá rẻ, bà con bón xong cây không lên, nghi phân giả.",
        "",
    ),
    (
        "textiles_footwear",
        "ip_infringement",
        "Cửa hàng quần áo bán giày dép gắn nhãn hiệu nổi tiếng, giá chỉ vài trăm nghìn.",
        "",
    ),
    (
        "meat_veterinary",
        "unknown_origin",
        "Lò mổ không phép, thịt lợn không dấu kiểm dịch đưa ra chợ sáng sớm.",
        "",
    ),
    (
        "electronics",
        "smuggling",
        "Nhóm Zalo bán điện thoại xách tay không hóa đơn, giao hàng tận nơi.",
        "https://zalo.me/g/dienthoaixachtay",
    ),
    (
        "timber_forestry",
        "illegal_transport",
        "Xe công nông chở gỗ xẻ từ rừng ra ban đêm, đi đường mòn tránh trạm.",
        "",
    ),
    (
        "wildlife",
        "prohibited_goods",
        "Quán ăn ven đường rao bán thịt thú rừng, có nhốt cầy hương trong lồng.",
        "",
    ),
    ("", "other", "Có người lạ thu mua hàng hóa với giá cao bất thường, nghi rửa tiền qua buôn lậu.", ""),
]
CHANNELS = ["online", "online", "online", "hotline", "hotline", "email", "in_person", "mail", "transferred"]
NAMES = ["Nguyễn Thị Hoa", "Trần Văn Minh", "Lê Thị Lan", "Phạm Văn Đức", "Võ Thị Mai"]


def _age(tip: Tip, received) -> None:
    Tip.objects.filter(pk=tip.pk).update(
        received_at=received,
        accept_due=received + (tip.accept_due - tip.received_at),
        resolve_due=received + (tip.resolve_due - tip.received_at),
    )
    tip.refresh_from_db()


def _progress(tip: Tip, handler, rng, now) -> None:
    """Move the tip along as a real agency would, then date each step after its receipt."""
    age = (now - tip.received_at).days
    roll = rng.random()
    if age < 2 and roll < 0.7:
        return
    if roll < 0.07:
        services.reject(
            handler,
            tip,
            Tip.Outcome.OUT_OF_SCOPE,
            "Tranh chấp dân sự giữa hai hộ kinh doanh, hướng dẫn người dân đến UBND xã.",
        )
        closed = tip.received_at + dt.timedelta(days=rng.randint(1, 3))
        Tip.objects.filter(pk=tip.pk).update(closed_at=min(closed, now))
        return
    if age > 5 and roll > 0.93:
        return  # left untouched: overdue for acceptance
    services.accept(handler, tip)
    accepted = min(tip.received_at + dt.timedelta(hours=rng.randint(2, 60)), now)  # a past moment
    Tip.objects.filter(pk=tip.pk).update(accepted_at=accepted)
    tip.accepted_at = accepted  # the later steps save the tip again: keep the dated acceptance
    if age < 5:
        return
    services.start_verifying(handler, tip)
    services.staff_message(
        handler, tip, "Cảm ơn anh/chị. Đơn vị đã cử cán bộ xác minh, sẽ thông báo kết quả."
    )
    if age < 12 or rng.random() < 0.2:
        if age > 25 and rng.random() < 0.5:
            services.extend(
                handler,
                tip,
                (tip.received_at + dt.timedelta(days=45)).date(),
                "Chờ kết quả giám định mẫu hàng hóa.",
            )
        return
    outcome = rng.choice(
        [Tip.Outcome.SUBSTANTIATED, Tip.Outcome.SUBSTANTIATED, Tip.Outcome.NOT_SUBSTANTIATED]
    )
    reason = (
        "Kiểm tra đột xuất, lập biên bản vi phạm hành chính, tạm giữ hàng hóa."
        if outcome == Tip.Outcome.SUBSTANTIATED
        else "Kiểm tra không phát hiện vi phạm như phản ánh."
    )
    services.resolve(handler, tip, outcome, reason)
    closed = tip.received_at + dt.timedelta(days=rng.choice([6, 9, 14, 17, 19, 24]))
    Tip.objects.filter(pk=tip.pk).update(closed_at=min(closed, now))


def load(rng, stdout):
    if Tip.objects.exists():
        stdout.write("  tin báo: đã có, bỏ qua")
        return
    from canhgiac.accounts.models import User

    handler = User.objects.filter(username="admin").first()
    recorder = User.objects.filter(username="tip_handler_qltt").first() or handler
    if handler is None:
        stdout.write("  tin báo: chưa có tài khoản dùng thử, bỏ qua")
        return
    province = directory.configured_provinces()[0]
    wards = list(directory.units(province).order_by("code")[:12])
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for i in range(48):
            goods, violation, text, url = STORIES[i % len(STORIES)]
            ward = wards[rng.randrange(len(wards))]
            channel = CHANNELS[rng.randrange(len(CHANNELS))]
            named = rng.random() < 0.4
            data = {
                "description": text,
                "unit_code": ward.code,
                "goods_category": goods,
                "violation_type": violation,
                "location": f"Thôn {rng.randint(1, 12)}, {ward.name}",
                "online_url": url if i % 3 else "",
                "anonymous": not named,
                "reporter_name": NAMES[i % len(NAMES)] if named else "",
                "reporter_phone": f"09{rng.randint(10000000, 99999999)}" if named else "",
            }
            if channel == "online":
                tip, _secret = services.submit_public(data)
            else:
                data.update(
                    channel=channel,
                    transferred_from="Ban Tiếp công dân tỉnh" if channel == "transferred" else "",
                )
                tip, _secret = services.record_tip(recorder, data)
            _age(tip, now - dt.timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23)))
            _progress(tip, handler, rng, now)
            count += 1
    stdout.write(f"  tin báo: {count}")
