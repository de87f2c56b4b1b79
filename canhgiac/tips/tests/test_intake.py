"""Tip intake: 201 exactly when the tip is committed, whatever happens after the commit."""

import json

import pytest
from django.core.management import call_command
from django.db import OperationalError

from canhgiac.tips import services
from canhgiac.tips.models import Tip

URL = "/api/v1/tips"
TEXT = "Cửa hàng bán rượu ngoại giả nhãn hiệu ở chợ trung tâm, giá rẻ bất thường."


@pytest.fixture
def reference_data_restored(django_db_blocker):
    # A transactional test empties every table when it ends; put the session's reference data back.
    yield
    with django_db_blocker.unblock():
        call_command("setup", "--no-migrate", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture
def committed(reference_data_restored, transactional_db):
    call_command("setup", "--no-migrate", verbosity=0, stdout=open("/dev/null", "w"))


def post(client, payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


def _failing_announce(tip):
    raise OperationalError("notification table unreachable")


def test_a_notification_failing_after_commit_still_answers_201_once(client, committed, monkeypatch):
    monkeypatch.setattr(services, "_announce", _failing_announce)
    response = post(client, {"description": TEXT})
    assert response.status_code == 201, response.content
    assert list(Tip.objects.values_list("code", flat=True)) == [response.json()["code"]]
    # the public form too: the receipt is shown, the tip is stored once
    response = client.post("/tips/report/", {"description": TEXT + " Lần hai.", "anonymous": "1"})
    assert response.status_code == 200
    assert 'data-testid="tip-code"' in response.content.decode()
    assert Tip.objects.count() == 2


@pytest.fixture
def lost_commit_answer(monkeypatch, settings):
    """The connection fails as the tip's transaction commits: `happened` says whether the commit
    reached the database before the answer was lost (a database restart can do either)."""
    from django.db import connections

    settings.TIP_COMMIT_CHECK_SECONDS = 1
    wrapper = connections["default"]

    def arm(happened: bool):
        real_commit, real_rollback = wrapper._commit, wrapper._rollback

        def commit():
            monkeypatch.setattr(wrapper, "_commit", real_commit)  # only this one commit fails
            (real_commit if happened else real_rollback)()
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(wrapper, "_commit", commit)

    return arm


def test_a_stored_tip_whose_commit_answer_was_lost_answers_201(client, committed, lost_commit_answer):
    lost_commit_answer(happened=True)
    response = post(client, {"description": TEXT})
    assert response.status_code == 201, response.content
    assert list(Tip.objects.values_list("code", flat=True)) == [response.json()["code"]]


def test_a_tip_whose_commit_never_happened_answers_503_and_nothing_is_stored(
    client, committed, lost_commit_answer
):
    lost_commit_answer(happened=False)
    response = post(client, {"description": TEXT})
    assert response.status_code == 503
    assert "CHƯA được ghi nhận" in response.json()["detail"]
    assert not Tip.objects.exists()


def test_a_tip_writes_one_audit_event_naming_its_coordinating_agencies(make_tip, ward):
    from canhgiac.audit.models import AuditEvent

    tip = make_tip(unit_code=ward.code, goods_category="cosmetics")
    coordinating = sorted(tip.coordinating.values_list("pk", flat=True))
    assert coordinating, "the matrix gives cosmetics coordinating agencies"
    events = AuditEvent.objects.filter(object_type="tips.tip", object_id=str(tip.pk))
    assert [e.action for e in events] == ["tips.tip.create"]
    changes = events[0].changes
    assert changes["coordinating"]["after"] == coordinating
    assert changes["lead_agency_id"]["after"] == tip.lead_agency_id and "secret_hash" not in changes


def test_a_submission_costs_the_same_few_queries_however_many_tips_are_stored(client, ward):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def submit(n):
        payload = {
            "description": f"{TEXT} Lần {n}.",
            "unit_code": ward.code,
            "goods_category": "alcohol_tobacco",
        }
        with CaptureQueriesContext(connection) as ctx:
            assert post(client, payload).status_code == 201
        return len(ctx.captured_queries)

    submit(0)  # reference data is now cached in this process
    few = submit(1)
    for n in range(2, 12):
        submit(n)
    many = submit(12)
    # duplicate check, group lookup, tip, coordinating, one audit event, the notice task, its
    # run (tests run tasks inline), and the savepoint pair of the test's transaction
    assert few == many <= 14, (few, many)


def test_a_change_of_the_matrix_routes_the_next_tip_at_once(make_tip, ward, agency):
    from canhgiac.directory import services as directory
    from canhgiac.directory.models import Field

    assert make_tip(unit_code=ward.code, goods_category="fuel").lead_agency.code == "QLTT"
    directory.save_responsibility(
        field=Field.objects.get(code="market"), unit=ward, lead=agency("CA"), coordinating=[]
    )
    tip = make_tip(
        unit_code=ward.code, goods_category="fuel", description="Cây xăng bán xăng giả, pha tạp chất."
    )
    assert tip.lead_agency.code == "CA"
