"""EPCIS services (the one door other code uses): capture, query, trace and leads.

- `capture(user, data, business=None)` -> CaptureResult; raises CaptureRefused (status, issues)
- `capture_lines(path, business=None)` -> CaptureResult | None (the bulk path of the command)
- `query_page(user, params)` -> Page (events, next token); raises QueryError
- `trace(user, text)` -> Trace; raises TraceError
- `leads(user)` -> [Lead]
- `places_by_commune(steps)` -> [ProvinceGroup] (a trace's places by province and commune)
- `place_map(steps, places)` -> PlaceMap (the SVG map of those places: communes' coordinates, geo: URIs)
- `consumer_lookup(product, lot, serial, link)` -> Lookup (Circular 02/2024 fields, public)
- `event_hash(event, namespaces)` and `canonical(identifier)`
"""

from canhgiac.goods.epcis.capture import CaptureRefused, CaptureResult, capture, capture_lines  # noqa: F401
from canhgiac.goods.epcis.geomap import place_map  # noqa: F401
from canhgiac.goods.epcis.hashing import event_hash  # noqa: F401
from canhgiac.goods.epcis.identifiers import IdentifierError, canonical  # noqa: F401
from canhgiac.goods.epcis.leads import leads  # noqa: F401
from canhgiac.goods.epcis.lots import consumer_lookup, places_by_commune  # noqa: F401
from canhgiac.goods.epcis.query import QueryError  # noqa: F401
from canhgiac.goods.epcis.query import run as query_page  # noqa: F401
from canhgiac.goods.epcis.trace import TraceError, trace  # noqa: F401
