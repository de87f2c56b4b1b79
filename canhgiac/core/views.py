from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from canhgiac.core import exports
from canhgiac.core.models import Job
from canhgiac.core.policy import can, visible_to


@login_required
def job_detail(request, job_id):
    """A job's progress; the page polls the same URL with HTMX until the job has finished."""
    job = visible_to(request.user, Job.objects.all()).filter(pk=job_id).first()
    if job is None:
        raise Http404
    template = "core/job_progress.html" if request.htmx else "core/job.html"
    has_file = bool(job.result.get("filename")) and job.finished
    context = {
        "job": job,
        "keep_hours": exports.keep_hours(),
        "file_gone": has_file and exports.export_file(job) is None,
        # an administrator may follow a user's job, but the file is the owner's only
        "can_download": can(request.user, "download", job),
    }
    return render(request, template, context)


@login_required
def job_download(request, job_id):
    """The file of a finished export job, to the user who asked for it only; audited, never cached."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return exports.download_response(request.user, job)


@login_required
def notifications(request):
    from django.utils import timezone

    from canhgiac.core.models import Notification

    items = list(Notification.objects.filter(user=request.user)[:100])
    Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"items": items})
