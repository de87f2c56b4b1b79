"""The committee's screens under /committee/ (thin: forms in, services do the work)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.committee import forms as f
from canhgiac.committee import services
from canhgiac.committee.models import Commendation, FocalPoint, Member, Regulation
from canhgiac.core import policy
from canhgiac.core.errors import add_to_form
from canhgiac.directory.models import Agency
from canhgiac.plans import services as plans


def _province(request):
    province = services.province_of(request.user, request.GET.get("province") or request.POST.get("province"))
    if province is None or not policy.is_staff_member(request.user):
        raise PermissionDenied
    return province


def _ctx(request, province, **extra):
    return {
        "province": province,
        "provinces": services.provinces_for(request.user) if policy.is_national_admin(request.user) else [],
        "can_manage": services.managed_province(request.user, province),
        **extra,
    }


def _back(request, name, *args, province=None):
    url = reverse(name, args=args)
    return redirect(f"{url}?province={province.code}" if province else url)


def _run(form, call):
    """Call a service with the valid form's data; its errors go on the form. True when done."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
        return True if result is None else result
    except ValidationError as exc:
        add_to_form(form, exc)
        return None


def _pks(values):
    return [getattr(v, "pk", v) for v in values or []]


@login_required
def index(request):
    province = _province(request)
    user = request.user
    committees = list(services.visible_committees(user, province))
    regulations = services.visible_regulations(user, province)
    return render(
        request,
        "committee/index.html",
        _ctx(
            request,
            province,
            committees_active=sum(1 for c in committees if services.is_active(c)),
            committees_total=len(committees),
            without=services.communes_without_committee(user, province).count(),
            meetings=services.visible_meetings(user, province)[:5],
            overdue=services.overdue_reviews(regulations).count(),
            inbox=services.inbox(user)[:10],
        ),
    )


@login_required
def membership(request):
    province = _province(request)
    user = request.user
    without = services.communes_without_committee(user, province)
    form = f.CommitteeForm(request.POST or None, province=province, units=without)
    if request.method == "POST":
        committee = _run(form, lambda d: services.save_committee(user, province, d))
        if committee:
            messages.success(request, _("Đã ghi hồ sơ Ban Chỉ đạo."))
            return _back(request, "committee:committee", committee.pk)
    return render(
        request,
        "committee/membership.html",
        _ctx(
            request,
            province,
            rows=services.committee_activity(user, province),
            without=without,
            form=form,
        ),
    )


@login_required
def committee_detail(request, pk):
    user = request.user
    committee = get_object_or_404(services.visible_committees(user), pk=pk)
    can_change = policy.can(user, "change", committee)
    decision_form = f.DecisionForm(prefix="d")
    member_form = f.MemberForm(prefix="m", province=committee.province, committee=committee)
    end_form = f.EndMemberForm(prefix="e")
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        done = None
        if action == "decision":
            decision_form = f.DecisionForm(request.POST, prefix="d")
            done = _run(decision_form, lambda d: services.add_decision(user, committee, d))
        elif action == "member":
            member_form = f.MemberForm(
                request.POST, prefix="m", province=committee.province, committee=committee
            )
            done = _run(member_form, lambda d: services.add_member(user, committee, d))
        elif action == "end":
            end_form = f.EndMemberForm(request.POST, prefix="e")
            if end_form.is_valid():
                member = get_object_or_404(Member, committee=committee, pk=end_form.cleaned_data["member"])
                done = _run(end_form, lambda d: services.end_member(user, member, d["until"]))
        if done:
            messages.success(request, _("Đã lưu."))
            return redirect("committee:committee", committee.pk)
    from canhgiac.accounts import committee as leaders

    decisions = list(committee.decisions.all())
    links = services.links_by_record(user, "decision", [d.pk for d in decisions])
    for d in decisions:
        d.links = links.get(d.pk, [])

    return render(
        request,
        "committee/committee_detail.html",
        _ctx(
            request,
            committee.province,
            committee=committee,
            active=services.is_active(committee),
            decisions=decisions,
            members=committee.members.select_related("agency", "decision"),
            leaders=leaders.roster(committee.province) if committee.is_provincial else [],
            can_change=can_change,
            decision_form=decision_form,
            member_form=member_form,
            end_form=end_form,
            kind="decision",
        ),
    )


