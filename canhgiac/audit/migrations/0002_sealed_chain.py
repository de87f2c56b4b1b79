import uuid

from django.db import migrations, models
from django.utils import timezone


def unseal_and_name_the_chain(apps, schema_editor):
    """Events of the locked chain are re-linked by the sealer under the new hash (which covers
    every column); the head gets its chain id. Run audit-verify before upgrading."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditEvent.objects.update(seq=None, hash=None, prev_hash="")
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        head = AuditHead(pk=1)
    head.chain_id = head.chain_id or uuid.uuid4().hex
    head.created_at = head.created_at or timezone.now()
    head.count, head.last_id, head.last_hash = 0, 0, "0" * 64
    head.save()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(seq__isnull=True), fields=["id"], name="audit_event_unsealed"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="chain_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="audithead",
            name="created_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="audithead",
            name="count",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(unseal_and_name_the_chain, migrations.RunPython.noop),
    ]
