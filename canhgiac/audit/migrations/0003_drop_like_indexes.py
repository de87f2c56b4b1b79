"""PostgreSQL only: drop the `varchar_pattern_ops` ("_like") indexes Django adds beside each
indexed CharField. They serve only case-sensitive prefix searches (`startswith`), which no query
on the audit trail makes (the list filters by equality, `iexact` and `icontains`, none of which
these indexes serve), yet every event written maintains them (issue 10: four of twelve indexes per
event). Django's own schema changes drop them with IF EXISTS, so later migrations still work."""

from django.db import migrations

LIKE = {
    "audit_auditevent_agency_code_6c9b7d28_like": "agency_code",
    "audit_auditevent_action_2131bb77_like": "action",
    "audit_auditevent_object_type_2df52246_like": "object_type",
    "audit_auditevent_object_id_3d6dccfb_like": "object_id",
}


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in LIKE:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in LIKE.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "audit_auditevent" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_sealed_chain")]

    operations = [migrations.RunPython(drop, create)]
