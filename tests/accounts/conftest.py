# The plans fixtures (a branching ladder, Alice's plan on it, a mentor with access) serve the
# account tests too.
from tests.plans.conftest import ladder, mentor, mentor_share, plan  # noqa: F401
