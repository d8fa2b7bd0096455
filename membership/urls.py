from django.urls import path

from membership import views

app_name = "membership"

# Served under the site's language prefixes by alliance_site/urls.py, before /members/<slug>/.
urlpatterns = [
    path("members/apply/", views.ApplyView.as_view(), name="apply"),
    path("members/apply/thanks/", views.apply_done, name="apply-done"),
    path("members/apply/status/<str:token>/", views.application_status, name="application-status"),
    path("members/documents/", views.document_list, name="document-list"),
    path("members/documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("portal/", views.PortalView.as_view(), name="portal"),
    path("portal/sign-in/", views.PortalLoginView.as_view(), name="portal-login"),
    path("portal/sign-out/", views.PortalLogoutView.as_view(), name="portal-logout"),
    path("portal/profile/", views.ProfileEditView.as_view(), name="portal-profile"),
    path("portal/password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="portal-set-password"),
]
