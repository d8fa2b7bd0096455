from django.urls import path

from events import views

# Served under the "events" namespace by alliance_site/urls.py, which adds the composed event page
# (alliance_site.pages.EventDetailView, with its news) after these.
urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("feed.ics", views.feed, name="feed"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/<str:slug>/calendar.ics", views.event_calendar, name="event-calendar"),
]
