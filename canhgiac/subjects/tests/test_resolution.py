"""Entity resolution on constructed Vietnamese cases: exact identifiers, the probabilistic model,
review decisions respected by the next run, stable ids, merges and splits audited and reversible,
incremental matching, the cluster export."""

import csv
import io

import pytest
from django.core.management import call_command

from canhgiac.audit.models import AuditEvent
from canhgiac.subjects import services, synthetic
from canhgiac.subjects.models import MatchModel, MatchPair, ReviewDecision, Subject
from canhgiac.subjects.resolution import features, run
from canhgiac.subjects.resolution import model as er

pytestmark = pytest.mark.django_db

# Training takes most of a run: the first test trains, the others reuse the same model (stored in
# their own database as a resolve-subjects run would find it).
_TRAINED: dict = {}


def _units():
    from canhgiac.directory.models import AdministrativeUnit

    return list(
        AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", flat=True)[:30]
    )


@pytest.fixture
def population(import_rows):
    """A small four-agency population from the generator (enough pairs for EM to learn from),
    imported through the import door without matching, then one full run."""
    rows = synthetic.records(synthetic.people(500, _units(), seed=7), seed=7)
    for agency in synthetic.AGENCIES:
        mine = [r for r in rows if r["agency"] == agency]
        assert import_rows(agency, mine, match=False).ok
    if _TRAINED:
        MatchModel.objects.create(settings=_TRAINED["settings"])
    services.resolve()
    _TRAINED.setdefault("settings", MatchModel.objects.get().settings)
    return rows


def _entity(agency, ref):
    return Subject.objects.get(recorded_by_agency__code=agency, source_ref=ref).entity_id


def _pid(agency, ref):
    return Subject.objects.get(recorded_by_agency__code=agency, source_ref=ref).pk


def test_a_shared_citizen_id_joins_records_of_two_agencies_before_any_model(import_rows):
    import_rows(
        "QLTT",
        [{"source_ref": "Q1", "kind": "person", "name": "Nguyễn Thị Hoa", "id_number": "066190000555"}],
    )
    import_rows(
        "CA",
        [{"source_ref": "C1", "kind": "person", "name": "NGUYEN THI HOA", "id_number": "066 190 000 555"}],
    )
    assert not MatchModel.objects.exists()
    assert _entity("QLTT", "Q1") == _entity("CA", "C1") is not None
    pair = MatchPair.objects.get()
    assert pair.status == "auto" and pair.reasons == [["id:cccd", None]]


def test_a_branch_is_not_its_head_office(import_rows):
    import_rows(
        "THUE",
        [
            {
                "source_ref": "T1",
                "kind": "organization",
                "name": "Công ty TNHH Hoàng Long",
                "tax_code": "0100233488",
            }
        ],
    )
    import_rows(
        "QLTT",
        [
            {
                "source_ref": "Q1",
                "kind": "organization",
                "name": "Chi nhánh Cty TNHH Hoàng Long",
                "tax_code": "0100233488-001",
            }
        ],
    )
    assert _entity("THUE", "T1") != _entity("QLTT", "Q1")


def test_the_model_is_trained_and_stored_in_the_database(import_rows):
    rows = synthetic.records(synthetic.people(300, _units(), seed=8), seed=8)
    for agency in synthetic.AGENCIES:
        assert import_rows(agency, [r for r in rows if r["agency"] == agency], match=False).ok
    services.resolve()
    model = MatchModel.objects.get()
    assert set(model.settings) == {"person", "other"}
    assert model.settings["person"]["comparisons"][0]["output_column_name"] == "name"
    assert 0 < model.review_threshold < model.auto_threshold < 1


def test_the_model_finds_pairs_no_identifier_joins_with_high_precision(population):
    truth = {(r["agency"], r["source_ref"]): r["true_id"] for r in population}
    found = {
        (a, ref): e
        for a, ref, e in Subject.objects.values_list("recorded_by_agency__code", "source_ref", "entity_id")
    }
    exact_groups = run.cluster(
        list(Subject.objects.values_list("pk", flat=True)), [], [], run.exact_pairs(), []
    )
    key = dict(
        (pk, (a, ref))
        for pk, a, ref in Subject.objects.values_list("pk", "recorded_by_agency__code", "source_ref")
    )
    exact = synthetic.pairwise(truth, {key[i]: n for n, g in enumerate(exact_groups) for i in g})
    model = synthetic.pairwise(truth, found)
    assert model["precision"] >= 0.97
    assert model["recall"] > exact["recall"] + 0.3


