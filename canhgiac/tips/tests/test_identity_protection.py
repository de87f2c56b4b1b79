import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from canhgiac.audit.models import AuditEvent
from canhgiac.tips import services, tokens
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db
PHONE, EMAIL, NAME = "0987654321", "nguoibao@example.vn", "Trần Thị Bảo"


def raw_row(tip) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tips_tip WHERE id = %s", [tip.pk])
        return " ".join(str(v) for v in cursor.fetchone())


def all_audit_text() -> str:
    return json.dumps(
        [[e.changes, e.object_repr, e.ip] for e in AuditEvent.objects.all()], ensure_ascii=False
    )


def test_contact_details_are_not_readable_in_the_database(make_tip, ward):
    tip = make_tip(
        unit_code=ward.code,
        goods_category="fuel",
        anonymous=False,
        reporter_name=NAME,
        reporter_phone=PHONE,
        reporter_email=EMAIL,
    )
    row = raw_row(tip)
    for secret in (PHONE, EMAIL, NAME, "Trần"):
        assert secret not in row
        assert secret not in all_audit_text()
    assert tokens.decrypt_contact(Tip.objects.get(pk=tip.pk).contact_encrypted) == {
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }


def test_contacts_stay_readable_after_a_key_rotation(make_tip, settings):
    from cryptography.fernet import Fernet

    tip = make_tip(anonymous=False, reporter_phone=PHONE)
    settings.TIP_CONTACT_KEYS = [Fernet.generate_key().decode(), *settings.TIP_CONTACT_KEYS]
    assert tokens.decrypt_contact(tip.contact_encrypted)["phone"] == PHONE
    rotated = tokens.rotate_contact(tip.contact_encrypted)
    settings.TIP_CONTACT_KEYS = settings.TIP_CONTACT_KEYS[:1]
    assert tokens.decrypt_contact(rotated)["phone"] == PHONE


def test_an_anonymous_tip_stores_no_contact_and_no_ip(client):
    response = client.post(
        "/api/v1/tips",
        data=json.dumps(
            {
                "description": "Quán karaoke bán thuốc lá điện tử cho học sinh.",
                "anonymous": True,
                "reporter_phone": PHONE,
            }
        ),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.77",
    )
    assert response.status_code == 201
    tip = Tip.objects.get(code=response.json()["code"])
    assert tip.anonymous and tip.contact_encrypted == ""
    assert PHONE not in raw_row(tip)
    events = AuditEvent.objects.filter(object_type="tips.tip", object_id=str(tip.pk))
    assert events.exists()
    assert all(e.ip is None and e.actor_id is None for e in events)
    assert "203.0.113.77" not in all_audit_text()
    from django.core.cache import cache

    assert "203.0.113.77" not in str(getattr(cache, "_cache", {}))


def test_only_the_lead_agencys_tip_handler_sees_the_contact_and_each_view_is_audited(
    make_tip, ward, tip_handler_qltt, leader_qltt, coordinator_sct, officer_qltt, officer_ca
):
    tip = make_tip(unit_code=ward.code, goods_category="fuel", anonymous=False, reporter_phone=PHONE)
    for user in (leader_qltt, coordinator_sct, officer_qltt, officer_ca):
        with pytest.raises(PermissionDenied):
            services.reveal_contact(user, tip)
    assert services.reveal_contact(tip_handler_qltt, tip) == {"phone": PHONE}
    event = AuditEvent.objects.get(action="tips.contact_viewed")
    assert event.actor == tip_handler_qltt and event.object_id == str(tip.pk)
    assert PHONE not in json.dumps(event.changes)


def test_the_contact_page_is_audited_and_refused_to_others(
    make_tip, ward, signed_in, tip_handler_qltt, coordinator_sct
):
    tip = make_tip(unit_code=ward.code, goods_category="fuel", anonymous=False, reporter_phone=PHONE)
    page = signed_in(coordinator_sct).post(f"/tips/{tip.pk}/contact/")
    assert page.status_code == 403
    page = signed_in(tip_handler_qltt).post(f"/tips/{tip.pk}/contact/")
    assert page.status_code == 200 and PHONE in page.content.decode()
    assert AuditEvent.objects.filter(action="tips.contact_viewed", actor=tip_handler_qltt).count() == 1
    detail = signed_in(tip_handler_qltt).get(f"/tips/{tip.pk}/")
    assert PHONE not in detail.content.decode()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "SecretPhone X"  # Model
    exif[0x8825] = {1: "N", 2: (12.0, 40.0, 1.0), 3: "E", 4: (108.0, 3.0, 2.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_metadata_is_stripped_before_storage(tip_data):
    raw = jpeg_with_gps()
    assert b"SecretPhone" in raw
    tip, _ = services.submit_public(tip_data(), [SimpleUploadedFile("IMG_0001.jpg", raw, "image/jpeg")])
    stored = tip.attachments.get()
    data = stored.file.open("rb").read()
    assert b"SecretPhone" not in data and b"CameraMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert stored.kind == "photo" and stored.content_type == "image/jpeg"
    assert "IMG_0001" not in stored.file.name


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.jpg", b"MZ\x90\x00 not an image", "không phải ảnh"),
        ("big.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * (2 * 1024 * 1024), "vượt quá"),
    ],
)
def test_bad_or_oversized_files_are_refused(tip_data, settings, name, content, message):
    from django.core.exceptions import ValidationError

    settings.TIP_MAX_VIDEO_MB = 1
    with pytest.raises(ValidationError) as err:
        services.submit_public(tip_data(), [SimpleUploadedFile(name, content)])
    assert message in " ".join(err.value.message_dict["files"])
    assert not Tip.objects.exists()


def test_attachments_are_served_only_to_staff_who_see_the_tip(
    tip_data, client, signed_in, officer_ca, coordinator_sct
):
    tip, _ = services.submit_public(tip_data(), [SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    url = f"/tips/{tip.pk}/files/{tip.attachments.get().pk}/"
    assert client.get(url).status_code == 302  # to sign-in
    assert signed_in(officer_ca).get(url).status_code == 404
    response = signed_in(coordinator_sct).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_rotation_command_re_encrypts_every_contact_with_the_new_key(make_tip, settings):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    tip = make_tip(anonymous=False, reporter_phone=PHONE)
    anonymous = make_tip(description="Tin báo ẩn danh về hàng lậu ở bến xe.")
    old_keys, new_key = list(settings.TIP_CONTACT_KEYS), Fernet.generate_key().decode()
    settings.TIP_CONTACT_KEYS = [new_key, *old_keys]
    out = StringIO()
    call_command("tips-rotate-contacts", stdout=out)
    assert "1 tin báo" in out.getvalue()
    settings.TIP_CONTACT_KEYS = [new_key]  # old keys retired
    assert tokens.decrypt_contact(Tip.objects.get(pk=tip.pk).contact_encrypted) == {"phone": PHONE}
    assert Tip.objects.get(pk=anonymous.pk).contact_encrypted == ""
    assert AuditEvent.objects.filter(action="tips.contact_keys_rotated", changes={"count": 1}).exists()
