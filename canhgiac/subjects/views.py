from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.subjects import services
from canhgiac.subjects.models import Entity, Subject, normalize_identifier
from canhgiac.subjects.resolution import model as er


@login_required
def subject_list(request):
    """Search subjects by folded name or exact identifier (the search itself shows personal data)."""
    q = request.GET.get("q", "").strip()
    subjects = []
    if q:
        ident = normalize_identifier(q)
        cond = Q(name_folded__contains=fold(q))
        if ident:
            cond |= Q(identifier=ident)
        subjects = list(visible_to(request.user, Subject.objects.filter(cond)).order_by("name")[:100])
        audit.record(
            "subjects.searched",
            object_type="subjects.subject",
            object_repr=q[:200],
            changes={"query": q, "results": len(subjects)},
        )
    return render(request, "subjects/list.html", {"subjects": subjects, "q": q})


@login_required
def subject_detail(request, pk):
    subject = get_object_or_404(visible_to(request.user, Subject.objects.all()), pk=pk)
    from canhgiac.cases import services as cases

    links = cases.subject_cases(request.user, subject)
    audit.record("subjects.subject_viewed", obj=subject)
    return render(
        request,
        "subjects/detail.html",
        {"subject": subject, "links": links, "elsewhere": services.known_elsewhere(request.user, subject)},
    )


@login_required
def entity_detail(request, pk):
    """A resolved entity: the records the user may see by agency, identifiers, cases, why they were
    joined, and which other agencies hold records (contacts only)."""
    entity = Entity.objects.filter(pk=pk).first()
    if entity is not None and entity.merged_into_id and not entity.records.exists():
        return redirect("subjects:entity", pk=entity.merged_into_id)
    entity = get_object_or_404(visible_to(request.user, Entity.objects.all()), pk=pk)
    page = services.entity_page(request.user, entity)
    audit.record("subjects.entity_viewed", obj=entity, changes={"records": [r.pk for r in page["records"]]})
    return render(request, "subjects/entity.html", page)


@login_required
def review_queue(request):
    if not policy.can(request.user, "subjects.review"):
        raise PermissionDenied
    pairs = list(services.review_queue(request.user))
    for pair in pairs:
        pair.explained = [(er.reason_text(code), weight) for code, weight in pair.reasons]
        pair.sides = (pair.left, pair.right)
    return render(request, "subjects/review.html", {"pairs": pairs})


@login_required
@require_POST
def review_decide(request):
    try:
        services.decide(
            request.user,
            request.POST.get("left") or 0,
            request.POST.get("right") or 0,
            request.POST.get("decision", ""),
            request.POST.get("note", ""),
        )
    except (ValueError, TypeError):
        messages.error(request, _("Cặp hồ sơ không hợp lệ."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi kết luận; các hồ sơ đã được ghép hoặc tách theo kết luận."))
    return redirect("subjects:review")
