"""The agency a form's reports are sent to (issue 15, item 6): seed 004's 7.11 review goes from each
sector to SVHTTDL, the 7.3 review to the Standing Office. The recipient's users see and receive
those submissions; a province may name another recipient (or none); both provinces."""

import datetime as dt

import pytest

from canhgiac.core import policy
from canhgiac.core.models import Notification
from canhgiac.core.policy import visible_to
from canhgiac.core.tests.conftest import coordinator_lang_son, lang_son, ls  # noqa: F401
from canhgiac.reporting import services
from canhgiac.reporting.models import Period, Submission
from canhgiac.reporting.tests.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms():
    qc, cl = services.load_online_review_forms()
    return {"7.3": qc, "7.11": cl}


def _period(form, submitters, province=None, **kw):
    today = services.today()
    return services.create_period(
        None,
        kind=Period.Kind.MONTHLY,
        name=kw.pop("name", "Rà soát tháng"),
        data_from=today - dt.timedelta(days=20),
        data_to=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=5),
        office_deadline=today + dt.timedelta(days=8),
        submitters=submitters,
        form=form,
        province=province,
        **kw,
    )


def test_the_monthly_quality_review_goes_to_svhttdl_whose_users_see_and_receive_it(
    forms, agency, make_user, no_figures
):
    svhttdl = agency("SVHTTDL")
    period = _period(forms["7.11"], [agency("QLTT"), agency("SYT")])
    assert period.recipient == svhttdl and period.recipient_name == svhttdl.name
    officer = make_user("o_qltt", "QLTT", policy.OFFICER)
    leader = make_user("l_qltt", "QLTT", policy.LEADER)
    receiver = make_user("o_vh", "SVHTTDL", policy.OFFICER)
    receiver_leader = make_user("l_vh", "SVHTTDL", policy.LEADER)
    outsider = make_user("o_ca", "CA", policy.OFFICER)
    sub = services.open_submission(officer, period, agency("QLTT"))
    fill(officer, sub, narrative={"findings": "Đã rà soát 40 tin đăng.", "handling": "Cảnh báo 2 người bán."})
    services.submit(officer, sub)
    services.approve(leader, sub)
    # SVHTTDL sees the period, the board's every row and the submission; CA (neither) does not
    assert period in visible_to(receiver, Period.objects.all())
    assert sub in visible_to(receiver, Submission.objects.all())
    assert policy.can(receiver, "view", sub) and policy.can(receiver, "reporting.receive", period=period)
    assert not policy.can(outsider, "view", sub)
    assert sub not in visible_to(outsider, Submission.objects.all())
    # and is told, officers and leaders alike, once
    for user in (receiver, receiver_leader):
        notes = Notification.objects.filter(user=user, kind="reporting.received")
        assert notes.count() == 1 and svhttdl.name in notes.get().title
    assert not Notification.objects.filter(user=outsider).exists()
    # SVHTTDL's officer accepts the report sent to it
    assert policy.can(receiver, "review", sub)
    services.accept(receiver, sub)
    assert sub.status == Submission.Status.ACCEPTED


def test_the_quarterly_advertising_review_goes_to_the_standing_office(forms, agency, make_user, client):
    period = _period(forms["7.3"], [agency("QLTT")])
    assert period.recipient is None and str(period.recipient_name) == "Cơ quan Thường trực"
    receiver = make_user("o_vh", "SVHTTDL", policy.OFFICER)
    sub = services.open_submission(make_user("o_qltt", "QLTT", policy.OFFICER), period, agency("QLTT"))
    assert period not in visible_to(receiver, Period.objects.all())
    assert not policy.can(receiver, "view", sub)
    # the default submitters of a 7.11 period leave out the recipient
    default = _period(forms["7.11"], None, name="Mặc định")
    assert agency("SVHTTDL") not in default.submitters.all() and agency("QLTT") in default.submitters.all()


def test_lang_son_receives_in_its_own_svhttdl_and_may_name_no_recipient(
    forms,
    agency,
    ls,  # noqa: F811
    lang_son,  # noqa: F811
    make_user,
    settings,
    no_figures,
):
    period = _period(forms["7.11"], [ls("QLTT")], province=lang_son)
    assert period.recipient == ls("SVHTTDL")
    dl_receiver = make_user("o_vh", "SVHTTDL", policy.OFFICER)  # Đắk Lắk's SVHTTDL
    ls_receiver = make_user("o_vh_ls", f"{lang_son.code}:SVHTTDL", policy.OFFICER)
    sub = services.open_submission(
        make_user("o_q_ls", f"{lang_son.code}:QLTT", policy.OFFICER), period, ls("QLTT")
    )
    assert policy.can(ls_receiver, "view", sub)
    assert not policy.can(dl_receiver, "view", sub) and sub not in visible_to(
        dl_receiver, Submission.objects.all()
    )
    # a province without a 7.11 recipient of its own: its reports go to its Standing Office
    settings.CANHGIAC_REPORT_RECIPIENTS = {"lang_son": {"online_cl_thang": ""}}
    other = _period(forms["7.11"], [ls("QLTT")], province=lang_son, name="Không có nơi nhận riêng")
    assert other.recipient is None
    # an agency code the province does not have is a clear error naming the field
    settings.CANHGIAC_REPORT_RECIPIENTS = {"lang_son": {"online_cl_thang": "BQLKKT"}}
    with pytest.raises(services.ReportingError) as exc:
        _period(forms["7.11"], [ls("QLTT")], province=lang_son, name="Sai")
    assert exc.value.errors[0]["field"] == "recipient" and "BQLKKT" in exc.value.errors[0]["message"]
    # nor may a period be sent to another province's agency
    with pytest.raises(services.ReportingError):
        _period(forms["7.11"], [ls("QLTT")], province=lang_son, name="Sai 2", recipient=agency("SVHTTDL"))


def test_a_coordinator_picks_the_recipient_on_the_period_page(forms, agency, client, coordinator_sct):
    client.force_login(coordinator_sct)
    page = client.get("/reporting/periods/new/").content.decode()
    assert "Cơ quan nhận báo cáo" in page
    base = {
        "kind": "monthly",
        "year": 2026,
        "number": 5,
        "cutoff": "calendar",
        "expiry_days": 10,
        "report_form": "online_cl_thang",
        "agencies": [agency("QLTT").pk],
    }
    assert client.post("/reporting/periods/new/", base).status_code == 302
    period = Period.objects.get()
    assert period.recipient == agency("SVHTTDL")
    page = client.get(f"/reporting/periods/{period.pk}/").content.decode()
    assert agency("SVHTTDL").name in page
    # another recipient chosen by the coordinator
    response = client.post("/reporting/periods/new/", {**base, "number": 6, "recipient": agency("SYT").pk})
    assert response.status_code == 302
    assert Period.objects.get(data_from=dt.date(2026, 6, 1)).recipient == agency("SYT")
