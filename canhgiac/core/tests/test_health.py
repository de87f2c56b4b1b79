import datetime as dt

import pytest
from django.utils import timezone

from canhgiac.audit import services as audit
from canhgiac.audit.models import AuditEvent
from canhgiac.core import health, periodic
from canhgiac.core.models import WorkerHeartbeat


def test_healthz_answers_without_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_and_says_so_when_no_worker_has_ever_run(client):
    WorkerHeartbeat.objects.all().delete()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "ok"
    assert "never registered" in body["worker"]


@pytest.mark.django_db
def test_readyz_fails_when_the_registered_worker_stopped_beating(client):
    health.beat("host-a:1")
    assert client.get("/readyz").status_code == 200
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503 and "stale" in response.json()["worker"]


@pytest.mark.django_db
def test_readyz_fails_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    leaf = next(name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "core")
    MigrationRecorder.Migration.objects.filter(app="core", name=leaf).delete()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["migrations"] == "1 not applied"


@pytest.mark.django_db
def test_a_worker_tick_beats_and_seals_pending_audit_events():
    event = audit.record("test.tick")
    periodic.tick("host-b:2")
    assert WorkerHeartbeat.objects.filter(name="host-b:2").exists()
    assert AuditEvent.objects.get(pk=event.pk).seq is not None
