"""Drop five single-column indexes that a composite index already covers (as its first column), so
an import maintains fewer indexes per row (issue 10). The names are the same on SQLite and
PostgreSQL. Only the indexes are dropped: altering the fields the usual way would remake the
tables on SQLite and lose the indexes migration 0004 made with SQL."""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = {
    "cases_case_lead_agency_id_a2914d5d": ("cases_case", "lead_agency_id"),
    "cases_case_unit_id_f34fc706": ("cases_case", "unit_id"),
    "cases_case_violation_type_id_d38a73b6": ("cases_case", "violation_type_id"),
    "cases_casegoods_goods_category_id_c0888251": ("cases_casegoods", "goods_category_id"),
    "cases_casesubject_case_id_51c9ca0d": ("cases_casesubject", "case_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_casegoods_product"),
        ("directory", "0005_unit_location"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                )
                for name, (table, column) in DROPPED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="lead_agency",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="directory.agency",
                        verbose_name="Cơ quan phát hiện, chủ trì",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="directory.administrativeunit",
                        verbose_name="Xã, phường",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="violation_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="directory.violationtype",
                        verbose_name="Hành vi vi phạm chính",
                    ),
                ),
                migrations.AlterField(
                    model_name="casegoods",
                    name="goods_category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_goods",
                        to="directory.goodscategory",
                        verbose_name="Nhóm hàng",
                    ),
                ),
                migrations.AlterField(
                    model_name="casesubject",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subject_links",
                        to="cases.case",
                        verbose_name="Vụ việc",
                    ),
                ),
            ],
        ),
    ]
