"""Background work of the tips app: telling the handlers a tip has arrived, off the request."""

from django_tasks import task


@task()
def announce_tip_task(tip_id: int) -> None:
    from canhgiac.tips import services

    services.announce(tip_id)