def test_pairs_are_explained_in_vietnamese(population):
    pair = MatchPair.objects.filter(status="auto", probability__lt=1).first()
    codes = [code for code, _w in pair.reasons]
    assert codes and all(er.reason_text(code) != code for code in codes)
    assert er.reason_text("phone_exact") == "cùng số điện thoại"
    assert er.reason_text("birth_exact") == "cùng ngày sinh"
    assert er.reason_text("name_near") == "tên gần giống"
    assert er.reason_text("id:cccd") == "cùng số CCCD"


def test_the_python_scorer_agrees_with_splink(population):
    """Incremental matching scores in Python what the full run scored with splink."""
    model = MatchModel.objects.get()
    pairs = list(MatchPair.objects.exclude(probability=1.0).values_list("left_id", "right_id", "probability"))
    rows = features.rows_for({i for a, b, _p in pairs for i in (a, b)})
    scorer = {g: er.Scorer(t) for g, t in model.settings.items()}
    mismatched = [
        (a, b)
        for a, b, p in pairs
        if abs(scorer[er.group_of(rows[a]["kind"])].score(rows[a], rows[b])[0] - p) > 1e-6
    ]
    assert pairs and not mismatched


def test_the_full_run_names_the_same_levels_as_the_python_scorer(population):
    """The reasons of a pair (which level of each comparison) are the scorer's, level for level,
    even where two levels weigh the same."""
    model = MatchModel.objects.get()
    pairs = list(MatchPair.objects.exclude(probability=1.0).values_list("left_id", "right_id", "reasons"))
    rows = features.rows_for({i for a, b, _r in pairs for i in (a, b)})
    scorer = {g: er.Scorer(t) for g, t in model.settings.items()}
    mismatched = [
        (a, b, reasons)
        for a, b, reasons in pairs
        # the namesake guard's note is no comparison level (see test_the_namesake_guard_…)
        if sorted(code for code, _w in reasons if code != er.NAMESAKE)
        != sorted(code for code, _w in scorer[er.group_of(rows[a]["kind"])].score(rows[a], rows[b])[2])
    ]
    assert pairs and not mismatched[:5]


def test_reasons_read_from_the_levels_are_those_read_from_the_bayes_factors(population):
    """The full run reads each pair's levels from splink's comparison vector (gamma_…), column by
    column; the slower reading from the Bayes factors (and the Python twin where a factor is
    ambiguous) names the same levels with the same weights."""

    trained = MatchModel.objects.get().settings["person"]
    rows = [r for r in features.all_rows() if r["kind"] == "person"]
    by_id = {r["unique_id"]: r for r in rows}
    frame = er.frame(rows)
    predicted = run.predict(frame, trained, 0.6)
    assert len(predicted) and "gamma_name" in predicted.columns
    fast = run._explained(predicted, trained, by_id)
    slow = run._explained(
        predicted.drop(columns=[c for c in predicted.columns if c.startswith("gamma_")]), trained, by_id
    )
    assert fast == slow


def test_a_name_or_a_house_borne_by_many_records_makes_no_block_of_its_own(monkeypatch):
    """Blocks that would grow with the square of the register: an organisation name or a house
    borne by more than BLOCK_MAX records is no block alone (the house still blocks with the
    commune); a person's family name is a blocking column of its own."""
    import pandas as pd

    monkeypatch.setattr(er, "BLOCK_MAX", 2)

    def row(i, kind, name, address, unit="7"):
        return {"unique_id": i, "kind": kind, "name": name, "address": address, "unit": unit, "org": None}

    rows = [
        *(dict(row(i, "organisation", "hoang long", f"{i} le duan"), org="organisation") for i in (1, 2, 3)),
        *(dict(row(i, "organisation", "minh phat", "9 ngo quyen"), org="organisation") for i in (4, 5)),
        row(6, "person", "nguyen thi lan", "12 le duan"),
        row(7, "person", "tran van hung", "12 le duan", unit="8"),
        row(8, "person", "le hoa", "12 le duan", unit="9"),
        row(9, "person", None, None),
    ]
    frame = er.frame(rows).set_index("unique_id")
    assert frame.loc[[1, 2, 3], "org_name"].isna().all()
    assert list(frame.loc[[4, 5], "org_name"]) == ["minh phat", "minh phat"]
    assert frame.loc[[6, 7, 8, 9], "org_name"].isna().all()
    assert list(frame.loc[[4, 5], "house"]) == ["9 ngo quyen", "9 ngo quyen"]
    assert (
        frame.loc[[6, 7, 8], "house"].isna().all() and list(frame.loc[6:8, "address"]) == ["12 le duan"] * 3
    )
    assert list(frame.loc[[6, 7], "family"]) == ["nguyen", "tran"] and pd.isna(frame.loc[9, "family"])
    assert frame.loc[[1, 4], "family"].isna().all()
    assert {"family", "org_name", "house"} <= {
        c
        for rule in er.prediction_rules()
        for c in rule.get_blocking_rule("duckdb").blocking_rule_sql.split('"')
    }


