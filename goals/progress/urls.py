from django.urls import path

from goals.progress.views import (
    check_in_add,
    check_in_delete_post,
    check_in_edit,
    milestone_add,
    milestone_delete,
    milestone_toggle,
)

urlpatterns = [
    path("<int:pk>/check-ins/", check_in_add, name="check_in_add"),
    path("<int:pk>/check-ins/<int:check_in_pk>/edit/", check_in_edit, name="check_in_edit"),
    path("<int:pk>/check-ins/<int:check_in_pk>/delete/", check_in_delete_post, name="check_in_delete"),
    path("<int:pk>/milestones/", milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_pk>/toggle/", milestone_toggle, name="milestone_toggle"),
    path("<int:pk>/milestones/<int:milestone_pk>/delete/", milestone_delete, name="milestone_delete"),
]
