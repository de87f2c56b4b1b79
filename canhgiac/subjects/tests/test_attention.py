"""The ranked list "cần chú ý": reasons in Vietnamese, filters, and only what the viewer may see
counted by name (other agencies' hidden records only as "another agency holds a record")."""

import datetime as dt

import pytest

from canhgiac.core.tests.conftest import lang_son, officer_qltt_lang_son  # noqa: F401  (two provinces)
from canhgiac.subjects.network import ranking, services

pytestmark = pytest.mark.django_db

ELECTRONICS = [
    {"goods_category": "electronics", "description": "Loa nhái", "quantity": "3", "value_vnd": 1_000}
]
FOOD = [
    {
        "goods_category": "food",
        "description": "Xúc xích không rõ nguồn gốc",
        "quantity": "30",
        "value_vnd": 1_000,
    }
]
BOSS = {"kind": "person", "name": "Hoàng Văn Trùm", "identifier": "066080000001", "role": "organiser"}


def helper(i, role="transporter"):
    return {"kind": "person", "name": f"Người giúp sức {i}", "role": role}


def by_name(entries):
    return {e.name: e for e in entries}


@pytest.fixture
def gang(make_case, units):
    """QLTT: the boss organises four cases in three communes (one of them of high-risk food), each
    with its own helpers; a one-off seller elsewhere."""
    for i, (unit, goods) in enumerate([(0, ELECTRONICS), (1, ELECTRONICS), (2, FOOD), (0, ELECTRONICS)]):
        make_case(
            "QLTT",
            unit_code=units[unit].code,
            detected_on=f"2026-0{i + 3}-10",
            goods=goods,
            subjects=[BOSS, helper(2 * i), helper(2 * i + 1, "seller")],
        )
    make_case(
        "QLTT", goods=ELECTRONICS, subjects=[{"kind": "person", "name": "Bán Lẻ Một Lần", "role": "seller"}]
    )


def test_the_organiser_of_repeated_cases_comes_first_with_each_reason(gang, officer_qltt):
    entries = services.attention(officer_qltt)
    first = entries[0]
    assert first.name == "Hoàng Văn Trùm"
    texts = [r.text for r in first.reasons]
    assert "Vai trò người tổ chức, cầm đầu trong 4 vụ" in texts
    assert "Vi phạm nhiều lần: 4 vụ trong kỳ" in texts
    assert "Vi phạm tại 3 xã, phường" in texts
    assert "Hàng hóa thuộc nhóm rủi ro cao trong 1 vụ" in texts
    assert any(r.code == "pagerank" for r in first.reasons)
    assert any(r.code == "betweenness" for r in first.reasons)  # the only link between the four groups
    assert first.score == pytest.approx(sum(r.points for r in first.reasons), abs=0.2)
    assert "Bán Lẻ Một Lần" not in by_name(entries)  # one case, no role of note: below the bar


def test_filters_by_commune_goods_and_period(gang, officer_qltt, units):
    assert "Hoàng Văn Trùm" in by_name(services.attention(officer_qltt, goods="food"))
    assert not services.attention(officer_qltt, goods="drugs")
    assert "Hoàng Văn Trùm" in by_name(services.attention(officer_qltt, unit_code=units[2].code))
    # In April alone the boss has one case: still an organiser, no longer a repeat offender.
    april = by_name(
        services.attention(officer_qltt, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30))
    )
    assert [r.code for r in april["Hoàng Văn Trùm"].reasons if r.code == "repeat"] == []


def test_cases_detected_by_several_agencies_count_across_agencies(make_case, officer_qltt, coordinator_sct):
    """A record of one agency in a case another agency leads (a joint case) counts both agencies."""
    from canhgiac.cases.models import CaseSubject

    case = make_case("QLTT", goods=ELECTRONICS, subjects=[BOSS])
    other = make_case("CA", goods=ELECTRONICS, subjects=[helper(1)])
    CaseSubject.objects.create(case=other, subject=case.subject_links.get().subject, role="organiser")
    entry = by_name(services.attention(coordinator_sct))["Hoàng Văn Trùm"]
    assert "Bị 2 cơ quan khác nhau phát hiện" in [r.text for r in entry.reasons]


