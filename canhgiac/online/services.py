"""The online app's services (other apps call these only): listings and their risk scores,
handling (cases, warnings, takedowns), figures, and the commitments register."""

from canhgiac.online.commitments import (  # noqa: F401
    add_signer,
    breaches,
    claim_signer,
    claimable_signers,
    commitment_coverage,
    commitments_signed,
    commitments_signed_figure,
    own_signers,
    public_commitments,
    record_signed_copy,
    record_signer_identity,
    register_sellers,
    round_by_code,
    round_for,
    rounds,
    sign_online,
)
from canhgiac.online.handling import (  # noqa: F401
    check_takedowns,
    figures,
    no_violation,
    province_takedowns,
    record_takedown_outcome,
    request_takedown,
    review_counts,
    review_figures,
    takedown_hours,
    to_case,
    warn_seller,
)
from canhgiac.online.listings import (  # noqa: F401
    add_evidence,
    default_agency,
    evidence_intact,
    export_listings,
    import_listings,
    link_account,
    rescore,
    save_listing,
    threshold,
)
from canhgiac.online.scoring import score  # noqa: F401
from canhgiac.online.sellers import (  # noqa: F401
    account_listings,
    accounts_of_subjects,
    find_subject,
    flagged_listings_by_seller,
    seller_of,
)
from canhgiac.online.signers_import import COLUMNS as SIGNER_COLUMNS  # noqa: F401
from canhgiac.online.signers_import import import_signers  # noqa: F401
