"""Committee records for the URL × persona and query-count tests."""


def committee_world(coordinator, qltt):
    """One record of each kind of the committee app, in Đắk Lắk: (objects, labels), keys "cm_…"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canhgiac.committee import services as committee
    from canhgiac.directory.models import Agency

    province, sct = qltt.province, Agency.objects.get(province=qltt.province, code="SCT")
    unit = province.children.order_by("code").first()
    commune = committee.save_committee(
        coordinator, province, {"unit": unit.pk, "name": "BCĐ 389 xã kiểm thử"}
    )
    meeting = committee.create_meeting(
        coordinator,
        province,
        {
            "committee": commune.pk,
            "held_on": "12/05/2026",
            "title": "Cuộc họp kiểm thử Đắk Lắk",
            "chair": "A",
        },
    )
    regulation = committee.create_regulation(
        coordinator,
        province,
        {
            "title": "Quy chế kiểm thử Đắk Lắk",
            "number": "9/QC",
            "signed_on": "01/01/2026",
            "review_on": "01/01/2027",
            "parties": [qltt.pk, sct.pk],
        },
        document=SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4"),
    )
    course = committee.create_course(
        coordinator,
        province,
        {
            "title": "Lớp kiểm thử Đắk Lắk",
            "starts_on": "01/04/2026",
            "ends_on": "02/04/2026",
            "organiser": sct.pk,
        },
    )
    material = committee.add_material(
        coordinator,
        province,
        {"kind": "handbook", "title": "Sổ tay kiểm thử Đắk Lắk", "published_on": "01/04/2026"},
        file=SimpleUploadedFile("so-tay.pdf", b"%PDF-1.4"),
    )
    bulletin = committee.send_bulletin(
        coordinator,
        province,
        {
            "title": "Cảnh báo nghiệp vụ kiểm thử Đắk Lắk",
            "body": "x",
            "issued_on": "01/06/2026",
            "sender": sct.pk,
            "recipients": [qltt.pk],
        },
    )
    commendation = committee.propose_commendation(
        coordinator,
        province,
        {
            "nominee_kind": "person",
            "agency": qltt.pk,
            "person_name": "Cán bộ khen kiểm thử",
            "award": "Giấy khen",
            "achievements": "x",
            "proposed_on": "01/04/2026",
        },
    )
    point = committee.add_focal_point(
        coordinator, province, {"country": "KH", "counterpart": "Đối tác kiểm thử Đắk Lắk", "agency": qltt.pk}
    )
    labels = {
        "committee": "BCĐ 389 xã kiểm thử",
        "meeting": "Cuộc họp kiểm thử Đắk Lắk",
        "regulation": "Quy chế kiểm thử Đắk Lắk",
        "course": "Lớp kiểm thử Đắk Lắk",
        "material": "Sổ tay kiểm thử Đắk Lắk",
        "bulletin": "Cảnh báo nghiệp vụ kiểm thử Đắk Lắk",
        "commendation": "Cán bộ khen kiểm thử",
        "focal_point": "Đối tác kiểm thử Đắk Lắk",
    }
    objects = {
        "committee": commune,
        "meeting": meeting,
        "regulation": regulation,
        "course": course,
        "material": material,
        "bulletin": bulletin,
        "commendation": commendation,
        "focal_point": point,
    }
    return {f"cm_{k}": v for k, v in objects.items()}, {f"cm_{k}": v for k, v in labels.items()}


def committee_grow(coordinator, qltt, i: int) -> None:
    """One more record of each kind listed on the committee's pages (number `i`): a commune
    committee with a decision and a member, a conclusion of the measured meeting and another
    meeting, a regulation, attendance at the measured course and another course, a material, a
    bulletin to QLTT, a commendation, an exchange with the measured focal point."""
    from canhgiac.committee import services as committee
    from canhgiac.committee.models import Committee, Course, FocalPoint, Meeting
    from canhgiac.directory.models import Agency

    province = qltt.province
    sct = Agency.objects.get(province=province, code="SCT")
    taken = Committee.objects.filter(province=province, unit__isnull=False).values("unit_id")
    unit = province.children.exclude(pk__in=taken).order_by("code").first()
    commune = committee.save_committee(coordinator, province, {"unit": unit.pk})
    decision = committee.add_decision(
        coordinator, commune, {"kind": "establish", "number": f"{i}/QĐ", "signed_on": "01/02/2026"}
    )
    committee.add_member(
        coordinator, commune, {"full_name": f"Thành viên {i}", "role": "4_member", "decision": decision.pk}
    )
    measured = Meeting.objects.filter(province=province).order_by("pk").first()
    committee.add_conclusion(
        coordinator, measured, {"text": f"Kết luận {i}", "lead": [qltt.pk], "due": "30/06/2026"}
    )
    committee.create_meeting(
        coordinator,
        province,
        {
            "committee": commune.pk,
            "held_on": "13/05/2026",
            "title": f"Họp {i}",
            "chair": "B",
            "attending_agencies": [qltt.pk, sct.pk],
        },
    )
    committee.create_regulation(
        coordinator,
        province,
        {
            "title": f"Quy chế {i}",
            "number": f"{i}/QC",
            "signed_on": "01/01/2025",
            "review_on": "01/02/2026",
            "parties": [qltt.pk, sct.pk],
        },
    )
    course = Course.objects.filter(province=province).order_by("pk").first()
    other = Agency.objects.filter(province=province, kind=Agency.Kind.COMMUNE).order_by("pk")[i]
    committee.set_attendance(coordinator, course, {"agency": other.pk, "participants": "2"})
    committee.create_course(
        coordinator,
        province,
        {"title": f"Lớp {i}", "starts_on": "01/05/2026", "ends_on": "02/05/2026", "organiser": sct.pk},
    )
    committee.add_material(
        coordinator,
        province,
        {"kind": "guide", "title": f"Tài liệu {i}", "published_on": "01/04/2026", "course": course.pk},
    )
    committee.send_bulletin(
        coordinator,
        province,
        {
            "title": f"Cảnh báo {i}",
            "body": "x",
            "issued_on": "02/06/2026",
            "sender": sct.pk,
            "recipients": [qltt.pk, other.pk],
        },
    )
    committee.propose_commendation(
        coordinator,
        province,
        {
            "nominee_kind": "unit",
            "agency": other.pk,
            "award": "Giấy khen",
            "achievements": "x",
            "proposed_on": "01/04/2026",
        },
    )
    point = FocalPoint.objects.filter(province=province).order_by("pk").first()
    committee.add_exchange(
        coordinator, point, {"held_on": "01/03/2026", "kind": "Hội đàm", "subject": f"Trao đổi {i}"}
    )
