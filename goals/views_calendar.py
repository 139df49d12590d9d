"""The private iCalendar feed of goal deadlines, milestones and certification expiries."""

urlpatterns: list = []
