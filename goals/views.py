"""Goal creation, SMART validation, editing, status; starting from templates, the gap, certifications."""

urlpatterns: list = []
