"""Legacy import: `import_articles FILE... [--dry-run] [--update]` for exports of the old site."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from alliance_site.demo import SEED_DIR, parse_article_markdown
from core.text import to_simplified
from news.legacy import full_width_punctuation, parse, remove_pinyin
from news.models import Article, Category
from tests.factories import ArticleFactory, CategoryFactory, give_views
from tests.news.pages import body_blocks

ORIGINAL = SEED_DIR / "original.txt"
TITLE = "吴中区办事处成立大会顺利举行，苏州市工业互联网区域考评指标体系同步发布"
# The hand edits of article.zh-hans.md that its README lists beyond conversion, undone here so
# that the rest of the proof-read article is compared with the import character for character.
HAND_EDITS_UNDONE = [
    ("苏州市吴中区工业和信息化局局长顾洪建", "苏州市吴中区工业和信息化局局局长顾洪建"),  # typo 局局 kept by the import
    ("着力创新", "著力创新"),  # OpenCC keeps 著
    ("标志着", "标志著"),
]
PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f]+\)")


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected_blocks():
    article = parse_article_markdown((SEED_DIR / "article.zh-hans.md").read_text(encoding="utf-8"))
    blocks = []
    for kind, text in article.blocks:
        for proofread, imported in HAND_EDITS_UNDONE:
            text = text.replace(proofread, imported)
        blocks.append((kind, text))
    return blocks


@pytest.fixture
def export(tmp_path):
    """Write an export file from lines; returns its path."""

    def write(*lines, name="article.txt", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes("\n".join(lines).encode(encoding) if isinstance(lines[0], str) else lines[0])
        return path

    return write


VALID = ["测试文章标题 |", "新闻类别: 联盟动态 浏览量:12 |", "第一段正文。", "文章来源:苏州市工业互联网产业联盟 |"]


@pytest.mark.django_db
def test_dry_run_saves_nothing_and_says_what_it_would_do():
    out, _ = run_import(ORIGINAL, "--dry-run")

    assert Article.objects.count() == 0
    assert Category.objects.count() == 0
    assert Version.objects.count() == 0
    assert f"would create a draft “{TITLE}”" in out
    assert "Dry run, nothing was saved: 1 created" in out


@pytest.mark.django_db
def test_seed_export_becomes_the_proofread_article():
    out, err = run_import(ORIGINAL)

    article = Article.objects.get()
    assert article.title_zh_hans == TITLE
    assert article.category.name_zh_hans == "行业动态"
    assert article.category.slug == "hang-ye-dong-tai"
    assert article.view_count == 4060
    assert article.source_zh_hans == "苏州市工业互联网产业联盟"
    assert article.status == Article.Status.DRAFT, "imported articles wait for an editor"
    assert article.slug.startswith("wu-zhong-qu-ban-shi-chu-cheng-li-da-hui")

    imported = [(kind, text) for kind, text in body_blocks(article.body_zh_hans) if kind != "photo"]
    assert imported == [("p" if kind == "p" else "caption", text) for kind, text in expected_blocks()]

    everything = article.title_zh_hans + article.body_zh_hans + article.source_zh_hans + article.category.name
    assert not PINYIN.search(everything)
    assert [c for c in everything if to_simplified(c) != c] == [], "Traditional-only characters left"

    assert err == ""
    assert "368 pinyin annotations removed" in out, "the count the seed README gives"
    assert "8 paragraphs, 5 captions" in out
    assert "13: 苏州市吴中区人民政府副区长张华谦（左） 与苏州市工业和信息化局副局长金晓虎（右）" in out
    assert "1 created, 0 updated, 0 unchanged, 0 kept as edited, 0 failed." in out


@pytest.mark.django_db
def test_captions_become_photo_slots_where_they_stood():
    run_import(ORIGINAL)
    body = Article.objects.get().body_zh_hans

    kinds = [kind for kind, _ in body_blocks(body)]
    assert kinds == ["p", "p", "caption", "caption", "p", "caption", "p", "caption", "p", "p", "caption", "p", "p"]
    assert body.count('<figure><img src="" alt=""><figcaption>') == 5, "an empty photo slot above each caption"
    assert "文章来源" not in body, "the source is a field, not body text"


@pytest.mark.django_db
def test_importing_again_does_not_duplicate():
    run_import(ORIGINAL)
    out, _ = run_import(ORIGINAL)

    assert Article.objects.count() == 1
    assert Category.objects.count() == 1
    assert "was imported before and is unchanged" in out


@pytest.mark.django_db
def test_an_edited_article_is_kept_unless_update_is_asked_for():
    run_import(ORIGINAL)
    article = Article.objects.get()
    article.body_zh_hans = "<p>编辑改写过的正文。</p>"
    article.save()
    give_views(article, 5000)

    out, _ = run_import(ORIGINAL)
    article.refresh_from_db()
    assert article.body_zh_hans == "<p>编辑改写过的正文。</p>"
    assert "differs from the file and was kept as it is (--update replaces it)" in out

    out, _ = run_import(ORIGINAL, "--update")
    article.refresh_from_db()
    assert "考评指标体系" in article.body_zh_hans
    assert article.view_count == 5000, "views counted since the first import are kept"
    assert f"updated article {article.pk}" in out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_an_existing_category_is_found_by_name():
    category = CategoryFactory(slug="industry-news", name_zh_hans="行业动态")
    run_import(ORIGINAL)
    assert Article.objects.get().category == category
    assert Category.objects.count() == 1


@pytest.mark.django_db
def test_a_new_category_gets_a_free_slug(export):
    CategoryFactory(slug="lian-meng-dong-tai", name_zh_hans="其他")
    run_import(export(*VALID))
    assert Article.objects.get().category.slug == "lian-meng-dong-tai-2"


@pytest.mark.django_db
def test_the_import_is_in_the_articles_history():
    run_import(ORIGINAL)
    version = Version.objects.get_for_object(Article.objects.get()).get()
    assert version.revision.comment == "Imported from original.txt"


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (
            ["吴中区办事处 |", "新闻 行业动态 4060 |", "正文。", "文章来源:联盟 |"],
            2,
            "expected the category and view count",
        ),
        (["吴中区办事处 |", "新闻类别: 行业动态 浏览量:4060 |", "正文一。", "正文二。"], 4, "should name the source"),
        (["吴中区办事处 |", "新闻类别: 行业动态 浏览量:4060 |", "文章来源:联盟 |"], 3, "has no text"),
        (["吴中区办事处 |", "新闻类别: 行业动态 浏览量:4060 |", "短图注", "文章来源:联盟 |"], 4, "has no text"),
        (["  |", "新闻类别: 行业动态 浏览量:4060 |", "正文。", "文章来源:联盟 |"], 1, "the title is empty"),
        (["标" * 201, "新闻类别: 行业动态 浏览量:4060 |", "正文。", "文章来源:联盟 |"], 1, "at most 200"),
        (["", "", "   "], 1, "the file is empty"),
        (["吴中区办事处 |"], 2, "the category and view count line is missing"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_file_is_reported_with_its_line_and_nothing_is_saved(export, lines, line, message):
    path = export(*lines)
    with pytest.raises(CommandError, match="1 of 1 files could not be imported"):
        run_import(path)
    assert Article.objects.count() == 0
    assert Category.objects.count() == 0

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}: line {line}: " in err.getvalue()
    assert message in err.getvalue()
    assert "Nothing of this file was saved." in err.getvalue()


@pytest.mark.django_db
def test_text_that_is_not_utf8_is_reported_with_its_line(export):
    path = export("标题 |\n新闻类别: 行业动态 浏览量:1 |\n".encode() + "正文。".encode("gb18030"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 3: the file is not UTF-8 text." in err.getvalue()


@pytest.mark.django_db
def test_each_file_is_all_or_nothing(export):
    good = export(*VALID, name="good.txt")
    bad = export("标题 |", "不是类别行", "正文。", "文章来源:联盟 |", name="bad.txt")
    missing = good.parent / "missing.txt"
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="2 of 3 files could not be imported"):
        call_command("import_articles", str(bad), str(good), str(missing), stdout=out, stderr=err)

    assert list(Article.objects.values_list("title_zh_hans", flat=True)) == ["测试文章标题"]
    assert f"{bad}: line 2:" in err.getvalue()
    assert f"{missing}: No such file or directory" in err.getvalue()
    assert "1 created, 0 updated, 0 unchanged, 0 kept as edited, 2 failed." in out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_of_an_article_that_exists_names_it():
    article = ArticleFactory(title_zh_hans=TITLE)
    out, _ = run_import(ORIGINAL, "--dry-run")
    assert f"would skip: article {article.pk} “{TITLE}” differs from the file" in out
    assert "Dry run, nothing was saved: 0 created, 0 updated, 0 unchanged, 1 kept as edited" in out


def test_only_latin_letters_in_parentheses_after_a_character_are_pinyin():
    text = "吳中區(qū)各鎮(區(qū))、縣(市)張華謙(左) 與金曉虎(右)，華為(蘇州)DevCloud、(注)5G(5th)"
    cleaned, removed = remove_pinyin(text)
    assert cleaned == "吳中區各鎮(區)、縣(市)張華謙(左) 與金曉虎(右)，華為(蘇州)DevCloud、(注)5G(5th)"
    assert removed == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("会上,苏州市工业和信息化局发布了体系。", "会上，苏州市工业和信息化局发布了体系。"),
        ("品牌!", "品牌！"),
        ("文章来源:联盟", "文章来源：联盟"),
        ("华为(苏州)DevCloud创新中心", "华为（苏州）DevCloud创新中心"),
        ("张华谦(左) 与金晓虎(右)", "张华谦（左） 与金晓虎（右）"),
        ("Suzhou Inspur Co., Ltd. (Inspur): 5G, cloud!", "Suzhou Inspur Co., Ltd. (Inspur): 5G, cloud!"),
        ("共76家,其中5G(第五代)网络", "共76家，其中5G（第五代）网络"),
    ],
)
def test_ascii_punctuation_becomes_full_width_in_chinese_text_only(text, expected):
    assert full_width_punctuation(text)[0] == expected


def test_a_garbled_category_label_is_still_read():
    parsed = parse("标题 |\n新聞?lì)悇e: 行業(yè)動(dòng)態(tài) 瀏覽量:4,060 |\n正文。\n文章來源:聯盟 |")
    assert (parsed.category, parsed.view_count, parsed.source) == ("行业动态", 4060, "联盟")
