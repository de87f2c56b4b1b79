"""The feature rows the model compares, read from the source records and their identifiers."""

from __future__ import annotations

from collections.abc import Iterable

from canhgiac.subjects import normalize
from canhgiac.subjects.models import Identifier, Subject

# The document a record is compared on, by kind, in order of preference.
DOC_SCHEMES = {
    "person": (normalize.CCCD, normalize.CMND, normalize.PASSPORT),
    "organisation": (normalize.TAX_CODE, normalize.BRN),
    "vehicle": (normalize.PLATE,),
    "online_account": (normalize.ACCOUNT,),
}
_FIELDS = (
    "pk",
    "kind",
    "name_key",
    "block_key",
    "initials",
    "birth_date",
    "birth_year",
    "address_key",
    "unit_id",
)
_IDENT_SCHEMES = (
    normalize.CCCD,
    normalize.CMND,
    normalize.PASSPORT,
    normalize.TAX_CODE,
    normalize.BRN,
    normalize.PLATE,
    normalize.ACCOUNT,
    normalize.PHONE,
    normalize.EMAIL,
    normalize.BANK,
)


def _row(values: tuple, idents: dict[str, str]) -> dict:
    pk, kind, name, block, initials, birth_date, birth_year, address, unit = values
    doc_scheme = next((s for s in DOC_SCHEMES.get(kind, ()) if s in idents), None)
    if name and kind == "organisation":
        name = normalize.org_core(name)
    # a person's middle names as written ("thi", or "t" when cut to an initial)
    middle = name.split()[1:-1] if name and kind == "person" else []
    return {
        "unique_id": pk,
        "kind": kind,
        "name": name or None,
        "given": name.rsplit(" ", 1)[-1] if name else None,
        "block_key": block or None,
        "initials": initials or "",
        "middle": " ".join(middle),
        "abbrev": bool(middle) and all(len(t) == 1 for t in middle),
        "birth_date": birth_date.isoformat() if birth_date else None,
        "birth_year": birth_year,
        "doc": idents.get(doc_scheme) if doc_scheme else None,
        "doc_scheme": doc_scheme,
        "phone": idents.get(normalize.PHONE),
        "email": idents.get(normalize.EMAIL),
        "bank": idents.get(normalize.BANK),
        "address": address or None,
        "unit": str(unit) if unit else None,
        # blocks organisations (accounts, vehicles) on their name alone; persons never (namesakes)
        "org": None if kind == "person" else kind,
    }


def _identifiers(queryset) -> dict[int, dict[str, str]]:
    """{subject id: {scheme: first value}} (the lowest identifier id of each scheme wins)."""
    out: dict[int, dict[str, str]] = {}
    rows = queryset.filter(scheme__in=_IDENT_SCHEMES).order_by("subject_id", "id")
    for subject_id, scheme, value in rows.values_list("subject_id", "scheme", "value").iterator(
        chunk_size=20000
    ):
        out.setdefault(subject_id, {}).setdefault(scheme, value)
    return out


def rows_for(ids: Iterable[int]) -> dict[int, dict]:
    """Feature rows of the given records, by id."""
    ids = set(ids)  # a set: `__any` sends it without Django's per-item preparation
    if not ids:
        return {}
    idents = _identifiers(Identifier.objects.filter(subject_id__any=ids))
    return {
        v[0]: _row(v, idents.get(v[0], {})) for v in Subject.objects.filter(pk__any=ids).values_list(*_FIELDS)
    }


def all_rows() -> list[dict]:
    """Feature rows of every source record (the full run)."""
    idents = _identifiers(Identifier.objects.all())
    return [
        _row(v, idents.get(v[0], {}))
        for v in Subject.objects.order_by("pk").values_list(*_FIELDS).iterator(chunk_size=20000)
    ]
