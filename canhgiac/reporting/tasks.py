"""Background work of the reporting app: the consolidated figures' snapshots (snapshots.py)."""

from django.utils.translation import gettext as _
from django_tasks import task

from canhgiac.core import jobs
from canhgiac.core.context import acting_as
from canhgiac.core.models import Job
from canhgiac.core.progress import Steps


@task()
def refresh_consolidated_task(job_id: str, key: str):
    from canhgiac.reporting import snapshots

    jobs.start_job(job_id, _("Đang tính số liệu tổng hợp…"))

    def report(done, total, message=None):
        jobs.report_progress(job_id, done=done, total=total, message=message)

    try:
        with acting_as(None):
            snapshot = snapshots.refresh(key, Steps(report, [("gather", 100)]))
    except Exception as exc:  # report, never leave the job running forever
        jobs.finish_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": exc})
        raise
    result = {}
    url = snapshot and snapshots.page_url(snapshot)
    if url:
        result = {"url": url, "url_label": _("Xem báo cáo tổng hợp")}
    jobs.finish_job(
        job_id, status=Job.Status.DONE, message=_("Đã tính xong số liệu tổng hợp."), result=result
    )
    return {"key": key}
