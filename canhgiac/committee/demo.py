"""Demo records of the committee for `canhgiac demo` (first province, by the demo Standing Office
coordinator): the provincial committee and three commune committees, a meeting whose conclusions
are issued as plan tasks, regulations (one overdue for review), a course with attendance, a
handbook, bulletins (one read), a commendation drawn from results, a focal point across the border,
and a regulation offered as evidence of a plan task. Every write goes through the services."""

import datetime as dt

from django.db import transaction

from canhgiac.committee import services
from canhgiac.committee.models import Meeting


def load_demo(rng, stdout) -> None:
    from canhgiac.accounts.models import User
    from canhgiac.core.context import acting_as
    from canhgiac.directory.models import Agency
    from canhgiac.plans import services as plans

    coordinator = User.objects.filter(username="coordinator_sct").first()
    officer = User.objects.filter(username="officer_qltt").first()
    if coordinator is None or Meeting.objects.exists():
        return
    sct = Agency.objects.filter(code="SCT", memberships__user=coordinator).first()
    if sct is None:
        return
    province = sct.province
    agency = {
        a.code: a
        for a in Agency.objects.filter(province=province, code__in=["SCT", "QLTT", "CA", "BDBP", "HQ"])
    }
    communes = list(Agency.objects.filter(province=province, kind=Agency.Kind.COMMUNE).order_by("code")[:4])
    today = plans.today()
    d = lambda days: (today + dt.timedelta(days=days)).strftime("%d/%m/%Y")  # noqa: E731
    with acting_as(coordinator), transaction.atomic():
        top = services.provincial_committee(province) or services.save_committee(coordinator, province, {})
        decision = services.add_decision(
            coordinator, top, {"kind": "establish", "number": "[Mẫu] 01/QĐ-UBND", "signed_on": d(-300)}
        )
        for name, role, code in (
            ("[Mẫu] Chủ tịch UBND tỉnh", "1_head", None),
            ("[Mẫu] Giám đốc Sở Công Thương", "2_standing_deputy", "SCT"),
            ("[Mẫu] Giám đốc Công an tỉnh", "3_deputy", "CA"),
            ("[Mẫu] Chi cục trưởng Chi cục QLTT", "4_member", "QLTT"),
        ):
            services.add_member(
                coordinator,
                top,
                {
                    "full_name": name,
                    "role": role,
                    "agency": agency[code].pk if code else None,
                    "decision": decision.pk,
                },
            )
        for commune in communes[:3]:
            c = services.save_committee(coordinator, province, {"unit": commune.unit_id})
            services.add_decision(
                coordinator, c, {"kind": "establish", "number": "[Mẫu] 05/QĐ-UBND", "signed_on": d(-200)}
            )
        meeting = services.create_meeting(
            coordinator,
            province,
            {
                "committee": top.pk,
                "held_on": d(-20),
                "title": "[Mẫu] Họp Ban Chỉ đạo 389 tỉnh sơ kết quý",
                "chair": "[Mẫu] Chủ tịch UBND tỉnh",
                "attending_agencies": [a.pk for a in agency.values()],
            },
        )
        for text, lead, due in (
            ("Tăng cường kiểm tra mỹ phẩm, thực phẩm chức năng trên mạng", "QLTT", 40),
            ("Kiện toàn Ban Chỉ đạo 389 các xã chưa có quyết định", "SCT", 25),
            ("Phối hợp tuần tra địa bàn biên giới", "BDBP", 60),
        ):
            services.add_conclusion(
                coordinator, meeting, {"text": text, "lead": [agency[lead].pk], "due": d(due)}
            )
        services.issue_conclusions(coordinator, meeting)
        regulation = services.create_regulation(
            coordinator,
            province,
            {
                "title": "[Mẫu] Quy chế phối hợp giữa QLTT, Công an và Hải quan",
                "number": "[Mẫu] 02/QCPH",
                "signed_on": d(-500),
                "review_on": d(-10),
                "parties": [agency["QLTT"].pk, agency["CA"].pk, agency["HQ"].pk],
            },
        )
        services.create_regulation(
            coordinator,
            province,
            {
                "title": "[Mẫu] Quy chế phối hợp với UBND các xã",
                "number": "[Mẫu] 03/QCPH",
                "signed_on": d(-90),
                "review_on": d(275),
                "parties": [agency["SCT"].pk] + [c.pk for c in communes[:2]],
            },
        )
        course = services.create_course(
            coordinator,
            province,
            {
                "title": "[Mẫu] Tập huấn nhận diện hàng giả",
                "starts_on": d(-30),
                "ends_on": d(-29),
                "organiser": sct.pk,
            },
        )
        for a in [agency["QLTT"], agency["CA"]] + communes[:2]:
            services.set_attendance(
                coordinator, course, {"agency": a.pk, "participants": str(rng.randint(2, 15))}
            )
        services.add_material(
            coordinator,
            province,
            {
                "kind": "handbook",
                "title": "[Mẫu] Sổ tay nhận diện mỹ phẩm giả",
                "summary": "tem nhãn, mã vạch, hóa đơn",
                "published_on": d(-29),
                "course": course.pk,
            },
        )
        bulletin = services.send_bulletin(
            coordinator,
            province,
            {
                "title": "[Mẫu] Thủ đoạn gửi hàng giả qua xe khách",
                "body": "Đối tượng chia nhỏ hàng, gửi theo xe khách.",
                "issued_on": d(-5),
                "sender": sct.pk,
                "recipients": [agency["QLTT"].pk, agency["CA"].pk, communes[0].pk],
            },
        )
        if officer is not None:
            services.mark_read(officer, bulletin)
        services.propose_commendation(
            coordinator,
            province,
            {
                "nominee_kind": "unit",
                "agency": agency["QLTT"].pk,
                "award": "Bằng khen của UBND tỉnh",
                "proposed_on": d(0),
                "results_from": d(-365),
                "results_to": d(0),
            },
        )
        point = services.add_focal_point(
            coordinator,
            province,
            {
                "country": services.default_country(province) or "KH",
                "counterpart": "[Mẫu] Cơ quan đối tác bên kia biên giới",
                "agency": agency["BDBP"].pk,
            },
        )
        services.add_exchange(
            coordinator, point, {"held_on": d(-15), "kind": "Hội đàm", "subject": "[Mẫu] Trao đổi thông tin"}
        )
        task = (
            plans.evidence_tasks(coordinator, province).exclude(plan__code__startswith="committee_").first()
        )
        if task is not None:
            services.link_evidence(coordinator, "regulation", regulation, {"task": task.pk})
    stdout.write("  Ban Chỉ đạo: 1 cuộc họp, 3 kết luận thành nhiệm vụ, 2 quy chế, 1 lớp, 1 cảnh báo")
