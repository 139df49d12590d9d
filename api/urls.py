from django.urls import path

from api import pages
from api.main import api

app_name = "tokens"

urlpatterns = [
    path("", pages.tokens_page, name="list"),
    path("<int:pk>/revoke/", pages.token_revoke_post, name="revoke"),
]

api_urls = api.urls
