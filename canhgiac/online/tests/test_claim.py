"""A signer account with no register entry linked claims its own entry ("Đây là tôi", issue 15,
item 5): entries whose identifier equals its business's tax code or the identifier recorded for
the account are offered; claiming links the entry (audited) and the account then signs it. Two
provinces: Đắk Lắk 66 and Lạng Sơn 20."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import make_business
from canhgiac.online import services
from canhgiac.online.models import Signer, SignerKind

pytestmark = pytest.mark.django_db


def _kind(code):
    return SignerKind.objects.get(code=code)


@pytest.fixture
def dak_lak(qltt):
    return qltt.province


def test_a_business_claims_the_entries_under_its_tax_code_in_another_province(
    dak_lak, lang_son, coordinator_lang_son, make_user
):
    """A Đắk Lắk business is on Lạng Sơn's register of sellers under its tax code: offered, claimed
    (audited), then signed. A person's kind (KOL) with the same number is not offered to it."""
    business, user = make_business("0312345678", "Công ty TNHH Hoa Mai", "hoamai")
    far = services.add_signer(
        coordinator_lang_son,
        lang_son,
        kind=_kind("ecommerce_seller"),
        name="Hoa Mai",
        identifier="0312345678",
    )
    services.add_signer(None, lang_son, kind=_kind("kol"), name="Người khác", identifier="0312345678")
    services.add_signer(
        None, lang_son, kind=_kind("ecommerce_seller"), name="Shop khác", identifier="0399999999"
    )
    assert list(services.own_signers(user)) == []  # own only in its own province, implicitly
    assert list(services.claimable_signers(user)) == [far]
    services.claim_signer(user, far)
    far.refresh_from_db()
    assert far.user == user
    assert AuditEvent.objects.filter(
        action="online.signer_claimed", actor=user, object_id=str(far.pk)
    ).exists()
    assert list(services.own_signers(user)) == [far]
    assert list(services.claimable_signers(user)) == []  # linked now: nothing more offered
    services.sign_online(user, far)
    assert hasattr(Signer.objects.get(pk=far.pk), "commitment")


def test_a_signer_area_account_claims_by_its_recorded_identifier(
    dak_lak, lang_son, coordinator_lang_son, coordinator_sct, make_user, client
):
    """Lạng Sơn's coordinator records the ID number of a KOL's account; the account claims the
    Lạng Sơn entry with that number on its signer page, and a Đắk Lắk one too (a number names one
    person). Đắk Lắk's coordinator may not record identities for Lạng Sơn; another account, or an
    entry already linked, is never offered."""
    kol = make_user("koc_be_na")
    other = make_user("koc_khac")
    entry = services.add_signer(
        None, lang_son, kind=_kind("kol"), name="KOC Bé Na", identifier="040123456789"
    )
    in_dak_lak = services.add_signer(
        None, dak_lak, kind=_kind("kol"), name="Bé Na", identifier="040123456789"
    )
    taken = services.add_signer(
        None, lang_son, kind=_kind("celebrity"), name="Bé Na", identifier="040123456789", signer_user=other
    )
    with pytest.raises(PermissionDenied):
        services.record_signer_identity(coordinator_sct, kol, "040123456789", lang_son)
    with pytest.raises(ValidationError):
        services.record_signer_identity(coordinator_lang_son, kol, "  ", lang_son)
    services.record_signer_identity(coordinator_lang_son, kol, "0401 2345 6789", lang_son)
    assert AuditEvent.objects.filter(action="online.signer_identity_recorded").exists()
    assert set(services.claimable_signers(kol)) == {entry, in_dak_lak}
    assert taken not in services.claimable_signers(kol)
    assert list(services.claimable_signers(other)) == []  # its own entry is linked already
    with pytest.raises(PermissionDenied):
        services.claim_signer(other, entry)

    client.force_login(kol, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("online:sign"))
    assert "Đây là tôi" in page.content.decode() and "KOC Bé Na" in page.content.decode()
    response = client.post(reverse("online:sign"), {"claim": str(taken.pk)})
    assert response.status_code == 403  # not offered to it
    response = client.post(reverse("online:sign"), {"claim": str(entry.pk)})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.user == kol
    page = client.get(reverse("online:sign")).content.decode()
    assert "Đây là tôi" not in page and "Ký cam kết" in page  # linked: it signs now


def test_staff_and_anonymous_are_offered_nothing(dak_lak, coordinator_sct, officer_qltt_lang_son, client):
    services.add_signer(None, dak_lak, kind=_kind("kol"), name="KOC", identifier="040123456789")
    assert list(services.claimable_signers(coordinator_sct)) == []
    assert list(services.claimable_signers(officer_qltt_lang_son)) == []
    with pytest.raises(ValidationError):
        services.record_signer_identity(coordinator_sct, officer_qltt_lang_son, "040123456789", dak_lak)
    from django.contrib.auth.models import AnonymousUser

    assert list(services.claimable_signers(AnonymousUser())) == []


def test_the_business_area_offers_and_claims(dak_lak, lang_son, client):
    business, user = make_business("0312345679", "Công ty TNHH Lúa Vàng", "luavang")
    entry = services.add_signer(
        None, lang_son, kind=_kind("health_goods"), name="Lúa Vàng", identifier="0312345679"
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("goods:business_commitments")
    assert "Đây là tôi" in client.get(url).content.decode()
    assert client.post(url, {"claim": str(entry.pk)}).status_code == 302
    entry.refresh_from_db()
    assert entry.user == user
