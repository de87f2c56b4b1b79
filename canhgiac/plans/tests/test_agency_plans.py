import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from canhgiac.core import policy
from canhgiac.plans import services


@pytest.fixture
def leader_ca(make_user):
    return make_user("leader_ca", "CA", policy.LEADER)


def test_an_agency_derives_its_plan_with_the_tasks_it_leads(plan, agency, leader_ca):
    child = services.derive_agency_plan(leader_ca, plan, agency("CA"))
    led = set(plan.tasks.filter(lead_agencies=agency("CA")).values_list("code", flat=True))
    assert set(child.tasks.values_list("code", flat=True)) == led
    assert {"1.6", "6.1"} & led == {"1.6"}
    copy = child.tasks.get(code="1.6")
    assert copy.source_task == plan.tasks.get(code="1.6")
    assert list(copy.lead_agencies.values_list("code", flat=True)) == ["CA"]
    assert not copy.checkpoints.exists()  # progress is reported on the province task
    assert not child.is_issued and child.parent == plan and child.agency.code == "CA"
    with pytest.raises(services.UpdateError):
        services.derive_agency_plan(leader_ca, plan, agency("CA"))


def test_an_agency_cannot_derive_another_agencys_plan(plan, agency, officer_qltt):
    with pytest.raises(PermissionDenied):
        services.derive_agency_plan(officer_qltt, plan, agency("CA"))


def test_attaching_the_signed_document_marks_the_plan_issued(plan, agency, leader_ca, coordinator_sct, pdf):
    child = services.derive_agency_plan(leader_ca, plan, agency("CA"))
    with pytest.raises(services.UpdateError) as exc:
        services.issue_agency_plan(
            leader_ca, child, document_file=None, document_number="", document_date=dt.date(2099, 1, 1)
        )
    assert set(exc.value.errors) == {"document_file", "document_number", "document_date"}
    services.issue_agency_plan(
        leader_ca,
        child,
        document_file=pdf("kh-cat.pdf"),
        document_number="12/KH-CAT",
        document_date=dt.date(2025, 12, 20),
        on=dt.date(2026, 1, 5),
    )
    rows = {r["agency"].code: r for r in services.agency_plan_rows(coordinator_sct, plan)}
    assert rows["CA"]["issued"] and not rows["QLTT"]["plan"]
    counts = services.agency_plan_counts(coordinator_sct, plan)
    assert counts["derived"] == counts["issued"] == 1 and counts["agencies"] == len(rows)


def test_the_tracking_page_offers_derivation_to_the_agency(signed_in, leader_ca, plan, agency):
    client = signed_in(leader_ca)
    html = client.get(reverse("plans:agency_plans", args=[plan.pk])).content.decode()
    assert "Xây dựng từ kế hoạch tỉnh" in html
    response = client.post(reverse("plans:agency_plan_derive", args=[plan.pk]), {"agency": agency("CA").pk})
    assert response.status_code == 302
    assert plan.children.filter(agency__code="CA").exists()
    assert (
        client.post(reverse("plans:agency_plan_derive", args=[plan.pk]), {"agency": "x"}).status_code == 302
    )


def test_an_agency_plan_shows_the_agencys_share_of_the_province_tasks(plan, agency, leader_ca, report):
    child = services.derive_agency_plan(leader_ca, plan, agency("CA"))
    as_of = dt.date(2026, 3, 1)
    before = services.plan_task_statuses(child, as_of=as_of)[child.tasks.get(code="1.6").pk]
    assert before.status == services.OVERDUE
    report(leader_ca, plan.tasks.get(code="1.6"), agency("CA"), dt.date(2026, 2, 28), on=dt.date(2026, 2, 25))
    after = services.plan_task_statuses(child, as_of=as_of)
    assert after[child.tasks.get(code="1.6").pk].status == services.DONE_ON_TIME
    # 2.4 is led by every agency; the CA's plan shows only the CA's share of it.
    assert after[child.tasks.get(code="2.4").pk].by_agency.keys() == {agency("CA").pk}
    counts = services.status_counts(None, plan=child, as_of=as_of)
    assert counts == services.status_counts(None, agency_code="CA", as_of=as_of)


def test_a_task_of_an_agency_plan_opens_the_province_task(signed_in, leader_ca, plan, agency):
    child = services.derive_agency_plan(leader_ca, plan, agency("CA"))
    copy = child.tasks.get(code="1.6")
    response = signed_in(leader_ca).get(reverse("plans:task", args=[copy.pk]))
    assert response.status_code == 302 and response.url == reverse("plans:task", args=[copy.source_task_id])
