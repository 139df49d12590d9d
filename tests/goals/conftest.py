# The plans fixtures (a branching ladder, Alice's plan, a mentor with access) serve goal tests too.
from tests.plans.conftest import ladder, mentor, mentor_share, plan  # noqa: F401
