from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render

from canhgiac.core.models import Job
from canhgiac.core.policy import can, visible_to


@login_required
def job_detail(request, job_id):
    """A job's progress; the page polls the same URL with HTMX until the job has finished."""
    job = visible_to(request.user, Job.objects.all()).filter(pk=job_id).first()
    if job is None:
        raise Http404
    template = "core/job_progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, job_id):
    """The file of a finished export job, to the user who asked for it only; never cached."""
    from canhgiac.core import exports

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    if not can(request.user, "download", job):
        raise PermissionDenied
    path = exports.export_file(job)
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=job.result.get("content_type")
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def notifications(request):
    from django.utils import timezone

    from canhgiac.core.models import Notification

    items = list(Notification.objects.filter(user=request.user)[:100])
    Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"items": items})
