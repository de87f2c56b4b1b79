"""Links and networks of subjects: the one door views, the API and other apps call."""

from canhgiac.subjects.network.graph import (  # noqa: F401
    HIDDEN_LABEL,
    IMPLIED_TYPES,
    LINK_TYPES,
    MAX_HOPS,
    RELATION_TYPES,
    build,
    with_layout,
)
from canhgiac.subjects.network.keys import refresh as refresh_link_keys  # noqa: F401
from canhgiac.subjects.network.links import (  # noqa: F401
    add_relation,
    delete_relation,
    online_accounts,
    relation_for,
    relations_of,
    update_relation,
)
from canhgiac.subjects.network.ranking import Reason, attention, register_signal  # noqa: F401
