"""The import of the registers of who must sign (issue 15, item 5): command and page, all or
nothing with line-numbered errors, idempotent, audited per batch; the coverage counts from it."""

import pytest
from django.core.management import call_command

from canhgiac.online import services
from canhgiac.online.models import Signer

pytestmark = pytest.mark.django_db

HEADER = "kind,name,identifier,contact,commune,platform,url\n"


@pytest.fixture
def register(tmp_path, qltt):
    commune = qltt.province.children.order_by("code").first()

    def write(*lines, name="signers.csv", header=HEADER):
        path = tmp_path / name
        path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    write.commune = commune
    return write


def _rows(commune):
    return (
        f"ecommerce_seller,Shop Hoa Mai,6001234567,0912 345 678,{commune.code},shopee,https://shopee.vn/hoamai",
        f"press,Báo Đắk Lắk,6000111222,toasoan@baodaklak.vn,{commune.name},,",
        "kol,KOC Bé Na,,,,tiktok_shop,https://www.tiktok.com/@bena",
    )


def test_the_command_imports_the_register_idempotently_and_coverage_counts_it(register, qltt, capsys):
    from canhgiac.audit.models import AuditEvent

    path = register(*_rows(register.commune))
    before = {r["kind"]: r["required"] for r in services.commitment_coverage(qltt.province, "2026-Q4")}
    call_command("import-signers", str(path))
    assert "3 mới" in capsys.readouterr().out
    shop = Signer.objects.get(identifier="6001234567")
    assert shop.kind.code == "ecommerce_seller" and shop.unit == register.commune
    assert shop.platform.code == "shopee" and shop.contact == "0912 345 678"
    assert Signer.objects.get(name="Báo Đắk Lắk").unit == register.commune  # by the commune's name
    batches = AuditEvent.objects.filter(action="online.signers_imported")
    assert batches.count() == 1 and batches.get().changes["created"] == 3
    # the same file again: nothing changes
    call_command("import-signers", str(path))
    assert "0 mới, 0 cập nhật, 3 không đổi" in capsys.readouterr().out
    assert Signer.objects.filter(province=qltt.province).count() == 3
    # a changed contact updates the row
    rows = list(_rows(register.commune))
    rows[0] = rows[0].replace("0912 345 678", "0987 654 321")
    call_command("import-signers", str(register(*rows, name="changed.csv")))
    assert "1 cập nhật" in capsys.readouterr().out
    assert Signer.objects.get(identifier="6001234567").contact == "0987 654 321"
    # coverage: today's round counts the three new signers
    from canhgiac.online.commitments import round_for

    code = round_for(shop.registered_on).code
    after = {r["kind"]: r for r in services.commitment_coverage(qltt.province, code)}
    assert after["ecommerce_seller"]["required"] >= 1 and after["press"]["required"] >= 1
    assert "Shop Hoa Mai" in [m["name"] for m in after["ecommerce_seller"]["missing"]]
    assert before is not None


def test_any_error_writes_nothing_and_names_line_and_column(register, qltt, capsys):
    path = register(
        *_rows(register.commune),
        "doctor,Bác sĩ A,,,,,",  # unknown kind
        "press,,123,,,,",  # no name
        "kol,KOC X,,,Xã Không Có,,",  # unknown commune
        "kol,KOC Y,,,,myspace,",  # unknown platform
        "kol,KOC Z,,,,,notaurl",  # bad URL
        "ecommerce_seller,Shop Hoa Mai 2,6001234567,,,,",  # same kind and tax code as line 2
    )
    with pytest.raises(SystemExit):
        call_command("import-signers", str(path))
    err = capsys.readouterr().err
    for expected in (
        "Dòng 5, cột kind",
        "Dòng 6, cột name",
        "Dòng 7, cột commune",
        "Dòng 8, cột platform",
        "Dòng 9, cột url",
        "Dòng 10, cột identifier: trùng với dòng 2",
    ):
        assert expected in err, err
    assert not Signer.objects.exists()


def test_a_missing_column_is_refused(register):
    result = services.import_signers(
        None, register("x", header="kind,name\n").read_bytes(), "s.csv", register.commune.parent
    )
    assert not result.ok and {e.column for e in result.errors} >= {"identifier", "commune", "url"}


def test_the_page_imports_for_the_agency_in_charge_only_its_kinds(
    client, make_user, register, qltt, agency, lang_son, coordinator_lang_son
):
    from canhgiac.core import policy

    syt = make_user("officer_syt", "SYT", policy.OFFICER)  # in charge of doctors and health goods
    client.force_login(syt)
    assert client.get("/online/commitments/signers/import/").status_code == 200
    path = register(*_rows(register.commune))
    with path.open("rb") as fh:
        page = client.post("/online/commitments/signers/import/", {"file": fh}).content.decode()
    assert "Dòng 2, cột kind" in page and "chưa ghi dữ liệu nào" in page  # a seller: SCT's register
    assert not Signer.objects.exists()
    health = register("health,BS. Nguyễn Văn Y,001080012345,,,,", name="health.csv")
    with health.open("rb") as fh:
        response = client.post("/online/commitments/signers/import/", {"file": fh})
    assert response.status_code == 302
    assert Signer.objects.get().province == qltt.province
    # a viewer may not import; the other province's coordinator writes to Lạng Sơn's register
    client.force_login(make_user("viewer", "QLTT", policy.VIEWER))
    assert client.get("/online/commitments/signers/import/").status_code == 403
    result = services.import_signers(coordinator_lang_son, health.read_bytes(), "h.csv", lang_son)
    assert result.ok and Signer.objects.filter(province=lang_son).count() == 1
    assert not services.import_signers(coordinator_lang_son, health.read_bytes(), "h.csv", qltt.province).ok
