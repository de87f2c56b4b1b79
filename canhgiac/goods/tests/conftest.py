from canhgiac.core.tests.conftest import (  # noqa: F401  (fixtures of the two-province tests)
    coordinator_lang_son,
    lang_son,
    ls,
    officer_qltt_lang_son,
)
