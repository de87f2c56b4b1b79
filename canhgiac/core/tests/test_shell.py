import io

import pytest
from django.core.management import CommandError, call_command

from canhgiac.core import jobs, notify, registry
from canhgiac.core.models import Notification
from canhgiac.core.periodic import run_periodic
from canhgiac.directory.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_figures_counted_from_the_database(signed_in, officer_qltt):
    page = signed_in(officer_qltt).get("/app/").content.decode()
    communes = AdministrativeUnit.objects.exclude(parent=None).count()
    members = Agency.objects.exclude(kind=Agency.Kind.COMMUNE).count()
    assert f'<div class="cg-value" title="{communes}">{communes}</div>' in page
    assert f">{members}</a>" in page
    assert "Cán bộ nghiệp vụ" in page and 'lang="vi"' in page


def test_large_figures_are_shown_compact_with_the_full_number_in_the_title():
    from canhgiac.core.templatetags.cg import vncompact, vnnum

    assert vncompact(47_737_991_000) == "47,7 tỷ"
    assert vncompact(3_764_438) == "3,8 triệu"
    assert vncompact(999_999) == "999.999"
    assert vnnum(47_737_991_000) == "47.737.991.000"


def test_pages_require_sign_in(client):
    response = client.get("/app/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_public_portal_needs_no_account(client):
    page = client.get("/").content.decode()
    assert "Chung tay chống buôn lậu" in page


def test_the_api_answers_bad_input_with_the_field_named(signed_in, officer_qltt):
    response = signed_in(officer_qltt).get("/api/v1/directory/lead-agency")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "unit"


def test_the_api_answers_lead_agency_with_the_commune_override(signed_in, officer_qltt):
    unit = AdministrativeUnit.objects.exclude(parent=None).first()
    data = signed_in(officer_qltt).get(f"/api/v1/directory/lead-agency?unit={unit.code}&field=health").json()
    assert data["lead"]["code"] == "SYT"


def test_the_openapi_document_is_served(signed_in, officer_qltt):
    assert signed_in(officer_qltt).get("/api/v1/openapi.json").json()["info"]["title"] == "Cảnh Giác 389 API"


def test_a_job_page_shows_progress_to_its_owner_only(signed_in, officer_qltt, officer_ca):
    job = jobs.create_job("test", "Nhập dữ liệu", owner=officer_qltt, total=200)
    jobs.update_job(job.pk, done=50, status="running", message="Đang kiểm tra")
    page = signed_in(officer_qltt).get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'value="25"' in page and "Đang kiểm tra" in page and "every 1s" in page
    assert signed_in(officer_ca).get(f"/jobs/{job.pk}/").status_code == 404


def test_notifications_are_not_sent_twice_for_the_same_reason(officer_qltt, mailoutbox):
    officer_qltt.email = "qltt@example.vn"
    officer_qltt.save()
    assert notify.notify([officer_qltt], kind="t", title="Sắp đến hạn", dedupe_key="task:1:due") == 1
    assert notify.notify([officer_qltt], kind="t", title="Sắp đến hạn", dedupe_key="task:1:due") == 0
    assert Notification.objects.filter(user=officer_qltt).count() == 1
    assert len(mailoutbox) == 1 and "Sắp đến hạn" in mailoutbox[0].subject


def test_run_periodic_runs_every_hook_and_survives_a_failing_one(monkeypatch):
    calls = []
    monkeypatch.setattr(registry, "PERIODIC_HOOKS", [])
    monkeypatch.setattr("canhgiac.core.periodic.PERIODIC_HOOKS", registry.PERIODIC_HOOKS)
    registry.add_periodic("broken", lambda now: 1 / 0)
    registry.add_periodic("ok", lambda now: calls.append(now) or "1 nhắc việc")
    assert run_periodic() == ["broken: LỖI", "ok: 1 nhắc việc"]
    assert len(calls) == 1


def test_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=io.StringIO())


def test_demo_creates_one_account_per_role(settings):
    from canhgiac.accounts.models import Membership

    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"admin", "coordinator", "leader", "officer", "tip_handler", "analyst", "viewer"}
    assert "coordinator_sct" in out.getvalue()


def test_vietnamese_is_served_whatever_the_browser_asks(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="vi"' in page.content.decode() and page["Content-Language"] == "vi"


def test_a_user_can_choose_english_in_the_footer(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").content.decode()


def test_only_the_most_specific_menu_entry_is_highlighted(signed_in, coordinator_sct):
    page = signed_in(coordinator_sct).get("/cases/figures/").content.decode()
    assert page.count('aria-current="page"') == 1


def test_the_shared_table_template_renders_with_sorting_and_paging(rf, officer_qltt):
    import django_tables2 as tables
    from django.template.loader import render_to_string

    from canhgiac.directory.models import Agency

    class AgencyTable(tables.Table):
        class Meta:
            model = Agency
            fields = ["code", "name"]
            template_name = "core/table.html"

    request = rf.get("/directory/agencies/?page=2")
    request.user = officer_qltt
    table = AgencyTable(Agency.objects.order_by("code"))
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    html = render_to_string("core/table.html", {"table": table, "request": request})
    assert "sort=name" in html and "page=3" in html and "Trang 2/" in html
