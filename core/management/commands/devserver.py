"""Serve the web app with a Celery worker (with embedded beat) beside it, for `make run`."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core import demo


class Command(BaseCommand):
    help = "Run the development web server and a Celery worker with beat; print the URL and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args, addrport, no_worker, **options):
        worker = None
        if not no_worker:
            env = {**os.environ}
            # the worker reaches the same embedded services as this process
            if getattr(settings, "LINGBAN_EMBEDDED_REDIS", False):
                env["REDIS_URL"] = settings.REDIS_URL
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-B",
                    "--loglevel=INFO",
                    "--concurrency=2",
                    "--schedule",
                    str(settings.BASE_DIR / "var" / "celerybeat-schedule"),
                ],
                env=env,
            )
        host, _, port = addrport.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nLingban is starting at {url}"))
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}): " + ", ".join(u[0] for u in demo.DEMO_USERS))
        if worker:
            self.stdout.write(f"Celery worker with beat: pid {worker.pid}\n")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker:
                worker.terminate()
                worker.wait(timeout=20)
