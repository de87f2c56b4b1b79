"""Agency codes no longer depend on the order of CANHGIAC_PROVINCES: `code` is the short code,
unique within a province, and `key` ("<province code>:<short code>") is unique everywhere.
Codes of earlier multi-province deployments ("QLTT-20") lose their province suffix."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Agency = apps.get_model("directory", "Agency")
    for agency in Agency.objects.select_related("province"):
        suffix = f"-{agency.province.code}"
        if not agency.code.startswith("UBND-") and agency.code.endswith(suffix):
            agency.code = agency.code[: -len(suffix)]
        agency.key = f"{agency.province.code}:{agency.code}"
        agency.save(update_fields=["code", "key"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.AlterField(model_name="agency", name="code", field=models.CharField(max_length=40, verbose_name="Mã")),
        migrations.AddField(
            model_name="agency",
            name="key",
            field=models.CharField(default="", editable=False, max_length=60, verbose_name="Mã định danh"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="key",
            field=models.CharField(editable=False, max_length=60, unique=True, verbose_name="Mã định danh"),
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(fields=("province", "code"), name="uniq_agency_province_code"),
        ),
    ]