def test_the_organisation_model_learns_from_the_name(population):
    """Organisations have no birth date: a training session blocked on the birth year found no
    pair and splink dropped the name from the model it went on training (no evidence from names)."""
    trained = MatchModel.objects.get().settings["other"]
    comparisons = {c["output_column_name"]: c for c in trained["comparisons"]}
    assert {"name", "doc", "phone", "address"} <= set(comparisons)
    levels = {lvl["label_for_charts"]: lvl for lvl in comparisons["name"]["comparison_levels"]}
    exact = levels["name_exact_org"]
    assert exact["m_probability"] / exact["u_probability"] > 10
    doc = {lvl["label_for_charts"]: lvl for lvl in comparisons["doc"]["comparison_levels"]}["doc_exact"]
    assert doc["m_probability"] > 0.5  # a shared tax code is evidence, not the floor


def test_levels_with_equal_bayes_factors_are_told_apart():
    """Two levels of a comparison with the same m/u (e.g. both at the floors, or m = u like the null
    level) used to be read back from the factor alone, so one was reported as the other."""
    import datetime as dt

    import pandas as pd

    def lvl(code, m, u, null=False):
        return {"label_for_charts": code, "m_probability": m, "u_probability": u, "is_null_level": null}

    trained = {
        "comparisons": [
            {
                "output_column_name": "birth",
                "comparison_levels": [
                    lvl("null", None, None, null=True),
                    lvl("birth_exact", 0.5, 0.5),
                    lvl("birth_year", 0.5, 0.5),
                    lvl("birth_diff", 0.1, 0.9),
                ],
            }
        ]
    }
    day = dt.date(1985, 3, 7)
    births = {1: day, 2: day, 3: dt.date(1985, 1, 1), 4: day, 5: dt.date(1990, 1, 1), 6: day, 7: None, 8: day}
    by_id = {
        i: {"name": None, "doc_scheme": None, "birth_date": b, "birth_year": b.year if b else None}
        for i, b in births.items()
    }
    predicted = pd.DataFrame(
        {
            "unique_id_l": [1, 3, 5, 7],
            "unique_id_r": [2, 4, 6, 8],
            "match_probability": [0.5, 0.5, 0.5, 0.5],
            "match_weight": [0.0, 0.0, 0.0, 0.0],
            "bf_birth": [1.0, 1.0, 0.1 / 0.9, 1.0],
        }
    )
    got = [[code for code, _w in r[4]] for r in run._explained(predicted, trained, by_id)]
    assert got == [["birth_exact"], ["birth_year"], ["birth_diff"], []]


def test_cluster_ids_stay_stable_across_runs(population):
    before = dict(Subject.objects.values_list("pk", "entity_id"))
    counts = services.resolve()
    assert dict(Subject.objects.values_list("pk", "entity_id")) == before
    assert counts["records_moved"] == 0 and counts["entities_new"] == 0


def test_a_no_splits_at_once_is_audited_respected_by_the_next_run_and_reversible(population, make_user):
    reviewer = make_user("reviewer", "QLTT", "coordinator")
    pair = MatchPair.objects.filter(status="auto", probability__lt=1).first()
    left, right = Subject.objects.get(pk=pair.left_id), Subject.objects.get(pk=pair.right_id)
    assert left.entity_id == right.entity_id
    services.decide(reviewer, left.pk, right.pk, "no")
    left.refresh_from_db()
    right.refresh_from_db()
    assert left.entity_id != right.entity_id
    assert AuditEvent.objects.filter(action="subjects.subject.entity_changed").exists()
    assert AuditEvent.objects.filter(action="subjects.reviewdecision.create").exists()
    services.resolve()
    left.refresh_from_db()
    right.refresh_from_db()
    assert left.entity_id != right.entity_id
    services.decide(reviewer, left.pk, right.pk, "yes")
    left.refresh_from_db()
    right.refresh_from_db()
    assert left.entity_id == right.entity_id


