from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("feed.ics", views.feed, name="feed"),
    path("privacy/", views.privacy, name="privacy"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/<str:slug>/calendar.ics", views.event_calendar, name="event-calendar"),
    path("<int:pk>/<str:slug>/", views.EventDetailView.as_view(), name="event-detail"),
]
