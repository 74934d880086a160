from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("members/", views.MembersView.as_view(), name="members"),
    path("members/<int:pk>/", views.MemberChangeView.as_view(), name="member-change"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member-remove"),
    path(
        "members/invitations/<int:pk>/resend/", views.InvitationResendView.as_view(), name="invitation-resend"
    ),
    path(
        "members/invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"
    ),
    path("data-summary/", views.DataSummaryView.as_view(), name="data-summary"),
]
