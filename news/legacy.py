"""Articles exported from the old site: reading, cleaning and saving one export file.

The export (alliance_site/seed/original.txt is one) is line-based:

    line 1      the title, ending in " |"
    line 2      "新闻类别: <category> 浏览量:<views> |" (the label before the category is often garbled)
    then        the body: one paragraph a line, photo captions on lines of their own
    last line   "文章来源:<source> |"

A line "原网址:<path or URL> |" anywhere after the title, when the export has it, is the article's
address on the old site: the import records it as a redirect (news.models.Redirect) to the article.

It is Traditional Chinese with ASCII punctuation, and the old site inserted the pinyin of many
characters in parentheses after them (區(qū)). Cleaning removes the pinyin, converts to
Simplified with OpenCC and makes ASCII punctuation in Chinese text full-width.

The export has no photos, only their captions. A caption becomes an empty photo slot in the
body (<figure> with an empty image and the caption) at the place it stood; editors fill each
slot with one of the article's photos in the admin (image button, then "Browse…").
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils.html import escape

from core.text import pinyin_slug, to_simplified
from news.models import Article, ArticleViews, Category, Redirect

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Han characters, CJK punctuation (、。《》「」…), full-width forms (，：（）) and curly quotes.
_CHINESE = _HAN + "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026"

# Pinyin the old export put after a character: only Latin letters (with tone marks) in
# parentheses directly after a Han character. 县(市), (左), (苏州) are text and stay.
_PINYIN = re.compile(f"(?<=[{_HAN}])\\([A-Za-z\u00c0-\u024f\u1e00-\u1eff]+\\)")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_SEPARATOR = re.compile(r"\s*\|\s*$")

_HEADER = re.compile(r"^[^:：]*[:：]\s*(?P<category>\S.*?)\s+[^\s:：]*[:：]\s*(?P<views>\d[\d,]*)$")
_SOURCE = re.compile(r"^文章来源\s*[:：]\s*(?P<source>.*)$")
_OLD_ADDRESS = re.compile(r"^\s*原(?:文)?网址\s*[:：]\s*(?P<address>\S+?)\s*(?:\|\s*)?$")
# A body line that does not end a sentence is a photo caption ("潘明 苏州浪潮云计算有限公司总经理").
_SENTENCE_END = tuple("。！？；：…”」』")
CAPTION_MAX_LENGTH = 100

TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
CATEGORY_MAX_LENGTH = Category._meta.get_field("name").max_length
SOURCE_MAX_LENGTH = Article._meta.get_field("source").max_length
PARAGRAPH, CAPTION = "paragraph", "caption"


class LegacyFormatError(ValueError):
    """The file is not an export of the old site; `line` is where it stops making sense."""

    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Block:
    kind: str  # PARAGRAPH or CAPTION
    text: str
    line: int


@dataclass
class LegacyArticle:
    title: str
    category: str
    view_count: int
    source: str
    blocks: list = field(default_factory=list)
    pinyin_removed: int = 0
    punctuation_converted: int = 0
    old_address: str = ""

    @property
    def paragraphs(self):
        return [block for block in self.blocks if block.kind == PARAGRAPH]

    @property
    def captions(self):
        return [block for block in self.blocks if block.kind == CAPTION]

    def body_html(self):
        parts = []
        for block in self.blocks:
            if block.kind == PARAGRAPH:
                parts.append(f"<p>{escape(block.text)}</p>")
            else:
                parts.append(f'<figure><img src="" alt=""><figcaption>{escape(block.text)}</figcaption></figure>')
        return "".join(parts)


_CHINESE_CHARACTER = re.compile(f"[{_CHINESE}]")


def _is_chinese(character):
    return bool(character) and _CHINESE_CHARACTER.match(character) is not None


def _neighbour(text, index, step):
    """The nearest character that is not a space, before (step -1) or after (step 1) `index`."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t\u00a0":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def remove_pinyin(text):
    """'吳中區(qū)' -> '吳中區'; returns the text and how many annotations were removed."""
    return _PINYIN.subn("", text)


def full_width_punctuation(text):
    """ASCII , : ; ! ? ( ) in Chinese text -> ， ： ； ！ ？ （ ）; Latin text keeps its own.

    A mark is in Chinese text when the character next to it is. Parentheses change as a pair,
    when they hold Chinese or stand next to it: 华为(苏州)DevCloud -> 华为（苏州）DevCloud.
    """
    count = 0

    def pair(match):
        nonlocal count
        start, end = match.span()
        inner = match.group(1)
        if (
            any(_is_chinese(c) for c in inner)
            or _is_chinese(_neighbour(text, start, -1))
            or _is_chinese(_neighbour(text, end - 1, 1))
        ):
            count += 2
            return f"（{inner}）"
        return match.group(0)

    text = _PARENTHESES.sub(pair, text)
    characters = list(text)
    for index, character in enumerate(characters):
        replacement = _FULL_WIDTH.get(character)
        if replacement and (_is_chinese(_neighbour(text, index, -1)) or _is_chinese(_neighbour(text, index, 1))):
            characters[index] = replacement
            count += 1
    return "".join(characters), count


