from canhgiac.cases.tests.conftest import make_case, units  # noqa: F401  (shared fixtures)
