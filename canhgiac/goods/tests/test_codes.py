"""Signed serial codes and the public check (issue 13, items 4, 5, 7): every verify status from
constructed cases, key rotation and revocation, businesses seeing only their own codes, the CLI."""

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from canhgiac.conftest import make_business
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods import codes, signing, verify
from canhgiac.goods.models import CodeBatch, CodeCheck, Product, SerialCode, SigningKey

pytestmark = pytest.mark.django_db
BASE = "https://kiemtra.example.vn"


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    verify.forget_cached()
    yield
    verify.forget_cached()


@pytest.fixture
def world(business_user):
    milk = GoodsCategory.objects.get(code="milk")
    hoa_mai = business_user.business_memberships.get().business
    product = Product.objects.create(gtin="08934588012228", name="Sữa Hoa Mai", category=milk, owner=hoa_mai)
    communes = list(AdministrativeUnit.objects.filter(parent=hoa_mai.province).order_by("code")[:4])
    return {"user": business_user, "business": hoa_mai, "product": product, "communes": communes}


def issue(world, count=5, lot="L2026-01", product=None):
    product = product or world["product"]
    batch = codes.request_batch(world["user"], product, lot, count)
    result = codes.issue_batch(batch, base=BASE)
    rows = list(csv.reader(result.path.open(encoding="utf-8")))
    assert rows[0] == ["serial", "code"]
    return batch, rows[1:]


def check(code, unit=None, **kw):
    return verify.check(code, unit.code if unit is not None else "", **kw)


def codes_of(answer):
    return [r["code"] for r in answer["reasons"]]


# --- the code -----------------------------------------------------------------------------------


def test_a_code_is_a_digital_link_with_serial_and_a_signature_over_its_element_string(world):
    batch, rows = issue(world, count=3)
    serial, code = rows[0]
    parts = urlsplit(code)
    assert code.startswith(f"{BASE}/01/08934588012228/10/L2026-01/21/{serial}?s=")
    kid, sig = parse_qs(parts.query)["s"][0].split(".")
    assert kid == batch.key.kid and len(sig) == 86
    public = signing.public_key_of(SigningKey.objects.get(kid=kid))
    public.verify(signing.b64url_decode(sig), f"^010893458801222810L2026-01^21{serial}".encode())
    assert len(code) < 200  # fits a version 10 QR code at level M
    assert SerialCode.objects.filter(batch=batch).count() == 3
    assert len({r[0] for r in rows}) == 3


def test_issuing_is_audited_once_per_batch(world):
    from canhgiac.audit.models import AuditEvent

    before = AuditEvent.objects.filter(action="goods.codes_issued").count()
    issue(world, count=50)
    assert AuditEvent.objects.filter(action="goods.codes_issued").count() == before + 1


def test_a_lot_with_characters_gs1_cannot_encode_is_refused_with_the_field_named(world):
    with pytest.raises(ValidationError) as exc:
        codes.request_batch(world["user"], world["product"], "Lô 1", 10)
    assert "Số lô" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        codes.request_batch(world["user"], world["product"], "L1", 0)


# --- every status -------------------------------------------------------------------------------


def test_an_issued_code_is_authentic(world):
    _b, rows = issue(world)
    answer = check(rows[0][1], world["communes"][0])
    assert answer["status"] == "authentic" and codes_of(answer) == ["OK"]
    assert answer["product"]["gtin"] == "08934588012228"
    assert answer["business"]["tax_code"] == world["business"].tax_code
    assert answer["code"]["serial"] == rows[0][0]


