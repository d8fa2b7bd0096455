from django.urls import path

from core.cache import public_page
from news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("category/<slug:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/qr.png", views.article_qr, name="article-qr"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), {"slug": ""}, name="article-short"),
    path("<int:pk>/<str:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
