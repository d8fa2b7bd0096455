import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGUES = ["zh_Hans", "zh_Hant", "en"]


@pytest.mark.parametrize("locale", CATALOGUES)
def test_catalogue_is_complete(locale):
    catalogue = polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("locale", CATALOGUES)
def test_compiled_catalogue_matches_its_source(locale):
    """The .mo files are committed so that a machine without GNU gettext shows translations."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    for entry in source:
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "home", "news", "offices", "members", "lang"),
    [
        ("", "首页", "新闻", "办事处", "会员", "zh-hans"),
        ("/en", "Home", "News", "Offices", "Members", "en"),
        ("/zh-hant", "首頁", "新聞", "辦事處", "會員", "zh-hant"),
    ],
)
def test_pages_speak_the_language_of_their_address(client, demo, prefix, home, news, offices, members, lang):
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for label in (home, news, offices, members):
        assert f">{label}</a>" in html


@pytest.mark.django_db
def test_language_switcher_keeps_the_visitor_on_the_same_page(client, demo):
    from news.models import Article

    path = Article.objects.get().get_absolute_url()
    html = client.get(path + "?from=share").content.decode()
    assert f'href="/en{path}" hreflang="en"' in html, "a parameter the page does not read is left out"
    assert f'href="/zh-hant{path}" hreflang="zh-hant"' in html
    search = client.get("/news/?q=%E5%90%B4%E4%B8%AD&from=share").content.decode()
    assert 'href="/en/news/?q=%E5%90%B4%E4%B8%AD" hreflang="en"' in search, "the search is kept"
    english = client.get(f"/en{path}")
    assert english.status_code == 200
    assert "Wuzhong District Office Founding Conference" in english.content.decode()
    assert f'href="{path}" hreflang="zh-hans"' in english.content.decode()


@pytest.mark.django_db
def test_traditional_content_is_generated_from_simplified_and_editor_text_is_kept(demo):
    from core.text import to_traditional
    from news.models import Article

    article = Article.objects.get()
    assert article.title_zh_hant == to_traditional(article.title_zh_hans)
    assert article.title_zh_hant.startswith("吳中區辦事處成立大會")
    assert "蘇州" in article.body_zh_hant

    article.title_zh_hans = "吴中区办事处成立大会"
    article.save()
    assert article.title_zh_hant == "吳中區辦事處成立大會", "generated text follows the Simplified title"

    article.title_zh_hant = "吳中區辦事處成立大會（編輯稿）"
    article.save()
    article.title_zh_hans = "吴中区办事处成立"
    article.save()
    article.refresh_from_db()
    assert article.title_zh_hant == "吳中區辦事處成立大會（編輯稿）", "an editor's Traditional title is kept"