def test_an_altered_signature_or_serial_is_forged(world):
    _b, rows = issue(world)
    serial, code = rows[0]
    last = code[-1]
    altered_sig = code[:-1] + ("A" if last != "A" else "B")
    assert check(altered_sig)["status"] == "forged"
    assert "S1" in codes_of(check(altered_sig))
    other = rows[1][0]
    swapped = code.replace(f"/21/{serial}", f"/21/{other}")  # another pack's serial, this signature
    assert check(swapped)["status"] == "forged"
    altered_lot = code.replace("/10/L2026-01/", "/10/L2026-02/")
    assert check(altered_lot)["status"] == "forged"
    unknown_key = code.replace("?s=", "?s=XX")
    assert codes_of(check(unknown_key)) == ["S2"]
    # every single altered character of the serial or signature (decoded canonically) is forged
    head, sig = code.rsplit(".", 1)
    for i in range(0, len(sig), 7):
        ch = "B" if sig[i] != "B" else "C"
        assert check(head + "." + sig[:i] + ch + sig[i + 1 :], log=False)["status"] == "forged"
    # the same code with its serial percent-encoded is the same code
    assert (
        check(code.replace(f"/21/{serial}", "/21/" + "".join(f"%{ord(c):02X}" for c in serial)))["status"]
        == "authentic"
    )


def test_a_validly_signed_serial_never_issued_is_forged(world):
    batch, rows = issue(world)
    key = SigningKey.objects.get(kid=batch.key.kid)
    raw = signing.private_bytes(key)
    (never,) = signing.sign_chunk((raw, BASE, "08934588012228", "L2026-01", key.kid, ["ZZZZZZZZZZ"]))
    answer = check(never)
    assert answer["status"] == "forged" and codes_of(answer) == ["A3"]
    (other_lot,) = signing.sign_chunk((raw, BASE, "08934588012228", "NOLOT", key.kid, ["ZZZZZZZZZZ"]))
    assert codes_of(check(other_lot)) == ["A2", "A3"]


def test_a_copied_code_scanned_in_three_communes_within_a_day_is_suspicious(world):
    _b, rows = issue(world)
    code = rows[0][1]
    a, b, c, _d = world["communes"]
    now = timezone.now()
    assert check(code, a, now=now - dt.timedelta(hours=5))["status"] == "authentic"
    assert check(code, b, now=now - dt.timedelta(hours=2))["status"] == "authentic"
    answer = check(code, c, now=now)
    assert answer["status"] == "suspicious" and "C1" in codes_of(answer)
    assert "tip_url" in answer["advice"] and "/tips/report/" in answer["advice"]["tip_url"]
    # the window is 24 hours: two communes long ago and one now are not three within a day
    code2 = rows[1][1]
    check(code2, a, now=now - dt.timedelta(days=3))
    check(code2, b, now=now - dt.timedelta(days=2))
    assert check(code2, c, now=now)["status"] == "authentic"


def test_more_than_twenty_scans_is_suspicious(world):
    _b, rows = issue(world)
    code = rows[0][1]
    for _i in range(20):
        assert check(code)["status"] == "authentic"
    assert codes_of(check(code)) == ["C2"]


@override_settings(GOODS_SUSPICIOUS_COMMUNES=2, GOODS_SUSPICIOUS_SCANS=3)
def test_the_copy_rule_is_configurable(world):
    _b, rows = issue(world)
    a, b, *_rest = world["communes"]
    assert check(rows[0][1], a)["status"] == "authentic"
    assert check(rows[0][1], b)["status"] == "suspicious"
    for _i in range(3):
        check(rows[1][1])
    assert check(rows[1][1])["status"] == "suspicious"


def test_a_recalled_product_answers_recalled(world):
    _b, rows = issue(world)
    Product.objects.filter(pk=world["product"].pk).update(status=Product.Status.RECALLED)
    verify.forget_cached()  # the check sees a product's change within PRODUCT_CACHE_SECONDS
    answer = check(rows[0][1])
    assert answer["status"] == "recalled" and codes_of(answer) == ["R1"]
    assert check("8934588012228")["status"] == "recalled"


def test_a_recalled_lot_answers_recalled(world, monkeypatch):
    """The recalled branch is one call (recalls.active_recall(product, lot)); a lot recall of
    another lot leaves this one authentic."""
    _b, rows = issue(world)

    class Recall:
        lot = "L2026-01"
        reason = "Nhiễm khuẩn"

    monkeypatch.setattr(
        verify, "_active_recall", lambda product, lot: Recall() if lot == "L2026-01" else None
    )
    answer = check(rows[0][1])
    assert answer["status"] == "recalled" and codes_of(answer) == ["R2"]
    assert answer["recall"]["reason"] == "Nhiễm khuẩn"
    _b2, rows2 = issue(world, lot="L2026-02")
    assert check(rows2[0][1])["status"] == "authentic"


