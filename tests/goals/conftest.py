# The plans fixtures (a branching ladder, Alice's plan on it or a bare one, a mentor with access)
# serve goal tests too.
from tests.plans.conftest import bare_plan, ladder, mentor, mentor_share, plan  # noqa: F401
