"""Regenerate canhgiac/goods/tests/data/epcis_hash_vectors.json: the event hashes that GS1's
reference implementation (`epcis-event-hash-generator`, PyPI, 1.9.3) computes for every event of
the conformance documents in ../shared/conformance/epcis/ (GS1 examples and OpenEPCIS valid set).

Not part of the app: the reference library and its JSON-LD processor are installed apart, e.g.

    pip download --no-deps epcis-event-hash-generator==1.9.3
    pip install --target /tmp/ehg_lib pyld cachetools frozendict epcis_event_hash_generator-1.9.3-*.whl
    PYTHONPATH=/tmp/ehg_lib python bench/epcis_hash_vectors.py

Two corrections to the way the library is driven (not to its algorithm): the EPCIS context is
served from the bundled file for every `…/epcis-context.jsonld` URL (the library knows only two
URLs and would fetch the others), and its module-level table of namespaces is emptied before each
document (it otherwise carries prefixes from one document into the next).
"""

import glob
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "epcis"
if not CONFORMANCE.is_dir():
    CONFORMANCE = Path("/work/shared/conformance/epcis")
OUT = ROOT / "canhgiac" / "goods" / "tests" / "data" / "epcis_hash_vectors.json"


def main():
    logging.disable(logging.CRITICAL)
    from epcis_event_hash_generator import hash_generator, json_to_py
    from pyld import jsonld

    context = json.loads((CONFORMANCE / "gs1" / "epcis-context.jsonld").read_text())

    def loader(url, options=None):
        if url.endswith("epcis-context.jsonld"):
            return {
                "contentType": "application/ld+json",
                "contextUrl": None,
                "documentUrl": url,
                "document": context,
            }
        raise RuntimeError(f"refusing to fetch {url}")

    jsonld.set_document_loader(loader)
    files = sorted(glob.glob(str(CONFORMANCE / "gs1" / "JSON" / "**" / "*.jsonld"), recursive=True))
    files += sorted(glob.glob(str(CONFORMANCE / "openepcis" / "valid" / "*.json")))
    vectors, failed = {}, {}
    for path in files:
        name = str(Path(path).relative_to(CONFORMANCE))
        json_to_py._namespaces.clear()
        try:
            events = json_to_py.event_list_from_epcis_document_json(json.loads(Path(path).read_text()))
            prehashes = hash_generator.derive_prehashes_from_events(events)
            vectors[name] = hash_generator.calculate_hashes_from_pre_hashes(prehashes)
        except Exception as exc:  # the reference fails on a few documents; recorded, not hidden
            failed[name] = repr(exc)[:200]
    data = {
        "generator": "epcis-event-hash-generator 1.9.3 (PyPI), run by bench/epcis_hash_vectors.py on the conformance documents",
        "vectors": vectors,
        "reference_failed": failed,
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(
        f"{len(vectors)} documents, {sum(map(len, vectors.values()))} events; reference failed on {len(failed)}"
    )


if __name__ == "__main__":
    sys.exit(main())
