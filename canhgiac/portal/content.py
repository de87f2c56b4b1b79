"""The portal's guides for consumers and businesses, and the handbook (seed 004, 3.2). Kept as
data so the pages and the site search read the same text."""

from django.utils.translation import gettext_lazy as _

GUIDES = {
    "nguoi-tieu-dung": {
        "title": _("Hướng dẫn cho người tiêu dùng"),
        "intro": _("Cách nhận biết hàng giả, kiểm tra một sản phẩm trước khi mua và báo tin khi nghi ngờ."),
        "sections": [
            (
                _("Nhận biết hàng giả, hàng nhái"),
                [
                    _("Giá rẻ bất thường so với giá bán lẻ tham khảo của sản phẩm cùng loại."),
                    _(
                        "Bao bì in mờ, lem màu, sai chính tả, thiếu tên và địa chỉ của tổ chức chịu trách nhiệm."
                    ),
                    _("Nhãn không có hoặc có nhãn phụ tiếng Việt sơ sài với hàng nhập khẩu."),
                    _("Không có hạn sử dụng, ngày sản xuất hoặc số lô; tem chống giả bị bóc, dán lại."),
                    _("Người bán không xuất được hóa đơn, không nói rõ nguồn gốc hàng."),
                ],
            ),
            (
                _("Kiểm tra một sản phẩm"),
                [
                    _(
                        'Dùng mục "Kiểm tra sản phẩm" trên cổng: nhập mã vạch (GTIN) in trên bao bì để xem sản phẩm đã đăng ký, doanh nghiệp chịu trách nhiệm và tình trạng lưu hành.'
                    ),
                    _("Sản phẩm bị thu hồi hoặc ngừng lưu hành được ghi rõ; không mua, không sử dụng."),
                    _(
                        "Mã vạch không có trên hệ thống chưa hẳn là hàng giả, nhưng nên hỏi người bán về nguồn gốc."
                    ),
                ],
            ),
            (
                _("Mua hàng trực tuyến"),
                [
                    _(
                        "Ưu tiên người bán công khai tên, địa chỉ, mã số thuế, số điện thoại trên trang bán hàng."
                    ),
                    _("Giữ lại đường dẫn, ảnh chụp trang bán hàng, tin nhắn và chứng từ thanh toán."),
                    _("Kiểm tra hàng khi nhận; từ chối nhận nếu hàng khác mô tả."),
                ],
            ),
            (
                _("Khi nghi ngờ"),
                [
                    _(
                        "Gửi tin báo trên cổng (có thể ẩn danh) hoặc gọi đường dây nóng của cơ quan phụ trách lĩnh vực."
                    ),
                    _("Ghi lại mã tin báo và mã bí mật để tra cứu kết quả xử lý."),
                ],
            ),
        ],
    },
    "doanh-nghiep": {
        "title": _("Hướng dẫn cho doanh nghiệp"),
        "intro": _("Nghĩa vụ pháp lý khi kinh doanh, kể cả bán hàng trực tuyến, và cách đăng ký sản phẩm."),
        "sections": [
            (
                _("Người bán hàng trực tuyến"),
                [
                    _(
                        "Công khai trên trang bán hàng: tên, địa chỉ, mã số thuế hoặc số giấy chứng nhận đăng ký kinh doanh, số điện thoại liên hệ (Nghị định 52/2013/NĐ-CP, sửa đổi bởi Nghị định 85/2021/NĐ-CP về thương mại điện tử)."
                    ),
                    _(
                        "Thông tin về hàng hóa đúng với nhãn: nguồn gốc, giá, phương thức thanh toán, vận chuyển, đổi trả."
                    ),
                    _(
                        "Không kinh doanh hàng cấm, hàng giả, hàng xâm phạm quyền sở hữu trí tuệ, hàng không rõ nguồn gốc."
                    ),
                    _(
                        "Lưu giữ chứng từ, hóa đơn chứng minh nguồn gốc hàng hóa để xuất trình khi cơ quan chức năng kiểm tra."
                    ),
                ],
            ),
            (
                _("Nhãn hàng hóa"),
                [
                    _(
                        "Ghi nhãn theo Nghị định 43/2017/NĐ-CP (sửa đổi bởi Nghị định 111/2021/NĐ-CP): tên hàng, tổ chức chịu trách nhiệm, xuất xứ, hạn sử dụng khi bắt buộc; hàng nhập khẩu có nhãn phụ tiếng Việt."
                    ),
                ],
            ),
            (
                _("Quyền lợi người tiêu dùng"),
                [
                    _(
                        "Cung cấp thông tin trung thực, giải quyết khiếu nại và đổi trả theo Luật Bảo vệ quyền lợi người tiêu dùng năm 2023."
                    ),
                ],
            ),
            (
                _("Cam kết không kinh doanh hàng giả, hàng không rõ nguồn gốc"),
                [
                    _(
                        'Doanh nghiệp, hộ kinh doanh và người bán hàng trực tuyến ký cam kết với cơ quan chức năng không buôn bán hàng lậu, hàng giả, hàng không rõ nguồn gốc; danh sách cam kết đã ký được công khai trong mục "Cam kết".'
                    ),
                ],
            ),
            (
                _("Đăng ký sản phẩm"),
                [
                    _(
                        "Doanh nghiệp có tài khoản đăng ký mã GTIN, số công bố và giá bán lẻ tham khảo của sản phẩm; người tiêu dùng kiểm tra được bằng mã vạch, và sản phẩm đang lưu hành xuất hiện trong danh sách hàng hóa có nguồn gốc rõ ràng."
                    ),
                ],
            ),
        ],
    },
    "so-tay": {
        "title": _("Sổ tay phòng, chống buôn lậu, hàng giả"),
        "intro": _("Những điều cần biết, gọn trong một trang in, để phát tại chợ, trường học và khu dân cư."),
        "sections": [
            (
                _("Buôn lậu, gian lận thương mại, hàng giả là gì"),
                [
                    _("Buôn lậu: đưa hàng hóa qua biên giới trái phép, trốn tránh kiểm tra, thuế."),
                    _(
                        "Gian lận thương mại: gian dối về số lượng, chất lượng, xuất xứ, giá, hóa đơn để thu lợi bất chính."
                    ),
                    _(
                        "Hàng giả: hàng giả mạo nhãn hiệu, xuất xứ, chất lượng, công dụng; hàng kém chất lượng gây hại cho sức khỏe."
                    ),
                ],
            ),
            (
                _("Những mặt hàng cần chú ý"),
                [
                    _(
                        "Thuốc, thực phẩm chức năng, mỹ phẩm, thực phẩm; xăng dầu; phân bón, thuốc bảo vệ thực vật; thuốc lá điếu; rượu; hàng điện tử."
                    ),
                ],
            ),
            (
                _("Người dân có thể làm gì"),
                [
                    _("Mua hàng ở cơ sở có nguồn gốc rõ ràng, lấy hóa đơn."),
                    _("Kiểm tra mã vạch trên cổng; đọc các cảnh báo phương thức, thủ đoạn mới."),
                    _("Báo tin cho cơ quan chức năng; thông tin người báo tin được giữ bí mật."),
                ],
            ),
        ],
    },
}


def guide_text(guide: dict) -> str:
    parts = [str(guide["title"]), str(guide["intro"])]
    for heading, items in guide["sections"]:
        parts.append(str(heading))
        parts.extend(str(i) for i in items)
    return "\n".join(parts)
