from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from canhgiac.core import jobs
from canhgiac.core.context import acting_as
from canhgiac.core.models import Job


@task()
def import_products_task(job_id: str, path: str, filename: str, user_id: int | None):
    """The product import of the business area (and of staff), run by the worker."""
    from pathlib import Path

    from canhgiac.accounts.models import User
    from canhgiac.goods import services

    user = User.objects.filter(pk=user_id).first() if user_id else None
    jobs.start_job(job_id, _("Đang kiểm tra tệp…"))
    try:
        with acting_as(user):
            result = services.import_products(user, Path(path).read_bytes(), filename)
    except Exception as exc:  # report, never leave the job running forever
        jobs.finish_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": exc})
        raise
    finally:
        Path(path).unlink(missing_ok=True)
        jobs.close_side_connection()
    outcome = result.as_dict()
    if result.ok:
        outcome.update(url=reverse("goods:products"), url_label=_("Xem danh sách sản phẩm"))
        jobs.finish_job(
            job_id,
            status=Job.Status.DONE,
            result=outcome,
            message=_(
                "Đã nhập %(rows)s dòng: %(created)s sản phẩm mới, %(updated)s cập nhật, "
                "%(unchanged)s không đổi, %(warnings)s cảnh báo số đăng ký."
            )
            % {
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "warnings": len(result.warnings),
            },
        )
    else:
        outcome.update(url=reverse("goods:product_import"), url_label=_("Sửa tệp và nhập lại"))
        jobs.finish_job(
            job_id,
            status=Job.Status.FAILED,
            result=outcome,
            message=_("Tệp có %(n)s lỗi, chưa ghi dữ liệu nào.") % {"n": len(result.errors)},
        )
    return result.as_dict()


@task()
def issue_codes_task(job_id: str, batch_id: int, user_id: int | None):
    """Issue a batch of signed codes asked for in the business area, with progress."""
    from canhgiac.accounts.models import User
    from canhgiac.goods import codes
    from canhgiac.goods.models import CodeBatch

    user = User.objects.filter(pk=user_id).first() if user_id else None
    batch = CodeBatch.objects.select_related("product", "business__province").get(pk=batch_id)
    jobs.start_job(job_id, _("Đang ký và lưu mã…"))

    def progress(done, total):
        jobs.report_progress(job_id, done=done, total=total, in_transaction=True)

    try:
        with acting_as(user):
            result = codes.issue_batch(batch, progress=progress)
    except Exception as exc:
        with acting_as(user):
            codes.fail_batch(batch, str(exc))
        jobs.finish_job(job_id, status=Job.Status.FAILED, message=_("Lỗi: %(e)s") % {"e": exc})
        raise
    finally:
        jobs.close_side_connection()
    jobs.finish_job(
        job_id,
        status=Job.Status.DONE,
        result={
            "count": result.count,
            "url": reverse("goods:code_batch", args=[batch.pk]),
            "url_label": _("Tải mã (CSV, PDF)"),
        },
        message=_("Đã cấp %(n)s mã cho lô %(lot)s.")
        % {"n": f"{result.count:,}".replace(",", "."), "lot": batch.lot},
    )
    return {"count": result.count}
