"""Pages of links and networks: a subject's network (the graph drawn by an external script from
the API's JSON, and the same nodes and links as tables), the ranked list "cần chú ý", and the form
that records a relation. Thin: the work is in subjects.network.services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.errors import add_to_form
from canhgiac.core.text import fold
from canhgiac.subjects.models import Relation, Subject, normalize_identifier
from canhgiac.subjects.network import forms, services

TABLE_ROWS = 500  # the accessible tables list this many links; the filters narrow a larger network


def _subject(request, pk) -> Subject:
    qs = policy.visible_to(request.user, Subject.objects.select_related("recorded_by_agency"))
    return get_object_or_404(qs, pk=pk)


def network_filters(form) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "hops": data.get("hops") or 2,
        "types": data.get("types") or None,
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
    }


@login_required
def network(request, pk):
    subject = _subject(request, pk)
    form = forms.NetworkFilterForm(request.GET or None)
    filters = network_filters(form)
    net = services.build(request.user, subject, **filters)
    audit.record(
        "subjects.network_viewed",
        obj=subject,
        changes={"hops": filters["hops"], "nodes": len(net.nodes), "edges": len(net.edges)},
    )
    # The drawing asks the API for the same network: the filters as read (dates in ISO form, as the
    # API takes them; the page's form takes dd/mm/yyyy).
    query = {"hops": filters["hops"], "types": filters["types"] or []}
    for name in ("date_from", "date_to"):
        if filters[name]:
            query[name] = filters[name].isoformat()
    data_url = (
        reverse("api:subject_network", kwargs={"subject_id": subject.pk}) + "?" + urlencode(query, doseq=True)
    )
    labels = {k: v["label"] for k, v in net.nodes.items()}
    edges = [
        {
            **e,
            "source_label": labels.get(e["source"], ""),
            "target_label": labels.get(e["target"], ""),
            "start": dt.date.fromisoformat(e["start"]) if e["start"] else None,
            "end": dt.date.fromisoformat(e["end"]) if e["end"] else None,
        }
        for e in net.edges[:TABLE_ROWS]
    ]
    nodes = sorted(net.nodes.values(), key=lambda n: (n["hop"], n["kind"], n["label"]))[:TABLE_ROWS]
    relations = list(services.relations_of(request.user, subject)[:50])
    return render(
        request,
        "subjects/network/network.html",
        {
            "subject": subject,
            "form": form,
            "net": net,
            "nodes": nodes,
            "edges": edges,
            "table_rows": TABLE_ROWS,
            "data_url": data_url,
            "relations": relations,
            "editable": {r.pk for r in relations if policy.can(request.user, "change", r)},
            "may_add_relation": policy.can(request.user, "add", Relation, province=_province(subject)),
        },
    )


def _province(subject):
    agency = subject.recorded_by_agency
    return agency.province_id if agency is not None else None


def attention_filters(user, data):
    from canhgiac.directory.models import AdministrativeUnit, GoodsCategory

    provinces = policy.province_ids(user)
    units = AdministrativeUnit.objects.exclude(parent=None).order_by("name")
    if provinces is not None:
        units = units.filter(parent_id__in=provinces)
    form = forms.AttentionFilterForm(
        data or None,
        units=units.values_list("code", "name"),
        categories=GoodsCategory.objects.order_by("name").values_list("code", "name"),
    )
    clean = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {
        "date_from": clean.get("date_from"),
        "date_to": clean.get("date_to"),
        "unit_code": clean.get("unit") or None,
        "goods": clean.get("goods") or None,
    }


@login_required
def attention(request):
    policy.require(request.user, "subjects.attention")
    form, filters = attention_filters(request.user, request.GET)
    entries = services.attention(request.user, **filters, limit=100)
    audit.record(
        "subjects.attention_viewed",
        object_type="subjects.subject",
        object_repr="",
        changes={k: str(v) for k, v in filters.items() if v} | {"results": len(entries)},
    )
    return render(request, "subjects/network/attention.html", {"form": form, "entries": entries})


@login_required
def relation_add(request, pk):
    subject = _subject(request, pk)
    if not policy.can(request.user, "add", Relation, province=_province(subject)):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    others = policy.visible_to(request.user, Subject.objects.select_related("recorded_by_agency")).exclude(
        pk=subject.pk
    )
    if request.method == "POST":
        chosen = request.POST.get("other", "")
        others = others.filter(pk=int(chosen)) if chosen.isdigit() else others.none()
    elif q:
        cond = Q(name_folded__contains=fold(q))
        if normalize_identifier(q):
            cond |= Q(identifier=normalize_identifier(q))
        others = others.filter(cond).order_by("name")[:50]
    else:
        from canhgiac.cases import services as cases

        shared = {
            s
            for _c, s, _r in cases.subject_links.case_members(
                {c for c, _s, _r in cases.subject_links.subject_case_rows(request.user, [subject.pk])}
            )
        }
        others = others.filter(pk__in=shared).order_by("name")[:50]
    form = forms.RelationForm(request.POST or None, others=list(others))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_relation(
                request.user,
                {**form.cleaned_data, "subject": subject.pk, "other": form.cleaned_data["other"]},
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận quan hệ."))
            return redirect("subjects:network", pk=subject.pk)
    return render(request, "subjects/network/relation_form.html", {"subject": subject, "form": form, "q": q})


def _back(request, relation) -> int:
    """The subject whose network the user came from (one of the relation's two), else its subject."""
    raw = request.GET.get("back") or request.POST.get("back") or ""
    back = int(raw) if raw.isdigit() and len(raw) < 19 else None
    return back if back in (relation.subject_id, relation.other_id) else relation.subject_id


@login_required
def relation_edit(request, pk):
    relation = services.relation_for(request.user, pk)
    if not policy.can(request.user, "change", relation):
        raise PermissionDenied
    back = _back(request, relation)
    form = forms.RelationEditForm(request.POST or None, initial=forms.RelationEditForm.initial_for(relation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_relation(request.user, relation.pk, form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Đã sửa quan hệ."))
            return redirect("subjects:network", pk=back)
    return render(
        request,
        "subjects/network/relation_edit.html",
        {"relation": relation, "form": form, "back": back},
    )


@login_required
def relation_delete(request, pk):
    relation = services.relation_for(request.user, pk)
    if not policy.can(request.user, "delete", relation):
        raise PermissionDenied
    back = _back(request, relation)
    if request.method == "POST":
        services.delete_relation(request.user, relation.pk)
        messages.success(request, _("Đã xóa quan hệ."))
        return redirect("subjects:network", pk=back)
    return render(request, "subjects/network/relation_delete.html", {"relation": relation, "back": back})
