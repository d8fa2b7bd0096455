from django.urls import path

from events import views

# Served under the "events" namespace by alliance_site/urls.py, which puts the composed event page
# (alliance_site.pages.EventDetailView, with its news) before these.
urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("feed.ics", views.feed, name="feed"),
    path("privacy/", views.privacy, name="privacy"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/<str:slug>/calendar.ics", views.event_calendar, name="event-calendar"),
]
