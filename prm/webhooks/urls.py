from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.EndpointListView.as_view(), name="list"),
    path("webhooks/<int:pk>/", views.EndpointDetailView.as_view(), name="detail"),
    path("webhooks/<int:pk>/ping/", views.EndpointActionView.as_view(), {"action": "ping"}, name="ping"),
    path(
        "webhooks/<int:pk>/toggle/", views.EndpointActionView.as_view(), {"action": "toggle"}, name="toggle"
    ),
    path(
        "webhooks/<int:pk>/redeliver/",
        views.EndpointActionView.as_view(),
        {"action": "redeliver"},
        name="redeliver",
    ),
]
