from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from canhgiac.core import jobs
from canhgiac.core.context import acting_as
from canhgiac.core.models import Job


@task()
def import_listings_task(job_id: str, path: str, filename: str, user_id: int, agency_id: int):
    """The listing import of the web page, run by the worker (scores every listing)."""
    from pathlib import Path

    from canhgiac.accounts.models import User
    from canhgiac.directory.models import Agency
    from canhgiac.online import services

    user = User.objects.filter(pk=user_id).first()
    agency = Agency.objects.filter(pk=agency_id).first()
    jobs.start_job(job_id, _("Đang kiểm tra và chấm điểm tin đăng…"))
    try:
        with acting_as(user):
            result = services.import_listings(user, Path(path).read_bytes(), filename, agency=agency)
    except Exception as exc:  # report, never leave the job running forever
        jobs.finish_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": exc})
        raise
    finally:
        Path(path).unlink(missing_ok=True)
        jobs.close_side_connection()
    outcome = result.as_dict()
    if result.ok:
        outcome.update(url=reverse("online:queue"), url_label=_("Xem hàng đợi xem xét"))
        jobs.finish_job(
            job_id,
            status=Job.Status.DONE,
            result=outcome,
            message=_(
                "Đã nhập %(rows)s dòng: %(created)s tin mới, %(updated)s cập nhật, %(unchanged)s không đổi; "
                "%(flagged)s tin bị gắn cờ."
            )
            % {
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "flagged": result.flagged,
            },
        )
    else:
        outcome.update(url=reverse("online:import"), url_label=_("Sửa tệp và nhập lại"))
        jobs.finish_job(
            job_id,
            status=Job.Status.FAILED,
            result=outcome,
            message=_("Tệp có %(n)s lỗi, chưa ghi dữ liệu nào.") % {"n": len(result.errors)},
        )
    return result.as_dict()
