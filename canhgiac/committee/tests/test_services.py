"""The committee's services in two provinces: membership, meetings whose conclusions become plan
tasks, regulations, training and library, bulletins with read receipts, commendations drawn from
results, international focal points, and records as evidence of plan tasks."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from canhgiac.audit.models import AuditEvent
from canhgiac.committee import services
from canhgiac.committee.models import Committee, Decision, Meeting, Receipt, Regulation
from canhgiac.conftest import find_agency
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.plans.models import Plan, Update

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _commune(province, n=0):
    return AdministrativeUnit.objects.filter(parent=province).order_by("code")[n]


def _establish(user, province, unit):
    committee = services.save_committee(user, province, {"unit": unit.pk})
    services.add_decision(
        user, committee, {"kind": "establish", "number": "12/QĐ-UBND", "signed_on": "02/03/2026"}
    )
    return committee


def test_a_commune_committee_established_leaves_the_list_of_communes_without_one(coordinator_sct, dak_lak):
    unit = _commune(dak_lak)
    before = services.communes_without_committee(coordinator_sct, dak_lak)
    assert unit in before
    committee = _establish(coordinator_sct, dak_lak, unit)
    after = services.communes_without_committee(coordinator_sct, dak_lak)
    assert unit not in after and after.count() == before.count() - 1
    member = services.add_member(
        coordinator_sct,
        committee,
        {"full_name": "Nguyễn Văn A", "role": "1_head", "decision": committee.decisions.get().pk},
    )
    assert member.since == dt.date(2026, 3, 2)
    with pytest.raises(ValidationError) as exc:
        services.add_member(
            coordinator_sct, committee, {"full_name": "Trần B", "role": "1_head", "since": "03/03/2026"}
        )
    assert "role" in exc.value.message_dict
    # A dissolution ends every seat and puts the commune back on the list.
    services.add_decision(
        coordinator_sct, committee, {"kind": "dissolve", "number": "20/QĐ-UBND", "signed_on": "01/06/2026"}
    )
    member.refresh_from_db()
    assert member.until == dt.date(2026, 6, 1)
    assert unit in services.communes_without_committee(coordinator_sct, dak_lak)
    assert AuditEvent.objects.filter(object_type="committee.decision").count() >= 2


def test_a_change_before_any_establishing_decision_is_refused_naming_the_field(coordinator_sct, dak_lak):
    committee = services.save_committee(coordinator_sct, dak_lak, {"unit": _commune(dak_lak, 1).pk})
    with pytest.raises(ValidationError) as exc:
        services.add_decision(
            coordinator_sct, committee, {"kind": "change", "number": "1", "signed_on": "31/02/2026"}
        )
    assert set(exc.value.message_dict) == {"kind", "signed_on"}


def test_the_commune_keeps_its_own_committee_but_not_anothers(make_user, coordinator_sct, dak_lak):
    from canhgiac.directory.models import Agency

    unit, other = _commune(dak_lak, 2), _commune(dak_lak, 3)
    mine = Agency.objects.get(province=dak_lak, kind=Agency.Kind.COMMUNE, unit=unit)
    officer = make_user("xa_officer", mine.code, "officer")
    own = _establish(coordinator_sct, dak_lak, unit)
    services.add_member(officer, own, {"full_name": "Lê C", "role": "4_member", "since": "01/04/2026"})
    theirs = _establish(coordinator_sct, dak_lak, other)
    with pytest.raises(PermissionDenied):
        services.add_member(officer, theirs, {"full_name": "Lê D", "role": "4_member", "since": "01/04/2026"})
    with pytest.raises(PermissionDenied):
        services.save_committee(officer, dak_lak, {"unit": _commune(dak_lak, 4).pk})


def test_lang_son_does_not_see_or_change_dak_lak_committees(
    coordinator_sct, coordinator_lang_son, dak_lak, lang_son
):
    committee = _establish(coordinator_sct, dak_lak, _commune(dak_lak))
    assert not services.visible_committees(coordinator_lang_son).filter(pk=committee.pk).exists()
    with pytest.raises(PermissionDenied):
        services.add_member(
            coordinator_lang_son, committee, {"full_name": "X", "role": "4_member", "since": "01/04/2026"}
        )
    with pytest.raises(PermissionDenied):
        services.save_committee(coordinator_lang_son, dak_lak, {"unit": _commune(dak_lak, 5).pk})
    # Lạng Sơn keeps its own, and sees its own communes only.
    own = _establish(coordinator_lang_son, lang_son, _commune(lang_son))
    assert list(services.visible_committees(coordinator_lang_son)) == [own]
    assert (
        not services.communes_without_committee(coordinator_lang_son, lang_son)
        .filter(parent=dak_lak)
        .exists()
    )
    assert services.communes_without_committee(coordinator_lang_son, dak_lak).count() == 0


def _meeting(user, province):
    committee = services.provincial_committee(province) or services.save_committee(user, province, {})
    return services.create_meeting(
        user,
        province,
        {
            "committee": committee.pk,
            "held_on": "12/05/2026",
            "title": "Họp Ban Chỉ đạo 4 tháng đầu năm",
            "chair": "Chủ tịch UBND tỉnh",
        },
    )


def test_a_meetings_conclusions_become_tasks_of_a_plan_with_leads_and_deadlines(coordinator_sct, dak_lak):
    meeting = _meeting(coordinator_sct, dak_lak)
    services.add_conclusion(
        coordinator_sct,
        meeting,
        {
            "text": "Kiểm tra các cơ sở kinh doanh mỹ phẩm trên địa bàn",
            "lead": [find_agency("QLTT").pk],
            "coordinating": [find_agency("CA").pk],
            "due": "30/06/2026",
        },
    )
    services.add_conclusion(
        coordinator_sct,
        meeting,
        {
            "text": "Rà soát hoạt động Ban Chỉ đạo cấp xã",
            "lead": [find_agency("SCT").pk],
            "due": "22/05/2026",
        },
    )
    plan = services.issue_conclusions(coordinator_sct, meeting)
    tasks = list(plan.tasks.order_by("order"))
    assert [t.action for t in tasks] == [
        "Kiểm tra các cơ sở kinh doanh mỹ phẩm trên địa bàn",
        "Rà soát hoạt động Ban Chỉ đạo cấp xã",
    ]
    assert [list(t.lead_agencies.values_list("code", flat=True)) for t in tasks] == [
        [find_agency("QLTT").code],
        [find_agency("SCT").code],
    ]
    assert list(tasks[0].coordinating_agencies.all()) == [find_agency("CA")]
    assert [t.due_date for t in tasks] == [dt.date(2026, 6, 30), dt.date(2026, 5, 22)]
    assert [t.checkpoints.get().due_date for t in tasks] == [dt.date(2026, 6, 30), dt.date(2026, 5, 22)]
    assert (
        plan.province == dak_lak and plan.start == dt.date(2026, 5, 12) and plan.end == dt.date(2026, 6, 30)
    )
    meeting.refresh_from_db()
    assert meeting.plan_id_ref == plan.pk
    assert sorted(meeting.conclusions.values_list("task_id_ref", flat=True)) == sorted(t.pk for t in tasks)
    # Issuing again after a third conclusion updates the same plan.
    services.add_conclusion(
        coordinator_sct,
        meeting,
        {"text": "Báo cáo kết quả", "lead": [find_agency("CA").pk], "due": "31/07/2026"},
    )
    assert services.issue_conclusions(coordinator_sct, meeting).pk == plan.pk
    assert plan.tasks.count() == 3


def test_a_conclusion_is_checked_field_by_field(coordinator_sct, dak_lak, lang_son):
    from canhgiac.directory.models import Agency

    meeting = _meeting(coordinator_sct, dak_lak)
    commune = Agency.objects.filter(province=dak_lak, kind=Agency.Kind.COMMUNE).first()
    with pytest.raises(ValidationError) as exc:
        services.add_conclusion(
            coordinator_sct,
            meeting,
            {
                "text": "",
                "lead": [Agency.objects.get(province=lang_son, code__endswith="QLTT").pk],
                "due": "01/01/2026",
            },
        )
    assert set(exc.value.message_dict) == {"text", "lead", "due"}
    with pytest.raises(ValidationError) as exc:
        services.add_conclusion(
            coordinator_sct, meeting, {"text": "x", "lead": [commune.pk], "due": "01/06/2026"}
        )
    assert "lead" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_conclusions(coordinator_sct, meeting)  # nothing to issue


def test_the_lang_son_notice_is_loaded_from_the_meeting_screen_and_only_in_its_province(
    coordinator_sct, coordinator_lang_son, lang_son, dak_lak
):
    from canhgiac.plans import loader

    text = (loader.DATA_DIR / "lang_son_2026_notice.yaml").read_text(encoding="utf-8")
    meeting = _meeting(coordinator_lang_son, lang_son)
    plan = services.load_notice(coordinator_lang_son, meeting, text.encode())
    assert plan.code == "lang_son_2026_notice" and plan.province == lang_son
    assert plan.tasks.count() > 5
    meeting.refresh_from_db()
    assert meeting.plan_id_ref == plan.pk
    # Đắk Lắk's Standing Office cannot load it into a Đắk Lắk meeting (another province's plan).
    with pytest.raises(PermissionDenied):
        services.load_notice(coordinator_sct, _meeting(coordinator_sct, dak_lak), text)
    with pytest.raises(ValidationError) as exc:
        services.load_notice(coordinator_lang_son, meeting, "format: canhgiac-plan/1\nplan: {}\n")
    assert "plan.code" in exc.value.message_dict


def test_regulation_reviews_fall_overdue_and_a_review_sets_the_next(coordinator_sct, dak_lak, lang_son):
    from canhgiac.directory.models import Agency

    data = {
        "title": "Quy chế phối hợp giữa Quản lý thị trường và Công an",
        "number": "01/QCPH",
        "signed_on": TODAY - dt.timedelta(days=400),
        "review_on": TODAY - dt.timedelta(days=35),
        "parties": [find_agency("QLTT").pk, find_agency("CA").pk],
    }
    regulation = services.create_regulation(coordinator_sct, dak_lak, data)
    qs = services.visible_regulations(coordinator_sct, dak_lak)
    assert list(services.overdue_reviews(qs)) == [regulation]
    services.review_regulation(
        coordinator_sct,
        regulation,
        {
            "reviewed_on": TODAY,
            "review_note": "Còn phù hợp",
            "next_review_on": TODAY + dt.timedelta(days=365),
        },
    )
    assert not services.overdue_reviews(qs).exists()
    lang_son_qltt = Agency.objects.get(province=lang_son, code__endswith="QLTT")
    with pytest.raises(ValidationError) as exc:
        services.create_regulation(coordinator_sct, dak_lak, {**data, "parties": [lang_son_qltt.pk]})
    assert "parties" in exc.value.message_dict


def test_training_attendance_by_agency_and_commune_and_a_folded_library_search(
    coordinator_sct, dak_lak, media
):
    from canhgiac.directory.models import Agency

    course = services.create_course(
        coordinator_sct,
        dak_lak,
        {
            "title": "Tập huấn nhận diện hàng giả",
            "starts_on": "10/04/2026",
            "ends_on": "11/04/2026",
            "organiser": find_agency("SCT").pk,
        },
    )
    commune = Agency.objects.filter(province=dak_lak, kind=Agency.Kind.COMMUNE).first()
    services.set_attendance(coordinator_sct, course, {"agency": find_agency("QLTT").pk, "participants": "12"})
    services.set_attendance(coordinator_sct, course, {"agency": commune.pk, "participants": "3"})
    assert services.visible_courses(coordinator_sct, dak_lak).get().people == 15
    services.set_attendance(coordinator_sct, course, {"agency": commune.pk, "participants": "0"})
    assert services.visible_courses(coordinator_sct, dak_lak).get().people == 12
    with pytest.raises(ValidationError):
        services.set_attendance(coordinator_sct, course, {"agency": commune.pk, "participants": "mười"})
    services.add_material(
        coordinator_sct,
        dak_lak,
        {
            "kind": "handbook",
            "title": "Sổ tay nhận diện mỹ phẩm giả",
            "summary": "Tem nhãn, mã vạch",
            "published_on": "01/04/2026",
        },
        file=SimpleUploadedFile("so-tay.pdf", b"%PDF-1.4"),
    )
    assert [m.title for m in services.search_materials(coordinator_sct, dak_lak, "so tay MY PHAM")] == [
        "Sổ tay nhận diện mỹ phẩm giả"
    ]
    assert not services.search_materials(coordinator_sct, dak_lak, "thuốc lá").exists()
    with pytest.raises(ValidationError) as exc:
        services.add_material(
            coordinator_sct,
            dak_lak,
            {"kind": "handbook", "title": "x", "published_on": "01/04/2026"},
            file=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert "file" in exc.value.message_dict


def test_a_bulletin_reaches_its_recipients_only_and_reading_it_is_the_receipt(
    coordinator_sct, officer_qltt, viewer_syt, coordinator_lang_son, dak_lak
):
    bulletin = services.send_bulletin(
        coordinator_sct,
        dak_lak,
        {
            "title": "Thủ đoạn giả mạo tem chống giả",
            "body": "Nội dung",
            "issued_on": TODAY,
            "sender": find_agency("SCT").pk,
            "recipients": [find_agency("QLTT").pk, find_agency("CA").pk],
        },
    )
    assert Receipt.objects.filter(bulletin=bulletin).count() == 2
    assert services.visible_bulletins(officer_qltt).filter(pk=bulletin.pk).exists()
    assert not services.visible_bulletins(viewer_syt).filter(pk=bulletin.pk).exists()
    assert not services.visible_bulletins(coordinator_lang_son).filter(pk=bulletin.pk).exists()
    assert [r.bulletin for r in services.inbox(officer_qltt)] == [bulletin]
    assert services.mark_read(officer_qltt, bulletin) == 1
    assert services.mark_read(officer_qltt, bulletin) == 0
    receipt = Receipt.objects.get(bulletin=bulletin, agency=find_agency("QLTT"))
    assert receipt.read_by == officer_qltt and receipt.read_at is not None
    row = services.visible_bulletins(coordinator_sct).get(pk=bulletin.pk)
    assert (row.read, row.sent_to) == (1, 2)
    # The officer sees its own agency's receipt only; the Standing Office sees both.
    assert services.receipts_summary(officer_qltt, bulletin).count() == 1
    assert services.receipts_summary(coordinator_sct, bulletin).count() == 2
    with pytest.raises(PermissionDenied):
        services.send_bulletin(officer_qltt, dak_lak, {})


def test_a_commendation_proposal_draws_its_achievements_from_the_units_results(coordinator_sct, dak_lak):
    from canhgiac.cases import services as cases

    unit = _commune(dak_lak)
    cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ kiểm thử khen thưởng",
            "fine_vnd": 25000000,
        },
    )
    results = services.results_for(find_agency("QLTT"), dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert results["cases"] == 1
    item = services.propose_commendation(
        coordinator_sct,
        dak_lak,
        {
            "nominee_kind": "unit",
            "agency": find_agency("QLTT").pk,
            "award": "Bằng khen của UBND tỉnh",
            "proposed_on": "05/04/2026",
            "results_from": "01/01/2026",
            "results_to": "31/03/2026",
        },
    )
    assert "xử lý 1 vụ việc" in item.achievements
    with pytest.raises(ValidationError) as exc:
        services.decide_commendation(coordinator_sct, item, {"status": "awarded", "decided_on": "01/04/2026"})
    assert set(exc.value.message_dict) == {"decision_number", "decided_on"}
    services.decide_commendation(
        coordinator_sct,
        item,
        {"status": "awarded", "decided_on": "20/04/2026", "decision_number": "99/QĐ-UBND"},
    )
    item.refresh_from_db()
    assert item.status == "awarded"
    with pytest.raises(ValidationError):
        services.propose_commendation(
            coordinator_sct,
            dak_lak,
            {
                "nominee_kind": "person",
                "agency": find_agency("QLTT").pk,
                "award": "Giấy khen",
                "proposed_on": "05/04/2026",
                "achievements": "x",
            },
        )


def test_focal_points_face_cambodia_from_dak_lak_and_china_from_lang_son(
    coordinator_sct, coordinator_lang_son, dak_lak, lang_son
):
    assert services.default_country(dak_lak) == "KH" and services.default_country(lang_son) == "CN"
    point = services.add_focal_point(
        coordinator_sct,
        dak_lak,
        {"country": "KH", "counterpart": "Cảnh sát tỉnh Mondulkiri", "agency": find_agency("BDBP").pk},
    )
    services.add_exchange(
        coordinator_sct, point, {"held_on": "15/03/2026", "kind": "Hội đàm", "subject": "Trao đổi thông tin"}
    )
    assert point.exchanges.count() == 1
    with pytest.raises(PermissionDenied):
        services.add_exchange(
            coordinator_lang_son, point, {"held_on": "15/03/2026", "kind": "x", "subject": "y"}
        )
    assert not services.visible_focal_points(coordinator_lang_son).exists()


def test_a_record_linked_to_its_plan_task_moves_the_tasks_status(coordinator_sct, dak_lak, media):
    from canhgiac.plans import services as plans

    task = plans.evidence_tasks(coordinator_sct, dak_lak).filter(lead_agencies=find_agency("SCT")).first()
    assert task is not None
    regulation = services.create_regulation(
        coordinator_sct,
        dak_lak,
        {
            "title": "Quy chế phối hợp liên ngành",
            "number": "02/QCPH",
            "signed_on": TODAY - dt.timedelta(days=1),
            "review_on": TODAY + dt.timedelta(days=365),
            "parties": [find_agency("QLTT").pk, find_agency("SCT").pk],
        },
    )
    link = services.link_evidence(coordinator_sct, "regulation", regulation, {"task": task.pk})
    update = Update.objects.get(pk=link.update_id_ref)
    assert (
        update.status == "in_progress"
        and "02/QCPH" in update.narrative
        and update.agency == find_agency("SCT")
    )
    # Done needs a file; with it the agency's share of the checkpoint is done.
    with pytest.raises(ValidationError) as exc:
        services.link_evidence(coordinator_sct, "regulation", regulation, {"task": task.pk, "done": True})
    assert "evidence_file" in exc.value.message_dict
    link = services.link_evidence(
        coordinator_sct,
        "regulation",
        regulation,
        {"task": task.pk, "done": True},
        evidence_file=SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4"),
    )
    assert Update.objects.get(pk=link.update_id_ref).status == "done"
    [(row, found, _status)] = [
        x for x in services.links_for(coordinator_sct, "regulation", regulation) if x[0] == link
    ]
    assert found == task


def test_an_officer_cannot_offer_a_record_as_evidence_nor_for_another_agencys_task(
    officer_qltt, coordinator_sct, dak_lak
):
    from canhgiac.plans import services as plans

    meeting = _meeting(coordinator_sct, dak_lak)
    task = plans.evidence_tasks(coordinator_sct, dak_lak).filter(lead_agencies=find_agency("SCT")).first()
    with pytest.raises(PermissionDenied):
        services.link_evidence(officer_qltt, "meeting", meeting, {"task": task.pk})
    other = Plan.objects.get(code="dak_lak_2030").tasks.exclude(lead_agencies=find_agency("SCT")).first()
    with pytest.raises(ValidationError) as exc:
        services.link_evidence(coordinator_sct, "meeting", meeting, {"task": other.pk})
    assert "task" in exc.value.message_dict


def test_setup_gives_each_province_its_provincial_committee(dak_lak):
    assert Committee.objects.filter(province=dak_lak, unit=None).count() == 1
    assert Path(services.__file__).exists()
    assert not Decision.objects.exists() and not Meeting.objects.exists() and not Regulation.objects.exists()


def test_each_committees_activity_counts_seats_held_and_meetings(coordinator_sct, dak_lak):
    committee = _establish(coordinator_sct, dak_lak, _commune(dak_lak, 6))
    a = services.add_member(
        coordinator_sct, committee, {"full_name": "A", "role": "4_member", "since": "01/04/2026"}
    )
    services.add_member(
        coordinator_sct, committee, {"full_name": "B", "role": "4_member", "since": "01/04/2026"}
    )
    services.end_member(coordinator_sct, a, "01/05/2026")
    for held_on in ("10/04/2026", "20/06/2026"):
        services.create_meeting(
            coordinator_sct,
            dak_lak,
            {"committee": committee.pk, "held_on": held_on, "title": "Họp xã", "chair": "X"},
        )
    [row] = [r for r in services.committee_activity(coordinator_sct, dak_lak) if r["committee"] == committee]
    assert (row["active"], row["members"], row["meetings"], row["last_meeting"]) == (
        True,
        1,
        2,
        dt.date(2026, 6, 20),
    )


def test_a_notice_for_a_province_not_loaded_is_refused_on_its_field(coordinator_sct, dak_lak):
    from canhgiac.plans import loader

    text = (loader.DATA_DIR / "lang_son_2026_notice.yaml").read_text(encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        services.load_notice(
            coordinator_sct,
            _meeting(coordinator_sct, dak_lak),
            text.replace("province: lang_son", "province: ha_giang"),
        )
    assert "plan.province" in exc.value.message_dict
