from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from alliance_site import pages, views
from alliance_site.sitemaps import SITEMAPS
from api.urls import urls as api_urls
from compliance import views as compliance_views
from core.cache import page_number, public_page
from events.urls import urlpatterns as event_views_urls
from offices.views import OfficeListView

handler500 = "core.middleware.server_error"

# The pages of offices and members show what apps above them know, so they are served composed
# (alliance_site.pages).
office_urls = [
    path("", OfficeListView.as_view(), name="office-list"),
    path("<slug:slug>/", pages.OfficeDetailView.as_view(), name="office-detail"),
]
event_urls = [
    *event_views_urls,
    path("<int:pk>/<str:slug>/", pages.EventDetailView.as_view(), name="event-detail"),
]
member_urls = [
    path("", pages.DirectoryView.as_view(), name="directory"),
    path("<slug:slug>/", pages.OrganisationDetailView.as_view(), name="organisation-detail"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", public_page(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, query={"p": page_number}),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The API is outside i18n_patterns: its language is a parameter (?lang=) or Accept-Language.
    path("api/v1/", api_urls),
]

# The admin speaks the language of its address too: /admin/ in Simplified Chinese, /en/admin/ ...
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("news/", include("news.urls")),
    path("events/", include((event_urls, "events"))),
    path("offices/", include((office_urls, "offices"))),
    # Before the members' pages: /members/apply/ and /members/documents/ are not organisations.
    path("", include("membership.urls")),
    path("members/", include((member_urls, "members"))),
    path("about/", pages.about, name="about"),
    path("contact/", compliance_views.contact, name="contact"),
    path("privacy/", compliance_views.privacy, name="privacy"),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
