"""Every URL of every app, NetBox style: each page and API endpoint is tried anonymous, as a persona
without the right, as one with it, and as the same role in the other province (Lạng Sơn, while the
objects are Đắk Lắk's). The table is checked against the URL resolver, so a new URL without an
entry fails `test_every_url_has_an_expectation`.

Outcomes: OK (the door opens: any answer but 401/403/404/5xx or a redirect to sign-in; a 400/422
refusal of the payload counts as open), DENIED (403 or
404: the object does not exist for the user), LOGIN (sign-in asked: a redirect for pages, 401 for
the API). For lists the other province's persona gets the page (its own province's list) and must
not find the Đắk Lắk object on it (`hidden`).

Each request runs in a savepoint that is rolled back, so a POST by one persona does not change what
the next one meets.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from canhgiac.core import policy

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN, PUBLIC, INVALID = "ok", "denied", "login", "public", "invalid"

# route -> (method, url kwargs (names of objects below), anonymous, without the right, with it, hidden)
# `without` None: no signed-in persona lacks the right (every staff member may open it).
# The "other province" persona is the `with` persona's role in the same agency of Lạng Sơn; it is
# DENIED on an object's page, and OK on a list or form (its own province's), where `hidden` (a
# key of the objects' labels) must not appear.
P = "officer_qltt"
B = "business_user"  # a user of a Đắk Lắk business (its Lạng Sơn twin is a Lạng Sơn business's)
WINDOW = {"query": "?date_from=2026-01-01&date_to=2026-03-31"}
EXPECTATIONS = {
    # portal and public doors
    "": ("get", {}, PUBLIC, None, P, None),
    "hotlines/": ("get", {}, PUBLIC, None, P, None),
    "canh-bao/": ("get", {}, PUBLIC, None, P, None),
    "canh-bao/atom.xml": ("get", {}, PUBLIC, None, P, None),
    "so-lieu/": ("get", {}, PUBLIC, None, P, None),
    "hang-hoa/": ("get", {}, PUBLIC, None, P, None),
    "huong-dan/": ("get", {}, PUBLIC, None, P, None),
    "huong-dan/cam-ket/": ("get", {}, PUBLIC, None, P, None),
    "huong-dan/<slug:slug>/": ("get", {"slug": "nguoi-tieu-dung"}, PUBLIC, None, P, None),
    "tim-kiem/": ("get", {}, PUBLIC, None, P, None),
    "tips/report/": ("get", {}, PUBLIC, None, P, None),
    "tips/follow/": ("get", {}, PUBLIC, None, P, None),
    "cases/warnings/": ("get", {}, PUBLIC, None, P, None),
    "i18n/setlang/": ("post", {}, PUBLIC, None, P, None),
    "accounts/login/": ("get", {}, PUBLIC, None, P, None),
    "accounts/logout/": ("post", {}, LOGIN, None, P, None, {"with": LOGIN, "other": LOGIN}),
    # the API's description is for signed-in staff or a token (Swagger served from local assets)
    "api/v1/openapi.json": ("get", {}, LOGIN, None, P, None),
    "api/v1/docs": ("get", {}, LOGIN, None, P, None),
    # load balancers' probes
    "healthz": ("get", {}, PUBLIC, None, P, None),
    "readyz": ("get", {}, PUBLIC, None, P, None),
    "api/v1/tips": ("post", {}, PUBLIC, None, P, None),
    # with the follow-up secret the tipster (anyone holding it, in any province) reads the tip
    "api/v1/tips/<code>": ("get", {"code": "tip_code"}, PUBLIC, None, P, None, {"headers": "tip_secret"}),
    "api/v1/tips/<code>/messages": ("post", {"code": "tip_code"}, PUBLIC, None, P, None),
    # the signed-in user's own pages
    "app/": ("get", {}, LOGIN, None, P, None),
    "accounts/two-factor/": ("get", {}, LOGIN, None, P, None),
    "accounts/profile/": ("get", {}, LOGIN, None, P, None),
    "accounts/password/": ("get", {}, LOGIN, None, P, None),
    # the committee's head and deputies: the Standing Office's leaders (SCT in Đắk Lắk; in Lạng
    # Sơn the Standing Office is QLTT, so the same role at SCT there is refused)
    "accounts/committee/": ("get", {}, LOGIN, "coordinator_sct", "leader_sct", None, {"other": DENIED}),
    "accounts/tokens/<int:token_id>/revoke/": ("post", {"token_id": "token"}, LOGIN, "officer_ca", P, None),
    "jobs/<uuid:job_id>/": ("get", {"job_id": "job"}, LOGIN, "officer_ca", P, None),
    # an export's file: its owner only
    "jobs/<uuid:job_id>/download": ("get", {"job_id": "job"}, LOGIN, "officer_ca", P, None),
    "notifications/": ("get", {}, LOGIN, None, P, None),
    "api/v1/accounts/me": ("get", {}, LOGIN, None, P, None),
    "api/v1/": ("get", {}, DENIED, None, P, None, {"with": DENIED, "other": DENIED}),
    # directory
    "directory/matrix/": ("get", {}, LOGIN, None, "coordinator_sct", None),
    "directory/matrix/new/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "directory/matrix/<int:pk>/edit/": ("get", {"pk": "responsibility"}, LOGIN, P, "coordinator_sct", None),
    "directory/agencies/": ("get", {}, LOGIN, None, P, None),
    "directory/border/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "directory/hotline/": ("get", {}, LOGIN, P, "leader_qltt", None),
    # the units' coordinates: the province's administrators (the Lạng Sơn one loads Lạng Sơn's)
    "directory/locations/": ("get", {}, LOGIN, "coordinator_sct", "admin_sct", None),
    "api/v1/directory/units": ("get", {}, LOGIN, None, P, None),
    "api/v1/directory/agencies": ("get", {}, LOGIN, None, P, None),
    "api/v1/directory/fields": ("get", {}, LOGIN, None, P, None),
    "api/v1/directory/goods-categories": ("get", {}, LOGIN, None, P, None),
    "api/v1/directory/violation-types": ("get", {}, LOGIN, None, P, None),
    # the other province's persona asks about a Đắk Lắk commune: not one of theirs
    "api/v1/directory/lead-agency": (
        "get",
        {},
        LOGIN,
        None,
        P,
        None,
        {"query": "?unit={unit}&field=health", "other": DENIED},
    ),
    # audit
    "audit/": ("get", {}, LOGIN, P, "coordinator_sct", "audit_marker"),
    # subjects
    # the list is a search: it finds nothing without a query
    "subjects/": ("get", {}, LOGIN, None, P, "subject", {"query": "?q=Hoa+Mai"}),
    "subjects/<int:pk>/": ("get", {"pk": "subject"}, LOGIN, "officer_ca", P, None),
    # links and networks (the ranked list ranks only subjects with reasons, which the world's
    # subject has not: its two-province rule is subjects/tests/test_attention.py); the network follows the subject's visibility; the ranked list and new
    # relations are for officers, leaders, analysts and coordinators (not read-only viewers)
    "subjects/attention/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "subjects/<int:pk>/network/": ("get", {"pk": "subject"}, LOGIN, "officer_ca", P, None),
    "subjects/<int:pk>/relations/new/": ("get", {"pk": "subject"}, LOGIN, "officer_ca", P, None),
    "api/v1/subjects/<subject_id>/network": ("get", {"subject_id": "subject"}, LOGIN, "officer_ca", P, None),
    "api/v1/subjects/attention": ("get", {}, LOGIN, "viewer_syt", P, None),
    # a relation of the subject with itself is refused (422): the door is open, nothing is written
    "api/v1/subjects/relations": (
        "post",
        {},
        LOGIN,
        "viewer_syt",
        P,
        None,
        {"json": {"subject": "subject", "other": "subject", "kind": "family", "source": "import"}},
    ),
    "subjects/entities/<int:pk>/": ("get", {"pk": "entity"}, LOGIN, "officer_ca", P, None),
    # a relation is changed or deleted by who may record for its agency; QLTT's own relation is not
    # found by CA's officer
    "subjects/relations/<int:pk>/edit/": ("get", {"pk": "relation"}, LOGIN, "officer_ca", P, None),
    "subjects/relations/<int:pk>/delete/": ("get", {"pk": "relation"}, LOGIN, "officer_ca", P, None),
    "api/v1/subjects/relations/<int:relation_id>": (
        "put",
        {"relation_id": "relation"},
        LOGIN,
        "officer_ca",
        P,
        None,
        {"json": {"kind": "family", "source": "import"}},
    ),
    "subjects/review/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "subjects/review/decide/": (
        "post",
        {},
        LOGIN,
        "viewer_syt",
        P,
        None,
        {"data": {"left": "subject", "right": "subject2", "decision": "unsure"}, "other": DENIED},
    ),
    "api/v1/subjects/entities/<int:entity_id>": (
        "get",
        {"entity_id": "entity"},
        LOGIN,
        "officer_ca",
        P,
        None,
    ),
    "api/v1/subjects/review": ("get", {}, LOGIN, "viewer_syt", P, None),
    # cases
    "cases/": ("get", {}, LOGIN, None, P, "case"),
    # exports start by POST (a GET shows what would be exported and the button)
    "cases/export.<str:fmt>": ("post", {"fmt": "csv"}, LOGIN, "nobody", P, "case"),
    "cases/figures/": ("get", {}, LOGIN, "nobody", P, None),
    "cases/new/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "cases/import/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "cases/import/template.csv": ("get", {}, LOGIN, None, P, None),
    "cases/import/codes.csv": ("get", {}, LOGIN, None, P, None),
    "cases/<int:pk>/": ("get", {"pk": "case"}, LOGIN, "officer_ca", P, None),
    "cases/<int:pk>/edit/": ("get", {"pk": "case"}, LOGIN, "officer_ca", P, None),
    "cases/<int:pk>/delete/": ("post", {"pk": "case"}, LOGIN, P, "leader_qltt", None),
    "cases/<int:pk>/attachments/": ("post", {"pk": "case"}, LOGIN, "officer_ca", P, None),
    "cases/attachments/<int:pk>/": ("get", {"pk": "attachment"}, LOGIN, "officer_ca", P, None),
    "cases/inspections/": ("get", {}, LOGIN, None, P, "inspection"),
    "cases/inspections/new/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "cases/inspections/<int:pk>/": ("get", {"pk": "inspection"}, LOGIN, "officer_ca", P, None),
    "cases/inspections/<int:pk>/edit/": ("get", {"pk": "inspection"}, LOGIN, "officer_ca", P, None),
    "cases/warnings/manage/": ("get", {}, LOGIN, P, "coordinator_sct", "warning"),
    "cases/warnings/new/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "cases/warnings/<int:pk>/edit/": ("get", {"pk": "warning"}, LOGIN, P, "coordinator_sct", None),
    "api/v1/cases/summary": (
        "get",
        {},
        LOGIN,
        None,
        P,
        "case_count",
        {"query": "?from=2026-01-01&to=2026-12-31"},
    ),
    "api/v1/cases/": ("get", {}, LOGIN, None, P, "case"),
    "api/v1/cases/<int:case_id>": ("get", {"case_id": "case"}, LOGIN, "officer_ca", P, None),
    # tips
    "tips/": ("get", {}, LOGIN, None, "tip_handler_qltt", "tip"),
    "tips/new/": ("get", {}, LOGIN, "viewer_syt", "tip_handler_qltt", None),
    "tips/stats/": ("get", {}, LOGIN, None, "tip_handler_qltt", None),
    "tips/<int:pk>/": ("get", {"pk": "tip"}, LOGIN, "officer_ca", "tip_handler_qltt", None),
    "tips/<int:pk>/receipt/": ("get", {"pk": "tip"}, LOGIN, "officer_ca", "tip_handler_qltt", None),
    "api/v1/tips/staff/<int:tip_id>/signs-of-crime": (
        "put",
        {"tip_id": "tip"},
        LOGIN,
        "officer_ca",
        "tip_handler_qltt",
        None,
        {"json": {"signs_of_crime": True}},
    ),
    "tips/<int:pk>/contact/": ("post", {"pk": "tip"}, LOGIN, P, "tip_handler_qltt", None),
    "tips/<int:pk>/case/": (
        "post",
        {"pk": "tip"},
        LOGIN,
        "officer_ca",
        "leader_qltt",
        None,
        {"data": {"unit_code": "unit", "violation_type": "counterfeit"}},
    ),
    "tips/<int:pk>/files/<int:attachment_id>/": (
        "get",
        {"pk": "tip", "attachment_id": "tip_attachment"},
        LOGIN,
        "officer_ca",
        "tip_handler_qltt",
        None,
    ),
    "tips/<int:pk>/<slug:action>/": (
        "post",
        {"pk": "tip", "action": "accept"},
        LOGIN,
        "officer_ca",
        "tip_handler_qltt",
        None,
    ),
    "api/v1/tips/stats": ("get", {}, LOGIN, None, "tip_handler_qltt", None),
    # plans
    "plans/": ("get", {}, LOGIN, None, P, "plan"),
    "plans/<int:pk>/": ("get", {"pk": "plan"}, LOGIN, None, P, None),
    "plans/<int:pk>/agency-plans/": ("get", {"pk": "plan"}, LOGIN, None, P, None),
    "plans/<int:pk>/agency-plans/derive/": ("post", {"pk": "plan"}, LOGIN, "nobody", P, None),
    "plans/<int:pk>/export.xlsx": ("post", {"pk": "plan"}, LOGIN, None, P, None),
    "plans/<int:pk>/report.docx": ("post", {"pk": "plan"}, LOGIN, None, P, None),
    "plans/agency-plan/<int:pk>/issue/": ("get", {"pk": "agency_plan"}, LOGIN, "officer_ca", P, None),
    "plans/agency-plan/<int:pk>/document/": ("get", {"pk": "agency_plan"}, LOGIN, None, P, None),
    "plans/tasks/<int:pk>/": ("get", {"pk": "task"}, LOGIN, None, P, None),
    "plans/tasks/<int:pk>/assign/": (
        "post",
        {"pk": "task"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"data": {"lead_agencies": "qltt", "responsible_person": "Ông A"}},
    ),
    "plans/updates/<int:pk>/evidence/": ("get", {"pk": "update"}, LOGIN, "officer_ca", P, None),
    "plans/mine/": ("get", {}, LOGIN, None, P, None),
    "plans/due/": ("get", {}, LOGIN, None, P, None),
    "plans/scorecard/": ("get", {}, LOGIN, None, P, None),
    # committee: every staff member of the province reads; the Standing Office writes
    "committee/": ("get", {}, LOGIN, None, P, None),
    "committee/membership/": ("get", {}, LOGIN, None, P, "cm_committee"),
    "committee/membership/<int:pk>/": ("get", {"pk": "cm_committee"}, LOGIN, None, P, None),
    "committee/meetings/": ("get", {}, LOGIN, None, P, "cm_meeting"),
    "committee/meetings/<int:pk>/": ("get", {"pk": "cm_meeting"}, LOGIN, None, P, None),
    "committee/regulations/": ("get", {}, LOGIN, None, P, "cm_regulation"),
    "committee/regulations/<int:pk>/document/": ("get", {"pk": "cm_regulation"}, LOGIN, None, P, None),
    "committee/training/": ("get", {}, LOGIN, None, P, "cm_course"),
    "committee/training/<int:pk>/": ("get", {"pk": "cm_course"}, LOGIN, None, P, None),
    "committee/library/": ("get", {}, LOGIN, None, P, "cm_material"),
    "committee/library/<int:pk>/file/": ("get", {"pk": "cm_material"}, LOGIN, None, P, None),
    # a bulletin: the Standing Office and its recipients (QLTT here, not SYT)
    "committee/bulletins/": ("get", {}, LOGIN, None, P, "cm_bulletin"),
    "committee/bulletins/<int:pk>/": ("get", {"pk": "cm_bulletin"}, LOGIN, "viewer_syt", P, None),
    "committee/commendations/": ("get", {}, LOGIN, None, P, "cm_commendation"),
    "committee/international/": ("get", {}, LOGIN, None, P, "cm_focal_point"),
    "committee/evidence/<slug:kind>/<int:pk>/": (
        "get",
        {"kind": "regulation", "pk": "cm_regulation"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    "api/v1/committee/communes-without-committee": ("get", {}, LOGIN, None, P, None),
    "api/v1/committee/bulletins": ("get", {}, LOGIN, None, P, "cm_bulletin"),
    "api/v1/committee/bulletins/<int:bulletin_id>/read": (
        "post",
        {"bulletin_id": "cm_bulletin"},
        LOGIN,
        "viewer_syt",
        P,
        None,
    ),
    "api/v1/committee/meetings/<int:meeting_id>": ("get", {"meeting_id": "cm_meeting"}, LOGIN, None, P, None),
    "api/v1/committee/meetings/<int:meeting_id>/conclusions": (
        "post",
        {"meeting_id": "cm_meeting"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"json": {"text": "Kết luận qua API", "lead": ["QLTT"], "due": "30/06/2026"}},
    ),
    "api/v1/committee/meetings/<int:meeting_id>/issue": (
        "post",
        {"meeting_id": "cm_meeting"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    "api/v1/plans/": ("get", {}, LOGIN, None, P, "plan"),
    "api/v1/plans/<int:plan_id>": ("get", {"plan_id": "plan"}, LOGIN, None, P, None),
    "api/v1/plans/<int:plan_id>/status": ("get", {"plan_id": "plan"}, LOGIN, None, P, None),
    "api/v1/plans/<int:plan_id>/tasks": ("get", {"plan_id": "plan"}, LOGIN, None, P, None),
    "api/v1/plans/tasks/<int:task_id>": ("get", {"task_id": "task"}, LOGIN, None, P, None),
    "api/v1/plans/tasks/<int:task_id>/updates": ("get", {"task_id": "task"}, LOGIN, None, P, None),
    "api/v1/plans/checkpoints/<int:checkpoint_id>/updates": (
        "post",
        {"checkpoint_id": "checkpoint"},
        LOGIN,
        "officer_ca",
        P,
        None,
        {"data": {"agency": "QLTT", "status": "in_progress", "narrative": "Đang làm"}, "multipart": True},
    ),
    # reporting
    "reporting/": ("get", {}, LOGIN, None, P, None),
    "reporting/periods/new/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "reporting/campaigns/new/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "reporting/periods/<int:pk>/": ("get", {"pk": "period"}, LOGIN, "nobody", P, None),
    "reporting/periods/<int:pk>/edit/": ("get", {"pk": "period"}, LOGIN, P, "coordinator_sct", None),
    "reporting/periods/<int:pk>/exception/": (
        "post",
        {"pk": "period"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"data": {"agency": "qltt", "until": "31/12/2026", "reason": "Mất điện"}},
    ),
    "reporting/periods/<int:pk>/open/<int:agency_pk>/": (
        "post",
        {"pk": "period", "agency_pk": "qltt"},
        LOGIN,
        "officer_ca",
        P,
        None,
    ),
    "reporting/periods/<int:pk>/consolidated/": ("get", {"pk": "period"}, LOGIN, P, "coordinator_sct", None),
    "reporting/periods/<int:pk>/consolidated/refresh/": (
        "post",
        {"pk": "period"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    "reporting/periods/<int:pk>/export.<str:fmt>": (
        "post",
        {"pk": "period", "fmt": "docx"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    "reporting/submissions/<int:pk>/": ("get", {"pk": "submission"}, LOGIN, "officer_ca", P, None),
    "reporting/export/": ("post", {}, LOGIN, P, "coordinator_sct", None),
    "reporting/timeliness/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "reporting/forms/": ("get", {}, LOGIN, None, P, None),
    # the report form is shared by every province
    "reporting/forms/<int:pk>/edit/": (
        "get",
        {"pk": "form"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"other": OK},
    ),
    "reporting/groups/": ("get", {}, LOGIN, P, "coordinator_sct", None),
    "api/v1/reporting/periods": ("get", {}, LOGIN, None, P, None),
    "api/v1/reporting/periods/<pk>": ("get", {"pk": "period"}, LOGIN, "nobody", P, None),
    "api/v1/reporting/periods/<pk>/board": ("get", {"pk": "period"}, LOGIN, "nobody", P, None),
    "api/v1/reporting/periods/<pk>/submissions": ("get", {"pk": "period"}, LOGIN, "nobody", P, None),
    "api/v1/reporting/submissions/<pk>": ("get", {"pk": "submission"}, LOGIN, "officer_ca", P, None),
    "api/v1/reporting/submissions/<pk>/submit": ("post", {"pk": "submission"}, LOGIN, "officer_ca", P, None),
    "api/v1/reporting/submissions/<pk>/approve": (
        "post",
        {"pk": "submission"},
        LOGIN,
        "officer_ca",
        "leader_qltt",
        None,
        {"status": "submitted"},
    ),
    "api/v1/reporting/submissions/<pk>/send-back": (
        "post",
        {"pk": "submission"},
        LOGIN,
        "officer_ca",
        "leader_qltt",
        None,
        {"status": "submitted", "json": {"comment": "Sửa lại"}},
    ),
    "api/v1/reporting/submissions/<pk>/accept": (
        "post",
        {"pk": "submission"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"status": "approved"},
    ),
    "api/v1/reporting/submissions/<pk>/return": (
        "post",
        {"pk": "submission"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"status": "approved", "json": {"comment": "Sửa lại"}},
    ),
    "api/v1/reporting/periods/<pk>/consolidated": (
        "get",
        {"pk": "period"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    "api/v1/reporting/consolidated": ("get", {}, LOGIN, P, "coordinator_sct", None, WINDOW),
    "api/v1/reporting/periods/<pk>/exceptions": (
        "post",
        {"pk": "period"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"json": {"agency": "QLTT", "until": "2026-12-31", "reason": "Mất điện"}},
    ),
    # exports start a background job (202); its status and file are the owner's only
    "api/v1/reporting/periods/<pk>/export": ("post", {"pk": "period"}, LOGIN, P, "coordinator_sct", None),
    "api/v1/reporting/export": ("post", {}, LOGIN, P, "coordinator_sct", None, WINDOW),
    # goods: the business area is for business users (B); officers read their province's products
    "goods/business/": ("get", {}, LOGIN, P, B, None),
    # the business's commitments, signed online (issue 15)
    "goods/business/commitments/": ("get", {}, LOGIN, P, B, None),
    "goods/lookup/": ("get", {}, PUBLIC, None, P, None, {"query": "?gtin=12345"}),
    "goods/products/": ("get", {}, LOGIN, "nobody", P, "product"),
    "goods/products/new/": ("get", {}, LOGIN, P, B, None),
    "goods/products/import/": ("get", {}, LOGIN, P, B, None),
    "goods/products/<int:pk>/": ("get", {"pk": "product"}, LOGIN, "nobody", P, None),
    "goods/products/<int:pk>/edit/": ("get", {"pk": "product"}, LOGIN, P, B, None),
    "goods/trace/": ("get", {}, LOGIN, "nobody", P, None, {"query": "?q=08934588012228"}),
    "goods/trace/leads/": ("get", {}, LOGIN, "nobody", P, None),
    "api/v1/goods/products": ("get", {}, LOGIN, "nobody", P, "product"),
    "api/v1/goods/products/<gtin>": ("get", {"gtin": "gtin"}, LOGIN, "nobody", P, None),
    "api/v1/goods/products/import": ("post", {}, LOGIN, P, B, None),
    # goods: signed codes (the business's own batches), the public check, figures and leads
    "goods/business/choose/": ("post", {}, LOGIN, P, B, None),
    "goods/business/codes/": ("get", {}, LOGIN, P, B, None),
    "goods/business/codes/mark/": ("get", {}, LOGIN, P, B, None),
    "goods/business/codes/<int:pk>/": ("get", {"pk": "code_batch"}, LOGIN, "nobody", B, None),
    "goods/business/codes/<int:pk>/codes.csv": ("get", {"pk": "code_batch"}, LOGIN, "nobody", B, None),
    "goods/business/codes/<int:pk>/sheet.pdf": ("get", {"pk": "code_batch"}, LOGIN, "nobody", B, None),
    "goods/check/": ("get", {}, PUBLIC, None, P, None, {"query": "?code=8934588012228"}),
    "goods/checks/": ("get", {}, LOGIN, B, P, "product"),
    "goods/checks/<int:check_id>/case/": ("post", {"check_id": "code_lead"}, LOGIN, B, P, None),
    "api/v1/goods/keys": ("get", {}, PUBLIC, None, P, None),
    # goods: the code-batch API for businesses' systems (own batches; officers are refused)
    "api/v1/goods/code-batches": ("get", {}, LOGIN, P, B, None),
    "api/v1/goods/code-batches/<batch_id>": ("get", {"batch_id": "code_batch"}, LOGIN, "nobody", B, None),
    "api/v1/goods/code-batches/<batch_id>/codes.csv": (
        "get",
        {"batch_id": "code_batch"},
        LOGIN,
        "nobody",
        B,
        None,
    ),
    # marking an unknown serial: 422 for a business (its own codes only), 403 for an officer
    "api/v1/goods/codes/mark": (
        "post",
        {},
        LOGIN,
        P,
        B,
        None,
        {"json": {"items": [{"serial": "NOSUCHSERIAL", "state": "sold"}]}, "other": INVALID},
    ),
    "api/v1/verify": ("get", {}, PUBLIC, None, P, None, {"query": "?code=8934588012228"}),
    # recalls and warnings: recorded by the lead agency of the product's field (QLTT leads fuel);
    # active ones are public (the feed), the lists are staff's
    "goods/recalls/": ("get", {}, LOGIN, "nobody", P, None),
    "goods/recalls/new/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "goods/recalls/<int:pk>/lift/": ("get", {"pk": "recall"}, LOGIN, "officer_ca", P, None),
    "goods/warnings/new/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "goods/warnings/<int:pk>/withdraw/": ("post", {"pk": "product_warning"}, LOGIN, "officer_ca", P, None),
    "goods/warnings/from-case-goods/<int:line_id>/": (
        "post",
        {"line_id": "case_goods"},
        LOGIN,
        "officer_ca",
        P,
        None,
    ),
    "goods/feed.atom": ("get", {}, PUBLIC, None, P, None),
    "api/v1/goods/recalls": ("get", {}, LOGIN, "nobody", P, None),
    # online: staff of the province read listings; the listing agency's officers handle them
    "online/": ("get", {}, LOGIN, "nobody", P, "listing"),
    "online/listings/new/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "online/listings/import/": ("get", {}, LOGIN, "viewer_syt", P, None),
    "online/listings/export.csv": ("get", {}, LOGIN, "nobody", P, "listing_ref"),
    "online/listings/<int:pk>/": ("get", {"pk": "listing"}, LOGIN, "nobody", P, None),
    "online/listings/<int:pk>/takedown/": ("post", {"pk": "listing"}, LOGIN, "viewer_syt", P, None),
    "online/listings/<int:pk>/case/": ("get", {"pk": "listing"}, LOGIN, "officer_ca", P, None),
    "online/listings/<int:pk>/warn/": ("post", {"pk": "listing"}, LOGIN, "officer_ca", P, None),
    "online/listings/<int:pk>/no-violation/": ("post", {"pk": "listing"}, LOGIN, "viewer_syt", P, None),
    "online/listings/<int:pk>/evidence/": ("post", {"pk": "listing"}, LOGIN, "viewer_syt", P, None),
    "online/evidence/<int:pk>/": ("get", {"pk": "evidence"}, LOGIN, "nobody", P, None),
    "online/takedowns/<int:pk>/outcome/": ("post", {"pk": "takedown"}, LOGIN, "viewer_syt", P, None),
    "online/figures/": ("get", {}, LOGIN, "nobody", P, None),
    "online/commitments/": ("get", {}, LOGIN, "nobody", P, "signer"),
    "online/commitments/signers/new/": ("get", {}, LOGIN, "nobody", P, None),
    # importing a register: coordinators and the agencies in charge of a kind (QLTT is in charge of none)
    "online/commitments/signers/import/": ("get", {}, LOGIN, "officer_qltt", "coordinator_sct", None),
    # a shop and its seller: staff of the province (the subject as the policy lets them see it)
    "online/accounts/<int:pk>/": ("get", {"pk": "online_account"}, LOGIN, "nobody", P, None),
    "online/commitments/signers/<int:pk>/": ("get", {"pk": "signer"}, LOGIN, "nobody", P, None),
    "online/commitments/sign/": ("get", {}, LOGIN, None, P, None),
    "online/commitments/public/": ("get", {}, PUBLIC, None, P, None),
    "api/v1/online/listings": ("get", {}, LOGIN, "nobody", P, "listing"),
    "api/v1/online/listings/import": ("post", {}, LOGIN, "viewer_syt", P, None),
    "api/v1/online/listings/<listing_id>": ("get", {"listing_id": "listing"}, LOGIN, "nobody", P, None),
    "api/v1/online/listings/<listing_id>/takedown": (
        "post",
        {"listing_id": "listing"},
        LOGIN,
        "viewer_syt",
        P,
        None,
        {"json": {"note": "CV"}},
    ),
    "api/v1/online/commitments/coverage": ("get", {}, LOGIN, "nobody", P, None),
    "api/v1/online/commitments/mine": ("get", {}, LOGIN, None, P, None),
    # a signer's own commitment: the signer's account only (here the officer's)
    "api/v1/online/commitments/mine/<signer_id>/sign": (
        "post",
        {"signer_id": "signer"},
        LOGIN,
        "officer_ca",
        P,
        None,
    ),
    # EPCIS: enforcement officers capture (inspection events), staff and businesses query
    "api/v1/epcis/capture": ("post", {}, LOGIN, "viewer_syt", P, None),
    "api/v1/epcis/events": ("get", {}, LOGIN, "nobody", P, None),
    # an identifier's events: a list (each province reads its own events), not an object page
    "api/v1/epcis/epcs/<path:epc>/events": ("get", {"epc": "gtin"}, LOGIN, "nobody", P, None, {"other": OK}),
    # GS1 Digital Link: public parser and resolver
    "api/v1/goods/digital-link": (
        "get",
        {},
        PUBLIC,
        None,
        P,
        None,
        {"query": "?uri=https://a/01/12312312312333"},
    ),
    "01/<str:gtin>": ("get", {"gtin": "gtin"}, PUBLIC, None, P, None),
    "01/<str:gtin>/10/<str:lot>": ("get", {"gtin": "gtin", "lot": "L1"}, PUBLIC, None, P, None),
    "01/<str:gtin>/21/<str:serial>": ("get", {"gtin": "gtin", "serial": "S1"}, PUBLIC, None, P, None),
    "01/<str:gtin>/10/<str:lot>/21/<str:serial>": (
        "get",
        {"gtin": "gtin", "lot": "L1", "serial": "S1"},
        PUBLIC,
        None,
        P,
        None,
    ),
    "api/v1/jobs/<uuidstr:job_id>": ("get", {"job_id": "job"}, LOGIN, "officer_ca", P, None),
    # an export's file: its owner only (the world's job has its file)
    "api/v1/jobs/<uuidstr:job_id>/download": ("get", {"job_id": "job"}, LOGIN, "officer_ca", P, None),
}
# Routes of Django's admin site: staff accounts only (is_staff), tried as one group below.
ADMIN_PREFIX = "admin/"
# The same route serves two methods (list/create, read/update): the second is tried through the
# first's expectation and its own here.
SECOND_METHODS = {
    # offering a committee record as evidence: the Standing Office of its province only
    "committee/evidence/<slug:kind>/<int:pk>/": (
        "post",
        {"kind": "regulation", "pk": "cm_regulation"},
        LOGIN,
        P,
        "coordinator_sct",
        None,
    ),
    # a case in a Đắk Lắk commune is not the other province's to record
    "api/v1/cases/": ("post", {}, LOGIN, "viewer_syt", P, None, {"json": "new_case", "other": INVALID}),
    # the other province's officer does not see the Đắk Lắk product: its GTIN is refused (422)
    # asking for codes of the Đắk Lắk product: not found for the Lạng Sơn business
    "api/v1/goods/code-batches": ("post", {}, LOGIN, P, B, None, {"json": "new_code_batch", "other": DENIED}),
    "api/v1/goods/recalls": (
        "post",
        {},
        LOGIN,
        "viewer_syt",
        P,
        None,
        {"json": "new_recall", "other": INVALID},
    ),
    "api/v1/cases/<int:case_id>": (
        "patch",
        {"case_id": "case"},
        LOGIN,
        "officer_ca",
        P,
        None,
        {"json": {"summary": "Sửa tóm tắt"}},
    ),
    "api/v1/reporting/periods": (
        "post",
        {},
        LOGIN,
        P,
        "coordinator_sct",
        None,
        {"json": {"kind": "quarterly", "year": 2026, "number": 2}},
    ),
    "api/v1/reporting/periods/<pk>/submissions": (
        "post",
        {"pk": "period"},
        LOGIN,
        "officer_ca",
        P,
        None,
        {"json": {"agency": "QLTT"}},
    ),
    "api/v1/reporting/submissions/<pk>": (
        "put",
        {"pk": "submission"},
        LOGIN,
        "officer_ca",
        P,
        None,
        {"json": {"values": {}}},
    ),
    "api/v1/subjects/relations/<int:relation_id>": (
        "delete",
        {"relation_id": "relation"},
        LOGIN,
        "officer_ca",
        P,
        None,
    ),
    "api/v1/subjects/review": (
        "post",
        {},
        LOGIN,
        "viewer_syt",
        P,
        None,
        {"json": {"left": "subject", "right": "subject2", "decision": "unsure"}, "other": DENIED},
    ),
}
# Object pages that answer for the objects of the user's own province only: a "with" persona of the
# other province finds nothing (DENIED). Lists, forms and own pages answer OK.
PERSONAS = {
    "officer_ca": ("CA", policy.OFFICER),
    "officer_qltt": ("QLTT", policy.OFFICER),
    "leader_qltt": ("QLTT", policy.LEADER),
    "leader_sct": ("SCT", policy.LEADER),
    "tip_handler_qltt": ("QLTT", policy.TIP_HANDLER),
    "coordinator_sct": ("SCT", policy.COORDINATOR),
    "admin_sct": ("SCT", policy.ADMIN),
    "viewer_syt": ("SYT", policy.VIEWER),
    "nobody": (None, None),
}


def _routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return list(dict.fromkeys(walk(get_resolver().url_patterns)))


def test_every_url_has_an_expectation():
    routes = [r for r in _routes() if not r.startswith(ADMIN_PREFIX)]
    missing = [r for r in routes if r not in EXPECTATIONS]
    stale = [r for r in EXPECTATIONS if r not in routes]
    assert not missing, f"URLs without an entry in EXPECTATIONS: {missing}"
    assert not stale, f"EXPECTATIONS for URLs that no longer exist: {stale}"


@pytest.fixture
def world(make_user, lang_son, ls, settings, tmp_path):
    """The Đắk Lắk objects every URL is tried on, and the personas of both provinces."""
    from django.core.files.base import ContentFile

    from canhgiac.accounts.models import ApiToken
    from canhgiac.audit import services as audit
    from canhgiac.cases import services as cases
    from canhgiac.cases.models import Attachment, Case, Inspection, Warning
    from canhgiac.core.context import acting_as
    from canhgiac.core.models import Job
    from canhgiac.directory.models import Agency, Responsibility
    from canhgiac.plans import services as plans
    from canhgiac.plans.models import Plan, Update
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period
    from canhgiac.subjects.models import Subject
    from canhgiac.tips import services as tips
    from canhgiac.tips.models import TipAttachment

    settings.TIP_MEDIA_DIR = str(tmp_path / "tips")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TIP_RATE_LIMIT_PER_HOUR = 10_000
    people = {}
    for name, (code, role) in PERSONAS.items():
        people[name] = make_user(name, code, role)
        people[f"{name}@lang_son"] = make_user(
            f"{name}_ls", f"{lang_son.code}:{code}" if code else None, role
        )
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import GoodsCategory
    from canhgiac.goods.models import Product

    business, people[B] = make_business("0100233488", "Công ty Hoa Mai", B)
    people[f"{B}@lang_son"] = make_business("4000000021", "Công ty Lạng Sơn", f"{B}_ls", "lang_son")[1]
    product = Product.objects.create(
        gtin="08934588012228",
        name="Sữa Hoa Mai Đắk Lắk",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )
    qltt = Agency.objects.get(code="QLTT", province__codename="dak_lak")
    unit = qltt.province.children.order_by("code").first()
    from canhgiac.goods import codes as goods_codes
    from canhgiac.goods import verify as goods_verify

    code_batch = goods_codes.request_batch(None, product, "L1", 2)
    goods_codes.issue_batch(code_batch)
    goods_verify.forget_cached()
    goods_verify.check(f"https://a/01/{product.gtin}/10/L1/21/ZZZZZZZZZZ?s=xx.yy", unit.code)
    from canhgiac.goods.models import CodeCheck

    code_lead = CodeCheck.objects.latest("id")
    # a product of a field QLTT leads (fuel), with an active recall and a warning
    from canhgiac.goods import services as goods

    fuel_product = Product.objects.create(
        gtin="08936012345681",
        name="Dầu nhớt Đắk Lắk",
        category=GoodsCategory.objects.get(code="fuel"),
        owner=business,
    )
    recall = goods.record_recall(None, fuel_product, lot="L1", reason="Lô kém chất lượng")
    product_warning = goods.add_warning(None, fuel_product, text="Cảnh giác dầu nhớt giả")
    from canhgiac.online import services as online
    from canhgiac.online.models import Platform, Signer, SignerKind

    listing = online.save_listing(
        None,
        {
            "agency": qltt,
            "platform": Platform.objects.get(code="shopee"),
            "listing_ref": "DL-LISTING-1",
            "title": "Giày Đắk Lắk rep 1:1",
            "shop_name": "Shop Đắk Lắk",
        },
    )
    online_evidence = online.add_evidence(None, listing, ContentFile(b"<html></html>", name="p.html"), "page")
    online_takedown = online.request_takedown(
        None,
        online.save_listing(
            None,
            {
                "agency": qltt,
                "platform": Platform.objects.get(code="lazada"),
                "listing_ref": "DL-LISTING-2",
                "title": "Túi fake loại 1",
                "shop_name": "Shop Đắk Lắk",
            },
        ),
    )
    signer = Signer.objects.create(
        province=qltt.province,
        kind=SignerKind.objects.get(code="kol"),
        name="KOC Đắk Lắk Ký Cam Kết",
        registered_on=dt.date(2026, 1, 5),
        user=people[P],
    )
    case = cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ kiểm thử URL",
            "sensitive": True,
        },
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    from canhgiac.cases.models import CaseGoods

    case_goods = CaseGoods.objects.create(
        case=case, goods_category=fuel_product.category, description="Dầu nhớt giả", product=fuel_product
    )
    attachment = Attachment.objects.create(
        case=case, file=ContentFile(b"x", name="a.jpg"), content_type="image/jpeg", size=1
    )
    subject = Subject.objects.create(
        kind=Subject.Kind.ORGANISATION, name="Cơ sở Hoa Mai", recorded_by_agency=qltt
    )
    subject2 = Subject.objects.create(
        kind=Subject.Kind.ORGANISATION, name="Cơ sở Hoa Mai Hai", recorded_by_agency=qltt
    )
    from canhgiac.subjects import services as subjects

    subjects.match_new([subject.pk, subject2.pk])
    subject.refresh_from_db()
    from canhgiac.subjects.models import Relation

    relation = Relation.objects.create(
        subject=subject,
        other=subject2,
        kind="associate",
        source="document",
        source_ref="QĐ 1",
        recorded_by_agency=qltt,
    )
    inspection = Inspection.objects.create(
        agency=qltt, business=subject, unit=unit, planned_on=dt.date(2026, 4, 1)
    )
    warning = Warning.objects.create(case=case, title="Cảnh báo nháp Đắk Lắk", body="Nội dung")
    tip, tip_secret = tips.submit_public({"description": "Cửa hàng bán mỹ phẩm giả, không có hóa đơn."})
    type(tip).objects.filter(pk=tip.pk).update(lead_agency=qltt)
    tip.refresh_from_db()
    tip_attachment = TipAttachment.objects.create(
        tip=tip, kind="photo", file=ContentFile(b"x", name="t.jpg"), content_type="image/jpeg", size=1
    )
    plan = Plan.objects.get(code="dak_lak_2030")
    task = plan.tasks.filter(lead_agencies=qltt, checkpoints__isnull=False).first()
    checkpoint = task.checkpoints.first()
    update = Update.objects.create(
        checkpoint=checkpoint,
        agency=qltt,
        status="in_progress",
        narrative="Đang làm",
        reported_on=dt.date.today(),
        evidence_file=ContentFile(b"x", name="e.pdf"),
    )
    agency_plan = plans.derive_agency_plan(people["coordinator_sct"], plan, qltt)
    d = reporting.period_defaults(Period.Kind.QUARTERLY, 2026, 1)
    period = reporting.create_period(
        None,
        kind=Period.Kind.QUARTERLY,
        name="Quý kiểm thử",
        data_from=d.data_from,
        data_to=dt.date.today() + dt.timedelta(days=1),
        deadline=dt.date.today() + dt.timedelta(days=10),
        office_deadline=dt.date.today() + dt.timedelta(days=20),
    )
    submission = reporting.open_submission(people["officer_qltt"], period, qltt)
    token, _raw = ApiToken.issue(people["officer_qltt"], "kiểm thử")
    settings.VAR_DIR = tmp_path
    job = Job.objects.create(
        kind="export.cases_csv",
        title="x",
        owner=people["officer_qltt"],
        status=Job.Status.DONE,
        result={"filename": "vu-viec.csv", "content_type": "text/csv"},
    )
    (tmp_path / "exports" / str(job.pk)).mkdir(parents=True)
    (tmp_path / "exports" / str(job.pk) / "vu-viec.csv").write_text("case_ref\n")
    agency_plan.document_file.save("van-ban.pdf", ContentFile(b"%PDF-1.4"), save=True)
    with acting_as(people["officer_qltt"]):
        audit.record("test.url_persona_marker")
    from canhgiac.committee.tests.factories import committee_world

    cm_objects, cm_labels = committee_world(people["coordinator_sct"], qltt)
    objects = {
        "listing": listing,
        "online_account": listing.account,
        "evidence": online_evidence,
        "takedown": online_takedown,
        "signer": signer,
        "product": product,
        "recall": recall,
        "product_warning": product_warning,
        "case_goods": case_goods,
        "new_recall": {"gtin": fuel_product.gtin, "reason": "Thu hồi toàn bộ"},
        "new_code_batch": {"gtin": product.gtin, "lot": "L2", "count": 1},
        "gtin": product.gtin,
        "code_batch": code_batch,
        "code_lead": code_lead,
        "case": case,
        "attachment": attachment,
        "subject": subject,
        "subject2": subject2,
        "entity": subject.entity,
        "relation": relation,
        "inspection": inspection,
        "warning": warning,
        "tip": tip,
        "tip_code": tip.code,
        "tip_secret": {"X-Tip-Secret": tip_secret},
        "tip_attachment": tip_attachment,
        "plan": plan,
        "task": task,
        "checkpoint": checkpoint,
        "update": update,
        "agency_plan": agency_plan,
        "period": period,
        "submission": submission,
        "form": reporting.current_form(),
        "token": token,
        "job": job,
        "qltt": qltt,
        "responsibility": Responsibility.objects.filter(unit=qltt.province).first(),
        "unit": unit.code,
        **cm_objects,
        "new_case": {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-11",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ mới qua API",
        },
    }
    labels = {
        "listing": "Giày Đắk Lắk rep 1:1",
        "listing_ref": "DL-LISTING-1",
        "signer": "KOC Đắk Lắk Ký Cam Kết",
        "product": "Sữa Hoa Mai Đắk Lắk",
        "case": case.reference,
        "subject": "Cơ sở Hoa Mai",
        "inspection": "Cơ sở Hoa Mai",
        "warning": "Cảnh báo nháp Đắk Lắk",
        "tip": tip.code,
        "plan": plan.title if hasattr(plan, "title") else str(plan),
        "audit_marker": "test.url_persona_marker",
        # the officer's figures count the Đắk Lắk case; the other province's count none of it
        "case_count": '"cases": 1,',
        **cm_labels,
    }
    return people, objects, labels


def _url(route: str, kwargs: dict, objects: dict) -> str:
    url = "/" + route
    for name, key in kwargs.items():
        value = objects.get(key, key)
        value = getattr(value, "pk", value)
        for conv in ("int:", "str:", "slug:", "uuid:", "uuidstr:", "path:", ""):
            url = url.replace(f"<{conv}{name}>", str(value))
    return url


def _outcome(response) -> str:
    if response.status_code in (400, 422):
        return INVALID
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code == 401:
        return LOGIN
    if response.status_code in (302, 303) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    if response.status_code in (403, 404):
        return DENIED
    return OK


def _payload(value, objects):
    if isinstance(value, str):
        return objects[value]
    return {
        k: getattr(objects.get(v, v), "pk", objects.get(v, v)) if isinstance(v, str) else v
        for k, v in value.items()
    }


def _try(client, user, method, url, opts, objects):
    import json

    with transaction.atomic():
        if opts.get("status"):
            type(objects["submission"]).objects.filter(pk=objects["submission"].pk).update(
                status=opts["status"]
            )
        client.cookies.clear()  # no message or session of the previous persona carries over
        if user is None:
            client.logout()
        else:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        send = getattr(client, method)
        url = url + opts.get("query", "").format(unit=objects["unit"])
        extra = {"headers": objects[opts["headers"]]} if "headers" in opts else {}
        if "json" in opts:
            response = send(
                url, json.dumps(_payload(opts["json"], objects)), content_type="application/json", **extra
            )
        elif "data" in opts:
            response = send(url, _payload(opts["data"], objects), **extra)
        else:
            response = send(url, **extra)
        # A streamed answer (a CSV export, a file) is read too: what it holds is checked.
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        if response.get("Content-Type", "").startswith("application/json") and body:
            body = json.dumps(json.loads(body), ensure_ascii=False).encode()
        transaction.set_rollback(True)
    return _outcome(response), body


def _is_object_page(kwargs) -> bool:
    return any(key not in ("csv", "docx", "accept", "L1", "S1") for key in kwargs.values())


def _check(client, people, objects, labels, route, spec) -> list[str]:
    method, kwargs, anonymous, without, with_, hidden = spec[:6]
    opts = spec[6] if len(spec) > 6 else {}
    url = _url(route, kwargs, objects)
    problems = []

    def expect(who, user, expected):
        got, body = _try(client, user, method, url, opts, objects)
        # A refused payload (400/422) of a write is an open door: the access check came first.
        # A GET must really answer: a 422 there means the route was never tried (missing query).
        invalid_is_open = method != "get" and expected == OK and got == INVALID
        if got != expected and not invalid_is_open:
            problems.append(f"{method.upper()} {url} as {who}: {got}, expected {expected}")
        return got, body

    expect("anonymous", None, OK if anonymous == PUBLIC else anonymous)
    if without is not None:
        expect(f"{without} (without the right)", people[without], DENIED)
    got, body = expect(f"{with_} (with the right)", people[with_], opts.get("with", OK))
    # The other province's check below can only fail if the persona with the right sees the label.
    if hidden and labels[hidden].encode() not in body:
        problems.append(f"{method.upper()} {url} as {with_}: Đắk Lắk's {hidden} {labels[hidden]!r} not shown")
    default_other = DENIED if _is_object_page(kwargs) and anonymous != PUBLIC else OK
    other = f"{with_}@lang_son"
    got, body = expect(other, people[other], opts.get("other", default_other))
    if hidden and labels[hidden].encode() in body:
        problems.append(f"{method.upper()} {url} as {other} shows Đắk Lắk's {hidden} {labels[hidden]!r}")
    return problems


def test_every_url_answers_each_persona_as_expected(client, world):
    people, objects, labels = world
    client.raise_request_exception = False
    problems = []
    for route, spec in list(EXPECTATIONS.items()) + list(SECOND_METHODS.items()):
        problems += _check(client, people, objects, labels, route, spec)
    assert not problems, "\n".join(problems)


def test_the_admin_site_is_for_staff_accounts_only(client, world):
    people, _objects, _labels = world
    admin_routes = [r for r in _routes() if r.startswith(ADMIN_PREFIX) and "<" not in r and "(" not in r]
    assert admin_routes
    for route in admin_routes:
        if route in ("admin/login/", "admin/logout/"):
            continue
        for user in (None, people["coordinator_sct"], people["coordinator_sct@lang_son"]):
            with transaction.atomic():
                if user is None:
                    client.logout()
                else:
                    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                response = client.get("/" + route)
                transaction.set_rollback(True)
            assert response.status_code in (302, 403, 404), (route, user, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"], (route, user, response["Location"])


def test_business_users_find_the_staff_pages_closed(client, world):
    """The business persona on every staff page: refused (403), never served. Public pages open as
    for anyone; the business area, their account pages and the policy-scoped API are theirs."""
    people, objects, _labels = world
    client.raise_request_exception = False
    problems = []
    for route, spec in EXPECTATIONS.items():
        method, kwargs, anonymous = spec[:3]
        opts = spec[6] if len(spec) > 6 else {}
        if anonymous != LOGIN or route.startswith(("api/", "goods/", "accounts/", "jobs/", "notifications/")):
            continue
        url = _url(route, kwargs, objects)
        got, _body = _try(client, people[B], method, url, opts, objects)
        expected = OK if route == "app/" else DENIED  # the dashboard sends them to their area
        if got != expected:
            problems.append(f"{method.upper()} {url} as {B}: {got}, expected {expected}")
    assert not problems, "\n".join(problems)
