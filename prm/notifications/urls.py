from django.urls import path

from . import mailbox, views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.PreferencesView.as_view(), name="preferences"),
    path("sent-mail/", mailbox.SentMailListView.as_view(), name="sent-list"),
    path("sent-mail/<int:pk>/", mailbox.SentMailDetailView.as_view(), name="sent-detail"),
]