@login_required
def meetings(request):
    province = _province(request)
    user = request.user
    form = f.MeetingForm(request.POST or None, province=province)
    if request.method == "POST":
        meeting = _run(
            form,
            lambda d: services.create_meeting(
                user,
                province,
                {**d, "attending_agencies": _pks(d["attending_agencies"]), "committee": d["committee"].pk},
            ),
        )
        if meeting:
            messages.success(request, _("Đã ghi cuộc họp. Hãy nhập các kết luận."))
            return redirect("committee:meeting", meeting.pk)
    return render(
        request,
        "committee/meetings.html",
        _ctx(request, province, meetings=services.visible_meetings(user, province), form=form),
    )


@login_required
def meeting_detail(request, pk):
    user = request.user
    meeting = get_object_or_404(services.visible_meetings(user), pk=pk)
    province = meeting.province
    can_change = policy.can(user, "change", meeting)
    conclusion_form = f.ConclusionForm(prefix="c", province=province)
    notice_form = f.NoticeForm(prefix="n")
    issue_errors = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        done = None
        if action == "conclusion":
            conclusion_form = f.ConclusionForm(request.POST, prefix="c", province=province)
            done = _run(
                conclusion_form,
                lambda d: services.add_conclusion(
                    user, meeting, {**d, "lead": _pks(d["lead"]), "coordinating": _pks(d["coordinating"])}
                ),
            )
        elif action == "issue":
            try:
                done = services.issue_conclusions(user, meeting)
                messages.success(request, _("Các kết luận đã thành nhiệm vụ của kế hoạch."))
            except ValidationError as exc:
                issue_errors = exc.messages
        elif action == "notice":
            notice_form = f.NoticeForm(request.POST, request.FILES, prefix="n")
            done = _run(notice_form, lambda d: services.load_notice(user, meeting, d["file"].read()))
            if done:
                messages.success(request, _("Đã nạp thông báo kết luận thành kế hoạch."))
        if done:
            return redirect("committee:meeting", meeting.pk)
    plan, tasks = services.meeting_plan(user, meeting)
    return render(
        request,
        "committee/meeting_detail.html",
        _ctx(
            request,
            province,
            meeting=meeting,
            conclusions=meeting.conclusions.prefetch_related("lead", "coordinating"),
            attending=meeting.attending_agencies.all(),
            plan=plan,
            tasks=tasks,
            can_change=can_change,
            conclusion_form=conclusion_form,
            notice_form=notice_form,
            issue_errors=issue_errors,
            **_evidence_ctx(user, "meeting", meeting),
        ),
    )


@login_required
def regulations(request):
    province = _province(request)
    user = request.user
    form = f.RegulationForm(prefix="r", province=province)
    review_form = f.ReviewForm(prefix="v")
    if request.method == "POST":
        done = None
        if request.POST.get("action") == "review":
            review_form = f.ReviewForm(request.POST, prefix="v")
            if review_form.is_valid():
                regulation = get_object_or_404(
                    services.visible_regulations(user, province), pk=review_form.cleaned_data["regulation"]
                )
                done = _run(review_form, lambda d: services.review_regulation(user, regulation, d))
        else:
            form = f.RegulationForm(request.POST, request.FILES, prefix="r", province=province)
            done = _run(
                form,
                lambda d: services.create_regulation(
                    user, province, {**d, "parties": _pks(d["parties"])}, document=d.get("document")
                ),
            )
        if done:
            messages.success(request, _("Đã lưu quy chế phối hợp."))
            return _back(request, "committee:regulations", province=province)
    qs = services.visible_regulations(user, province)
    rows = list(qs)
    links = services.links_by_record(user, "regulation", [r.pk for r in rows])
    overdue_ids = set(services.overdue_reviews(qs).values_list("pk", flat=True))
    return render(
        request,
        "committee/regulations.html",
        _ctx(
            request,
            province,
            regulations=[(r, r.pk in overdue_ids, links.get(r.pk, [])) for r in rows],
            overdue=len(overdue_ids),
            form=form,
            review_form=review_form,
        ),
    )


