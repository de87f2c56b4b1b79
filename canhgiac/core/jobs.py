"""Job progress records that background tasks update and pages poll."""

from canhgiac.core.models import Job


def create_job(kind: str, title: str, owner=None, total: int = 0) -> Job:
    return Job.objects.create(kind=kind, title=title, owner=owner, total=total)


def update_job(
    job_id,
    *,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    status: str | None = None,
    result: dict | None = None,
) -> None:
    # A plain UPDATE (not save) so progress writes never clobber each other.
    fields = {}
    if done is not None:
        fields["done"] = done
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message[:300]
    if status is not None:
        fields["status"] = status
    if result is not None:
        fields["result"] = result
    if fields:
        from django.utils import timezone

        fields["updated_at"] = timezone.now()
        Job.objects.filter(pk=job_id).update(**fields)
