from django.urls import path

from accounts import views, views_deletion

app_name = "accounts"

urlpatterns = [
    path("", views.account_page, name="account"),
    path("delete/", views_deletion.account_delete_page, name="delete"),
]
