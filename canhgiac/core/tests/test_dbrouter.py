import pytest
from django.conf import settings

from canhgiac.core import dbrouter
from canhgiac.core.dbrouter import ReplicaRouter, read_from_replica

pytestmark = pytest.mark.django_db


def test_reads_marked_for_the_replica_go_there_only_when_one_is_configured(monkeypatch):
    router = ReplicaRouter()
    with read_from_replica():
        assert router.db_for_read(None) == "default"  # no DATABASE_REPLICA_URL
    monkeypatch.setitem(settings.DATABASES, "replica", {})
    assert router.db_for_read(None) == "default"
    with read_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"


@pytest.mark.parametrize(
    "url", ["/app/", "/reporting/", "/reporting/timeliness/", "/cases/figures/", "/so-lieu/", "/hang-hoa/"]
)
def test_dashboards_figures_and_reports_read_from_the_replica(url, signed_in, coordinator_sct, monkeypatch):
    marked = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        marked.append(dbrouter._use_replica.get())
        return original(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    client = signed_in(coordinator_sct)
    assert client.get(url).status_code == 200
    assert any(marked)
