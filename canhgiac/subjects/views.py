from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from canhgiac.audit import services as audit
from canhgiac.core.policy import visible_to
from canhgiac.core.text import fold
from canhgiac.subjects import services
from canhgiac.subjects.models import Subject, normalize_identifier


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
