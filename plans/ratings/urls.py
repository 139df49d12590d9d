from django.urls import path

from plans.ratings.views import level_choose_post, rating_page, share_may_rate_post

urlpatterns = [
    path("<int:pk>/sharing/<int:share_pk>/rating/", share_may_rate_post, name="share_may_rate"),
    path("<int:pk>/rate/", rating_page, name="rate"),
    path("<int:pk>/assess/choose/", level_choose_post, name="level_choose"),
]
