from django.core.management.base import BaseCommand, CommandError

from canhgiac.audit.services import ChainHeadMissing, anchors_path, write_anchor


class Command(BaseCommand):
    help = (
        "Seal pending audit events, then append the chain's head (chain id, count, last hash, time) "
        "to $CANHGIAC_VAR_DIR/audit/anchors.jsonl; copy that file off the server (docs/audit.md)."
    )

    def handle(self, *args, **options):
        try:
            anchor = write_anchor()
        except ChainHeadMissing as exc:
            raise CommandError("Không neo được: bản ghi đầu chuỗi (AuditHead) đã bị xóa.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã neo chuỗi {anchor['chain']}: {anchor['count']} sự kiện, "
                f"mã băm cuối {anchor['last_hash']} → {anchors_path()}"
            )
        )
