"""Border flags reach the plan tasks at once: when the Standing Office edits the list, tasks
written for "UBND các xã biên giới" (Đắk Lắk 8.3 leads, Lạng Sơn 2.1 coordinators) are
re-expanded in the same transaction, audited, and the task page shows the change."""

from unittest import mock

import pytest

from canhgiac.audit.models import AuditEvent
from canhgiac.directory.models import AdministrativeUnit, Agency
from canhgiac.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def lang_son(settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    return directory.setup_province("lang_son")


@pytest.fixture
def coordinator_lang_son(make_user, lang_son):
    from canhgiac.core import policy

    return make_user("coordinator_lang_son", f"{lang_son.code}:QLTT", policy.COORDINATOR)


def _codes(province):
    return list(province.children.filter(border=True).values_list("code", flat=True))


def test_dak_lak_8_3_follows_the_border_list_at_once(signed_in, coordinator_sct):
    plan = Plan.objects.get(code="dak_lak_2030")
    task = plan.tasks.get(code="8.3")
    ea_sup = AdministrativeUnit.objects.get(name="Xã Ea Súp", parent=plan.province)
    buon_don = AdministrativeUnit.objects.get(name="Xã Buôn Đôn", parent=plan.province)
    assert not task.lead_agencies.filter(unit=ea_sup).exists()
    client = signed_in(coordinator_sct)
    wanted = [c for c in _codes(plan.province) if c != buon_don.code] + [ea_sup.code]
    assert client.post("/directory/border/", {"border": wanted}).status_code == 302

    leads = set(task.lead_agencies.values_list("unit__name", flat=True))
    assert leads == {"Xã Ea Súp", "Xã Ea Bung", "Xã Ia Lốp", "Xã Ia Rvê"}
    event = AuditEvent.objects.get(action="plans.task.border_followed", object_id=str(task.pk))
    added = event.changes["lead_agencies"]["added"]
    removed = event.changes["lead_agencies"]["removed"]
    assert [Agency.objects.get(unit=ea_sup).name] == added
    assert [Agency.objects.get(unit=buon_don).name] == removed
    assert event.actor == coordinator_sct

    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "xã Ea Súp" in page.split('data-testid="border-communes"')[1].split("</dd>")[0]
    history = page.split('data-testid="border-history"')[1].split("</ul>")[0]
    assert "+" + Agency.objects.get(unit=ea_sup).name in history
    assert "−" + Agency.objects.get(unit=buon_don).name in history


def test_the_flags_and_the_tasks_change_together_or_not_at_all(signed_in, coordinator_sct):
    plan = Plan.objects.get(code="dak_lak_2030")
    before = _codes(plan.province)
    ea_sup = AdministrativeUnit.objects.get(name="Xã Ea Súp", parent=plan.province)
    client = signed_in(coordinator_sct)
    client.raise_request_exception = False
    with mock.patch("canhgiac.plans.loader.follow_border_flags", side_effect=RuntimeError("boom")):
        response = client.post("/directory/border/", {"border": [*before, ea_sup.code]})
    assert response.status_code == 500
    assert sorted(_codes(plan.province)) == sorted(before)
    assert not AuditEvent.objects.filter(action="plans.task.border_followed").exists()


def test_lang_son_2_1_coordinators_follow_the_border_list(signed_in, coordinator_lang_son, lang_son):
    from canhgiac.plans import loader

    loader.load_shipped(["lang_son"])
    task = Plan.objects.get(province=lang_son, agency=None).tasks.get(code="2.1")
    dak_lak_8_3 = Plan.objects.get(code="dak_lak_2030").tasks.get(code="8.3")
    dak_lak_leads = set(dak_lak_8_3.lead_agencies.values_list("pk", flat=True))
    assert not task.coordinating_agencies.filter(kind=Agency.Kind.COMMUNE).exists()
    communes = list(lang_son.children.order_by("code")[:2])
    client = signed_in(coordinator_lang_son)
    response = client.post(
        f"/directory/border/?province={lang_son.code}", {"border": [u.code for u in communes]}
    )
    assert response.status_code == 302

    coordinating = set(task.coordinating_agencies.values_list("code", flat=True))
    assert {a.code for a in Agency.objects.filter(unit__in=communes)} <= coordinating
    assert {"CA", "HQ"} <= coordinating
    assert list(task.lead_agencies.values_list("code", flat=True)) == ["BDBP"]
    event = AuditEvent.objects.get(action="plans.task.border_followed", object_id=str(task.pk))
    assert len(event.changes["coordinating_agencies"]["added"]) == 2
    # The other province's tasks are untouched.
    assert set(dak_lak_8_3.lead_agencies.values_list("pk", flat=True)) == dak_lak_leads
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    listed = page.split('data-testid="border-communes"')[1].split("</dd>")[0]
    assert all(a.name in listed for a in Agency.objects.filter(unit__in=communes))

    # Cleared again: the communes leave the task.
    client.post(f"/directory/border/?province={lang_son.code}", {"border": []})
    assert not task.coordinating_agencies.filter(kind=Agency.Kind.COMMUNE).exists()
