"""Background work of the cases app: file imports with progress."""

from django_tasks import task

from canhgiac.core.context import acting_as
from canhgiac.core.jobs import update_job
from canhgiac.core.models import Job


@task()
def import_cases_task(job_id: str, path: str, filename: str, agency_code: str | None, user_id: int | None):
    from pathlib import Path

    from canhgiac.accounts.models import User
    from canhgiac.cases import imports

    user = User.objects.filter(pk=user_id).first() if user_id else None
    update_job(job_id, status=Job.Status.RUNNING, message="Đang kiểm tra tệp…")
    try:
        data = Path(path).read_bytes()
        with acting_as(user):
            result = imports.import_cases(
                data,
                filename,
                agency_code=agency_code,
                user=user,
                progress=lambda done, total: update_job(
                    job_id, done=done, total=total, message="Đang ghi vụ việc…"
                ),
            )
    except Exception as exc:  # report, never leave the job running forever
        update_job(job_id, status=Job.Status.FAILED, message=f"Lỗi: {exc}")
        raise
    finally:
        Path(path).unlink(missing_ok=True)
    if result.ok:
        update_job(
            job_id,
            status=Job.Status.DONE,
            result=result.as_dict(),
            message=f"Đã nhập {result.cases} vụ việc: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi.",
        )
    else:
        update_job(
            job_id,
            status=Job.Status.FAILED,
            result=result.as_dict(),
            message=f"Tệp có {len(result.errors)} lỗi, chưa ghi dữ liệu nào.",
        )
    return result.as_dict()
