import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from canhgiac.cases import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (12.0, 40.0, 0.0)}  # GPS info
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_stored_without_its_metadata(make_case, officer_qltt):
    case = make_case("QLTT")
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    attachment = services.add_attachment(officer_qltt, case, SimpleUploadedFile("IMG_1.jpg", data))
    stored = attachment.file.open("rb").read()
    assert attachment.kind == "photo" and attachment.original_name == "IMG_1.jpg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"CameraMaker" not in stored


def test_a_pdf_is_accepted_and_other_types_refused(make_case, officer_qltt):
    case = make_case("QLTT")
    pdf = services.add_attachment(officer_qltt, case, SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n%%EOF"))
    assert pdf.kind == "document"
    with pytest.raises(ValidationError) as info:
        services.add_attachment(officer_qltt, case, SimpleUploadedFile("x.exe", b"MZ\x90\x00"))
    assert "chỉ nhận ảnh" in info.value.messages[0]


def test_a_file_over_10_mb_is_refused(make_case, officer_qltt):
    case = make_case("QLTT")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError):
        services.add_attachment(officer_qltt, case, big)


def test_another_agency_cannot_attach_or_download(make_case, officer_ca, signed_in, officer_qltt):
    case = make_case("QLTT", visibility="all")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_attachment(officer_ca, case, SimpleUploadedFile("qd.pdf", b"%PDF-1.4"))
    own = make_case("QLTT")
    attachment = services.add_attachment(officer_qltt, own, SimpleUploadedFile("qd.pdf", b"%PDF-1.4"))
    assert signed_in(officer_ca).get(f"/cases/attachments/{attachment.pk}/").status_code == 404


def test_a_damaged_photo_is_refused_in_vietnamese_not_a_server_error(make_case, officer_qltt):
    """A PNG whose data chunk fails its checksum made Pillow raise SyntaxError, a 500 on the form."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    damaged = bytearray(out.getvalue())
    damaged[damaged.find(b"IDAT") + 6] ^= 0xFF
    case = make_case("QLTT")
    with pytest.raises(ValidationError) as info:
        services.add_attachment(officer_qltt, case, SimpleUploadedFile("hong.png", bytes(damaged)))
    assert "chỉ nhận ảnh" in info.value.messages[0]
    assert not case.attachments.exists()
