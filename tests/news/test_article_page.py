"""The article page for any article: neighbours, related news, photos in and after the text, shares."""

import datetime

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, ArticlePhotoFactory, CategoryFactory, OfficeFactory, image_file
from tests.news.pages import get_page, url_of


@pytest.mark.django_db
def test_previous_and_next_follow_the_list_order(client):
    now = timezone.now()
    older = ArticleFactory(published_at=now - datetime.timedelta(days=3))
    same_time_before = ArticleFactory(published_at=now - datetime.timedelta(days=2))
    article = ArticleFactory(published_at=now - datetime.timedelta(days=2))
    newer = ArticleFactory(published_at=now - datetime.timedelta(days=1))
    ArticleFactory(status=Article.Status.DRAFT, published_at=now - datetime.timedelta(hours=36))

    _, html = get_page(client, url_of(article))
    pager = html.find("nav", class_="article-pager")
    assert pager.find("a", rel="prev").attrs["href"] == url_of(same_time_before)
    assert pager.find("a", rel="next").attrs["href"] == url_of(newer)

    _, html = get_page(client, url_of(older))
    assert html.find("a", rel="prev") is None
    assert html.find("nav", class_="article-pager").find("a", rel="next").attrs["href"] == (url_of(same_time_before))


@pytest.mark.django_db
def test_related_articles_are_about_the_same_office_first_then_the_same_category(client):
    office = OfficeFactory()
    news, policy = CategoryFactory(), CategoryFactory(slug="policy", name_zh_hans="政策法规")
    article = ArticleFactory(category=news)
    article.offices.add(office)
    same_office = ArticleFactory(category=policy, published_at=timezone.now() - datetime.timedelta(days=30))
    same_office.offices.add(office)
    same_category = ArticleFactory(category=news)
    ArticleFactory(category=policy)  # neither

    _, html = get_page(client, url_of(article))
    related = html.find("section", class_="related")
    links = [h3.find("a").attrs["href"] for h3 in related.find_all("h3")]
    assert links == [url_of(same_office), url_of(same_category)]


@pytest.mark.django_db
def test_photos_not_placed_in_the_text_are_shown_after_it(client):
    article = ArticleFactory()
    placed, extra = ArticlePhotoFactory(article=article), ArticlePhotoFactory(article=article, caption_zh_hans="合影")
    article.body_zh_hans = (
        f'<p>正文。</p><figure><img src="/x.jpg" alt="" data-file="{placed.pk}"><figcaption>会场</figcaption></figure>'
    )
    article.save()

    _, html = get_page(client, url_of(article))
    assert len(html.find("div", class_="article-body").find_all("picture")) == 1
    gallery = html.find("section", class_="article-photos")
    assert [f.text for f in gallery.find_all("figcaption")] == ["合影"]
    assert extra.pk != placed.pk


@pytest.mark.django_db
def test_images_that_are_not_the_articles_photos_are_left_out(client):
    article = ArticleFactory()
    other_photo = ArticlePhotoFactory()  # of another article
    article.body_zh_hans = (
        '<p>正文。</p><figure><img src="" alt=""><figcaption>待配图的图注</figcaption></figure>'
        f'<figure><img src="/media/x.jpg" alt="" data-file="{other_photo.pk}"></figure><p>结尾。</p>'
    )
    article.save()

    _, html = get_page(client, url_of(article))
    body = html.find("div", class_="article-body")
    assert body.find("img") is None
    assert [f.text for f in body.find_all("figcaption")] == ["待配图的图注"]
    assert len(body.find_all("figure")) == 1, "a figure left empty is dropped"


@pytest.mark.django_db
def test_a_cover_is_the_share_image_before_any_photo(client):
    article = ArticleFactory(cover=image_file("cover.jpg", size=(2400, 1200)), cover_alt_zh_hans="会场全景")
    ArticlePhotoFactory(article=article)
    _, html = get_page(client, url_of(article))
    meta = {m.attrs["property"]: m.attrs["content"] for m in html.find_all("meta") if "property" in m.attrs}
    assert "/covers/" in meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "600")
    assert meta["og:image:alt"] == "会场全景"


@pytest.mark.django_db
def test_an_empty_summary_is_taken_from_the_first_paragraph_in_whole_sentences():
    long_paragraph = "这是一个句子。" * 30
    article = ArticleFactory(body_zh_hans=f"<p>{long_paragraph}</p>", summary_zh_hans="")
    assert article.summary_zh_hans == "这是一个句子。" * 17, "whole sentences within 120 characters"
    article = ArticleFactory(body_zh_hans="<p>" + "长" * 200 + "</p>", summary_zh_hans="")
    assert article.summary_zh_hans == "长" * 119 + "…", "no sentence end: cut"
    article = ArticleFactory(body_zh_hans="<p>摘要以外。</p>", summary_zh_hans="编辑写的摘要")
    assert article.summary_zh_hans == "编辑写的摘要"