def test_a_hidden_record_of_the_same_person_adds_only_which_agency_holds_it(gang, make_case, officer_qltt):
    make_case(
        "CA",
        sensitive=True,
        goods=ELECTRONICS,
        subjects=[{**BOSS, "name": "Hoàng Văn Trùm (tên thật bí mật)", "phone": "0909999999"}],
    )
    entries = services.attention(officer_qltt)
    boss = by_name(entries)["Hoàng Văn Trùm"]
    elsewhere = [r.text for r in boss.reasons if r.code == "elsewhere"]
    assert elsewhere and "CA" in elsewhere[0]
    assert all("bí mật" not in e.name for e in entries)
    # the hidden case counts nowhere: still four cases
    assert "Vi phạm nhiều lần: 4 vụ trong kỳ" in [r.text for r in boss.reasons]


def test_another_app_can_add_reasons_through_the_hook(gang, officer_qltt):
    def flagged_listings(user, records, date_from, date_to):
        return {
            key: [ranking.Reason("online", "Tài khoản trực tuyến có 2 tin đăng bị gắn cờ", 2)]
            for key in records
        }

    ranking.register_signal(flagged_listings)
    try:
        boss = by_name(services.attention(officer_qltt))["Hoàng Văn Trùm"]
    finally:
        ranking._signals.remove(flagged_listings)
    assert "Tài khoản trực tuyến có 2 tin đăng bị gắn cờ" in [r.text for r in boss.reasons]


def test_the_page_and_the_api_show_the_list_to_officers_only(
    gang, officer_qltt, viewer_syt, signed_in, client
):
    page = signed_in(officer_qltt).get("/subjects/attention/?date_from=01/01/2026&date_to=31/12/2026")
    assert page.status_code == 200 and "Hoàng Văn Trùm" in page.content.decode()
    data = client.get("/api/v1/subjects/attention").json()
    assert data["results"][0]["name"] == "Hoàng Văn Trùm"
    assert data["results"][0]["reasons"][0]["text"].startswith("Vai trò người tổ chức")
    bad = client.get("/api/v1/subjects/attention?date_from=2026-05-01&date_to=2026-01-01")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date_to"
    viewer = signed_in(viewer_syt)
    assert viewer.get("/subjects/attention/").status_code == 403
    assert viewer.get("/api/v1/subjects/attention").status_code == 403


def test_the_other_province_ranks_none_of_these_subjects(gang, officer_qltt_lang_son, signed_in):  # noqa: F811
    assert services.attention(officer_qltt_lang_son) == []
    body = signed_in(officer_qltt_lang_son).get("/subjects/attention/").content.decode()
    assert "Hoàng Văn Trùm" not in body


def test_the_online_hook_finds_the_accounts_a_subject_is_linked_to(gang, officer_qltt, officer_ca, agency):
    """What the online app's signal will call: `services.online_accounts(user, records)`, the
    normalised accounts of the records and of the account records related to them (as the viewer
    may see the relation)."""
    from canhgiac.subjects.models import Subject

    boss = Subject.objects.get(identifier=BOSS["identifier"], recorded_by_agency__code="QLTT")
    shop = Subject.objects.create(
        kind="online_account",
        name="Trùm Shop",
        platform="Facebook",
        handle="@Trum.Shop",
        recorded_by_agency=agency("QLTT"),
    )
    services.add_relation(
        officer_qltt,
        {
            "subject": boss.pk,
            "other": shop.pk,
            "kind": "ownership",
            "source": "document",
            "source_ref": "BB 7",
        },
    )
    assert services.online_accounts(officer_qltt, [boss.pk, shop.pk]) == {
        boss.pk: {"facebook:trum.shop"},
        shop.pk: {"facebook:trum.shop"},
    }
    assert services.online_accounts(officer_ca, [boss.pk]) == {}  # QLTT's own relation: not CA's

    def flagged_listings(user, records, date_from, date_to):
        flagged = {"facebook:trum.shop"}
        accounts = services.online_accounts(user, {r for rs in records.values() for r in rs})
        return {
            key: [ranking.Reason("online", "Liên kết với tài khoản trực tuyến có tin đăng bị gắn cờ", 2)]
            for key, rs in records.items()
            if any(accounts.get(r, set()) & flagged for r in rs)
        }

    ranking.register_signal(flagged_listings)
    try:
        entries = by_name(services.attention(officer_qltt))
    finally:
        ranking._signals.remove(flagged_listings)
    reason = "Liên kết với tài khoản trực tuyến có tin đăng bị gắn cờ"
    assert reason in [r.text for r in entries["Hoàng Văn Trùm"].reasons]
    assert not [
        e for e in entries.values() if e.name != "Hoàng Văn Trùm" and reason in [r.text for r in e.reasons]
    ]


