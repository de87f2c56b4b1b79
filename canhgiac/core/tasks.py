"""Background work of the core app: export jobs (see core.exports)."""

from django_tasks import task

from canhgiac.core.context import acting_as


@task()
def run_export_task(job_id: str, kind: str, params: dict, user_id: int | None):
    from canhgiac.accounts.models import User
    from canhgiac.core import exports

    user = User.objects.filter(pk=user_id).first() if user_id else None
    with acting_as(user):
        path = exports.run_export(job_id, kind, params, user)
    return {"file": path.name}
