from canhgiac.core.tests.conftest import lang_son  # noqa: F401  (the second province's tests)
