from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from alliance_site import views
from alliance_site.cache import page_number, public_page
from alliance_site.sitemaps import SITEMAPS

handler500 = "alliance_site.middleware.server_error"

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
]

# The admin speaks the language of its address too: /admin/ in Simplified Chinese, /en/admin/ ...
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("news/", include("news.urls")),
    path("offices/", include("offices.urls")),
    path("members/", include("members.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
