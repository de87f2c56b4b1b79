import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, make_aware

from canhgiac.audit.services import verify_chain


def _until(value: str) -> dt.datetime:
    when = parse_datetime(value)
    if when is None:
        raise CommandError(f"--until: thời điểm không hợp lệ: {value!r} (ví dụ 2026-12-01T22:00:00+07:00)")
    return make_aware(when, get_current_timezone()) if is_naive(when) else when


class Command(BaseCommand):
    help = (
        "Seal pending audit events, then verify the hash chain, its head and the latest anchor of "
        "this chain; exits non-zero naming the first broken event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until",
            help="judge against anchors made up to this time only (a database restored from a backup)",
        )

    def handle(self, *args, **options):
        until = _until(options["until"]) if options["until"] else None
        result = verify_chain(until=until)
        if result.sealed_now:
            self.stdout.write(f"Đã niêm phong {result.sealed_now} sự kiện đang chờ.")
        if not result.ok:
            where = f" tại sự kiện #{result.broken_id}" if result.broken_id else ""
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ{where}: {result.reason} "
                f"(đã kiểm tra hợp lệ {result.checked} sự kiện trước đó)"
            )
        for warning in result.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        anchor = result.anchor
        tail = f"; nối tiếp mốc neo lúc {anchor['time']} ({anchor['count']} sự kiện)" if anchor else ""
        self.stdout.write(self.style.SUCCESS(f"Chuỗi nhật ký toàn vẹn: {result.checked} sự kiện{tail}."))
