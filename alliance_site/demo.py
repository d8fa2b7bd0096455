"""Demo content: the alliance's own Wuzhong founding article and everything it names.

Read from alliance_site/seed/ (see its README). Loading is idempotent: a row is created when
missing and updated only where it differs, so a second run changes nothing. The whole load is
one transaction.
"""

import datetime
import io
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import reversion
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from members.models import AlliancePosition, Organisation, OrganisationKind, Person, Role
from news.models import Article, ArticlePhoto, ArticleViews, Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership

SEED_DIR = Path(__file__).resolve().parent / "seed"
TIME_ZONE = ZoneInfo("Asia/Shanghai")

CATEGORIES = [
    ("industry-news", "行业动态", "Industry News"),
    ("alliance-news", "联盟动态", "Alliance News"),
    ("notices", "通知公告", "Notices"),
    ("policy", "政策法规", "Policies and Regulations"),
]
KINDS = {
    "enterprise": OrganisationKind.ENTERPRISE,
    "telecom operator": OrganisationKind.TELECOM_OPERATOR,
    "research institute": OrganisationKind.RESEARCH_INSTITUTE,
    "university": OrganisationKind.UNIVERSITY,
    "government": OrganisationKind.GOVERNMENT,
    "alliance": OrganisationKind.ASSOCIATION,
}
ROLES = {
    "会长": Role.PRESIDENT,
    "副会长": Role.VICE_PRESIDENT,
    "秘书长": Role.SECRETARY_GENERAL,
    "理事": Role.DIRECTOR,
    "主任": Role.CHAIR,
    "副主任": Role.DEPUTY_CHAIR,
    "联席会长": Role.CO_PRESIDENT,
    "常务副会长": Role.EXECUTIVE_VICE_PRESIDENT,
}
OFFICE_SLUGS = {"wuzhong-district-office": "wuzhong"}
COMMITTEE_SLUGS = {"wuzhong-5g-special-committee": "wuzhong-5g"}


@dataclass
class ParsedArticle:
    """An article file of the seed: `# title`, a `key: value` header, paragraphs and captions."""

    title: str
    header: dict
    blocks: list = field(default_factory=list)  # ("p", text) or ("caption", text)


def parse_article_markdown(text):
    lines = text.splitlines()
    title = lines[0].removeprefix("# ").strip()
    header, index = {}, 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and lines[index].strip():
        key, _, value = lines[index].partition(":")
        header[key.strip()] = value.strip()
        index += 1
    article = ParsedArticle(title=title, header=header)
    for line in lines[index:]:
        line = line.strip()
        if not line:
            continue
        if line.startswith("caption:"):
            article.blocks.append(("caption", line.removeprefix("caption:").strip()))
        elif re.match(r"^(文章来源|Source)[:：]", line):
            continue  # shown from the source field
        else:
            article.blocks.append(("p", line))
    return article


