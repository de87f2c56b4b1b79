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
