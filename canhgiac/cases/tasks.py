"""Background work of the cases app: file imports with progress."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from canhgiac.core import jobs
from canhgiac.core.context import acting_as
from canhgiac.core.models import Job


def _progress(job_id):
    messages = {"check": _("Đang kiểm tra tệp…"), "write": _("Đang ghi vụ việc…")}

    def report(done, total, stage="write"):
        # "check" runs before the import's transaction opens, "write" inside it
        jobs.report_progress(
            job_id, done=done, total=total, message=messages[stage], in_transaction=stage == "write"
        )

    return report


@task()
def import_cases_task(job_id: str, path: str, filename: str, agency_code: str | None, user_id: int | None):
    from pathlib import Path

    from canhgiac.accounts.models import User
    from canhgiac.cases import imports

    user = User.objects.filter(pk=user_id).first() if user_id else None
    jobs.start_job(job_id, _("Đang kiểm tra tệp…"))
    try:
        data = Path(path).read_bytes()
        with acting_as(user):
            result = imports.import_cases(
                data, filename, agency_code=agency_code, user=user, progress=_progress(job_id)
            )
    except Exception as exc:  # report, never leave the job running forever
        jobs.finish_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": exc})
        raise
    finally:
        Path(path).unlink(missing_ok=True)
        jobs.close_side_connection()
    outcome = result.as_dict()
    if result.ok:
        outcome.update(url=reverse("cases:list"), url_label=_("Xem danh sách vụ việc"))
    else:
        outcome.update(url=reverse("cases:import"), url_label=_("Sửa tệp và nhập lại"))
    if result.ok:
        jobs.finish_job(
            job_id,
            status=Job.Status.DONE,
            result=outcome,
            message=_(
                "Đã nhập %(cases)s vụ việc: %(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi."
            )
            % {
                "cases": result.cases,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    else:
        jobs.finish_job(
            job_id,
            status=Job.Status.FAILED,
            result=outcome,
            message=_("Tệp có %(n)s lỗi, chưa ghi dữ liệu nào.") % {"n": len(result.errors)},
        )
    return result.as_dict()