def parse(text):
    """A LegacyArticle from the text of an export file; LegacyFormatError if it is not one."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    addresses = [match["address"] for _number, line in lines[1:] if (match := _OLD_ADDRESS.match(line))]
    lines = lines[:1] + [(number, line) for number, line in lines[1:] if not _OLD_ADDRESS.match(line)]
    if not lines:
        raise LegacyFormatError(1, "the file is empty.")
    pinyin_removed = punctuation_converted = 0

    def simplified(line):
        nonlocal pinyin_removed
        line, removed = remove_pinyin(_SEPARATOR.sub("", line.strip()))
        pinyin_removed += removed
        return to_simplified(line).strip()

    def clean(line):
        nonlocal punctuation_converted
        line, converted = full_width_punctuation(simplified(line))
        punctuation_converted += converted
        return line

    title_line, title = lines[0][0], clean(lines[0][1])
    if not title:
        raise LegacyFormatError(title_line, "the title is empty.")
    if len(title) > TITLE_MAX_LENGTH:
        raise LegacyFormatError(title_line, f"the title has {len(title)} characters; at most {TITLE_MAX_LENGTH}.")
    if len(lines) < 2:
        raise LegacyFormatError(title_line + 1, "the category and view count line is missing.")

    header_line, raw_header = lines[1]
    header = _HEADER.match(simplified(raw_header))
    if header is None:
        raise LegacyFormatError(
            header_line,
            f"expected the category and view count (新闻类别: 行业动态 浏览量:4060 |), found “{raw_header.strip()}”.",
        )
    category = header["category"].strip()
    if len(category) > CATEGORY_MAX_LENGTH:
        raise LegacyFormatError(header_line, f"the category name has more than {CATEGORY_MAX_LENGTH} characters.")

    source_line, raw_source = lines[-1]
    source = _SOURCE.match(clean(raw_source)) if len(lines) > 2 else None
    if source is None:
        raise LegacyFormatError(
            source_line,
            f"the last line should name the source (文章来源: 苏州市工业互联网产业联盟 |), "
            f"found “{raw_source.strip()}”. Is the file complete?",
        )
    if len(source["source"]) > SOURCE_MAX_LENGTH:
        raise LegacyFormatError(source_line, f"the source has more than {SOURCE_MAX_LENGTH} characters.")

    blocks = []
    for number, line in lines[2:-1]:
        text = clean(line)
        is_caption = len(text) <= CAPTION_MAX_LENGTH and not text.endswith(_SENTENCE_END)
        blocks.append(Block(CAPTION if is_caption else PARAGRAPH, text, number))
    if not any(block.kind == PARAGRAPH for block in blocks):
        raise LegacyFormatError(source_line, "the article has no text between the view count and the source.")

    return LegacyArticle(
        title=title,
        category=category,
        view_count=int(header["views"].replace(",", "")),
        source=source["source"].strip(),
        blocks=blocks,
        pinyin_removed=pinyin_removed,
        punctuation_converted=punctuation_converted,
        old_address=old_path(addresses[0]) if addresses else "",
    )


def old_path(address):
    """The path (with its query) of an old-site address given as a URL or a path: /news/show-123.html."""
    parts = urlsplit(address.strip())
    path = parts.path if parts.path.startswith("/") else f"/{parts.path}"
    return f"{path}?{parts.query}" if parts.query else path


def read_file(path):
    """The text of an export file (UTF-8); LegacyFormatError names the first line that is not."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LegacyFormatError(line, "the file is not UTF-8 text.") from None


CREATED, UPDATED, UNCHANGED, KEPT = "created", "updated", "unchanged", "kept"


@dataclass
class ImportResult:
    parsed: LegacyArticle
    outcome: str  # CREATED, UPDATED, UNCHANGED (same as the file) or KEPT (differs; not overwritten)
    article: Article
    category_created: bool


def import_file(path, *, dry_run=False, update=False, old_address=""):
    """Import one export file, all or nothing. Raises LegacyFormatError (nothing saved) or returns an ImportResult.

    An article is the same article when its Simplified title is the file's title: importing a
    file again creates nothing. An existing article that differs from the file (an editor may
    have worked on it) is kept as it is unless `update` is true. With `dry_run` the import runs
    in full and is then rolled back, so the result says exactly what an import would do.

    The article's old address (`old_address`, else the file's 原网址 line) becomes a redirect to it;
    an address already redirecting elsewhere is left as it is.
    """
    parsed = parse(read_file(path))
    if old_address:
        parsed.old_address = old_path(old_address)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {Path(path).name}")
        result = _save(parsed, update=update)
        if parsed.old_address:
            Redirect.objects.get_or_create(old_path=parsed.old_address, defaults={"article": result.article})
        if dry_run:
            transaction.set_rollback(True)
    return result


def _save(parsed, *, update):
    category, category_created = _category(parsed.category)
    body = Article._meta.get_field("body").sanitize(parsed.body_html())
    article = Article.objects.filter(title_zh_hans=parsed.title).order_by("pk").first()
    if article is None:
        article = Article.objects.create(
            title_zh_hans=parsed.title,
            body_zh_hans=body,
            category=category,
            source_zh_hans=parsed.source,
            status=Article.Status.DRAFT,
        )
        ArticleViews.raise_to(article.pk, parsed.view_count)
        return ImportResult(parsed, CREATED, article, category_created)

    wanted = {"body_zh_hans": body, "category_id": category.pk, "source_zh_hans": parsed.source}
    changed = {name: value for name, value in wanted.items() if getattr(article, name) != value}
    if not changed:
        outcome = UNCHANGED
    elif not update:
        outcome = KEPT
    else:
        for name, value in changed.items():
            setattr(article, name, value)
        article.save()
        outcome = UPDATED
    # The old site's count is a floor: views counted here since the first import are kept.
    ArticleViews.raise_to(article.pk, parsed.view_count)
    return ImportResult(parsed, outcome, article, category_created)


def _category(name):
    category = Category.objects.filter(name_zh_hans=name).first()
    if category is not None:
        return category, False
    base = pinyin_slug(name, max_length=90) or "category"
    slug, suffix = base, 2
    while Category.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    order = (Category.objects.aggregate(last=Max("order"))["last"] or 0) + 1
    return Category.objects.create(name_zh_hans=name, slug=slug, order=order), True