@login_required
def regulation_document(request, pk):
    regulation = get_object_or_404(policy.visible_to(request.user, Regulation.objects.all()), pk=pk)
    if not regulation.document:
        raise Http404
    audit.record("committee.document_downloaded", obj=regulation)
    return FileResponse(regulation.document.open("rb"), as_attachment=True)


@login_required
def training(request):
    province = _province(request)
    user = request.user
    form = f.CourseForm(request.POST or None, province=province)
    if request.method == "POST":
        course = _run(
            form, lambda d: services.create_course(user, province, {**d, "organiser": d["organiser"].pk})
        )
        if course:
            messages.success(request, _("Đã ghi lớp tập huấn. Hãy nhập số người tham dự."))
            return redirect("committee:course", course.pk)
    return render(
        request,
        "committee/training.html",
        _ctx(request, province, courses=services.visible_courses(user, province), form=form),
    )


@login_required
def course_detail(request, pk):
    user = request.user
    course = get_object_or_404(services.visible_courses(user), pk=pk)
    can_change = policy.can(user, "change", course)
    form = f.AttendanceForm(request.POST or None, province=course.province)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if _run(form, lambda d: services.set_attendance(user, course, {**d, "agency": d["agency"].pk})):
            messages.success(request, _("Đã lưu số người tham dự."))
            return redirect("committee:course", course.pk)
    return render(
        request,
        "committee/course_detail.html",
        _ctx(
            request,
            course.province,
            course=course,
            attendance=course.attendance.select_related("agency"),
            materials=course.materials.all(),
            can_change=can_change,
            form=form,
            **_evidence_ctx(user, "course", course),
        ),
    )


@login_required
def library(request):
    province = _province(request)
    user = request.user
    form = f.MaterialForm(prefix="m", province=province)
    if request.method == "POST":
        form = f.MaterialForm(request.POST, request.FILES, prefix="m", province=province)
        material = _run(
            form,
            lambda d: services.add_material(
                user, province, {**d, "course": getattr(d.get("course"), "pk", None)}, file=d.get("file")
            ),
        )
        if material:
            messages.success(request, _("Đã thêm tài liệu vào thư viện."))
            return _back(request, "committee:library", province=province)
    q, kind = request.GET.get("q", ""), request.GET.get("kind", "")
    return render(
        request,
        "committee/library.html",
        _ctx(
            request,
            province,
            materials=services.search_materials(user, province, q, kind)[:200],
            q=q,
            kind=kind,
            kinds=f.m.Material.Kind.choices,
            form=form,
        ),
    )


@login_required
def material_file(request, pk):
    material = get_object_or_404(services.search_materials(request.user), pk=pk)
    if not material.file:
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True)


@login_required
def bulletins(request):
    province = _province(request)
    user = request.user
    form = f.BulletinForm(request.POST or None, province=province)
    if request.method == "POST":
        bulletin = _run(
            form,
            lambda d: services.send_bulletin(
                user, province, {**d, "sender": d["sender"].pk, "recipients": _pks(d["recipients"])}
            ),
        )
        if bulletin:
            messages.success(request, _("Đã gửi cảnh báo nghiệp vụ."))
            return redirect("committee:bulletin", bulletin.pk)
    return render(
        request,
        "committee/bulletins.html",
        _ctx(
            request,
            province,
            bulletins=services.visible_bulletins(user, province)[:200],
            unread={r.bulletin_id for r in services.inbox(user)},
            form=form,
        ),
    )


@login_required
def bulletin_detail(request, pk):
    user = request.user
    bulletin = get_object_or_404(services.visible_bulletins(user), pk=pk)
    marked = services.mark_read(user, bulletin)
    return render(
        request,
        "committee/bulletin_detail.html",
        _ctx(
            request,
            bulletin.province,
            bulletin=bulletin,
            receipts=services.receipts_summary(user, bulletin),
            marked=marked,
            **_evidence_ctx(user, "bulletin", bulletin),
        ),
    )


