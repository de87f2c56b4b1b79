import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from canhgiac.plans import loader
from canhgiac.plans.models import Plan, Update

DATA = Path(loader.__file__).parent / "data" / "dak_lak_2030.yaml"


@pytest.fixture
def data():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def test_reimport_updates_and_never_duplicates(plan, capsys):
    before = (plan.tasks.count(), sum(t.checkpoints.count() for t in plan.tasks.all()))
    call_command("import-plan", str(DATA))
    assert "Đã cập nhật kế hoạch dak_lak_2030: 8 nhóm, 42 nhiệm vụ" in capsys.readouterr().out
    assert Plan.objects.filter(code="dak_lak_2030").count() == 1
    assert (plan.tasks.count(), sum(t.checkpoints.count() for t in plan.tasks.all())) == before


def test_a_new_province_plan_file_is_imported(data, tmp_path, db):
    data = copy.deepcopy(data)
    data["plan"]["code"] = "dak_lak_2030_copy"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = loader.import_file(path)
    assert (
        result.created
        and result.tasks == 42
        and result.needs_assignment == ["2.3", "6.3", "7.2", "7.3", "7.4", "7.5", "7.9"]
    )


def test_validation_lists_every_problem_with_its_place(data):
    bad = copy.deepcopy(data)
    bad["groups"][0]["tasks"][1]["lead"] = ["XYZ"]
    bad["groups"][0]["tasks"][2]["code"] = "9.9"
    bad["groups"][1]["tasks"][0]["schedule"] = {"kind": "weekly"}
    bad["plan"]["start"] = "hôm nay"
    with pytest.raises(loader.PlanFileError) as exc:
        loader.parse(bad)
    where = [w for w, _m in exc.value.errors]
    assert "groups[0] (nhóm 1).tasks[1] (nhiệm vụ 1.2).lead" in where
    assert "groups[0] (nhóm 1).tasks[2] (nhiệm vụ 9.9)" in where
    assert "groups[1] (nhóm 2).tasks[0] (nhiệm vụ 2.1).schedule" in where
    assert "plan.start" in where


def test_the_command_refuses_a_file_of_another_format(tmp_path, db):
    path = tmp_path / "x.yaml"
    path.write_text("format: canhgiac-plan/2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="canhgiac-plan/1"):
        call_command("import-plan", str(path))


def test_import_is_all_or_nothing(data, tmp_path, db):
    data = copy.deepcopy(data)
    data["plan"]["code"] = "all_or_nothing"
    data["plan"]["province"] = "ha_noi"  # not loaded here
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(loader.PlanFileError):
        loader.import_file(path)
    assert not Plan.objects.filter(code="all_or_nothing").exists()


def test_reimport_refuses_to_drop_a_task_with_progress(data, tmp_path, plan, task, agency, make_user, report):
    from canhgiac.core import policy

    officer = make_user("officer_syt", "SYT", policy.OFFICER)
    report(officer, task("1.2"), agency("SYT"), dt.date(2026, 2, 28), on=dt.date(2026, 2, 20))
    data = copy.deepcopy(data)
    del data["groups"][0]["tasks"][1]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(loader.PlanFileError, match="1.2"):
        loader.import_file(path)
    assert plan.tasks.filter(code="1.2").exists() and Update.objects.count() == 1


def test_reimport_keeps_the_lead_the_standing_office_assigned(plan, task, agency, coordinator_sct):
    from canhgiac.plans import services

    services.assign(
        coordinator_sct, task("2.3"), lead_agencies=[agency("CA")], responsible_person="Trưởng phòng"
    )
    result = loader.import_file(DATA)
    assert "2.3" not in result.needs_assignment
    t = task("2.3")
    assert list(t.lead_agencies.values_list("code", flat=True)) == ["CA"] and not t.needs_assignment
    assert t.responsible_person == "Trưởng phòng"
