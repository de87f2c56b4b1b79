import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from canhgiac.core.health import worker_name
from canhgiac.core.jobs import fail_orphaned_jobs
from canhgiac.core.periodic import run_heartbeat, run_periodic, run_ticks


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker) and, every "
        "CANHGIAC_PERIODIC_SECONDS, the periodic jobs; stops cleanly on SIGTERM/Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="process queued tasks, then exit")
        parser.add_argument("--no-periodic", action="store_true", help="do not run the periodic jobs")

    def handle(self, *args, **options):
        failed = fail_orphaned_jobs()
        if failed:
            self.stderr.write(f"{failed} job(s) left running by a dead worker marked failed.")
        stop = threading.Event()
        # The heartbeat runs in every mode (a --batch worker runs jobs too), in its own thread.
        name, started_at = worker_name(), timezone.now()
        threading.Thread(
            target=run_heartbeat, args=(stop, name, started_at), name="heartbeat", daemon=True
        ).start()
        if not options["no_periodic"] and not options["batch"]:

            def loop():
                while not stop.wait(
                    0 if not hasattr(loop, "started") else settings.CANHGIAC_PERIODIC_SECONDS
                ):
                    loop.started = True
                    run_periodic()

            threading.Thread(target=loop, name="periodic", daemon=True).start()
        if not options["batch"]:
            threading.Thread(
                target=run_ticks, args=(stop, name, started_at), name="ticks", daemon=True
            ).start()
        argv = ["--interval", str(options["interval"]), "--queue-name", "*", "--no-reload"]
        if options["batch"]:
            argv.append("--batch")
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
