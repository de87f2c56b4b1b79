"""Vietnamese names of the Core Business Vocabulary's business steps and dispositions (CBV 2.0),
for the pages officers and consumers read; the stored events keep the standard's words. A term
outside CBV (a user extension URI) is shown as written."""

from django.utils.translation import gettext_lazy as _

from canhgiac.goods.epcis.validation import CBV, OLD_CBV

BIZ_STEPS = {
    "accepting": _("Chấp nhận hàng"),
    "arriving": _("Đến nơi"),
    "assembling": _("Lắp ráp"),
    "collecting": _("Thu gom"),
    "commissioning": _("Gắn mã, đưa vào lưu thông"),
    "consigning": _("Ký gửi"),
    "creating_class_instance": _("Tạo lô, mẻ"),
    "cycle_counting": _("Kiểm đếm định kỳ"),
    "decommissioning": _("Hủy kích hoạt mã"),
    "departing": _("Rời đi"),
    "destroying": _("Tiêu hủy"),
    "disassembling": _("Tháo rời"),
    "dispensing": _("Cấp phát, bán lẻ theo liều"),
    "encoding": _("Mã hóa"),
    "entering_exiting": _("Ra, vào"),
    "holding": _("Tạm giữ"),
    "inspecting": _("Kiểm tra"),
    "installing": _("Lắp đặt"),
    "killing": _("Vô hiệu hóa thẻ"),
    "loading": _("Xếp hàng lên phương tiện"),
    "other": _("Khác"),
    "packing": _("Đóng gói"),
    "picking": _("Lấy hàng"),
    "receiving": _("Nhận hàng"),
    "removing": _("Tháo ra"),
    "repackaging": _("Đóng gói lại"),
    "repairing": _("Sửa chữa"),
    "replacing": _("Thay thế"),
    "reserving": _("Giữ chỗ"),
    "retail_selling": _("Bán lẻ"),
    "sampling": _("Lấy mẫu"),
    "sensor_reporting": _("Ghi số liệu cảm biến"),
    "shipping": _("Xuất hàng"),
    "staging_outbound": _("Tập kết chờ xuất"),
    "stock_taking": _("Kiểm kê"),
    "stocking": _("Lên kệ"),
    "storing": _("Lưu kho"),
    "transporting": _("Vận chuyển"),
    "unloading": _("Dỡ hàng"),
    "unpacking": _("Dỡ kiện"),
    "void_shipping": _("Hủy xuất hàng"),
}

DISPOSITIONS = {
    "active": _("đang lưu hành"),
    "available": _("sẵn sàng"),
    "completeness_inferred": _("đủ (suy ra)"),
    "completeness_verified": _("đủ (đã kiểm)"),
    "conformant": _("đạt"),
    "container_closed": _("kiện đã đóng"),
    "container_open": _("kiện đang mở"),
    "damaged": _("hư hỏng"),
    "destroyed": _("đã tiêu hủy"),
    "dispensed": _("đã cấp phát"),
    "disposed": _("đã thải bỏ"),
    "encoded": _("đã mã hóa"),
    "expired": _("hết hạn"),
    "in_progress": _("đang xử lý"),
    "in_transit": _("đang vận chuyển"),
    "inactive": _("ngừng lưu hành"),
    "mismatch_class": _("sai loại hàng"),
    "mismatch_instance": _("sai mã từng sản phẩm"),
    "mismatch_quantity": _("sai số lượng"),
    "needs_replacement": _("cần thay thế"),
    "no_pedigree_match": _("không khớp hồ sơ nguồn gốc"),
    "non_conformant": _("không đạt"),
    "non_sellable_other": _("không được bán"),
    "partially_dispensed": _("đã cấp phát một phần"),
    "recalled": _("bị thu hồi"),
    "reserved": _("đã giữ chỗ"),
    "retail_sold": _("đã bán"),
    "returned": _("bị trả lại"),
    "sellable_accessible": _("bán được, trên kệ"),
    "sellable_not_accessible": _("bán được, trong kho"),
    "stolen": _("bị mất cắp"),
    "unavailable": _("không sẵn sàng"),
    "unknown": _("không rõ"),
}


def _word(uri: str, kind: str) -> str:
    for prefix in (CBV + kind + "-", OLD_CBV + ("bizstep:" if kind == "BizStep" else "disp:")):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def step_label(uri: str | None) -> str:
    """ "Xuất hàng" for https://ref.gs1.org/cbv/BizStep-shipping; an extension URI as it is."""
    if not uri:
        return ""
    word = _word(uri, "BizStep")
    return str(BIZ_STEPS.get(word, word))


def disposition_label(uri: str | None) -> str:
    if not uri:
        return ""
    word = _word(uri, "Disp")
    return str(DISPOSITIONS.get(word, word))
