import gc
import multiprocessing
import os

from django.conf import settings
from django.core.management.base import BaseCommand

from canhgiac.core.access_log import ACCESS_LOG_FORMAT

#: How long a server thread keeps its database connection when DB_CONN_MAX_AGE is not set.
SERVE_CONN_MAX_AGE = 300


def _keep_connections() -> None:
    """Under `serve`, each server thread keeps its database connection between requests (opening
    one per request cost more than a whole tip submission on PostgreSQL), and checks it once per
    request before use, so a restarted database is reconnected to instead of failing the request.
    DB_CONN_MAX_AGE in the environment wins (0 closes after every request)."""
    if os.environ.get("DB_CONN_MAX_AGE", "").strip():
        return
    for alias in settings.DATABASES.values():
        alias["CONN_MAX_AGE"] = SERVE_CONN_MAX_AGE
        alias["CONN_HEALTH_CHECKS"] = True


class Command(BaseCommand):
    help = "Run the production WSGI server (gunicorn); static files are served by the app."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count() * 2 + 1))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **options):
        from django.core.management import call_command
        from gunicorn.app.base import BaseApplication

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)

        _keep_connections()

        from canhgiac.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("accesslog", "-")
                # No client address in the access log: an anonymous tipster's IP must not be stored
                # anywhere (docs/tips.md, "Identity protection"); gunicorn's default starts with %(h)s.
                self.cfg.set("access_log_format", ACCESS_LOG_FORMAT)
                self.cfg.set("logger_class", "canhgiac.core.access_log.AccessLogger")
                self.cfg.set("timeout", 120)
                self.cfg.set("graceful_timeout", 10)

            def load(self):
                return application

        self.stdout.write(f"Cảnh Giác 389 đang chạy tại http://{options['bind']}/")
        # What is loaded by now (Django, the apps, URL patterns, catalogues) lives as long as the
        # workers: frozen, the cyclic collector's full passes stop walking it again and again during
        # requests that allocate many objects (a 5,000-node network: 0.33 → 0.23 s of CPU,
        # docs/subjects-network.md), and the forked workers share those pages untouched.
        gc.freeze()
        Server().run()
