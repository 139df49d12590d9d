"""Certifications pursued and activities logged on a plan."""

urlpatterns: list = []
