"""Portal pages of the channel (mounted under /t/<tenant>/)."""

from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("requests/", views.MyRequestsView.as_view(), name="mine"),
    path("requests/queue/", views.QueueView.as_view(), name="queue"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("requests/<int:pk>/close/", views.RequestCloseView.as_view(), name="close"),
    path("requests/<int:pk>/attachment/", views.RequestAttachmentView.as_view(), name="attachment"),
]
