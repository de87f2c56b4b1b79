import datetime as dt

import pytest

from canhgiac.core import policy
from canhgiac.plans import services


@pytest.fixture
def officer_syt(make_user):
    return make_user("officer_syt", "SYT", policy.OFFICER)


def test_plans_are_listed_and_the_status_figures_match_the_service(signed_in, coordinator_sct, plan):
    client = signed_in(coordinator_sct)
    plans = client.get("/api/v1/plans/").json()
    assert [p["code"] for p in plans] == ["dak_lak_2030"]
    body = client.get(f"/api/v1/plans/{plan.pk}/status?as_of=2026-03-01").json()
    expected = services.status_counts(coordinator_sct, as_of=dt.date(2026, 3, 1), plan=plan)
    assert body == {**expected, "as_of": "2026-03-01"}
    assert body["overdue"] > 0


def test_status_rejects_an_unknown_agency_with_a_field_error(signed_in, coordinator_sct, plan):
    response = signed_in(coordinator_sct).get(f"/api/v1/plans/{plan.pk}/status?agency=XYZ")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "agency", "message": "Không có cơ quan mã này."}]


def test_tasks_carry_leads_and_status(signed_in, officer_ca, plan):
    tasks = signed_in(officer_ca).get(f"/api/v1/plans/{plan.pk}/tasks?agency=SCT").json()
    goods = next(t for t in tasks if t["code"] == "6.1")
    assert goods["lead_agencies"] == ["SCT"] and goods["due_date"] == "2027-12-31"


def test_an_agency_posts_an_update_with_evidence_through_the_api(signed_in, officer_syt, task, pdf):
    t = task("7.7")
    cp = t.checkpoints.get(due_date=dt.date(2026, 2, 28))
    client = signed_in(officer_syt)
    response = client.post(
        f"/api/v1/plans/checkpoints/{cp.pk}/updates",
        {
            "agency": "SYT",
            "status": "done",
            "narrative": "Đã ký 45 bản cam kết.",
            "evidence_number": "45/SYT",
            "evidence_date": "2026-02-20",
            "evidence_file": pdf(),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["completed_on"] == "2026-02-20" and response.json()["has_evidence_file"]
    detail = client.get(f"/api/v1/plans/tasks/{t.pk}").json()
    assert detail["by_agency"] == {"SYT": "overdue"}  # the quarterly checkpoints since then are not done
    assert [u["agency"] for u in client.get(f"/api/v1/plans/tasks/{t.pk}/updates").json()] == ["SYT"]


def test_an_update_by_another_agency_is_forbidden_and_bad_input_is_422(
    signed_in, officer_qltt, officer_syt, task
):
    cp = task("1.2").checkpoints.get()
    url = f"/api/v1/plans/checkpoints/{cp.pk}/updates"
    forbidden = signed_in(officer_qltt).post(
        url, {"agency": "SYT", "status": "in_progress", "narrative": "x"}
    )
    assert forbidden.status_code == 403
    bad = signed_in(officer_syt).post(url, {"agency": "SYT", "status": "done", "narrative": "xong"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["evidence_file"]


def test_anonymous_callers_get_401(client, plan):
    assert client.get(f"/api/v1/plans/{plan.pk}/status").status_code == 401
