"""Each indicator says what it includes; the standard form's revenue lines no longer count fines
twice (issue 11, item 2): "Tổng thu nộp ngân sách" (fines included) and, as a part of it,
"Thu khác … ngoài tiền phạt". Existing copies of the standard form are brought in line."""

from django.db import migrations, models

OLD_BUDGET_LABEL = "Thu khác nộp ngân sách nhà nước (truy thu thuế, bán hàng tịch thu…)"


def forwards(apps, schema_editor):
    from canhgiac.reporting.standard import INDICATOR_HELP, STANDARD_FORM_CODE, STANDARD_INDICATORS

    labels = {code: label for code, label, *_rest in STANDARD_INDICATORS}
    ReportForm = apps.get_model("reporting", "ReportForm")
    Indicator = apps.get_model("reporting", "Indicator")
    for form in ReportForm.objects.filter(code=STANDARD_FORM_CODE):
        indicators = {i.code: i for i in Indicator.objects.filter(form=form)}
        for code, ind in indicators.items():
            if not ind.help_text and code in INDICATOR_HELP:
                ind.help_text = INDICATOR_HELP[code]
            if code == "budget_revenue_vnd" and ind.label == OLD_BUDGET_LABEL:
                ind.label = labels[code]
            if code == "tips_resolved" and ind.parent_code == "tips_accepted":
                ind.parent_code = ""  # it counts tips accepted in earlier periods too
            ind.save()
        budget = indicators.get("budget_revenue_vnd")
        if budget is not None and "other_revenue_vnd" not in indicators:
            Indicator.objects.create(
                form=form,
                code="other_revenue_vnd",
                label=labels["other_revenue_vnd"],
                unit="vnd",
                parent_code="budget_revenue_vnd",
                required=False,
                order=budget.order,
                help_text=INDICATOR_HELP["other_revenue_vnd"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="help_text",
            field=models.CharField(blank=True, max_length=400, verbose_name="Chỉ tiêu gồm những gì"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
