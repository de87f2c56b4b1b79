"""The committee's screens through their doors: who opens them, forms in dd/mm/yyyy with errors
naming the field (never a 500), a meeting's conclusions entered on its screen becoming plan tasks,
the Lạng Sơn notice loaded from the meeting screen, read receipts, evidence links."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canhgiac.committee import services
from canhgiac.committee.models import Bulletin, Committee, Meeting, Receipt, TaskLink
from canhgiac.conftest import find_agency
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.plans.models import Plan

pytestmark = pytest.mark.django_db
PAGES = [
    "committee:index",
    "committee:membership",
    "committee:meetings",
    "committee:regulations",
    "committee:training",
    "committee:library",
    "committee:bulletins",
    "committee:commendations",
    "committee:international",
]


def _meeting(user, province):
    return services.create_meeting(
        user,
        province,
        {
            "committee": services.provincial_committee(province).pk,
            "held_on": "12/05/2026",
            "title": "Họp Ban Chỉ đạo quý II",
            "chair": "Phó Chủ tịch UBND tỉnh",
        },
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_the_standing_office_opens_every_page_and_finds_the_menu_entry(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert f'href="{reverse("committee:index")}"'.encode() in client.get(reverse("committee:index")).content
    body = client.get(reverse("committee:membership")).content.decode()
    assert "Ban Chỉ đạo 389 Đắk Lắk" in body and "chưa có Ban Chỉ đạo hoạt động" in body


def test_an_officer_reads_but_cannot_write(signed_in, officer_qltt):
    client = signed_in(officer_qltt)
    assert client.get(reverse("committee:meetings")).status_code == 200
    response = client.post(
        reverse("committee:meetings"),
        {
            "committee": Committee.objects.get(unit=None, province__codename="dak_lak").pk,
            "kind": "regular",
            "held_on": "12/05/2026",
            "title": "x",
            "chair": "y",
        },
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_a_meetings_conclusions_entered_on_its_screen_become_plan_tasks(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    committee = Committee.objects.get(unit=None, province__codename="dak_lak")
    response = client.post(
        reverse("committee:meetings"),
        {
            "committee": committee.pk,
            "kind": "regular",
            "held_on": "12/05/2026",
            "title": "Họp quý II",
            "chair": "Phó Chủ tịch UBND tỉnh",
            "attending_agencies": [find_agency("CA").pk, find_agency("QLTT").pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "committee:meeting", args=[meeting.pk]
    )
    url = reverse("committee:meeting", args=[meeting.pk])
    # A date the form cannot read is named, and nothing is stored.
    response = client.post(
        url,
        {
            "action": "conclusion",
            "c-text": "Kiểm tra",
            "c-lead": [find_agency("QLTT").pk],
            "c-due": "31/13/2026",
        },
    )
    assert response.status_code == 200
    assert "Thời hạn" in response.content.decode() and "dd/mm/yyyy" in response.content.decode()
    # A deadline before the meeting is refused by the service, on the field.
    response = client.post(
        url,
        {
            "action": "conclusion",
            "c-text": "Kiểm tra",
            "c-lead": [find_agency("QLTT").pk],
            "c-due": "01/05/2026",
        },
    )
    assert response.status_code == 200 and "không được trước ngày họp" in response.content.decode()
    assert not meeting.conclusions.exists()
    for text, lead, due in (
        ("Tăng cường kiểm tra hàng giả dịp cuối năm", "QLTT", "31/12/2026"),
        ("Kiện toàn Ban Chỉ đạo 389 cấp xã", "SCT", "30/06/2026"),
    ):
        response = client.post(
            url,
            {
                "action": "conclusion",
                "c-text": text,
                "c-lead": [find_agency(lead).pk],
                "c-coordinating": [find_agency("CA").pk],
                "c-due": due,
            },
        )
        assert response.status_code == 302
    assert client.post(url, {"action": "issue"}).status_code == 302
    plan = Plan.objects.get(code=f"committee_meeting_{meeting.pk}")
    tasks = list(plan.tasks.order_by("order"))
    assert [(t.action, t.due_date, [a.pk for a in t.lead_agencies.all()]) for t in tasks] == [
        ("Tăng cường kiểm tra hàng giả dịp cuối năm", dt.date(2026, 12, 31), [find_agency("QLTT").pk]),
        ("Kiện toàn Ban Chỉ đạo 389 cấp xã", dt.date(2026, 6, 30), [find_agency("SCT").pk]),
    ]
    body = client.get(url).content.decode()
    assert "Nhiệm vụ đã giao" in body and reverse("plans:task", args=[tasks[0].pk]) in body
    # The plan is an ordinary plan: the plans pages show it.
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


def test_the_lang_son_notice_is_loaded_from_the_meeting_screen(
    client, coordinator_lang_son, lang_son, coordinator_sct
):
    from canhgiac.plans import loader

    services.save_committee(coordinator_lang_son, lang_son, {})
    meeting = _meeting(coordinator_lang_son, lang_son)
    client.force_login(coordinator_lang_son, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("committee:meeting", args=[meeting.pk])
    content = (loader.DATA_DIR / "lang_son_2026_notice.yaml").read_bytes()
    response = client.post(url, {"action": "notice", "n-file": SimpleUploadedFile("thong-bao.yaml", content)})
    assert response.status_code == 302
    meeting.refresh_from_db()
    plan = Plan.objects.get(pk=meeting.plan_id_ref)
    assert plan.code == "lang_son_2026_notice"
    assert plan.title in client.get(url).content.decode()
    # A broken file: a Vietnamese error on the page, not a 500.
    response = client.post(url, {"action": "notice", "n-file": SimpleUploadedFile("x.yaml", b"format: [")})
    assert response.status_code == 200 and "YAML không hợp lệ" in response.content.decode()
    # Đắk Lắk's Standing Office does not find the Lạng Sơn meeting.
    client.force_login(coordinator_sct, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 404


def test_a_commune_committee_recorded_and_established_through_its_page(signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    unit = AdministrativeUnit.objects.filter(parent=province).order_by("code").first()
    response = client.post(reverse("committee:membership"), {"unit": unit.pk})
    committee = Committee.objects.get(unit=unit)
    assert response.status_code == 302
    url = reverse("committee:committee", args=[committee.pk])
    response = client.post(
        url,
        {"action": "decision", "d-kind": "establish", "d-number": "15/QĐ-UBND", "d-signed_on": "02/03/2026"},
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "member",
            "m-full_name": "Nguyễn Thị E",
            "m-role": "1_head",
            "m-decision": committee.decisions.get().pk,
        },
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "Nguyễn Thị E" in body and "02/03/2026" in body and "Đang hoạt động" in body
    assert unit not in services.communes_without_committee(coordinator_sct, province)


def test_opening_a_bulletin_is_its_read_receipt(signed_in, coordinator_sct, officer_qltt, viewer_syt):
    client = signed_in(coordinator_sct)
    response = client.post(
        reverse("committee:bulletins"),
        {
            "title": "Thủ đoạn mới: hàng giả gửi qua xe khách",
            "body": "Nội dung",
            "issued_on": "01/06/2026",
            "sender": find_agency("SCT").pk,
            "recipients": [find_agency("QLTT").pk],
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    client = signed_in(officer_qltt)
    assert "chưa đọc" in client.get(reverse("committee:bulletins")).content.decode()
    url = reverse("committee:bulletin", args=[bulletin.pk])
    assert client.get(url).status_code == 200
    assert Receipt.objects.get(bulletin=bulletin).read_by == officer_qltt
    assert signed_in(viewer_syt).get(url).status_code == 404


def test_the_library_search_ignores_accents(signed_in, coordinator_sct, media):
    client = signed_in(coordinator_sct)
    response = client.post(
        reverse("committee:library"),
        {
            "m-kind": "handbook",
            "m-title": "Sổ tay kiểm tra hàng giả",
            "m-published_on": "01/04/2026",
            "m-file": SimpleUploadedFile("so-tay.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("committee:library"), {"q": "so tay hang gia"}).content.decode()
    assert "Sổ tay kiểm tra hàng giả" in body
    material = services.search_materials(coordinator_sct).get()
    assert client.get(reverse("committee:material_file", args=[material.pk])).status_code == 200


def test_a_regulation_offered_as_evidence_from_its_row_posts_a_plan_update(
    signed_in, coordinator_sct, officer_qltt
):
    from canhgiac.plans import services as plans

    client = signed_in(coordinator_sct)
    province = AdministrativeUnit.objects.get(codename="dak_lak", parent=None)
    today = dt.date.today()
    response = client.post(
        reverse("committee:regulations"),
        {
            "r-title": "Quy chế phối hợp kiểm tra liên ngành",
            "r-number": "03/QCPH",
            "r-signed_on": (today - dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "r-review_on": "01/01/2030",
            "r-parties": [find_agency("QLTT").pk, find_agency("CA").pk],
        },
    )
    assert response.status_code == 302
    regulation = services.visible_regulations(coordinator_sct).get()
    task = plans.evidence_tasks(coordinator_sct, province).first()
    page = reverse("committee:regulations")
    form_url = reverse("committee:evidence", args=["regulation", regulation.pk])
    assert form_url in client.get(page).content.decode()
    response = client.get(form_url, {"next": page})
    assert response.status_code == 200 and "Quy chế phối hợp kiểm tra liên ngành" in response.content.decode()
    # A missing task is named on the form, not a 500.
    response = client.post(form_url, {"next": page})
    assert response.status_code == 200 and "Nhiệm vụ của kế hoạch" in response.content.decode()
    response = client.post(
        reverse("committee:evidence", args=["regulation", regulation.pk]), {"ev-task": task.pk, "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    link = TaskLink.objects.get()
    assert link.task_id_ref == task.pk
    assert reverse("plans:task", args=[task.pk]) in client.get(page).content.decode()
    # Not an open redirect; an unknown kind is a 404.
    response = client.post(
        reverse("committee:evidence", args=["regulation", regulation.pk]),
        {"ev-task": task.pk, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("committee:index")
    assert client.post(reverse("committee:evidence", args=["nothing", 1])).status_code == 404
    assert signed_in(officer_qltt).get(form_url).status_code == 403


def test_the_demo_fills_the_committees_pages_through_the_services(signed_in, coordinator_sct, officer_qltt):
    import io
    import random

    from canhgiac.committee.demo import load_demo
    from canhgiac.committee.models import Commendation, Regulation

    load_demo(random.Random(389), io.StringIO())
    load_demo(random.Random(389), io.StringIO())  # once only
    meeting = Meeting.objects.get()
    assert Plan.objects.get(pk=meeting.plan_id_ref).tasks.count() == 3
    assert Regulation.objects.count() == 2 and TaskLink.objects.count() == 1
    assert Receipt.objects.filter(read_by=officer_qltt).count() == 1
    assert "Từ " in Commendation.objects.get().achievements
    client = signed_in(coordinator_sct)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("committee:meeting", args=[meeting.pk])).status_code == 200


def test_attendance_counts_are_read_the_vietnamese_way_and_ambiguous_ones_refused(agency):
    from canhgiac.committee.forms import AttendanceForm

    qltt = agency("QLTT")
    form = AttendanceForm({"agency": qltt.pk, "participants": "1.200"}, province=qltt.province)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["participants"] == 1200
    ambiguous = AttendanceForm({"agency": qltt.pk, "participants": "1.5"}, province=qltt.province)
    assert not ambiguous.is_valid() and "participants" in ambiguous.errors
