"""Resolution: the full run (splink over every record), the incremental match of new records, and
the local re-clustering a review decision triggers. All write in the caller's transaction or their
own, with their audit events.

Order of evidence, strongest first: a reviewer's "yes"; a shared strong identifier (citizen ID, old
ID card, passport, tax code, business registration number, plate, online account); a model
probability at or above the upper threshold. A reviewer's "no" keeps two records apart whatever
else links them. Pairs between the two thresholds go to the review queue.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q

from canhgiac.audit import services as audit
from canhgiac.core import bulk
from canhgiac.subjects import normalize
from canhgiac.subjects.models import Entity, Identifier, MatchModel, MatchPair, ReviewDecision, Subject
from canhgiac.subjects.resolution import features
from canhgiac.subjects.resolution import model as er
from canhgiac.subjects.resolution.clusters import Clusters, stable_ids

DEFAULT_AUTO = 0.8
DEFAULT_REVIEW = 0.6
MAX_CANDIDATES = 300
# Records a group's model is trained on (a random sample above that). EM needs thousands of pairs,
# not millions, and its sessions' blocks grow with the square of the sample: the organisations'
# session on the name key (`model.em_rules`; "dak lak", "sai gon", "mien trung" end a quarter of
# the generated names) made 4.5 million pairs of 18,000 organisations, 120 s of a 270 s run of
# 100,000 records at load 12.
TRAIN_MAX = {"person": 100_000, "other": 10_000}


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def current_model() -> MatchModel | None:
    return MatchModel.objects.order_by("-created_at", "-id").first()


# ---------------------------------------------------------------- evidence


def exact_pairs(queryset=None) -> list[tuple[int, int, str]]:
    """(a, b, reason code) linking every group of same-kind records that share a strong identifier
    (a chain through the group, enough to join it)."""
    rows = (queryset if queryset is not None else Identifier.objects.all()).filter(
        scheme__in=normalize.STRONG_SCHEMES
    )
    rows = rows.order_by("scheme", "value", "subject__kind", "subject_id").values_list(
        "scheme", "value", "subject__kind", "subject_id"
    )
    pairs = []
    last_key, first = None, None
    for scheme, value, kind, subject_id in rows.iterator(chunk_size=20000):
        key = (scheme, value, kind)
        if key == last_key:
            if subject_id != first:
                pairs.append((first, subject_id, er.DOC_REASONS.get(scheme, "id:" + scheme)))
        else:
            last_key, first = key, subject_id
    return pairs


def decisions(ids: set[int] | None = None):
    """(yes pairs, no pairs, every decided pair) — among `ids` when given."""
    yes, no, decided = [], [], set()
    qs = ReviewDecision.objects.all()
    if ids is not None:
        ids = set(ids)
        # by the left record's index; the right one is checked here (one IN list, not two)
        qs = qs.filter(left_id__any=ids)
    for left, right, decision in qs.values_list("left_id", "right_id", "decision"):
        if ids is not None and right not in ids:
            continue
        decided.add((left, right))
        if decision == ReviewDecision.Decision.YES:
            yes.append((left, right))
        elif decision == ReviewDecision.Decision.NO:
            no.append((left, right))
    return yes, no, decided


def crowded(left: dict, right: dict, count: Callable[[str, str], int]) -> bool:
    """True when the commune holds another person record bearing the family and given name of
    either record of the pair (`count(block_key, unit)` counts the person records of a name key in a
    commune, the pair's own included), or when the pair has no commune in common."""
    unit = left.get("unit") if left.get("unit") == right.get("unit") else None
    if not unit:
        return True
    keys = {k for k in (left.get("block_key"), right.get("block_key")) if k}
    return sum(count(k, unit) for k in keys) > 2


def guard(pair: dict, left: dict, right: dict, auto_threshold: float, count) -> dict:
    """The namesake guard on a scored pair ({"status", "probability", "weight", "reasons"}): a pair
    of persons agreeing only on the name and the commune, in a commune where someone else bears the
    name, is never joined automatically and says so in its reasons."""
    if er.namesake_prone(left["kind"], pair["reasons"]) and crowded(left, right, count):
        pair = dict(pair, reasons=[*pair["reasons"], [er.NAMESAKE, None]])
        if pair["status"] == "auto" or pair["probability"] >= auto_threshold:
            pair["status"] = "review"
    return pair


def name_counts(rows: Iterable[dict]) -> Callable[[str, str], int]:
    """count(block_key, unit) over feature rows of persons (the full run)."""
    from collections import Counter

    counts = Counter((r["block_key"], r["unit"]) for r in rows if r["kind"] == "person" and r["unit"])
    return lambda key, unit: counts.get((key, unit), 0)


def db_name_counts() -> Callable[[str, str], int]:
    """count(block_key, unit) of person records in the database (incremental matching; by the
    (kind, block_key, unit) index), cached for the call."""
    cache: dict[tuple[str, str], int] = {}

    def count(key: str, unit: str) -> int:
        if (key, unit) not in cache:
            cache[(key, unit)] = Subject.objects.filter(
                kind=Subject.Kind.PERSON, block_key=key, unit_id=int(unit)
            ).count()
        return cache[(key, unit)]

    return count


def cluster(ids: Iterable[int], yes, no, exact, auto) -> list[list[int]]:
    """Groups of records: yes first, then exact identifiers, then model pairs strongest first."""
    c = Clusters(ids, no)
    for a, b in yes:
        c.join(a, b)
    for a, b, _code in exact:
        c.join(a, b)
    for a, b, _p in sorted(auto, key=lambda t: -t[2]):
        c.join(a, b)
    return c.groups()


# ---------------------------------------------------------------- writing entities


SET_ENTITIES_INLINE = 5000  # up to this many changes in one UPDATE … FROM unnest(arrays)


def _set_entities(changes: list[tuple[int, int]]) -> None:
    """UPDATE subject.entity_id for (subject id, entity id) pairs, in bulk."""
    if not changes:
        return
    table = Subject._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(changes) <= SET_ENTITIES_INLINE:
            # the incremental matching's batches: one statement, the pairs as two array
            # parameters (the temporary table below takes six round trips and catalogue writes)
            cursor.execute(
                f'UPDATE "{table}" s SET entity_id = t.eid '
                "FROM unnest(%s::bigint[], %s::bigint[]) AS t(sid, eid) WHERE s.id = t.sid",
                [[sid for sid, _eid in changes], [eid for _sid, eid in changes]],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS er_assign (sid bigint, eid bigint) ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE er_assign")
            with cursor.cursor.copy("COPY er_assign (sid, eid) FROM STDIN") as copy:
                for row in changes:
                    copy.write_row(row)
            cursor.execute("ANALYZE er_assign")  # a temporary table has no statistics otherwise
            cursor.execute(f'UPDATE "{table}" s SET entity_id = t.eid FROM er_assign t WHERE s.id = t.sid')
            cursor.execute("DROP TABLE er_assign")
        else:
            cursor.executemany(
                f'UPDATE "{table}" SET entity_id = %s WHERE id = %s', [(e, s) for s, e in changes]
            )


def assign(
    groups: list[list[int]],
    previous: dict[int, int | None],
    kinds: dict[int, str],
    actor=None,
    timing: dict | None = None,
) -> dict:
    """Give each group an entity (stable ids, see clusters.stable_ids), write the changes and audit
    every record that moved from one entity to another (a merge or a split) in one batch. `timing`,
    when given, gets the seconds of the entities' insert and of the records' update."""
    t = time.monotonic()
    ids, new_count = stable_ids(groups, previous)
    new_rows = [{"kind": kinds[g[0]]} for g, eid in zip(groups, ids, strict=True) if eid is None]
    bulk.insert_rows(Entity, new_rows)
    if timing is not None:
        timing["write_entities"] = time.monotonic() - t
        t = time.monotonic()
    fresh = iter(row["id"] for row in new_rows)
    ids = [eid if eid is not None else next(fresh) for eid in ids]
    changes, moved = [], []
    for group, eid in zip(groups, ids, strict=True):
        for i in group:
            before = previous.get(i)
            if before != eid:
                changes.append((i, eid))
                if before is not None:
                    moved.append((i, before, eid))
    _set_entities(changes)
    if timing is not None:
        timing["write_assign"] = time.monotonic() - t
    if moved:
        audit.record_many(
            "subjects.subject.entity_changed",
            [bulk.instance(Subject, {"id": i, "name": f"#{i}"}) for i, _b, _a in moved],
            actor=actor,
            changes=[{"entity_id": {"before": b, "after": a}} for _i, b, a in moved],
        )
    # an entity left without records points to where most of them went
    kept = set(ids)
    gone: dict[int, dict[int, int]] = {}
    for _i, before, after in moved:
        if before not in kept:
            gone.setdefault(before, {}).setdefault(after, 0)
            gone[before][after] += 1
    for before, targets in gone.items():
        target = max(targets.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        Entity.objects.filter(pk=before).update(merged_into=target)
    retired = Entity.objects.exclude(merged_into=None)
    if len(kept) <= 10_000:
        retired = retired.filter(pk__any=kept)
    revived = set(retired.values_list("pk", flat=True)) & kept
    if revived:
        Entity.objects.filter(pk__any=revived).update(merged_into=None)
    return {"entities_new": new_count, "records_moved": len(moved), "records_assigned": len(changes)}


def _pair_rows(pairs: dict[tuple[int, int], dict]) -> list[dict]:
    return [
        {
            "left_id": a,
            "right_id": b,
            "status": p["status"],
            "probability": p["probability"],
            "weight": p["weight"],
            "reasons": p["reasons"],
        }
        for (a, b), p in pairs.items()
    ]


# ---------------------------------------------------------------- the full run


def _level_by_bf(trained: dict) -> dict[str, dict[float, list[str]]]:
    """Per comparison, the level codes of each Bayes factor splink reports (bf_<comparison>): the
    predictions carry the factors, not the levels. Two levels may have the same factor (both at the
    m and u floors, or m = u for a level never estimated, which is also the null level's factor 1),
    so a factor may name more than one level: `_explained` then asks the Python twin of the levels."""
    out: dict[str, dict[float, list[str]]] = {}
    for comparison in trained["comparisons"]:
        levels = out.setdefault(comparison["output_column_name"], {})
        for lvl in comparison["comparison_levels"]:
            m, u = lvl.get("m_probability"), lvl.get("u_probability")
            if not lvl.get("is_null_level") and m and u:
                levels.setdefault(round(m / u, 6), []).append(lvl["label_for_charts"])
    return out


def _level_by_gamma(trained: dict) -> dict[str, dict[int, str]]:
    """Per comparison, the level code of each comparison vector value splink reports
    (gamma_<comparison>): the non-null levels count down to 0 (the else level), the null level
    is -1."""
    out: dict[str, dict[int, str]] = {}
    for comparison in trained["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        out[comparison["output_column_name"]] = {
            len(levels) - 1 - n: lvl["label_for_charts"] for n, lvl in enumerate(levels)
        }
    return out


def _explained(predicted, trained: dict, by_id: dict) -> list[tuple]:
    """(left, right, probability, weight, reasons) of splink's predictions, each reason the level
    code with its weight. The level is read from the comparison vector value (gamma_<comparison>)
    when the predictions carry it, column by column over the whole frame; otherwise from the
    Bayes factor (see _level_by_bf; a factor that names several levels, or that is 1 like the null
    level's, is resolved by `model.levels`, the Python twin of the SQL levels)."""
    import numpy as np

    lefts = predicted["unique_id_l"].tolist()
    rights = predicted["unique_id_r"].tolist()
    by_gamma = _level_by_gamma(trained)
    reasons: list[list] = [[] for _ in lefts]
    rest = []
    for c, codes in by_gamma.items():
        if f"bf_{c}" not in predicted.columns:
            continue
        if f"gamma_{c}" not in predicted.columns:
            rest.append(c)
            continue
        gammas = predicted[f"gamma_{c}"].tolist()
        with np.errstate(divide="ignore"):
            weights = np.round(np.log2(predicted[f"bf_{c}"].to_numpy(dtype=float)), 2).tolist()
        for n, (g, w) in enumerate(zip(gammas, weights, strict=True)):
            if g is None or g < 0:
                continue  # the null level: no evidence either way
            code = codes.get(int(g))
            if code is None:
                continue
            if code == "doc_exact":
                code = er.DOC_REASONS.get(by_id[lefts[n]]["doc_scheme"] or "", code)
            reasons[n].append([code, w])
    if rest:
        levels = _level_by_bf(trained)
        bfs = {c: predicted[f"bf_{c}"].tolist() for c in rest}
        for n, (left, right) in enumerate(zip(lefts, rights, strict=True)):
            twin = None
            for c in rest:
                bf = round(bfs[c][n], 6)
                found = levels[c].get(bf)
                if not found:
                    continue  # a null level (factor 1): no evidence either way
                if len(found) == 1 and bf != 1.0:
                    code = found[0]
                else:
                    if twin is None:
                        twin = er.levels(by_id[left], by_id[right])
                    code = twin.get(c)
                    if code is None:
                        continue
                if code == "doc_exact":
                    code = er.DOC_REASONS.get(by_id[left]["doc_scheme"] or "", code)
                reasons[n].append([code, round(math.log2(bfs[c][n]), 2)])
    out = []
    for left, right, p, w, why in zip(
        lefts,
        rights,
        predicted["match_probability"].tolist(),
        predicted["match_weight"].tolist(),
        reasons,
        strict=True,
    ):
        why.sort(key=lambda r: -r[1])
        out.append((*_ordered(int(left), int(right)), float(p), float(w), why))
    return out


def predict(frame, trained: dict, threshold: float):
    """splink's predictions (a pandas frame) of the records in `frame` with a trained model: the
    pairs of the blocking rules scoring at least `threshold`, with each comparison's level
    (gamma_<comparison>) and Bayes factor (bf_<comparison>)."""
    from splink import Linker

    linker = Linker(er.input_table(frame), er.settings(trained, levels=True), er.db_api())
    table = linker.inference.predict(threshold_match_probability=threshold)
    # only the ids, the scores, the levels and the factors leave the backend (not the compared
    # columns of both records, which splink keeps alongside the levels)
    columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        columns += [f"gamma_{name}", f"bf_{name}"]
    return linker.misc.query_sql(f"SELECT {', '.join(columns)} FROM {table.physical_name}")


def full_run(*, retrain: bool = False, progress: Callable[[str], None] | None = None, actor=None) -> dict:
    """Resolve every source record: train the model if none is saved (or `retrain`), predict the
    pairs with splink, join, keep the ids stable, refresh the review queue. Returns counts and
    seconds per stage."""
    say = progress or (lambda message: None)
    timing = {}
    t0 = time.monotonic()
    rows = features.all_rows()
    kinds = {r["unique_id"]: r["kind"] for r in rows}
    by_id = {r["unique_id"]: r for r in rows}
    timing["load"] = time.monotonic() - t0
    say(f"read {len(rows)} records")

    stored = current_model()
    saved = dict(stored.settings) if stored and not retrain else {}
    thresholds = (
        (stored.auto_threshold, stored.review_threshold) if stored else (DEFAULT_AUTO, DEFAULT_REVIEW)
    )
    models, predictions = {}, []
    for group in er.GROUPS:
        members = [r for r in rows if er.group_of(r["kind"]) == group]
        if len(members) < 2:
            continue
        t = time.monotonic()
        from splink import Linker

        frame = er.frame(members)
        trained = saved.get(group)
        if trained is None:
            # EM needs thousands of pairs, not millions: a large register trains on a sample
            most = TRAIN_MAX[group]
            sample = frame if len(frame) <= most else frame.sample(most, random_state=389)
            linker = Linker(er.input_table(sample), er.settings(), er.db_api())
            try:
                er.train(linker, len(sample), group)
            except Exception as exc:  # too few records of this kind to learn from
                say(f"{group}: no model ({exc})")
                continue
            trained = er.regularise(linker.misc.save_model_to_json())
            timing[f"train_{group}"] = time.monotonic() - t
            say(f"{group}: model trained on {len(sample)} of {len(members)} records")
            t = time.monotonic()
        models[group] = trained
        predicted = predict(frame, trained, thresholds[1])
        timing[f"predict_{group}"] = time.monotonic() - t
        say(f"{group}: {len(predicted)} pairs scored above the review threshold")
        t = time.monotonic()
        predictions += _explained(predicted, trained, by_id)
        timing[f"explain_{group}"] = time.monotonic() - t
    if models and models != saved:
        stored = MatchModel.objects.create(
            settings=models,
            records=len(rows),
            backend=er.backend_name(),
            auto_threshold=thresholds[0],
            review_threshold=thresholds[1],
        )
    auto_threshold = thresholds[0]

    with transaction.atomic():
        t = time.monotonic()
        exact = [(*_ordered(a, b), code) for a, b, code in exact_pairs()]
        yes, no, decided = decisions()
        count = name_counts(rows)
        scored = []
        for a, b, p, w, reasons in predictions:
            pair = guard(
                {
                    "status": "auto" if p >= auto_threshold else "review",
                    "probability": p,
                    "weight": w,
                    "reasons": reasons,
                },
                by_id[a],
                by_id[b],
                auto_threshold,
                count,
            )
            scored.append((a, b, p, w, pair["reasons"], pair["status"]))
        auto = [(a, b, p) for a, b, p, _w, _r, status in scored if status == "auto"]
        groups = cluster(by_id.keys(), yes, no, exact, auto)
        timing["cluster"] = time.monotonic() - t
        t = time.monotonic()
        previous = dict(Subject.objects.values_list("pk", "entity_id"))
        timing["write_read"] = time.monotonic() - t
        counts = assign(groups, previous, kinds, actor=actor, timing=timing)
        t_pairs = time.monotonic()
        entity_of = {i: gi for gi, g in enumerate(groups) for i in g}
        pairs: dict[tuple[int, int], dict] = {}
        for a, b, code in exact:
            pairs[(a, b)] = {"status": "auto", "probability": 1.0, "weight": 0.0, "reasons": [[code, None]]}
        review = 0
        for a, b, p, w, reasons, status in scored:
            if (a, b) in pairs:
                continue
            if status == "auto":
                pass
            elif (a, b) in decided or entity_of[a] == entity_of[b]:
                continue
            else:
                status = "review"
                review += 1
            pairs[(a, b)] = {"status": status, "probability": p, "weight": w, "reasons": reasons}
        MatchPair.objects.all().delete()
        bulk.insert_rows(MatchPair, _pair_rows(pairs))
        timing["write_pairs"] = time.monotonic() - t_pairs
        counts.update(
            {
                "records": len(rows),
                "entities": len(groups),
                "exact_pairs": len(exact),
                "model_pairs": len(predictions),
                "auto_pairs": sum(1 for p in pairs.values() if p["status"] == "auto"),
                "review_pairs": review,
                "decisions": len(decided),
                "seconds": round(time.monotonic() - t0, 1),
                "timing": {k: round(v, 1) for k, v in timing.items()},
            }
        )
        audit.record(
            "subjects.resolution_run",
            object_type="subjects.matchmodel",
            object_id=str(stored.pk) if stored else "",
            changes={k: v for k, v in counts.items() if k != "timing"},
            actor=actor,
        )
        t = time.monotonic()
    # the deferred foreign-key checks of the rows written run at the commit
    counts["timing"]["commit"] = round(time.monotonic() - t, 1)
    counts["seconds"] = round(time.monotonic() - t0, 1)
    return counts


# ---------------------------------------------------------------- incremental


def _candidates(rows: dict[int, dict]) -> dict[int, set[int]]:
    """Records that may be the same as each new record, found by index: a shared identifier
    (strong ones, phone, e-mail, bank account) or the same name key with the same birth year or
    commune, the same house or the same date of birth. At most MAX_CANDIDATES each."""
    out: dict[int, set[int]] = {i: set() for i in rows}
    wanted: dict[tuple[str, str], set[int]] = {}
    for i, r in rows.items():
        for key in ("doc", "phone", "email", "bank"):
            value = r.get(key)
            if value:
                scheme = (
                    r["doc_scheme"]
                    if key == "doc"
                    else {"phone": "phone", "email": "email", "bank": "bank"}[key]
                )
                wanted.setdefault((scheme, value), set()).add(i)
    if wanted:
        cond = Q()
        by_scheme: dict[str, set[str]] = {}
        for scheme, value in wanted:
            by_scheme.setdefault(scheme, set()).add(value)
        for scheme, values in by_scheme.items():
            cond |= Q(scheme=scheme, value__any=values)
        for scheme, value, subject_id in Identifier.objects.filter(cond).values_list(
            "scheme", "value", "subject_id"
        ):
            for i in wanted.get((scheme, value), ()):
                if subject_id != i and len(out[i]) < MAX_CANDIDATES:
                    out[i].add(subject_id)
    # the same name key with the same birth year or the same commune, filtered in the database (a
    # common key such as "nguyen anh" has thousands of records)
    cond = Q()
    for r in rows.values():
        if r.get("block_key"):
            if r.get("birth_year") is not None:
                cond |= Q(kind=r["kind"], block_key=r["block_key"], birth_year=r["birth_year"])
            if r.get("unit"):
                cond |= Q(kind=r["kind"], block_key=r["block_key"], unit_id=int(r["unit"]))
        # the same house, the same date of birth (the full run's blocks on them)
        if r.get("address"):
            cond |= Q(kind=r["kind"], address_key=r["address"])
        if r.get("birth_date"):
            cond |= Q(kind=r["kind"], birth_date=r["birth_date"])
    if cond:
        found = Subject.objects.filter(cond).values_list(
            "pk", "kind", "block_key", "birth_year", "unit_id", "address_key", "birth_date"
        )
        # the new records by each key a found record may share with them (not a loop over every
        # new record for every found one: a common name key finds thousands)
        by_block: dict[tuple, list[int]] = {}
        by_house: dict[tuple, list[int]] = {}
        by_birth: dict[tuple, list[int]] = {}
        for i, r in rows.items():
            if r.get("block_key"):
                by_block.setdefault((r["kind"], r["block_key"]), []).append(i)
            if r.get("address"):
                by_house.setdefault((r["kind"], r["address"]), []).append(i)
            if r.get("birth_date"):
                by_birth.setdefault((r["kind"], r["birth_date"]), []).append(i)
        for pk, kind, block, year, unit, address, born in found[: MAX_CANDIDATES * len(rows)]:
            matched = set()
            if block:
                unit_text = str(unit) if unit is not None else None
                for i in by_block.get((kind, block), ()):
                    r = rows[i]
                    if (year is not None and year == r.get("birth_year")) or (
                        unit_text is not None and unit_text == r.get("unit")
                    ):
                        matched.add(i)
            if address:
                matched.update(by_house.get((kind, address), ()))
            if born is not None:
                matched.update(by_birth.get((kind, born.isoformat()), ()))
            matched.discard(pk)
            for i in matched:
                if len(out[i]) < MAX_CANDIDATES:
                    out[i].add(pk)
    return out


def _strong_shared(left: dict, right: dict) -> str | None:
    if (
        left.get("doc")
        and left.get("doc") == right.get("doc")
        and left.get("doc_scheme") == right.get("doc_scheme")
    ):
        return er.DOC_REASONS.get(left["doc_scheme"], "id:" + left["doc_scheme"])
    return None


MATCH_CHUNK = 500  # records matched, written and re-clustered together
ROWS_AHEAD = 5000  # a multiple of MATCH_CHUNK


def match_records(ids: Iterable[int], actor=None) -> dict:
    """Match new (or changed) records against the entities present, without a full run: candidates
    by index, scored with the saved model in Python (`model.Scorer`), then the records and the
    entities they touch re-clustered. Runs in the caller's transaction."""
    ids = [i for i in ids if i]
    if not ids:
        return {"records": 0}
    stored = current_model()
    scorers = {group: er.Scorer(trained) for group, trained in (stored.settings if stored else {}).items()}
    auto_t = stored.auto_threshold if stored else DEFAULT_AUTO
    review_t = stored.review_threshold if stored else DEFAULT_REVIEW
    found = {"records": len(ids), "auto": 0, "review": 0}
    count = db_name_counts()
    # Feature rows read once per call, not once per chunk: matching and re-clustering change no
    # field they come from (only entity_id), and the records of a large import are each other's
    # candidates. The new records are read ahead in windows of ROWS_AHEAD ids.
    known: dict[int, dict | None] = {}
    for start in range(0, len(ids), MATCH_CHUNK):
        chunk = ids[start : start + MATCH_CHUNK]
        if start % ROWS_AHEAD == 0:
            ahead = [i for i in ids[start : start + ROWS_AHEAD] if i not in known]
            known.update(dict.fromkeys(ahead))
            known.update(features.rows_for(ahead))
        new_rows = {i: known[i] for i in chunk if known.get(i) is not None}
        candidates = _candidates(new_rows)
        wanted = {c for cs in candidates.values() for c in cs}
        missing = [c for c in wanted if c not in known]
        if missing:
            known.update(dict.fromkeys(missing))
            known.update(features.rows_for(missing))
        others = {c: known[c] for c in wanted if known[c] is not None}
        others.update(new_rows)
        chunk_ids = set(chunk)
        existing = set(
            MatchPair.objects.filter(left_id__any=chunk_ids).values_list("left_id", "right_id")
        ) | set(MatchPair.objects.filter(right_id__any=chunk_ids).values_list("left_id", "right_id"))
        rows_out: dict[tuple[int, int], dict] = {}
        for i, r in new_rows.items():
            for c in candidates[i]:
                o = others.get(c)
                if o is None or o["kind"] != r["kind"]:
                    continue
                key = _ordered(i, c)
                if key in existing or key in rows_out:
                    continue
                code = _strong_shared(r, o)
                if code:
                    rows_out[key] = {
                        "status": "auto",
                        "probability": 1.0,
                        "weight": 0.0,
                        "reasons": [[code, None]],
                    }
                    continue
                scorer = scorers.get(er.group_of(r["kind"]))
                if scorer is None:
                    continue
                p, w, reasons = scorer.score(r, o)
                if p >= review_t:
                    pair = {
                        "status": "auto" if p >= auto_t else "review",
                        "probability": p,
                        "weight": w,
                        "reasons": reasons,
                    }
                    rows_out[key] = guard(pair, r, o, auto_t, count)
        bulk.insert_rows(MatchPair, _pair_rows(rows_out))
        found["auto"] += sum(1 for p in rows_out.values() if p["status"] == "auto")
        found["review"] += sum(1 for p in rows_out.values() if p["status"] == "review")
        recluster(
            set(chunk) | {c for key, p in rows_out.items() if p["status"] == "auto" for c in key}, actor=actor
        )
    return found


def recluster(ids: set[int], actor=None) -> dict:
    """Re-cluster the given records with every record of the entities they are in, from the saved
    pairs and the review decisions (after an incremental match or a decision)."""
    # two queries: the records given, then the other records of their entities
    found = list(Subject.objects.filter(pk__any=set(ids)).values_list("pk", "entity_id", "kind"))
    entity_ids = {entity for _pk, entity, _kind in found if entity is not None}
    if entity_ids:
        found += Subject.objects.filter(entity_id__any=entity_ids).values_list("pk", "entity_id", "kind")
    info = {pk: entity for pk, entity, _kind in found}
    kinds = {pk: kind for pk, _entity, kind in found}
    members = set(info)
    yes, no, _decided = decisions(members)
    # by the left record's index only; the right one is checked here (one index, not a plan
    # that scans the pairs)
    auto = [
        (a, b, p)
        for a, b, p, status in MatchPair.objects.filter(left_id__any=members).values_list(
            "left_id", "right_id", "probability", "status"
        )
        if status == "auto" and b in members
    ]
    groups = cluster(sorted(members), yes, no, [], auto)
    return assign(groups, info, kinds, actor=actor)