def test_a_decommissioned_code_says_when_and_where_it_was_sold(world):
    _b, rows = issue(world)
    a, b, *_rest = world["communes"]
    sold_at = timezone.now() - dt.timedelta(hours=1)
    assert codes.mark_codes(world["user"], world["business"], [rows[0][0]], "sold", at=sold_at, unit=a) == 1
    answer = check(rows[0][1], a)
    assert answer["status"] == "decommissioned" and codes_of(answer) == ["A7"]
    assert answer["decommissioned"]["unit"] == a.name and answer["decommissioned"]["status"] == "sold"
    # the same sold code checked in another commune: the clone signal
    assert check(rows[0][1], b)["status"] == "suspicious"
    codes.mark_codes(world["user"], world["business"], [rows[1][0]], "stolen")
    assert check(rows[1][1], b)["status"] == "decommissioned"


def test_marking_is_all_or_nothing_and_names_the_line(world):
    _b, rows = issue(world)
    with pytest.raises(ValidationError) as exc:
        codes.mark_codes(world["user"], world["business"], [rows[0][0], "NOTACODE00"], "destroyed")
    assert "Dòng 2" in " ".join(exc.value.messages)
    assert SerialCode.objects.get(serial=rows[0][0]).status == "active"


def test_a_plain_gtin_known_and_unknown(world):
    assert check("8934588012228")["status"] == "registered"
    assert check("08934588012228")["product"]["name"] == "Sữa Hoa Mai"
    assert check(f"{BASE}/01/08934588012228/10/ANYLOT")["status"] == "registered"
    unknown = check("8938505970011")
    assert unknown["status"] == "not_registered" and codes_of(unknown) == ["A1"]
    assert "tip_url" in unknown["advice"]


def test_garbage_is_unreadable(world):
    for text in ("xin chào", "8934588012229", "https://example.com/abc", "12345"):
        assert check(text)["status"] == "unreadable", text


def test_a_serial_without_signature_is_only_registered(world):
    answer = check(f"{BASE}/01/08934588012228/10/L1/21/ABC")
    assert answer["status"] == "registered" and codes_of(answer) == ["S4"]