def upsert(model, lookup, values):
    """Create the row, or update the fields that differ; saves nothing when all match."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save()
    return instance, False


class DemoLoader:
    def __init__(self, seed_dir=SEED_DIR, log=print):
        self.seed_dir = Path(seed_dir)
        self.log = log
        self.entities = json.loads((self.seed_dir / "entities.json").read_text(encoding="utf-8"))
        self.organisations = {}
        self.people = {}
        self.created = 0

    def _upsert(self, model, lookup, values):
        instance, created = upsert(model, lookup, values)
        self.created += created
        return instance

    def load(self):
        # One revision for the whole load: each row's history starts with "Demo content loaded".
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Demo content loaded.")
            self.load_categories()
            self.load_organisations()
            self.load_people()
            self.load_alliance_positions()
            office = self.load_office()
            self.load_article(office)
        self.log(f"Demo content loaded: {self.created} rows created.")

    def load_categories(self):
        for order, (slug, name_zh, name_en) in enumerate(CATEGORIES):
            self._upsert(Category, {"slug": slug}, {"name_zh_hans": name_zh, "name_en": name_en, "order": order})

    def load_organisations(self):
        skipped = set(OFFICE_SLUGS) | set(COMMITTEE_SLUGS)
        for item in self.entities["organisations"]:
            if item["id"] in skipped:
                continue
            as_given = item.get("name_as_given", {})
            notes = [f"{key}: {value}" for key, value in item.items() if key.endswith(("_basis", "_note"))]
            self.organisations[item["id"]] = self._upsert(
                Organisation,
                {"slug": item["id"]},
                {
                    "name_zh_hans": item["name"]["zh-hans"],
                    "name_en": item["name"]["en"],
                    "short_name_zh_hans": as_given.get("zh-hans", ""),
                    "short_name_en": as_given.get("en", ""),
                    "kind": KINDS.get(item["kind"], OrganisationKind.OTHER),
                    "is_member": item.get("alliance_member") is True,
                    "staff_notes": "\n".join(notes),
                },
            )
        for organisation in self.organisations.values():
            if organisation.is_member and not organisation.logo:
                organisation.logo.save("logo.png", placeholder_logo(organisation), save=True)

    def load_people(self):
        for item in self.entities["people"]:
            job = next(
                (
                    p
                    for p in item["positions"]
                    if p["organisation"] in self.organisations
                    and self.organisations[p["organisation"]].kind != OrganisationKind.ASSOCIATION
                ),
                None,
            )
            self.people[item["id"]] = self._upsert(
                Person,
                {"slug": item["id"]},
                {
                    "name_zh_hans": item["name"]["zh-hans"],
                    "name_en": item["name"]["en"],
                    "organisation": self.organisations[job["organisation"]] if job else None,
                    "job_title_zh_hans": job["title"]["zh-hans"] if job else "",
                    "job_title_en": job["title"]["en"] if job else "",
                },
            )

    def load_alliance_positions(self):
        for order, item in enumerate(self.entities["alliance"]["leadership"]):
            organisation = self.organisations.get(item["person_organisation"]) if item["person_organisation"] else None
            self._upsert(
                AlliancePosition,
                {"role": ROLES[item["position"]["zh-hans"]], "representative": self.people[item["person"]]},
                {"organisation": organisation, "sort_order": order},
            )

    def load_office(self):
        item = self.entities["offices"]["known"][0]
        founded = datetime.date.fromisoformat(item["founded"])
        alliance_name, ordinal = self.entities["alliance"]["name"]["zh-hans"], item["ordinal_as_given"]
        office = self._upsert(
            Office,
            {"slug": OFFICE_SLUGS[item["id"]]},
            {
                "name_zh_hans": item["name"]["zh-hans"],
                "name_en": item["name"]["en"],
                "short_name_zh_hans": item["short_name"]["zh-hans"],
                "short_name_en": item["short_name"]["en"],
                "district_zh_hans": item["district"]["zh-hans"],
                "district_en": item["district"]["en"],
                "ordinal": item["ordinal"],
                "founded_on": founded,
                "venue_zh_hans": item["venue"]["zh-hans"],
                "venue_en": item["venue"]["en"],
                "uses_alliance_charter": item["charter"]["uses_alliance_charter"],
                "founding_member_count": item["first_batch_member_count"],
                "founding_council_size": item["council"]["size"],
                "description_zh_hans": alliance_name + ordinal["zh-hans"].removeprefix("联盟") + "。",
                "description_en": ordinal["en"][0].upper() + ordinal["en"][1:] + ".",
            },
        )
        for order, seat in enumerate(item["council"]["seats"]):
            organisation = self.organisations[seat["organisation"]]
            self._upsert(
                CouncilSeat,
                {"office": office, "organisation": organisation, "ended_on": None},
                {"role": ROLES[seat["role"]["zh-hans"]], "started_on": founded, "sort_order": order},
            )
            # Council seats are held by the office's member units.
            self._upsert(
                OfficeMembership,
                {"office": office, "organisation": organisation, "left_on": None},
                {"joined_on": founded, "batch": 1},
            )
        for committee_item in item["committees"]:
            committee = self._upsert(
                Committee,
                {"slug": COMMITTEE_SLUGS[committee_item["id"]]},
                {
                    "office": office,
                    "name_zh_hans": committee_item["name"]["zh-hans"],
                    "name_en": committee_item["name"]["en"],
                    "short_name_zh_hans": committee_item["short_name"]["zh-hans"],
                    "short_name_en": committee_item["short_name"]["en"],
                    "founded_on": datetime.date.fromisoformat(committee_item["founded"]),
                },
            )
            for order, seat in enumerate(committee_item["seats"]):
                self._upsert(
                    CommitteeSeat,
                    {
                        "committee": committee,
                        "organisation": self.organisations[seat["organisation"]],
                        "ended_on": None,
                    },
                    {"role": ROLES[seat["role"]["zh-hans"]], "started_on": committee.founded_on, "sort_order": order},
                )
        return office

    def load_article(self, office):
        meta = self.entities["article"]
        zh = parse_article_markdown((self.seed_dir / "article.zh-hans.md").read_text(encoding="utf-8"))
        en = parse_article_markdown((self.seed_dir / "article.en.md").read_text(encoding="utf-8"))
        published = datetime.datetime.combine(
            datetime.date.fromisoformat(meta["published"]), datetime.time(12, 0), tzinfo=TIME_ZONE
        )
        article = Article.objects.filter(title_zh_hans=zh.title).first()
        if article is None:
            article = Article.objects.create(
                title_zh_hans=zh.title,
                title_en=en.title,
                category=Category.objects.get(slug="industry-news"),
                status=Article.Status.PUBLISHED,
                published_at=published,
                source_zh_hans=meta["source"]["zh-hans"],
                source_en=meta["source"]["en"],
            )
            ArticleViews.raise_to(article.pk, meta["views"])
            self.created += 1
        if not article.cover:
            article.cover_alt_zh_hans = zh.title
            article.cover_alt_en = en.title
            article.cover.save("cover.jpg", placeholder_cover(zh.title, en.title), save=True)
        photos = self.load_photos(article, meta["captions"])
        body_values = {
            "body_zh_hans": article_body_html(zh.blocks, photos, "zh_hans"),
            "body_en": article_body_html(en.blocks, photos, "en"),
        }
        upsert(Article, {"pk": article.pk}, body_values)
        article.refresh_from_db()
        for relation, wanted in (
            ("offices", [office]),
            ("organisations", list(self.organisations.values())),
            ("people", list(self.people.values())),
        ):
            manager = getattr(article, relation)
            if set(manager.all()) != set(wanted):
                manager.set(wanted)
        return article

    def load_photos(self, article, captions):
        photos = []
        for caption in captions:
            people = [self.people[p["person"]] for p in caption["people"]]
            values = {
                "caption_zh_hans": caption["zh-hans"],
                "caption_en": caption["en"],
                "alt_text_zh_hans": "、".join(p.name_zh_hans for p in people),
                "alt_text_en": " and ".join(p.name_en for p in people),
            }
            photo = ArticlePhoto.objects.filter(article=article, order=caption["index"]).first()
            if photo is None:
                photo = ArticlePhoto(article=article, order=caption["index"], **values)
                photo.image.save(f"seed-photo-{caption['index']}.jpg", placeholder_photo(caption), save=False)
                photo.save()
                self.created += 1
            else:
                upsert(ArticlePhoto, {"pk": photo.pk}, values)
            if set(photo.people_shown.all()) != set(people):
                photo.people_shown.set(people)
            photos.append(photo)
        return photos


def article_body_html(blocks, photos, language):
    """Paragraphs as <p>; each caption as a figure showing the next photo."""
    parts, photo_iter = [], iter(photos)
    for kind, text in blocks:
        if kind == "p":
            parts.append(f"<p>{escape(text)}</p>")
            continue
        photo = next(photo_iter)
        alt = getattr(photo, f"alt_text_{language}") or photo.alt_text_zh_hans
        parts.append(
            f'<figure><img src="{escape(photo.image.url)}" alt="{escape(alt)}" data-file="{photo.pk}">'
            f"<figcaption>{escape(text)}</figcaption></figure>"
        )
    return Article._meta.get_field("body").sanitize("".join(parts))


_CJK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
]


def placeholder_photo(caption, size=(1200, 800)):
    """A JPEG standing in for a photo that is not in the seed, labelled with its caption."""
    image = Image.new("RGB", size, (10, 74, 143))
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        shade = int(40 * y / size[1])
        draw.line([(0, y), (size[0], y)], fill=(10 + shade, 74 + shade, 143 + shade))
    font_path = next((path for path in _CJK_FONTS if Path(path).exists()), None)
    if font_path:
        text, font = caption["zh-hans"], ImageFont.truetype(font_path, 44)
        lines = textwrap.wrap(text, 22)
    else:
        text, font = caption["en"], ImageFont.load_default(size=44)
        lines = textwrap.wrap(text, 44)
    draw.text((60, 60), "PHOTO", fill=(255, 255, 255), font=ImageFont.load_default(size=28))
    y = size[1] - 80 - 60 * len(lines)
    for line in lines:
        draw.text((60, y), line, fill=(255, 255, 255), font=font)
        y += 60
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="placeholder.jpg")


def _font(size, chinese=True):
    font_path = next((path for path in _CJK_FONTS if Path(path).exists()), None) if chinese else None
    return ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default(size=size)


def placeholder_cover(title_zh, title_en, size=(1600, 900)):
    """A JPEG standing in for an article's cover photo, with its title on a blue gradient."""
    image = Image.new("RGB", size, (6, 51, 95))
    draw = ImageDraw.Draw(image)
    for x in range(size[0]):
        shade = int(70 * x / size[0])
        draw.line([(x, 0), (x, size[1])], fill=(6 + shade // 2, 51 + shade, 95 + shade))
    for step in range(0, size[0] + size[1], 90):  # a light grid, like a circuit board
        draw.line([(step, 0), (step - size[1], size[1])], fill=(40, 110, 170), width=2)
    has_cjk_font = any(Path(path).exists() for path in _CJK_FONTS)
    text, width = (title_zh, 16) if has_cjk_font else (title_en, 34)
    y = size[1] - 120 - 80 * len(textwrap.wrap(text, width))
    draw.text((80, 80), "COVER", fill=(255, 255, 255), font=ImageFont.load_default(size=32))
    for line in textwrap.wrap(text, width):
        draw.text((80, y), line, fill=(255, 255, 255), font=_font(60, has_cjk_font))
        y += 80
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="cover.jpg")


def placeholder_logo(organisation, size=(480, 240)):
    """A PNG standing in for an organisation's logo: its monogram on a coloured square and its short name."""
    hue = sum(organisation.slug.encode()) % 6
    colour = [(10, 74, 143), (194, 65, 12), (21, 128, 61), (126, 34, 206), (190, 18, 60), (14, 116, 144)][hue]
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([(20, 40), (180, 200)], radius=28, fill=(*colour, 255))
    has_cjk_font = any(Path(path).exists() for path in _CJK_FONTS)
    name = organisation.short_name_zh_hans or organisation.name_zh_hans
    if not has_cjk_font:
        name = organisation.short_name_en or organisation.name_en
    mark = name[:1].upper()
    draw.text((100, 120), mark, fill=(255, 255, 255), font=_font(96, has_cjk_font), anchor="mm")
    label = name[:4] if has_cjk_font else name[:8]
    draw.text((200, 120), label, fill=(*colour, 255), font=_font(60 if has_cjk_font else 44, has_cjk_font), anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name="logo.png")
