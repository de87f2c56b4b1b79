"""Demo data of the online app for `canhgiac demo`: listings from the labelled benchmark set
(the first 60, imported for QLTT and scored), a few signers and commitments."""

import csv
import datetime as dt
import io
from pathlib import Path

LABELLED = Path(__file__).resolve().parents[2] / "bench" / "online_labelled.csv"


def load_demo(rng, stdout):
    from canhgiac.core.context import acting_as
    from canhgiac.directory import services as directory
    from canhgiac.online import listings
    from canhgiac.online.models import Commitment, Signer, SignerKind

    agency = listings.default_agency("QLTT")
    if agency is None or not LABELLED.exists():
        return
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))[:60]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(listings.IMPORT_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in listings.IMPORT_COLUMNS])
    with acting_as(None):
        result = listings.import_listings(None, out.getvalue().encode(), "demo-listings.csv", agency=agency)
        province = directory.home_province()
        names = [
            "Shop Hoa Mai",
            "Kho Sỉ Buôn Ma Thuột",
            "Báo và Phát thanh, Truyền hình Đắk Lắk",
            "Ca sĩ Hồng Nhung (demo)",
        ]
        kinds = ["ecommerce_seller", "ecommerce_seller", "press", "celebrity"]
        for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
            signer, _created = Signer.objects.get_or_create(
                province=province,
                kind=SignerKind.objects.get(code=kind),
                name=name,
                identifier="",
                defaults={"registered_on": dt.date(2026, 1, 15)},
            )
            if i % 2 == 0 and not hasattr(signer, "commitment"):
                Commitment.objects.create(
                    signer=signer, signed_on=dt.date(2026, 2, 20), method="upload", text=signer.kind.template
                )
    if stdout is not None:
        stdout.write(f"online: {result.created} listings imported ({result.flagged} flagged)")