def test_every_check_is_logged_without_personal_data(world):
    _b, rows = issue(world)
    a = world["communes"][0]
    check(rows[0][1], a)
    check("xin chào")
    logged = list(CodeCheck.objects.order_by("id").values())
    assert [r["status"] for r in logged] == ["authentic", "unreadable"]
    assert logged[0]["unit_id"] == a.pk and logged[1]["unit_id"] is None
    field_names = {f.name for f in CodeCheck._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user", "user_agent", "phone"}


# --- keys ---------------------------------------------------------------------------------------


def test_key_rotation_keeps_old_codes_verifiable(world):
    batch, rows = issue(world)
    old_kid = batch.key.kid
    new = signing.create_key(world["business"].province)
    verify.forget_cached()
    assert SigningKey.objects.get(kid=old_kid).status == "retired"
    _b2, rows2 = issue(world, lot="L2")
    assert f"s={new.kid}." in rows2[0][1]
    assert check(rows[0][1])["status"] == "authentic"
    assert check(rows2[0][1])["status"] == "authentic"
    kids = {k["kid"]: k["status"] for k in signing.jwks()["keys"]}
    assert kids == {old_kid: "retired", new.kid: "active"}


def _lang_son_world():
    from canhgiac.conftest import make_business

    business, user = make_business(
        "0100109106", "Công ty TNHH Sữa Đồng Đăng", "ls_business", province="lang_son"
    )
    product = Product.objects.create(
        gtin="08934588012235",
        name="Sữa Đồng Đăng",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )
    return {"user": user, "business": business, "product": product}


def test_a_retired_key_keeps_the_codes_it_signed_genuine_in_both_provinces(world, lang_son):
    """Retiring a key (taken out of service, not suspected) never turns its codes into forgeries:
    the known limit was that revoking was the only way out, and it made every earlier code
    forged. Đắk Lắk's retirement leaves Lạng Sơn's key alone."""
    ls = _lang_son_world()
    batch, rows = issue(world)
    ls_batch, ls_rows = issue(ls, lot="LS1")
    assert batch.key.province != ls_batch.key.province
    retired = signing.retire_key(batch.key.kid, "Đổi thiết bị ký")
    assert retired.status == "retired"
    assert signing.active_key(world["business"].province).kid != batch.key.kid  # a new one signs
    verify.forget_cached()
    for code in (rows[0][1], ls_rows[0][1]):
        answer = check(code)
        assert answer["status"] == "authentic" and codes_of(answer) == ["OK"], code
    assert batch.key.kid in {k["kid"] for k in signing.jwks()["keys"]}
    assert SigningKey.objects.get(kid=ls_batch.key.kid).status == "active"


def test_a_compromised_key_makes_its_codes_untrusted_not_forged(world, lang_son):
    """Revoking a key means it leaked: an issued serial it signed answers "cannot be trusted"
    (suspicious, S3, with what to do), a serial it never issued is forged; another province's
    codes stay authentic."""
    ls = _lang_son_world()
    batch, rows = issue(world)
    _ls_batch, ls_rows = issue(ls, lot="LS1")
    raw_private = signing.private_bytes(batch.key)
    signing.revoke_key(batch.key.kid, "Lộ khóa")
    verify.forget_cached()
    answer = check(rows[0][1], world["communes"][0])
    assert answer["status"] == "suspicious" and codes_of(answer) == ["S3"]
    assert answer["status_name"] == "Không thể tin cậy mã này"
    assert "khóa ký số dùng để tạo mã đã bị lộ" in answer["advice"]["text"]
    assert answer["advice"]["tip_url"] and answer["advice"]["hotline_url"]
    # the thief signs a serial of their own with the leaked key: not issued, so forged
    (made,) = signing.sign_chunk(
        (raw_private, BASE, "08934588012228", "L2026-01", batch.key.kid, ["ZZZZZZZZZZ"])
    )
    forged = check(made)
    assert forged["status"] == "forged" and set(codes_of(forged)) == {"A3", "S3"}
    assert check(ls_rows[0][1])["status"] == "authentic"
    jwks = signing.jwks()
    assert batch.key.kid not in {k["kid"] for k in jwks["keys"]}
    assert jwks["revoked"] == [
        {"kid": batch.key.kid, "revoked_at": jwks["revoked"][0]["revoked_at"], "reason": "compromised"}
    ]
    with pytest.raises(ValueError):
        signing.retire_key(batch.key.kid)  # a leaked key cannot be made trusted again


def test_signing_keys_command_retires_and_revokes(world):
    from django.core.management import call_command

    batch, rows = issue(world)
    out = io.StringIO()
    call_command("signing-keys", "retire", batch.key.kid, stdout=out)
    assert "vẫn được xác nhận là thật" in out.getvalue()
    verify.forget_cached()
    assert check(rows[0][1])["status"] == "authentic"
    call_command("signing-keys", "revoke", batch.key.kid, "--reason", "Lộ khóa", stdout=out)
    verify.forget_cached()
    assert check(rows[0][1])["status"] == "suspicious"


def test_revoking_the_active_key_makes_a_new_one(world):
    key = signing.active_key(world["business"].province, create=True)
    signing.revoke_key(key.kid, "thử")
    assert signing.active_key(world["business"].province).kid != key.kid


def test_private_keys_are_stored_encrypted(world):
    key = signing.active_key(world["business"].province, create=True)
    assert len(signing.private_bytes(key)) == 32
    assert signing.b64url(signing.private_bytes(key)) not in key.private_key_encrypted


def test_setup_creates_the_province_key_once(world):
    from canhgiac.goods.apps import setup_keys

    codename = world["business"].province.codename
    setup_keys([codename], None)
    setup_keys([codename], None)
    assert SigningKey.objects.filter(province=world["business"].province, status="active").count() == 1


# --- who sees what ------------------------------------------------------------------------------


def test_businesses_see_and_mark_only_their_own_codes(world, officer_qltt, officer_qltt_lang_son):
    batch, rows = issue(world)
    sen, sen_user = make_business("4000000014", "Công ty Sen", "sen_user")
    assert not visible_to(sen_user, CodeBatch.objects.all()).exists()
    assert not visible_to(sen_user, SerialCode.objects.all()).exists()
    assert visible_to(world["user"], CodeBatch.objects.all()).get() == batch
    assert visible_to(officer_qltt, CodeBatch.objects.all()).count() == 1
    assert not visible_to(officer_qltt_lang_son, CodeBatch.objects.all()).exists()
    with pytest.raises(PermissionDenied):
        codes.mark_codes(sen_user, world["business"], [rows[0][0]], "sold")
    with pytest.raises(PermissionDenied):
        codes.request_batch(sen_user, world["product"], "L9", 5)
    # Sen marking "its" codes cannot reach Hoa Mai's serials
    with pytest.raises(ValidationError):
        codes.mark_codes(sen_user, sen, [rows[0][0]], "sold")
    assert not policy.can(officer_qltt, "goods.mark_codes", business=world["business"])


def test_a_business_downloads_only_its_own_batches(world, signed_in):
    batch, rows = issue(world)
    own = signed_in(world["user"])
    response = own.get(f"/goods/business/codes/{batch.pk}/codes.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[1] == f"{rows[0][0]},{rows[0][1]}"
    pdf = own.get(f"/goods/business/codes/{batch.pk}/sheet.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    _sen, sen_user = make_business("4000000014", "Công ty Sen", "sen_user")
    other = signed_in(sen_user)
    assert other.get(f"/goods/business/codes/{batch.pk}/").status_code == 404
    assert other.get(f"/goods/business/codes/{batch.pk}/codes.csv").status_code == 404


def test_the_business_area_issues_a_batch_as_a_background_job(
    world, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(world["user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/goods/business/codes/", {"product": world["product"].pk, "lot": "WEB-1", "count": "1.000"}
        )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    batch = CodeBatch.objects.get(lot="WEB-1")
    assert batch.status == "issued" and SerialCode.objects.filter(batch=batch).count() == 1000
    response = client.post(
        "/goods/business/codes/mark/",
        {"serials": SerialCode.objects.filter(batch=batch).first().serial, "status": "sold"},
    )
    assert response.status_code == 302
    assert SerialCode.objects.filter(batch=batch, status="sold").count() == 1


# --- API and CLI --------------------------------------------------------------------------------


def test_verify_api_always_answers_200_with_a_status_but_422_without_code(world, client):
    _b, rows = issue(world)
    ok = client.get("/api/v1/verify", {"code": rows[0][1], "unit_code": world["communes"][0].code})
    assert ok.status_code == 200 and ok.json()["status"] == "authentic"
    assert client.get("/api/v1/verify", {"code": "???"}).json()["status"] == "unreadable"
    assert (
        client.get("/api/v1/verify", {"code": "8934588012228", "unit_code": "nope"}).json()["reasons"][-1][
            "code"
        ]
        == "U2"
    )
    assert client.get("/api/v1/verify").status_code == 422
    assert client.get("/api/v1/verify", {"code": "x" * 2001}).status_code == 422


def test_the_verify_answer_is_exactly_the_schema_it_documents(world, client):
    """The endpoint sends verify.check's dict as JSON without validating it again: every kind of
    answer must already be VerifyOut's shape, field for field (nothing missing, nothing extra)."""
    from canhgiac.goods.api import VerifyOut

    _b, rows = issue(world, count=3)
    codes.mark_codes(world["user"], world["business"], [rows[2][0]], "sold", unit=world["communes"][0])
    unit = world["communes"][0].code
    texts = [
        rows[0][1],  # authentic
        rows[1][1][:-1] + ("A" if rows[1][1][-1] != "A" else "B"),  # forged
        rows[2][1],  # decommissioned, with when and where
        "8934588012228",  # registered
        "8934588012235",  # not registered
        "xin chào",  # unreadable
    ]
    seen = set()
    for text in texts:
        sent = client.get("/api/v1/verify", {"code": text, "unit_code": unit}).json()
        assert sent == VerifyOut.model_validate(sent).model_dump(mode="json"), text
        seen.add(sent["status"])
    assert seen == {"authentic", "forged", "decommissioned", "registered", "not_registered", "unreadable"}


def test_the_jwk_set_is_public(world, client):
    issue(world, count=1)
    body = client.get("/api/v1/goods/keys").json()
    (key,) = body["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA" and len(key["x"]) == 43


def test_issue_codes_command_writes_serial_code_csv(world, tmp_path):
    out = tmp_path / "codes.csv"
    stdout = io.StringIO()
    call_command(
        "issue-codes",
        "--gtin",
        "8934588012228",
        "--lot",
        "CLI-1",
        "--count",
        "25",
        "--out",
        str(out),
        stdout=stdout,
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["serial", "code"] and len(rows) == 25
    assert "/10/CLI-1/21/" + rows[0]["serial"] + "?s=" in rows[0]["code"]
    assert verify.check(rows[0]["code"])["status"] == "authentic"


def test_issue_codes_signs_in_two_processes_when_the_batch_is_large(world, tmp_path, monkeypatch):
    monkeypatch.setattr(codes, "POOL_THRESHOLD", 10)
    monkeypatch.setattr(codes, "CHUNK", 7)
    out = tmp_path / "codes.csv"
    call_command(
        "issue-codes",
        "--gtin",
        "8934588012228",
        "--lot",
        "MP",
        "--count",
        "30",
        "--out",
        str(out),
        "--processes",
        "2",
        stdout=io.StringIO(),
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 30 and SerialCode.objects.filter(lot="MP").count() == 30
    assert all(verify.check(r["code"], log=False)["status"] == "authentic" for r in rows[::5])


def test_issue_codes_command_refuses_an_unknown_gtin(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "issue-codes",
            "--gtin",
            "8938505970011",
            "--lot",
            "X",
            "--count",
            "1",
            "--out",
            str(tmp_path / "x.csv"),
        )


def test_a_lot_with_a_slash_survives_the_uri(world):
    _b, rows = issue(world, lot="A/1")
    assert f"/10/{quote('A/1', safe='')}/21/" in rows[0][1]
    assert check(rows[0][1])["status"] == "authentic"


def test_a_signed_code_opened_in_a_browser_leads_to_the_check(world, client):
    _b, rows = issue(world)
    path = rows[0][1].removeprefix(BASE)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/goods/check/?code=")
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="authentic"' in page.content.decode()


def test_the_buffered_check_log_counts_waiting_rows_and_writes_them_on_flush(world, settings):
    settings.GOODS_CHECK_LOG_FLUSH_MS = 600_000  # the writer thread sleeps; the test flushes
    settings.GOODS_SUSPICIOUS_COMMUNES = 2
    _b, rows = issue(world)
    a, b, *_rest = world["communes"]
    assert check(rows[0][1], a)["status"] == "authentic"
    assert not CodeCheck.objects.exists()  # waiting in memory
    assert check(rows[0][1], b)["status"] == "suspicious"  # the waiting row counts
    assert verify.check_log.flush() == 2
    assert list(CodeCheck.objects.order_by("id").values_list("unit_id", flat=True)) == [a.pk, b.pk]


def test_a_lot_recalled_through_the_recalls_service_answers_recalled(world):
    from canhgiac.goods import recalls

    _b, rows = issue(world, lot="L-BAD")
    _b2, rows2 = issue(world, lot="L-GOOD")
    recalls.record_recall(None, world["product"], lot="L-BAD", reason="Nhiễm khuẩn Salmonella")
    verify.forget_cached()
    answer = check(rows[0][1])
    assert answer["status"] == "recalled" and codes_of(answer) == ["R2"]
    assert answer["recall"]["reason"] == "Nhiễm khuẩn Salmonella" and answer["recall"]["lot"] == "L-BAD"
    assert check(rows2[0][1])["status"] == "authentic"
    recalls.record_recall(None, world["product"], reason="Thu hồi toàn bộ")
    verify.forget_cached()
    assert codes_of(check(rows2[0][1])) == ["R1"]
