"""Hardening headers, local API docs for staff only, Vietnamese error pages, and a Vietnamese
"not recorded" answer when the database is down."""

import importlib
import re
from pathlib import Path

import pytest
from django.db import OperationalError, connection

import canhgiac

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(canhgiac.__file__).parent.glob("*/templates/**/*.html"))


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy and "unsafe-hashes" not in policy
    assert "style-src 'self'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_has_an_inline_script_style_or_event_handler(template):
    text = template.read_text()
    inline_scripts = [
        m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m and "application/json" not in m
    ]
    assert inline_scripts == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert "javascript:" not in text
    assert "<style" not in text
    # the policy allows no inline style attribute: classes from app.css instead
    assert re.findall(r"\sstyle\s*=", text) == []


def test_signed_in_pages_and_downloads_are_not_stored(signed_in, officer_qltt, client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    signed = signed_in(officer_qltt)
    assert "no-store" in signed.get("/app/").headers["Cache-Control"]
    export = signed.post("/cases/export.csv")
    assert "attachment" in export.headers["Content-Disposition"]
    assert "no-store" in export.headers["Cache-Control"]


def test_hsts_is_sent_in_production_only(monkeypatch):
    import canhgiac.settings as project_settings

    assert not getattr(project_settings, "SECURE_HSTS_SECONDS", 0)
    monkeypatch.setenv("CANHGIAC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("TIP_CONTACT_KEY", "kGMz3o1PJ9wz2vXbXhVQ2Yq7nVJgZ1v8vQm2mXo0bQw=")
    monkeypatch.setenv("GOODS_KEY_ENCRYPTION_KEY", "uJ0xCwVnqgBfRj4bVKw1mJQ3E3f8kK2r9gC0m7yq5Xo=")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.SECURE_HSTS_SECONDS >= 31_536_000
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_the_api_docs_are_for_signed_in_staff_and_load_nothing_from_outside(client, signed_in, officer_qltt):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    page = signed_in(officer_qltt).get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn." not in html and "https://" not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_the_openapi_document_is_for_signed_in_staff_or_a_token(client, signed_in, officer_qltt, make_user):
    from canhgiac.accounts import services

    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 401 and "paths" not in anonymous.json()
    assert "Chưa xác thực" in anonymous.json()["detail"]
    assert client.get("/api/v1/openapi.json", headers={"Authorization": "Bearer cg_sai"}).status_code == 401
    _token, raw = services.issue_token(officer_qltt, "tài liệu")
    by_token = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {raw}"})
    assert by_token.status_code == 200 and "/api/v1/cases/" in by_token.json()["paths"]
    assert client.get("/api/v1/openapi.json", headers={"X-Api-Token": raw}).status_code == 200
    assert signed_in(officer_qltt).get("/api/v1/openapi.json").status_code == 200
    # a signed-in account with no role in any agency is not staff
    stranger = make_user("khong_vai_tro")
    assert signed_in(stranger).get("/api/v1/openapi.json").status_code == 401
    assert signed_in(stranger).get("/api/v1/docs").status_code == 302


def test_the_api_docs_ask_for_the_second_factor_the_role_requires(client, officer_qltt):
    from canhgiac.accounts.models import RoleSetting

    RoleSetting.objects.update_or_create(role="officer", defaults={"require_two_factor": True})
    client.force_login(officer_qltt, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_a_missing_page_answers_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_forbidden_page_answers_in_vietnamese(signed_in, officer_qltt):
    response = signed_in(officer_qltt).get("/admin/login/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_server_error_answers_in_vietnamese_without_the_database(rf):
    from django.urls import get_resolver

    handler, _kwargs = get_resolver().resolve_error_handler(500), {}

    def refuse(*args, **kwargs):
        raise OperationalError("database is down")

    with connection.execute_wrapper(refuse):
        response = handler(rf.get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode() and "CHƯA được ghi nhận" in response.content.decode()


TIP = {"description": "Kho chứa hàng lậu sau chợ, xe tải chở ban đêm.", "anonymous": "1"}


def test_the_tip_form_says_not_recorded_when_the_database_is_down(client):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(refuse):
        response = client.post("/tips/report/", TIP)
    assert response.status_code == 503
    assert "CHƯA được ghi nhận" in response.content.decode()


def test_the_tip_form_says_not_recorded_when_the_write_fails(client):
    from canhgiac.tips.models import Tip

    def refuse_tip_insert(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and Tip._meta.db_table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_tip_insert):
        response = client.post("/tips/report/", TIP)
    assert response.status_code == 503
    assert "CHƯA được ghi nhận" in response.content.decode()
    assert not Tip.objects.exists()
