"""EPCIS conformance, over HTTP: every GS1 example (47) and every OpenEPCIS valid document (38)
is accepted and given back unchanged in meaning by the query; every OpenEPCIS invalid document
(15) is refused with an error naming the event, the field and why. The material is read in
place from ../shared/conformance/epcis/ (GS1 licence and Apache 2.0, see its LICENSE files)."""

import json

import pytest
from django.db import transaction

from canhgiac.goods.epcis import hashing, validation
from canhgiac.goods.tests.epcis_support import gs1_examples, load, openepcis

pytestmark = pytest.mark.django_db

IGNORED = {"recordTime", "@context", "rdfs:comment", "comment"}


class Rollback(Exception):
    pass


def _post(client, data, media="application/ld+json"):
    return client.post("/api/v1/epcis/capture", data=json.dumps(data), content_type=media)


def _same(original: dict, returned: dict) -> bool:
    a = {k: v for k, v in original.items() if k not in IGNORED}
    b = {k: v for k, v in returned.items() if k not in IGNORED}
    if "errorDeclaration" not in a:
        b.pop("errorDeclaration", None)
    return a == b


def test_the_conformance_material_is_there_whole():
    assert len(gs1_examples()) == 47
    assert len(openepcis("valid")) == 38
    assert len(openepcis("invalid")) == 15


def _round_trip(client, path):
    """Capture one document in a savepoint, read every event back, roll back; problems found."""
    data = load(path)
    problems = []
    try:
        with transaction.atomic():
            response = _post(
                client, data, "application/json" if path.suffix == ".json" else "application/ld+json"
            )
            if response.status_code != 201:
                return [f"{path.name}: {response.status_code} {response.content[:300]!r}"]
            events, _where = validation.events_of(validation.as_document(data))
            got = client.get("/api/v1/epcis/events", {"perPage": "1000"})
            returned = got.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            namespaces = hashing.namespaces_of(data.get("@context"))
            # a stored event carries its document's namespaces in its own @context; without it,
            # it hashes as it did in its document
            by_hash = {}
            for body in returned:
                bare = {k: v for k, v in body.items() if k != "@context"}
                by_hash[hashing.event_hash(bare, namespaces)] = body
                by_hash[hashing.event_hash(body, namespaces)] = body
            for index, event in enumerate(events):
                body = by_hash.get(hashing.event_hash(event, namespaces))
                if body is None or not _same(event, body):
                    problems.append(f"{path.name}: event {index} not given back as captured")
            raise Rollback
    except Rollback:
        pass
    return problems


@pytest.mark.parametrize("path", gs1_examples() + openepcis("valid"), ids=lambda p: p.name)
def test_every_valid_document_is_accepted_and_given_back_unchanged(path, signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    assert _round_trip(client, path) == []


@pytest.mark.parametrize("path", openepcis("invalid"), ids=lambda p: p.name)
def test_every_invalid_document_is_refused_naming_the_problem(path, signed_in, coordinator_sct):
    from canhgiac.goods.models import EpcisEvent

    client = signed_in(coordinator_sct)
    response = _post(client, load(path), "application/json")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and body["errors"]
    first = body["errors"][0]
    assert first["field"] and first["message"]
    assert EpcisEvent.objects.count() == 0


def test_the_sensor_document_without_report_types_is_accepted_by_decision(signed_in, coordinator_sct):
    """SensorData_with_combined_events.json has sensor reports without `type`, which GS1's JSON
    Schema requires but the EPCIS 2.0 data model does not (docs/traceability.md)."""
    path = next(p for p in openepcis("valid") if p.name == "SensorData_with_combined_events.json")
    response = _post(signed_in(coordinator_sct), load(path), "application/json")
    assert response.status_code == 201
    assert response.json()["stored"] == len(load(path)["epcisBody"]["eventList"])


def test_eventids_reused_for_different_events_keep_both(signed_in, coordinator_sct):
    from canhgiac.goods.models import EpcisEvent

    client = signed_in(coordinator_sct)
    a = next(p for p in gs1_examples() if p.name == "AssociationEvent-f.jsonld")
    b = next(p for p in gs1_examples() if p.name.startswith("Example-Type-sourceOrDestination"))
    ids = {e.get("eventID") for e in load(a)["epcisBody"]["eventList"]} & {
        e.get("eventID") for e in load(b)["epcisBody"]["eventList"]
    }
    assert ids - {None}, "the two examples share an eventID"
    assert _post(client, load(a)).status_code == 201
    assert _post(client, load(b)).status_code == 201
    shared = next(iter(ids - {None}))
    assert EpcisEvent.objects.filter(event_id=shared).count() == 2
