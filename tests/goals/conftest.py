# The plans fixtures (a branching ladder, Alice's plan on it or a bare one, a mentor with access)
# serve goal tests too.
# A person's data to export and import, and a file from an instance with more ladder entries.
from tests.goals.import_fixtures import document, from_elsewhere, owned  # noqa: F401, E402
from tests.plans.conftest import bare_plan, ladder, mentor, mentor_share, plan  # noqa: F401