def test_a_yes_in_the_review_queue_joins_and_the_next_run_keeps_it(population, make_user):
    reviewer = make_user("reviewer", "QLTT", "coordinator")
    pair = MatchPair.objects.filter(status="review").first()
    assert pair is not None
    assert pair in services.review_queue(reviewer)
    services.decide(reviewer, pair.left_id, pair.right_id, "yes")
    a, b = Subject.objects.get(pk=pair.left_id), Subject.objects.get(pk=pair.right_id)
    assert a.entity_id == b.entity_id
    assert pair not in services.review_queue(reviewer)
    services.resolve()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.entity_id == b.entity_id


def test_unsure_leaves_the_queue_and_keeps_the_records_apart(population, make_user):
    reviewer = make_user("reviewer", "QLTT", "coordinator")
    pair = MatchPair.objects.filter(status="review").first()
    services.decide(reviewer, pair.left_id, pair.right_id, "unsure")
    services.resolve()
    assert not MatchPair.objects.filter(
        left_id=pair.left_id, right_id=pair.right_id, status="review"
    ).exists()
    assert ReviewDecision.objects.get().decision == "unsure"
    assert Subject.objects.get(pk=pair.left_id).entity_id != Subject.objects.get(pk=pair.right_id).entity_id


def test_a_new_record_is_matched_at_once_without_a_full_run(population, import_rows):
    known = next(r for r in population if r["kind"] == "person" and r["id_number"] and r["birth_date"])
    entity = _entity(known["agency"], known["source_ref"])
    runs = AuditEvent.objects.filter(action="subjects.resolution_run").count()
    other = next(a for a in synthetic.AGENCIES if a != known["agency"])
    result = import_rows(
        other,
        [
            {
                "source_ref": "NEW-1",
                "kind": "person",
                "name": synthetic._strip(known["name"]).upper(),
                "birth_date": known["birth_date"],
                "phone": known["phone"],
                "address": known["address"],
                "unit_code": known["unit_code"],
            }
        ],
    )
    assert result.matched["records"] == 1
    assert _entity(other, "NEW-1") == entity
    assert AuditEvent.objects.filter(action="subjects.resolution_run").count() == runs


