"""The case form ignores blank goods and subject rows and sums its errors up at the top."""

import pytest

from canhgiac.cases.models import Case
from canhgiac.cases.tests.test_views import _form

pytestmark = pytest.mark.django_db


def _without_subject(units, agency, **extra):
    from canhgiac.directory.models import ViolationType

    data = _form(
        units,
        lead_agency=agency("QLTT").pk,
        violation_type=ViolationType.objects.get(code="unknown_origin").pk,
        **extra,
    )
    # The subject row as a phone shows it: its selects keep their first choice, its texts are empty.
    data.update(
        {
            "subjects-0-name": "",
            "subjects-0-identifier": "",
            "subjects-0-kind": "person",
            "subjects-0-role": "seller",
            # The second goods row: a category picked, nothing typed.
            "goods-1-goods_category": "milk",
            "goods-1-disposition": "",
        }
    )
    return data


def test_a_case_without_a_subject_is_saved_and_blank_rows_are_ignored(units, signed_in, officer_qltt, agency):
    response = signed_in(officer_qltt).post("/cases/new/", _without_subject(units, agency))
    assert response.status_code == 302, response.context["subjects_fs"].errors
    case = Case.objects.get()
    assert case.subject_links.count() == 0 and case.goods.count() == 1


def test_a_half_filled_row_is_still_checked_and_the_summary_links_the_field(
    units, signed_in, officer_qltt, agency
):
    data = {**_without_subject(units, agency), "subjects-0-identifier": "066199000123"}
    response = signed_in(officer_qltt).post("/cases/new/", data)
    assert response.status_code == 200 and Case.objects.count() == 0
    html = response.content.decode()
    summary = html.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_subjects-0-name"' in summary and "Dòng 1" in summary
    assert html.index('data-testid="error-summary"') < html.index('name="lead_agency"')
    assert "canhgiac/errors.js" in html
