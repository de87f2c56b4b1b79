"""Write the synthetic subject files: four agencies (QLTT, CA, THUE, HQ) writing the same people
and companies, each in the import-subjects contract, plus the truth.

    .venv/bin/python bench/subjects_generator.py --people 2000 --out /tmp/subjects [--seed 389]

Writes <out>/<AGENCY>.csv (import with `canhgiac import-subjects FILE --agency AGENCY`) and
<out>/truth.csv (`source_ref,agency_code,true_id`). The realities and traps are listed in
canhgiac/subjects/synthetic.py. Commune codes are Đắk Lắk's when the database is set up, else
made up.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")

COLUMNS = [
    "source_ref",
    "kind",
    "name",
    "birth_date",
    "id_number",
    "tax_code",
    "phone",
    "address",
    "unit_code",
]


def unit_codes() -> list[str]:
    try:
        import django

        django.setup()
        from canhgiac.directory.models import AdministrativeUnit

        codes = list(
            AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", flat=True)
        )
        if codes:
            return codes
    except Exception:
        pass
    return [f"{24000 + i}" for i in range(100)]


def main():
    from canhgiac.subjects import synthetic

    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--out", default="/tmp/subjects")
    parser.add_argument("--seed", type=int, default=389)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = synthetic.records(synthetic.people(args.people, unit_codes(), args.seed), args.seed)
    writers, files = {}, []
    for agency in synthetic.AGENCIES:
        f = (out / f"{agency}.csv").open("w", encoding="utf-8", newline="")
        files.append(f)
        writers[agency] = csv.writer(f)
        writers[agency].writerow(COLUMNS)
    with (out / "truth.csv").open("w", encoding="utf-8", newline="") as t:
        truth = csv.writer(t)
        truth.writerow(["source_ref", "agency_code", "true_id"])
        for row in rows:
            writers[row["agency"]].writerow([row[c] for c in COLUMNS])
            truth.writerow([row["source_ref"], row["agency"], row["true_id"]])
    for f in files:
        f.close()
    print(f"{args.people} identities, {len(rows)} records in {out}")


if __name__ == "__main__":
    main()
