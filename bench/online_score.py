"""Precision and recall of the online app's risk scoring on the labelled set
(bench/online_labelled.csv, made by bench/online_labelled.py), at the flag threshold, and the time
to score 100,000 listings (the labelled set repeated) in one process.

    PYTHONPATH=. .venv/bin/python bench/online_score.py [--n 100000] [--threshold 50]

Targets (issue 15): precision >= 0.9 and recall >= 0.9; 100,000 listings in under 60 s. The
scoring is the same function the import and the review queue use (canhgiac.online.scoring.score);
the database is not involved (the import reads the registry's prices and the sellers' facts once
per file, then scores in memory).
"""

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
os.environ.setdefault("CANHGIAC_VAR_DIR", "/tmp/var_online_bench")

import django  # noqa: E402

django.setup()

from online_labelled import REFERENCES  # noqa: E402

from canhgiac.online.scoring import DEFAULT_THRESHOLD, Context, score  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    rows = list(csv.DictReader(Path(__file__).with_name("online_labelled.csv").open(encoding="utf-8")))
    context = Context.with_references(REFERENCES)
    tp = fp = fn = tn = 0
    missed = Counter()
    for row in rows:
        result = score(
            row["title"],
            row["description"],
            int(row["price_vnd"] or 0) or None,
            row["category_hint"],
            context=context,
            threshold=args.threshold,
        )
        label = row["label"] == "1"
        if result.flagged and label:
            tp += 1
        elif result.flagged:
            fp += 1
            missed["false flag: " + row["kind"]] += 1
            if args.show_errors:
                print("FP", result.score, row["title"], "|", row["description"], result.reasons)
        elif label:
            fn += 1
            missed["missed: " + row["kind"]] += 1
            if args.show_errors:
                print("FN", result.score, row["title"], "|", row["description"], result.reasons)
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"labelled listings: {len(rows)} ({sum(r['label'] == '1' for r in rows)} violations)")
    print(f"threshold {args.threshold}: tp {tp}, fp {fp}, fn {fn}, tn {tn}")
    print(f"precision {precision:.3f} (target >= 0.9: {'met' if precision >= 0.9 else 'NOT met'})")
    print(f"recall    {recall:.3f} (target >= 0.9: {'met' if recall >= 0.9 else 'NOT met'})")
    for what, count in sorted(missed.items()):
        print(f"  {what}: {count}")

    batch = [rows[i % len(rows)] for i in range(args.n)]
    started, cpu = time.perf_counter(), time.process_time()
    for row in batch:
        score(
            row["title"],
            row["description"],
            int(row["price_vnd"] or 0) or None,
            row["category_hint"],
            context=context,
            threshold=args.threshold,
        )
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"scored {args.n:,} listings in {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"(target < 60 s for 100,000: {'met' if wall * 100_000 / args.n < 60 else 'NOT met'}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
