"""The entity page and the review queue in a real browser, phone and desktop (`make test-browser`)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("CANHGIAC_SCREENSHOTS", "var/screenshots"))


def test_a_coordinator_reads_an_entity_and_answers_the_review_queue(live_server, page, transactional_db):
    from canhgiac.accounts import services as accounts
    from canhgiac.directory.models import Agency
    from canhgiac.subjects import imports
    from canhgiac.subjects.models import MatchPair, Subject

    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    accounts.create_user(
        "coordinator", PASSWORD, memberships=[(Agency.objects.get(code="SCT"), "coordinator")]
    )
    header = "source_ref,kind,name,birth_date,id_number,tax_code,phone,address,unit_code\n"
    imports.import_subjects(
        (header + "Q-1,person,H'Hen Niê,07/03/1985,066190000555,,0912 345 678,12 Y Jut,\n").encode(),
        "q.csv",
        agency=Agency.objects.get(code="QLTT"),
    )
    imports.import_subjects(
        (
            header
            + "C-1,person,H' HEN NIE,1985,066190000555,,+84912345678,,\nC-2,person,Hhen Nie,1985,,,,,\n"
        ).encode(),
        "c.csv",
        agency=Agency.objects.get(code="CA"),
    )
    first, lone = Subject.objects.get(source_ref="Q-1"), Subject.objects.get(source_ref="C-2")
    a, b = sorted((first.pk, lone.pk))
    MatchPair.objects.create(
        left_id=a,
        right_id=b,
        status="review",
        probability=0.82,
        reasons=[["name_exact", 10.1], ["birth_year", 4.9]],
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/?next=/subjects/entities/{first.entity_id}/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the sign-in form, not the portal menu\'s search
    page.wait_for_url(f"**/subjects/entities/{first.entity_id}/")
    assert page.get_by_text("cùng số CCCD").is_visible()
    page.screenshot(path=str(SHOTS / "subjects-entity-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / "subjects-entity-1280.png"), full_page=True)
    page.goto(f"{live_server.url}/subjects/review/")
    page.screenshot(path=str(SHOTS / "subjects-review-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(SHOTS / "subjects-review-360.png"), full_page=True)
    page.get_by_role("button", name="Cùng một đối tượng").click()
    page.wait_for_url("**/subjects/review/")
    assert Subject.objects.get(pk=lone.pk).entity_id == Subject.objects.get(pk=first.pk).entity_id
