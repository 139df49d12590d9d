from tests.plans.conftest import ladder, mentor, mentor_share, plan  # noqa: F401 (fixtures)