def test_export_clusters_writes_the_exact_header_and_keeps_review_pairs_apart(population, tmp_path):
    out = tmp_path / "clusters.csv"
    call_command("export-clusters", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "source_ref,agency_code,cluster_id"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == Subject.objects.count()
    cluster = {(r["agency_code"], r["source_ref"]): r["cluster_id"] for r in rows}
    pair = (
        MatchPair.objects.filter(status="review")
        .select_related("left__recorded_by_agency", "right__recorded_by_agency")
        .first()
    )
    left = (pair.left.recorded_by_agency.code, pair.left.source_ref)
    right = (pair.right.recorded_by_agency.code, pair.right.source_ref)
    assert cluster[left] != cluster[right]


def test_resolve_subjects_prints_counts_and_time(population, capsys):
    call_command("resolve-subjects")
    out = capsys.readouterr().out
    assert "records: " in out and "entities: " in out and "time: " in out


@pytest.mark.skipif(
    __import__("importlib").util.find_spec("pyspark") is None, reason="pyspark is not installed"
)
def test_the_spark_backend_resolves_the_same_data(population, monkeypatch):
    """The population was resolved on DuckDB; Spark, with the same saved model, scores the pairs
    in its own SQL (splink's Scala Jaro-Winkler) and must find the same entities."""
    before = dict(Subject.objects.values_list("pk", "entity_id"))
    monkeypatch.setenv("CANHGIAC_ER_BACKEND", "spark")
    counts = services.resolve()
    assert counts["records"] == Subject.objects.count() and counts["model_pairs"] > 0
    assert dict(Subject.objects.values_list("pk", "entity_id")) == before


def _row(pk, name, kind="person", **values):
    """A feature row as features.rows_for builds it, from a name and field values."""
    from canhgiac.subjects.models import matching_keys

    keys = matching_keys({"kind": kind, "name": name, **values})
    return features._row(
        (
            pk,
            kind,
            keys["name_key"],
            keys["block_key"],
            keys["initials"],
            values.get("birth_date"),
            keys["birth_year"],
            keys["address_key"],
            values.get("unit"),
        ),
        {},
    )


def test_an_organisation_named_with_a_mistyped_form_or_without_its_trade_words_is_the_same_name():
    def level(a, b):
        return er.levels(_row(1, a, "organisation"), _row(2, b, "organisation"))["name"]

    assert level("Cty TNHH Thương mại Phú Quý 389", "CTY PHÚ QUÝ 389") == "name_exact_org"
    assert level("Công ty C phần Nam Việt", "CTCP TM DV Nam Việt") == "name_tail_org"
    assert level("h kinh doanh Lâm Thanh Khánh", "HKD Lâm Thanh Khánh") == "name_tail_org"
    # a branch ends with its head office's name and is not it
    assert level("Chi nhánh Cty TNHH Kim Ngân", "Cty TNHH Kim Ngân") not in (
        "name_exact_org",
        "name_tail_org",
    )
    # one word is no name of a company
    assert level("Cty TNHH Tân Phát Kim", "Cty Kim") == "name_diff"


def test_two_middle_names_that_differ_are_not_the_same_name():
    def level(a, b):
        return er.levels(_row(1, a), _row(2, b))["name"]

    assert level("Nguyễn Thị Lan", "Nguyễn T. Lan") == "name_skeleton"
    assert level("Nguyễn Thị Lan", "Nguyễn Lan") == "name_skeleton"
    assert level("Nguyễn Thanh Mai", "Nguyễn Thùy Mai") != "name_skeleton"
    # an initial that is not the other's middle name: two people, however alike the rest
    assert level("Võ C. Nam", "Võ Ngọc Nam") == "name_diff"
    assert level("Võ Ngọc Nam", "Võ Ngọc Nma") == "name_near"


def test_the_namesake_guard_keeps_name_and_commune_alone_for_review_when_someone_else_bears_the_name(
    population, import_rows
):
    """A pair agreeing only on the name and the commune joins automatically when no one else of the
    commune bears that name, and waits for review (with the reason said) when someone does: the
    generator's namesakes in one commune look exactly like that. The same in the full run and in
    incremental matching."""
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(parent__codename="dak_lak").exclude(
        code__in={r["unit_code"] for r in population}
    )[0]
    assert er.namesake_prone("person", [["name_exact", 10.0], ["address_unit", 6.0]])
    assert not er.namesake_prone("person", [["name_exact", 10.0], ["birth_year", 5.0]])
    assert not er.namesake_prone("organisation", [["name_exact_org", 10.0], ["address_unit", 6.0]])

    def person(ref, name, **more):
        return {"source_ref": ref, "kind": "person", "name": name, "unit_code": unit.code, **more}

    # alone in the commune: joined at once (incremental)
    import_rows("QLTT", [person("NS-1", "Lò Văn Xuyến")])
    import_rows("CA", [person("NS-2", "LO VAN XUYEN")])
    pair = MatchPair.objects.get(left_id=_pid("QLTT", "NS-1"), right_id=_pid("CA", "NS-2"))
    assert pair.status == "auto" and er.NAMESAKE not in [c for c, _w in pair.reasons]
    assert _entity("QLTT", "NS-1") == _entity("CA", "NS-2")
    # two Lò Thị Mến of one commune, born years apart: a record with the name alone is either
    import_rows("QLTT", [person("NS-3", "Lò Thị Mến", birth_date="1980")])
    import_rows("HQ", [person("NS-4", "Lò Thị Mến", birth_date="1983")])
    import_rows("CA", [person("NS-5", "LÒ THỊ MẾN")])
    services.resolve()
    a, b, c = _pid("QLTT", "NS-3"), _pid("HQ", "NS-4"), _pid("CA", "NS-5")
    for left, right in ((a, c), (b, c)):
        pair = MatchPair.objects.get(left_id=min(left, right), right_id=max(left, right))
        assert pair.status == "review"
        assert er.NAMESAKE in [code for code, _w in pair.reasons]
    assert len({_entity("QLTT", "NS-3"), _entity("HQ", "NS-4"), _entity("CA", "NS-5")}) == 3
    # the full run keeps the lone pair joined
    assert _entity("QLTT", "NS-1") == _entity("CA", "NS-2")
    assert er.reason_text(er.NAMESAKE) != er.NAMESAKE
