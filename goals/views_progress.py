"""Milestones and check-ins: measured progress, in place with htmx."""

urlpatterns: list = []
