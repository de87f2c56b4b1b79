"""Expected query counts per page and API endpoint (NetBox's query_counts.json is the model).

Every named URL is either measured here (ENDPOINTS) or excluded with its reason (EXCLUDED); a new
URL with neither fails `test_every_url_is_measured_or_excluded_with_a_reason`. Each endpoint is
requested with small data, the data grows (periods, cases, possible duplicates, tips), and the
count must stay the same and equal the committed table `query_counts.json`.

After an intended change, regenerate the table (docs/development.md, "Query counts"):

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest -q canhgiac/core/tests/test_query_counts.py

and review the diff: a number that went up is a question to answer before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("query_counts.json")
SMALL, LARGE = 1, 10  # grown items per kind (periods, cases, duplicates, tips)

# Not measured, and why. A URL here is still served; it just has no page to count.
EXCLUDED = {
    "cases:public_warnings": "a permanent redirect to the portal's /canh-bao/ (no query)",
    # POST-only actions: their cost is the write, tested by the apps' own tests
    "accounts:logout": "POST-only",
    "accounts:revoke_token": "POST-only",
    "cases:delete": "POST-only",
    "cases:attachment_add": "POST-only",
    "plans:task_assign": "POST-only",
    "plans:agency_plan_derive": "POST-only",
    "reporting:grant_exception": "POST-only",
    "reporting:open_submission": "POST-only",
    "tips:contact": "POST-only (reveals the contact, audited)",
    "tips:action": "POST-only",
    "tips:to_case": "POST-only",
    "goods:choose_business": "POST-only (stores the business chosen in the session)",
    "api:create": "POST (API write)",
    "api:update": "PATCH/PUT (API write)",
    "api:submit": "POST (public tip intake; measured by bench/)",
    "api:send_message": "POST (API write)",
    "api:post_update": "POST (API write)",
    "api:create_period": "POST (API write)",
    "api:open_submission": "POST (API write)",
    "api:update_submission": "PATCH (API write)",
    "api:approve": "POST (API write)",
    "api:send_back": "POST (API write)",
    "api:accept": "POST (API write)",
    "api:return_submission": "POST (API write)",
    "api:grant_exception": "POST (API write)",
    "set_language": "POST-only (language cookie)",
    "subjects:review_decide": "POST-only (a review decision; tested by the subjects app)",
    "api:decide": "POST (API write)",
    "api:set_signs_of_crime": "PUT (API write)",
    "api:create_relation": "POST (API write)",
    "api:relation": "PUT (API write: a relation changed)",
    "api:relation_delete": "DELETE (API write: a relation deleted)",
    "cases:import_codes": "download (a CSV of the reference codes; no per-object data)",
    # downloads: a file, not a page; exports run as jobs (core.exports) and are tested there
    "core:job_download": "download of an export job's file",
    "cases:export": "GET: a confirmation; POST starts an export job or streams a CSV",
    "cases:import_template": "static CSV download",
    "cases:attachment": "file download",
    "tips:attachment": "file download",
    "plans:export_xlsx": "GET: a confirmation; POST starts an export job",
    "plans:export_docx": "GET: a confirmation; POST starts an export job",
    "plans:agency_plan_document": "file download",
    "plans:evidence": "file download",
    "reporting:export_period": "GET: a confirmation; POST starts an export job",
    "reporting:export_window": "GET: the window's form; POST starts an export job",
    "reporting:consolidated_refresh": "POST-only (queues a refresh of the consolidated figures)",
    "committee:regulation_document": "file download",
    "committee:material_file": "file download",
    "api:committee_bulletin_read": "POST (API write)",
    "api:committee_add_conclusion": "POST (API write)",
    "api:committee_issue": "POST (API write)",
    "api:export_period": "POST (starts an export job: 202 and the job's status URL)",
    "api:export_window": "POST (starts an export job: 202 and the job's status URL)",
    "api:job_download": "download of an export job's file (API)",
    "api:openapi-json": "schema generation, no database",
    "api:openapi-view": "Swagger UI page, no database",
    "api:api-root": "ninja's root, no page",
    # pages whose objects this test does not build yet (each needs its own fixture)
    "accounts:two_factor": "needs a half-signed-in session (two-factor step)",
    "plans:agency_plan_issue": "needs a derived agency plan",
    "api:follow": "public follow-up: needs the tip secret in a header (this test sends none)",
    "goods:product_import": "upload form; its POST starts an import job",
    "goods:code_batch_csv": "file download (a batch's serial,code CSV)",
    "goods:code_batch_pdf": "file download (a PDF sheet of QR codes, made per request)",
    "api:create_code_batch": "POST (starts an issuing job: 202 and the job's status URL)",
    "api:mark_codes": "POST (API write: codes marked, all or nothing)",
    "api:code_batch_csv": "file download (a batch's serial,code CSV, through the API)",
    "goods:lead_case": "POST-only (opens a case from a lead through the cases services)",
    "api:import_products": "POST (API write, a file import)",
    "goods:warning_withdraw": "POST-only",
    "goods:warn_from_case_goods": "POST-only",
    "api:create_recall": "POST (API write)",
    "online:export": "download (a CSV of the scores)",
    "online:evidence": "file download",
    "online:takedown": "POST-only (a takedown request)",
    "online:warn": "POST-only (a warning to the seller)",
    "online:no_violation": "POST-only (a conclusion)",
    "online:evidence_add": "POST-only (an evidence upload)",
    "online:takedown_outcome": "POST-only (a takedown's outcome)",
    "api:import_listings": "POST (API write, a file import)",
    "api:request_takedown": "POST (API write)",
    "api:sign_my_commitment": "POST (API write)",
    "api:epcis_capture": "POST (API write, EPCIS capture)",
}


def _goods_check_url(path, d):
    """The check of the measured signed code, with the key cache emptied (each request then
    reads the keys, as the first after a restart does)."""
    from urllib.parse import urlencode

    from canhgiac.goods import verify

    verify.forget_cached()
    return f"{path}?{urlencode({'code': d.code_text})}"


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def url_names() -> set[str]:
    return {name for name in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


# name -> (persona, url builder(data)). Personas are the conftest's; "anonymous" is signed out.
ENDPOINTS = {
    "portal:home": ("anonymous", lambda d: reverse("portal:home")),
    "portal:hotlines": ("anonymous", lambda d: reverse("portal:hotlines")),
    "portal:warnings": ("anonymous", lambda d: reverse("portal:warnings")),
    "portal:feed": ("anonymous", lambda d: reverse("portal:feed")),
    "portal:statistics": ("anonymous", lambda d: reverse("portal:statistics")),
    "portal:products": ("anonymous", lambda d: reverse("portal:products") + "?q=san+pham"),
    "portal:guides": ("anonymous", lambda d: reverse("portal:guides")),
    "portal:guide": ("anonymous", lambda d: reverse("portal:guide", args=["nguoi-tieu-dung"])),
    "portal:commitments_guide": ("anonymous", lambda d: reverse("portal:commitments_guide")),
    "portal:search": ("anonymous", lambda d: reverse("portal:search") + "?q=my+pham"),
    "dashboard:home": ("officer_qltt", lambda d: reverse("dashboard:home")),
    "accounts:login": ("anonymous", lambda d: reverse("accounts:login")),
    "accounts:profile": ("officer_qltt", lambda d: reverse("accounts:profile")),
    "accounts:password_change": ("officer_qltt", lambda d: reverse("accounts:password_change")),
    "accounts:committee": ("leader_sct", lambda d: reverse("accounts:committee")),
    "directory:matrix": ("coordinator_sct", lambda d: reverse("directory:matrix")),
    "directory:matrix_add": ("admin_user", lambda d: reverse("directory:matrix_add")),
    "directory:matrix_edit": ("admin_user", lambda d: reverse("directory:matrix_edit", args=[d.matrix_row])),
    "directory:agencies": ("coordinator_sct", lambda d: reverse("directory:agencies")),
    "directory:border": ("coordinator_sct", lambda d: reverse("directory:border")),
    "directory:hotline": ("coordinator_sct", lambda d: reverse("directory:hotline")),
    "directory:locations": ("admin_user", lambda d: reverse("directory:locations")),
    "core:healthz": ("anonymous", lambda d: reverse("core:healthz")),
    "core:readyz": ("anonymous", lambda d: reverse("core:readyz")),
    "audit:list": ("admin_user", lambda d: reverse("audit:list")),
    "core:job": ("officer_qltt", lambda d: reverse("core:job", args=[d.job.pk])),
    "api:job_status": ("officer_qltt", lambda d: f"/api/v1/jobs/{d.job.pk}"),
    "core:notifications": ("officer_qltt", lambda d: reverse("core:notifications")),
    "subjects:list": ("officer_qltt", lambda d: reverse("subjects:list") + "?q=Nguyen"),
    "subjects:detail": ("officer_qltt", lambda d: reverse("subjects:detail", args=[d.subject.pk])),
    "subjects:network": (
        "officer_qltt",
        lambda d: reverse("subjects:network", args=[d.subject.pk]) + "?hops=3",
    ),
    "subjects:attention": ("officer_qltt", lambda d: reverse("subjects:attention")),
    "subjects:relation_add": (
        "officer_qltt",
        lambda d: reverse("subjects:relation_add", args=[d.subject.pk]),
    ),
    "subjects:relation_edit": (
        "officer_qltt",
        lambda d: reverse("subjects:relation_edit", args=[d.relation.pk]) + f"?back={d.subject.pk}",
    ),
    "subjects:relation_delete": (
        "officer_qltt",
        lambda d: reverse("subjects:relation_delete", args=[d.relation.pk]) + f"?back={d.subject.pk}",
    ),
    "api:subject_network": ("officer_qltt", lambda d: f"/api/v1/subjects/{d.subject.pk}/network?hops=3"),
    "api:subject_attention": ("officer_qltt", lambda d: "/api/v1/subjects/attention"),
    "subjects:entity": ("officer_qltt", lambda d: reverse("subjects:entity", args=[d.subject.entity_id])),
    "subjects:review": ("officer_qltt", lambda d: reverse("subjects:review")),
    "api:get_entity": ("officer_qltt", lambda d: f"/api/v1/subjects/entities/{d.subject.entity_id}"),
    "api:list_review": ("officer_qltt", lambda d: "/api/v1/subjects/review"),
    "cases:list": ("officer_qltt", lambda d: reverse("cases:list")),
    "cases:figures": ("officer_qltt", lambda d: reverse("cases:figures")),
    "cases:create": ("officer_qltt", lambda d: reverse("cases:create")),
    "cases:import": ("officer_qltt", lambda d: reverse("cases:import")),
    "cases:detail": ("officer_qltt", lambda d: reverse("cases:detail", args=[d.case.pk])),
    "cases:edit": ("officer_qltt", lambda d: reverse("cases:edit", args=[d.case.pk])),
    "cases:inspection": ("officer_qltt", lambda d: reverse("cases:inspection", args=[d.inspection.pk])),
    "cases:inspection_edit": (
        "officer_qltt",
        lambda d: reverse("cases:inspection_edit", args=[d.inspection.pk]),
    ),
    "cases:warning_edit": ("coordinator_sct", lambda d: reverse("cases:warning_edit", args=[d.warning.pk])),
    "reporting:submission": (
        "officer_qltt",
        lambda d: reverse("reporting:submission", args=[d.submission.pk]),
    ),
    "reporting:form_edit": (
        "coordinator_sct",
        lambda d: reverse("reporting:form_edit", args=[d.period.form_id]),
    ),
    "api:get_submission": ("officer_qltt", lambda d: f"/api/v1/reporting/submissions/{d.submission.pk}"),
    "api:list_updates": ("coordinator_sct", lambda d: f"/api/v1/plans/tasks/{d.task.pk}/updates"),
    "cases:inspections": ("officer_qltt", lambda d: reverse("cases:inspections")),
    "cases:inspection_create": ("officer_qltt", lambda d: reverse("cases:inspection_create")),
    "cases:warnings_manage": ("coordinator_sct", lambda d: reverse("cases:warnings_manage")),
    "cases:warning_create": ("coordinator_sct", lambda d: reverse("cases:warning_create")),
    "tips:report": ("anonymous", lambda d: reverse("tips:report")),
    "tips:follow": ("anonymous", lambda d: reverse("tips:follow")),
    "tips:list": ("tip_handler_qltt", lambda d: reverse("tips:list")),
    "tips:new": ("tip_handler_qltt", lambda d: reverse("tips:new")),
    "tips:stats": ("coordinator_sct", lambda d: reverse("tips:stats")),
    "tips:detail": ("admin_user", lambda d: reverse("tips:detail", args=[d.tip.pk])),
    "tips:receipt": ("admin_user", lambda d: reverse("tips:receipt", args=[d.tip.pk])),
    "committee:index": ("coordinator_sct", lambda d: reverse("committee:index")),
    "committee:membership": ("coordinator_sct", lambda d: reverse("committee:membership")),
    "committee:committee": (
        "coordinator_sct",
        lambda d: reverse("committee:committee", args=[d.cm["cm_committee"].pk]),
    ),
    "committee:meetings": ("coordinator_sct", lambda d: reverse("committee:meetings")),
    "committee:meeting": (
        "coordinator_sct",
        lambda d: reverse("committee:meeting", args=[d.cm["cm_meeting"].pk]),
    ),
    "committee:regulations": ("coordinator_sct", lambda d: reverse("committee:regulations")),
    "committee:training": ("coordinator_sct", lambda d: reverse("committee:training")),
    "committee:course": (
        "coordinator_sct",
        lambda d: reverse("committee:course", args=[d.cm["cm_course"].pk]),
    ),
    "committee:library": ("officer_qltt", lambda d: reverse("committee:library") + "?q=tai+lieu"),
    "committee:bulletins": ("officer_qltt", lambda d: reverse("committee:bulletins")),
    "committee:bulletin": (
        "officer_qltt",
        lambda d: reverse("committee:bulletin", args=[d.cm["cm_bulletin"].pk]),
    ),
    "committee:commendations": ("coordinator_sct", lambda d: reverse("committee:commendations")),
    "committee:international": ("coordinator_sct", lambda d: reverse("committee:international")),
    "committee:evidence": (
        "coordinator_sct",
        lambda d: reverse("committee:evidence", args=["regulation", d.cm["cm_regulation"].pk]),
    ),
    "api:committee_communes_without": (
        "coordinator_sct",
        lambda d: reverse("api:committee_communes_without"),
    ),
    "api:committee_bulletins": ("officer_qltt", lambda d: reverse("api:committee_bulletins")),
    "api:committee_meeting": (
        "coordinator_sct",
        lambda d: reverse("api:committee_meeting", args=[d.cm["cm_meeting"].pk]),
    ),
    "plans:list": ("officer_qltt", lambda d: reverse("plans:list")),
    "plans:detail": ("coordinator_sct", lambda d: reverse("plans:detail", args=[d.plan.pk])),
    "plans:agency_plans": ("coordinator_sct", lambda d: reverse("plans:agency_plans", args=[d.plan.pk])),
    "plans:task": ("coordinator_sct", lambda d: reverse("plans:task", args=[d.task.pk])),
    "plans:mine": ("officer_qltt", lambda d: reverse("plans:mine")),
    "plans:due": ("coordinator_sct", lambda d: reverse("plans:due")),
    "plans:scorecard": ("coordinator_sct", lambda d: reverse("plans:scorecard")),
    "reporting:index": ("officer_qltt", lambda d: reverse("reporting:index")),
    "reporting:period_create": ("coordinator_sct", lambda d: reverse("reporting:period_create")),
    "reporting:campaign_create": ("coordinator_sct", lambda d: reverse("reporting:campaign_create")),
    "reporting:period": ("coordinator_sct", lambda d: reverse("reporting:period", args=[d.period.pk])),
    "reporting:period_edit": (
        "coordinator_sct",
        lambda d: reverse("reporting:period_edit", args=[d.period.pk]),
    ),
    "reporting:consolidated": (
        "coordinator_sct",
        lambda d: reverse("reporting:consolidated", args=[d.period.pk]),
    ),
    "reporting:timeliness": ("coordinator_sct", lambda d: reverse("reporting:timeliness")),
    "reporting:forms": ("coordinator_sct", lambda d: reverse("reporting:forms")),
    "reporting:groups": ("coordinator_sct", lambda d: reverse("reporting:groups")),
    # API (session auth, as a signed-in browser uses it)
    "api:list_units": ("officer_qltt", lambda d: "/api/v1/directory/units"),
    "api:list_agencies": ("officer_qltt", lambda d: "/api/v1/directory/agencies"),
    "api:list_fields": ("officer_qltt", lambda d: "/api/v1/directory/fields"),
    "api:list_goods_categories": ("officer_qltt", lambda d: "/api/v1/directory/goods-categories"),
    "api:list_violation_types": ("officer_qltt", lambda d: "/api/v1/directory/violation-types"),
    "api:lead_agency": (
        "officer_qltt",
        lambda d: f"/api/v1/directory/lead-agency?unit={d.case.unit.code}&goods_category=cosmetics",
    ),
    "api:me": ("officer_qltt", lambda d: "/api/v1/accounts/me"),
    "api:summary": ("officer_qltt", lambda d: "/api/v1/cases/summary?from=2026-01-01&to=2026-12-31"),
    "api:list_cases": ("officer_qltt", lambda d: "/api/v1/cases/"),
    "api:get_case": ("officer_qltt", lambda d: f"/api/v1/cases/{d.case.pk}"),
    "api:stats": ("coordinator_sct", lambda d: "/api/v1/tips/stats"),
    "api:list_plans": ("coordinator_sct", lambda d: "/api/v1/plans/"),
    "api:get_plan": ("coordinator_sct", lambda d: f"/api/v1/plans/{d.plan.pk}"),
    "api:plan_status": ("coordinator_sct", lambda d: f"/api/v1/plans/{d.plan.pk}/status"),
    "api:list_tasks": ("coordinator_sct", lambda d: f"/api/v1/plans/{d.plan.pk}/tasks"),
    "api:get_task": ("coordinator_sct", lambda d: f"/api/v1/plans/tasks/{d.task.pk}"),
    "api:list_periods": ("coordinator_sct", lambda d: "/api/v1/reporting/periods"),
    "api:get_period": ("coordinator_sct", lambda d: f"/api/v1/reporting/periods/{d.period.pk}"),
    "api:period_board": ("coordinator_sct", lambda d: f"/api/v1/reporting/periods/{d.period.pk}/board"),
    "api:list_submissions": (
        "coordinator_sct",
        lambda d: f"/api/v1/reporting/periods/{d.period.pk}/submissions",
    ),
    "api:period_consolidated": (
        "coordinator_sct",
        lambda d: f"/api/v1/reporting/periods/{d.period.pk}/consolidated",
    ),
    "api:window_consolidated": (
        "coordinator_sct",
        lambda d: "/api/v1/reporting/consolidated?date_from=2026-01-01&date_to=2026-03-31",
    ),
    # goods
    "goods:business_home": ("business_user", lambda d: reverse("goods:business_home")),
    "goods:lookup": ("anonymous", lambda d: reverse("goods:lookup") + "?gtin=12345"),
    "goods:products": ("officer_qltt", lambda d: reverse("goods:products")),
    "goods:product": ("officer_qltt", lambda d: reverse("goods:product", args=[d.product.pk])),
    "goods:product_create": ("business_user", lambda d: reverse("goods:product_create")),
    "goods:product_edit": ("business_user", lambda d: reverse("goods:product_edit", args=[d.product.pk])),
    "goods:trace": (
        "officer_qltt",
        lambda d: reverse("goods:trace") + f"?q=https://id.gs1.org/01/{d.product.gtin}/10/L1",
    ),
    "goods:trace_leads": ("officer_qltt", lambda d: reverse("goods:trace_leads")),
    "goods_dl:gtin": ("anonymous", lambda d: f"/01/{d.product.gtin}"),
    "goods_dl:lot": ("anonymous", lambda d: f"/01/{d.product.gtin}/10/L1"),
    "goods_dl:serial": ("anonymous", lambda d: f"/01/{d.product.gtin}/10/L1/21/S1"),
    "goods_dl:item": ("anonymous", lambda d: f"/01/{d.product.gtin}/21/S1"),
    "api:parse_digital_link": (
        "anonymous",
        lambda d: "/api/v1/goods/digital-link?uri=https://a/01/12312312312333",
    ),
    "api:list_products": ("business_user", lambda d: "/api/v1/goods/products"),
    "api:get_product": ("officer_qltt", lambda d: f"/api/v1/goods/products/{d.product.gtin}"),
    "goods:code_batches": ("business_user", lambda d: reverse("goods:code_batches")),
    "goods:mark_codes": ("business_user", lambda d: reverse("goods:mark_codes")),
    "goods:code_batch": ("business_user", lambda d: reverse("goods:code_batch", args=[d.code_batch.pk])),
    "api:list_code_batches": ("business_user", lambda d: "/api/v1/goods/code-batches"),
    "api:get_code_batch": ("business_user", lambda d: f"/api/v1/goods/code-batches/{d.code_batch.pk}"),
    "goods:check": ("anonymous", lambda d: _goods_check_url(reverse("goods:check"), d)),
    "goods:checks": ("officer_qltt", lambda d: reverse("goods:checks")),
    "api:signing_keys": ("anonymous", lambda d: "/api/v1/goods/keys"),
    "api:verify_code": ("anonymous", lambda d: _goods_check_url("/api/v1/verify", d)),
    "goods:recalls": ("officer_qltt", lambda d: reverse("goods:recalls")),
    "goods:recall_create": ("officer_qltt", lambda d: reverse("goods:recall_create")),
    "goods:recall_lift": (
        "officer_qltt",
        lambda d: reverse("goods:recall_lift", args=[d.grower.fuel_recall.pk]),
    ),
    "goods:warning_create": ("officer_qltt", lambda d: reverse("goods:warning_create")),
    "goods:feed": ("anonymous", lambda d: reverse("goods:feed")),
    "api:list_recalls": ("officer_qltt", lambda d: "/api/v1/goods/recalls"),
    # online
    "online:queue": ("officer_qltt", lambda d: reverse("online:queue")),
    "online:listing": ("officer_qltt", lambda d: reverse("online:listing", args=[d.listing.pk])),
    "online:listing_new": ("officer_qltt", lambda d: reverse("online:listing_new")),
    "online:import": ("officer_qltt", lambda d: reverse("online:import")),
    "online:to_case": ("officer_qltt", lambda d: reverse("online:to_case", args=[d.listing.pk])),
    "online:figures": ("officer_qltt", lambda d: reverse("online:figures")),
    "online:coverage": ("officer_qltt", lambda d: reverse("online:coverage")),
    "online:signer_new": ("officer_qltt", lambda d: reverse("online:signer_new")),
    "online:signer": ("officer_qltt", lambda d: reverse("online:signer", args=[d.signer.pk])),
    "online:sign": ("officer_qltt", lambda d: reverse("online:sign")),
    "online:account": ("officer_qltt", lambda d: reverse("online:account", args=[d.listing.account_id])),
    "online:signer_import": ("coordinator_sct", lambda d: reverse("online:signer_import")),
    "goods:business_commitments": ("business_user", lambda d: reverse("goods:business_commitments")),
    "online:public_commitments": ("anonymous", lambda d: reverse("online:public_commitments")),
    "api:list_listings": ("officer_qltt", lambda d: "/api/v1/online/listings"),
    "api:get_listing": ("officer_qltt", lambda d: f"/api/v1/online/listings/{d.listing.pk}"),
    "api:online_commitment_coverage": ("officer_qltt", lambda d: "/api/v1/online/commitments/coverage"),
    "api:my_commitments": ("officer_qltt", lambda d: "/api/v1/online/commitments/mine"),
    "api:epcis_events": ("officer_qltt", lambda d: "/api/v1/epcis/events?EQ_bizStep=shipping&perPage=10"),
    "api:epcis_epc_events": ("officer_qltt", lambda d: f"/api/v1/epcis/epcs/{d.product.gtin}/events"),
}


def test_every_url_is_measured_or_excluded_with_a_reason():
    names = url_names()
    missing = sorted(names - set(ENDPOINTS) - set(EXCLUDED))
    assert not missing, f"URLs with no query-count entry nor a reason to leave them out: {missing}"
    stale = sorted((set(ENDPOINTS) | set(EXCLUDED)) - names)
    assert not stale, f"entries for URLs that no longer exist: {stale}"
    assert not set(ENDPOINTS) & set(EXCLUDED)
    assert all(reason.strip() for reason in EXCLUDED.values())


# ---------------------------------------------------------------- data that grows


@pytest.fixture
def _quiet_tips(settings, tmp_path):
    settings.TIP_MEDIA_DIR = str(tmp_path / "tips-media")
    settings.TIP_RATE_LIMIT_PER_HOUR = 100_000
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"


class Grower:
    """Adds `n` more of each kind of row the pages list: report periods (past deadlines this year,
    the user's agency submitting), cases of the user's agency, possible duplicates of the measured
    case (another agency, same commune, goods and days), tips."""

    def __init__(self, unit, other_unit):
        self.unit, self.other_unit, self.made = unit, other_unit, 0
        self.committee = None  # (coordinator, QLTT): set once the committee's records exist

    def case(self, agency, **extra):
        from canhgiac.cases import services

        self.made += 1
        values = {
            "lead_agency_code": agency,
            "detected_on": "2026-03-10",
            "unit_code": self.unit.code,
            "violation_type": "counterfeit",
            "summary": f"Vụ đo số truy vấn {self.made}",
            "goods": [
                {
                    "goods_category": "cosmetics",
                    "description": "Mỹ phẩm giả",
                    "quantity": "5",
                    "value_vnd": 1_000,
                }
            ],
        }
        values.update(extra)
        return services.create_case(None, values)

    def product(self):
        """One more product of the measured business (and a distributor link), a GTIN-13 of 893."""
        from stdnum import ean

        from canhgiac.directory.models import GoodsCategory
        from canhgiac.goods.models import Business, Product

        business = Business.objects.get(tax_code="0100233488")
        stem = f"893{self.made:09d}"
        product = Product.objects.create(
            gtin=(stem + ean.calc_check_digit(stem)).zfill(14),
            name=f"Sản phẩm đo {self.made}",
            category=GoodsCategory.objects.get(code="milk"),
            owner=business,
            reference_price_vnd=10_000,
        )
        product.distributors.add(business)
        return product

    def notices(self):
        """A recall of a new lot and a warning about the measured product (the product page and the
        recall list grow), and a recall of the newest product (the feed grows); the first call also
        makes the market-field product (QLTT leads it) whose recall the lift page shows."""
        from canhgiac.directory.models import GoodsCategory
        from canhgiac.goods import services as goods
        from canhgiac.goods.models import Product

        measured = Product.objects.order_by("pk").first()
        if not hasattr(self, "fuel_recall"):
            fuel = Product.objects.create(
                gtin="08936012345681",
                name="Dầu nhớt đo",
                category=GoodsCategory.objects.get(code="fuel"),
                owner=measured.owner,
            )
            self.fuel_recall = goods.record_recall(None, fuel, reason="Kém chất lượng")
        goods.record_recall(None, measured, lot=f"L{self.made}", reason=f"Lô lỗi {self.made}")
        goods.add_warning(None, measured, text=f"Cảnh báo đo {self.made}")
        goods.record_recall(None, Product.objects.order_by("-pk").first(), reason="Thu hồi đo")

    def online(self):
        """One more listing (flagged, with a piece of evidence and a takedown request) of the
        measured agency, and one more signer with a commitment whose shop breaches it."""
        import datetime as _dt

        from django.core.files.uploadedfile import SimpleUploadedFile

        from canhgiac.online import services as online
        from canhgiac.online.models import Commitment, Platform, Signer, SignerKind

        agency = online.default_agency("QLTT")
        listing = online.save_listing(
            None,
            {
                "agency": agency,
                "platform": Platform.objects.get(code="shopee"),
                "listing_ref": f"Q{self.made}",
                "title": f"Giày rep 1:1 số {self.made}",
                "shop_name": f"Shop đo {self.made}",
                "price_vnd": 100_000,
            },
        )
        online.add_evidence(None, listing, SimpleUploadedFile("p.html", b"<html></html>"), "page")
        online.request_takedown(None, listing)
        signer = Signer.objects.create(
            province=agency.province,
            kind=SignerKind.objects.get(code="ecommerce_seller"),
            name=f"Shop đo {self.made}",
            registered_on=_dt.date(2026, 1, 10),
            account=listing.account,
        )
        Commitment.objects.create(signer=signer, signed_on=_dt.date(2026, 1, 1), method="upload", text="x")
        return listing, signer

    def grow(self, n):
        from canhgiac.directory.models import Agency
        from canhgiac.reporting import services as reporting
        from canhgiac.reporting.models import Period
        from canhgiac.tips import services as tips

        today = reporting.today()
        submitters = list(Agency.objects.filter(code__in=["QLTT", "CA"]))
        for _i in range(n):
            self.made += 1
            deadline = today - dt.timedelta(days=self.made)
            reporting.create_period(
                None,
                kind=Period.Kind.MONTHLY,
                name=f"Kỳ đo {self.made}",
                data_from=deadline - dt.timedelta(days=30),
                data_to=deadline - dt.timedelta(days=2),
                deadline=deadline,
                office_deadline=deadline + dt.timedelta(days=3),
                submitters=submitters,
            )
            # the measured subject organises it with a new helper, who shares a phone with the others:
            # the subject's network and the ranked list grow
            self.case(
                "QLTT",
                unit_code=self.other_unit.code,
                detected_on="2026-05-01",
                subjects=[
                    {
                        "kind": "person",
                        "name": "Nguyễn Văn Đo",
                        "role": "organiser",
                        "identifier": "001234567890",
                    },
                    {
                        "kind": "person",
                        "name": f"Người giúp {self.made}",
                        "role": "seller",
                        "phone": "0912 000 111",
                    },
                ],
            )
            self.case("CA")  # same commune, goods and day as the measured case: a possible duplicate
            if self.committee:  # one more record of each kind the committee's pages list
                from canhgiac.committee.tests.factories import committee_grow

                committee_grow(*self.committee, self.made)
            tips.submit_public({"description": f"Cửa hàng bán mỹ phẩm giả số {self.made}, không hóa đơn."})
            self.codes(self.product())
            self.notices()
            self.online()
            from canhgiac.goods.tests.factories import epcis_grow

            epcis_grow(self.made, self.unit)  # a lot's trace, its public page and the leads grow

    def codes(self, product):
        """A batch of signed codes of `product`, one checked in three communes (a lead) and one
        forged check; returns the batch and its first code's text."""
        from canhgiac.goods import codes, verify

        batch = codes.request_batch(None, product, f"L{self.made}", 2)
        text = codes.read_codes(codes.issue_batch(batch).batch)[0][1]
        for unit in (self.unit, self.other_unit):
            verify.check(text, unit.code)
        verify.check(text.replace("/21/", "/21/X"), self.unit.code)
        return batch, text


@pytest.fixture
def data(_quiet_tips, officer_qltt, coordinator_sct, business_user):
    from canhgiac.cases import inspections, public_warnings
    from canhgiac.core import jobs
    from canhgiac.directory.models import AdministrativeUnit, Agency, Responsibility
    from canhgiac.plans.models import Plan
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period
    from canhgiac.subjects.models import Subject
    from canhgiac.tips.models import Tip

    units = list(AdministrativeUnit.objects.exclude(parent=None).order_by("code")[:2])
    grower = Grower(*units)
    product = grower.product()
    code_batch, code_text = grower.codes(product)
    case = grower.case(
        "QLTT",
        subjects=[{"kind": "person", "name": "Nguyễn Văn Đo", "role": "owner", "identifier": "001234567890"}],
    )
    listing, signer = grower.online()
    listing.account.subject = Subject.objects.create(kind="online_account", name="Người bán đo")
    listing.account.save()
    from canhgiac.committee.tests.factories import committee_world

    cm, _labels = committee_world(
        coordinator_sct, Agency.objects.get(code="QLTT", province__codename="dak_lak")
    )
    grower.committee = (coordinator_sct, Agency.objects.get(code="QLTT", province__codename="dak_lak"))
    grower.grow(SMALL)
    plan = Plan.objects.get(code="dak_lak_2030")
    period = Period.objects.order_by("pk").first()
    qltt = Agency.objects.get(code="QLTT")
    inspection, _overlaps = inspections.save_inspection(
        officer_qltt,
        {
            "agency": qltt,
            "business_name": "Cửa hàng Đo Lường",
            "unit": units[0],
            "planned_on": dt.date(2026, 4, 1),
        },
    )
    from canhgiac.subjects.models import Relation

    subject = Subject.objects.get(identifier="001234567890")
    relation = Relation.objects.create(
        subject=subject,
        other=Subject.objects.create(kind="person", name="Nguyễn Thị Đo", recorded_by_agency=qltt),
        kind="family",
        detail="vợ",
        source="document",
        source_ref="Biên bản 1",
        recorded_by_agency=qltt,
    )
    return SimpleNamespace(
        cm=cm,
        product=product,
        code_batch=code_batch,
        code_text=code_text,
        listing=listing,
        signer=signer,
        relation=relation,
        inspection=inspection,
        warning=public_warnings.save_warning(
            coordinator_sct,
            {"title": "Cảnh giác mỹ phẩm giả", "body": "Không mua mỹ phẩm không rõ nguồn gốc."},
        ),
        submission=reporting.open_submission(officer_qltt, period, qltt),
        grower=grower,
        case=case,
        subject=subject,
        tip=Tip.objects.order_by("pk").first(),
        period=period,
        plan=plan,
        task=plan.tasks.order_by("pk").first(),
        job=jobs.create_job("cases.import", "Nhập thử", owner=officer_qltt),
        matrix_row=Responsibility.objects.order_by("pk").first().pk,
    )


def _measure(clients, data) -> dict[str, int]:
    counts, bad = {}, {}
    for name, (persona, build) in sorted(ENDPOINTS.items()):
        client, url = clients[persona], build(data)
        client.get(url)  # warm-up: first-request caches (content types, sessions) are not the page's cost
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            bad[name] = (url, response.status_code)
        counts[name] = len(queries)
    assert not bad, f"pages that did not answer 200: {bad}"
    return counts


def test_query_counts_match_the_table_and_do_not_grow_with_the_data(data, client, django_user_model, request):
    from django.test import Client

    personas = {persona for persona, _b in ENDPOINTS.values()} - {"anonymous"}
    clients = {"anonymous": client}
    for persona in personas:
        c = Client()
        c.force_login(request.getfixturevalue(persona), backend="django.contrib.auth.backends.ModelBackend")
        clients[persona] = c
    small = _measure(clients, data)
    data.grower.grow(LARGE - SMALL)
    large = _measure(clients, data)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    # One section per database: PostgreSQL adds the audit chain's advisory lock to audited writes.
    tables = json.loads(TABLE.read_text()) if TABLE.exists() else {}
    if os.environ.get("UPDATE_QUERY_COUNTS") == "1":
        tables[connection.vendor] = large
        TABLE.write_text(json.dumps(tables, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    assert not grown, f"query counts that grow with the data (with {SMALL} → {LARGE} of each): {grown}"
    table = tables.get(connection.vendor, {})
    differ = {name: (table.get(name), n) for name, n in large.items() if table.get(name) != n}
    assert not differ, (
        f"query counts differ from {TABLE.name} (table, measured): {differ}; if intended, regenerate with UPDATE_QUERY_COUNTS=1 (docs/development.md)"
    )
