"""Behind a proxy the client address comes from X-Forwarded-For (only when TRUSTED_PROXY is on),
and the rate limit counters are atomic: concurrent requests cannot pass the limit."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from canhgiac.core import ratelimit
from canhgiac.core.middleware import client_ip
from canhgiac.core.models import RateCounter


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HOPS = False, 0
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HOPS = True, 1
    assert client_ip(_request(forwarded="203.0.113.9")) == "203.0.113.9"
    # Whatever a client writes on the left is not believed: nginx appends the address it saw.
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Garbage in the header falls back to the proxy's address rather than failing.
    assert client_ip(_request(forwarded="not-an-address")) == "10.0.0.1"
    assert client_ip(_request()) == "10.0.0.1"


def test_two_trusted_hops_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HOPS = True, 2
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_the_hop_count_defaults_to_one_when_the_proxy_is_trusted(monkeypatch):
    import importlib

    import canhgiac.settings as project_settings

    monkeypatch.setenv("TRUSTED_PROXY", "true")
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.TRUSTED_PROXY is True and reloaded.TRUSTED_PROXY_HOPS == 1
    finally:
        monkeypatch.delenv("TRUSTED_PROXY")
        importlib.reload(project_settings)


def test_axes_sees_the_same_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HOPS = True, 1
    assert get_client_ip_address(_request(forwarded="203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
def test_junk_from_one_citizen_behind_the_proxy_does_not_block_the_others(client, settings):
    settings.TRUSTED_PROXY, settings.TRUSTED_PROXY_HOPS = True, 1
    settings.TIP_RATE_LIMIT_PER_HOUR = 3
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    junk = [
        client.post(
            "/api/v1/tips", {}, content_type="application/json", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy
        )
        for _ in range(5)
    ]
    assert [r.status_code for r in junk][-2:] == [429, 429]
    assert "tối đa 3 lần mỗi giờ" in junk[-1].json()["detail"]
    citizen = client.post(
        "/api/v1/tips",
        {"description": "Bán thuốc lá lậu ở đầu chợ xã."},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert citizen.status_code == 201


@pytest.mark.django_db
def test_a_check_is_one_statement_on_the_database(settings, django_assert_num_queries):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "x"}}
    with django_assert_num_queries(1):
        assert ratelimit.hit("test", "203.0.113.1", 1) is False
    with django_assert_num_queries(1):
        assert ratelimit.hit("test", "203.0.113.1", 1) is True
    # Only a keyed hash is stored, never the address.
    assert "203.0.113.1" not in str(list(RateCounter.objects.values_list("key", flat=True)))


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_follow_up_lookups_cannot_pass_a_limit_of_60(settings):
    from canhgiac.tips import conf, services

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memory", ":memory")
    ):
        pytest.skip("threads need a database file or PostgreSQL")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "x"}}
    assert conf.get("TIP_FOLLOW_ATTEMPTS_PER_HOUR") == 60
    results, start = [], threading.Barrier(20)

    def worker():
        start.wait()
        try:
            for _ in range(10):
                results.append(services.follow_limited("198.51.100.23"))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200
    assert results.count(False) == 60


@pytest.mark.django_db
def test_the_cache_path_counts_atomically_too(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    from django.core.cache import caches

    caches["default"].clear()
    assert [ratelimit.hit("test", "203.0.113.2", 2) for _ in range(4)] == [False, False, True, True]


@pytest.mark.django_db
def test_ended_windows_are_purged():
    import datetime as dt

    from django.utils import timezone

    ratelimit.hit("test", "203.0.113.3", 5)
    assert ratelimit.purge(timezone.now() + dt.timedelta(hours=3)) == "1 bộ đếm hết hạn"
    assert not RateCounter.objects.exists()
