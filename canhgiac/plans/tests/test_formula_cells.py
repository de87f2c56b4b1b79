"""Task texts typed as formulas reach the plan's XLSX as text."""

import datetime as dt
import io

from openpyxl import load_workbook


def test_the_plan_xlsx_writes_formula_texts_as_text(plan, coordinator_sct):
    from canhgiac.plans import exports

    task = plan.tasks.order_by("code").first()
    task.action = '=HYPERLINK("http://evil.example","x")'
    task.save(update_fields=["action"])
    wb = load_workbook(io.BytesIO(exports.plan_xlsx(coordinator_sct, plan, as_of=dt.date(2026, 3, 1))))
    row = next(r for r in wb["Tiến độ nhiệm vụ"].iter_rows(min_row=4) if r[1].value == task.code)
    assert row[2].data_type == "s" and row[2].value == "'" + task.action
    assert all(c.data_type == "n" for c in row[8:12])