@pytest.fixture
def flagged_shop(gang, agency):
    """A flagged listing of a Facebook shop "@Trum.Shop" (through the online app's services), and
    an unflagged one of another shop."""
    from canhgiac.online import services as online
    from canhgiac.online.models import Platform

    def listing(title, shop):
        return online.save_listing(
            None,
            {
                "agency": agency("QLTT"),
                "platform": Platform.objects.get(code="facebook"),
                "title": title,
                "description": "",
                "shop_name": shop,
                "url": "https://facebook.com/p/1",
            },
        )

    bad = listing("Giày Nike rep 1:1 hàng fake giá rẻ", "@Trum.Shop")
    good = listing("Bánh chưng nhà làm", "Bếp Mẹ Hai")
    assert bad.flagged and not good.flagged
    return bad, good


def test_the_online_reason_comes_from_the_online_apps_flagged_listings(
    flagged_shop,
    officer_qltt,
    officer_qltt_lang_son,  # noqa: F811
):
    """The online app links the shop to the boss's record: the boss gets the online reason, through
    online.services; nobody else does, and the other province sees none of it."""
    from canhgiac.online import services as online
    from canhgiac.subjects.models import Subject

    bad, good = flagged_shop
    boss = Subject.objects.get(identifier=BOSS["identifier"])
    helper_record = Subject.objects.filter(name="Người giúp sức 1").first()
    online.link_account(None, bad.account, subject=boss)
    online.link_account(None, good.account, subject=helper_record)
    entries = by_name(services.attention(officer_qltt))
    reason = "Liên kết với tài khoản trực tuyến có 1 tin đăng bị gắn cờ"
    assert reason in [r.text for r in entries["Hoàng Văn Trùm"].reasons]
    assert not [
        e for e in entries.values() if e.name != "Hoàng Văn Trùm" and "online" in [r.code for r in e.reasons]
    ]
    # a period that ends before the listing was entered (today) gives no such reason
    old = by_name(
        services.attention(officer_qltt, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 11, 30))
    )
    assert reason not in [r.text for r in old["Hoàng Văn Trùm"].reasons]
    assert services.attention(officer_qltt_lang_son) == []


def test_the_online_reason_follows_an_account_record_the_subject_owns(flagged_shop, officer_qltt, agency):
    """No link made in the online app: the boss owns an account record "Facebook @Trum.Shop" (a
    relation the viewer may see), and the flagged listing's shop is that account."""
    from canhgiac.subjects.models import Subject

    boss = Subject.objects.get(identifier=BOSS["identifier"])
    shop = Subject.objects.create(
        kind="online_account",
        name="Trùm Shop",
        platform="Facebook",
        handle="@Trum.Shop",
        recorded_by_agency=agency("QLTT"),
    )
    before = by_name(services.attention(officer_qltt))["Hoàng Văn Trùm"]
    assert "online" not in [r.code for r in before.reasons]
    services.add_relation(
        officer_qltt,
        {
            "subject": boss.pk,
            "other": shop.pk,
            "kind": "ownership",
            "source": "document",
            "source_ref": "BB 7",
        },
    )
    boss_entry = by_name(services.attention(officer_qltt))["Hoàng Văn Trùm"]
    assert "Liên kết với tài khoản trực tuyến có 1 tin đăng bị gắn cờ" in [r.text for r in boss_entry.reasons]
    assert boss_entry.score == pytest.approx(before.score + 2)


def _as_shown(entries):
    return [
        (e.key, e.record_id, e.name, e.score, [(r.code, r.text, r.points) for r in e.reasons])
        for e in entries
    ]


def test_centrality_is_kept_for_the_network_it_was_computed_on_and_a_new_link_computes_it_again(
    gang, make_case, officer_qltt, monkeypatch
):
    ranking._central_cache.clear()
    computed = []
    fresh_centrality = ranking._centrality
    monkeypatch.setattr(ranking, "_centrality", lambda *args: computed.append(1) or fresh_centrality(*args))
    fresh = _as_shown(services.attention(officer_qltt))
    assert any(r[0] in ("pagerank", "betweenness") for e in fresh for r in e[4])
    assert _as_shown(services.attention(officer_qltt)) == fresh  # the cached flags give the same list
    assert len(computed) == 1
    # A new case links the boss to a newcomer: another network, computed afresh, and the list is the
    # one a process that never saw the old network gives.
    make_case("QLTT", detected_on="2026-07-10", subjects=[BOSS, helper(99, "seller")])
    after = _as_shown(services.attention(officer_qltt))
    assert len(computed) == 2
    ranking._central_cache.clear()
    assert _as_shown(services.attention(officer_qltt)) == after
    assert len(computed) == 3
