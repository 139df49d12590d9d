from django.urls import path

from plans.sharing.views import comment_post, invitation_accept, share_list, share_resend_post, share_revoke

urlpatterns = [
    path("<int:pk>/sharing/", share_list, name="share_list"),
    path("<int:pk>/sharing/<int:share_pk>/resend/", share_resend_post, name="share_resend"),
    path("<int:pk>/sharing/<int:share_pk>/revoke/", share_revoke, name="share_revoke"),
    path("<int:pk>/comments/", comment_post, name="comment_add"),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
]
