"""The committee's services: the one door of the app (views, API, demo and other apps call these).
The work is split by subject into the modules below; this module re-exports them."""

from canhgiac.committee.logic.bulletins import (  # noqa: F401
    inbox,
    mark_read,
    receipts_summary,
    send_bulletin,
    visible_bulletins,
)
from canhgiac.committee.logic.commendations import (  # noqa: F401
    decide_commendation,
    propose_commendation,
    results_for,
    visible_commendations,
)
from canhgiac.committee.logic.common import managed_province, province_of, provinces_for  # noqa: F401
from canhgiac.committee.logic.evidence import (  # noqa: F401
    RECORD_KINDS,
    link_evidence,
    links_by_record,
    links_for,
    record_for,
)
from canhgiac.committee.logic.international import (  # noqa: F401
    COUNTRIES,
    add_exchange,
    add_focal_point,
    default_country,
    visible_focal_points,
)
from canhgiac.committee.logic.meetings import (  # noqa: F401
    add_conclusion,
    create_meeting,
    issue_conclusions,
    load_notice,
    meeting_plan,
    visible_meetings,
)
from canhgiac.committee.logic.membership import (  # noqa: F401
    add_decision,
    add_member,
    committee_activity,
    communes_without_committee,
    end_member,
    is_active,
    provincial_committee,
    save_committee,
    visible_committees,
)
from canhgiac.committee.logic.regulations import (  # noqa: F401
    create_regulation,
    overdue_reviews,
    review_regulation,
    visible_regulations,
)
from canhgiac.committee.logic.training import (  # noqa: F401
    add_material,
    create_course,
    search_materials,
    set_attendance,
    visible_courses,
)