@login_required
def commendations(request):
    province = _province(request)
    user = request.user
    form = f.CommendationForm(prefix="c", province=province)
    decide_form = f.DecideForm(prefix="d")
    if request.method == "POST":
        done = None
        if request.POST.get("action") == "decide":
            decide_form = f.DecideForm(request.POST, prefix="d")
            if decide_form.is_valid():
                item = get_object_or_404(
                    policy.visible_to(user, Commendation.objects.filter(province=province)),
                    pk=decide_form.cleaned_data["commendation"],
                )
                done = _run(decide_form, lambda d: services.decide_commendation(user, item, d))
        else:
            form = f.CommendationForm(request.POST, prefix="c", province=province)
            done = _run(
                form, lambda d: services.propose_commendation(user, province, {**d, "agency": d["agency"].pk})
            )
        if done:
            messages.success(request, _("Đã lưu."))
            return _back(request, "committee:commendations", province=province)
    items = list(services.visible_commendations(user, province)[:200])
    links = services.links_by_record(user, "commendation", [c.pk for c in items])
    for c in items:
        c.links = links.get(c.pk, [])
    return render(
        request,
        "committee/commendations.html",
        _ctx(
            request,
            province,
            items=items,
            rows=items,
            form=form,
            decide_form=decide_form,
        ),
    )


@login_required
def international(request):
    province = _province(request)
    user = request.user
    form = f.FocalPointForm(
        prefix="p", province=province, initial={"country": services.default_country(province)}
    )
    exchange_form = f.ExchangeForm(prefix="x", province=province)
    if request.method == "POST":
        done = None
        if request.POST.get("action") == "exchange":
            exchange_form = f.ExchangeForm(request.POST, prefix="x", province=province)
            if exchange_form.is_valid():
                point = get_object_or_404(
                    policy.visible_to(user, FocalPoint.objects.all()),
                    pk=exchange_form.cleaned_data["focal_point"].pk,
                )
                done = _run(exchange_form, lambda d: services.add_exchange(user, point, d))
        else:
            form = f.FocalPointForm(request.POST, prefix="p", province=province)
            done = _run(
                form, lambda d: services.add_focal_point(user, province, {**d, "agency": d["agency"].pk})
            )
        if done:
            messages.success(request, _("Đã lưu."))
            return _back(request, "committee:international", province=province)
    points = list(services.visible_focal_points(user, province))
    exchanges = [x for p in points for x in p.exchanges.all()]
    links = services.links_by_record(user, "exchange", [x.pk for x in exchanges])
    for x in exchanges:
        x.links = links.get(x.pk, [])
    return render(
        request,
        "committee/international.html",
        _ctx(
            request,
            province,
            points=points,
            countries=services.COUNTRIES,
            form=form,
            exchange_form=exchange_form,
        ),
    )


def _evidence_tasks(user, province):
    if not services.managed_province(user, province) and not policy.agency_ids(user):
        return []
    return list(plans.evidence_tasks(user, province).select_related("plan")[:300])


def _evidence_ctx(user, kind, record):
    return {
        "evidence_kind": kind,
        "evidence_record": record,
        "evidence_links": services.links_for(user, kind, record),
        "evidence_tasks": _evidence_tasks(user, record.province)
        if policy.can(user, "change", record)
        else [],
        "evidence_agencies": policy.visible_to(user, Agency.objects.all()).filter(
            province=record.province, pk__in=policy.agency_ids(user)
        ),
    }


@login_required
def evidence(request, kind, pk):
    """Offer a record as evidence of a plan task: GET shows the record's links and the form, POST
    posts the progress update through plans services."""
    from django.utils.http import url_has_allowed_host_and_scheme

    record = services.record_for(request.user, kind, pk)
    if record is None:
        raise Http404
    policy.require(request.user, "change", record)
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("committee:index")
    form = f.EvidenceForm(request.POST or None, request.FILES or None, prefix="ev")
    if request.method == "POST":
        link = _run(
            form,
            lambda d: services.link_evidence(
                request.user, kind, record, d, evidence_file=d.get("evidence_file")
            ),
        )
        if link:
            messages.success(
                request, _("Đã ghi hồ sơ làm minh chứng của nhiệm vụ; tiến độ kế hoạch đã cập nhật.")
            )
            return redirect(target)
    return render(
        request,
        "committee/evidence.html",
        {
            **_ctx(request, record.province),
            **_evidence_ctx(request.user, kind, record),
            "evidence_form": form,
            "record_label": services.RECORD_KINDS[kind][1],
            "next": target,
        },
    )
