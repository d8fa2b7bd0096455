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
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from events.models import Event, EventKind
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
            article = self.load_article(office)
            self.load_events(office, article)
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

    def load_events(self, office, article):
        """The founding meeting the seed article reports on (past), and an upcoming salon with few places."""
        meta = self.entities["article"]
        day = datetime.date.fromisoformat(meta["published"])
        founding = self._upsert(
            Event,
            {"title_zh_hans": "苏州市工业互联网产业联盟吴中区办事处成立大会"},
            {
                "title_en": "Founding meeting of the Wuzhong District Office",
                "kind": EventKind.CONFERENCE,
                "summary_zh_hans": (
                    "“工业互联·造优吴中”吴中区办事处成立大会，同步发布《苏州市工业互联网区域考评指标体系》。"
                ),
                "summary_en": (
                    "The Wuzhong District Office is founded; Suzhou's regional industrial internet "
                    "evaluation index system is released."
                ),
                "starts_at": datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=TIME_ZONE),
                "ends_at": datetime.datetime.combine(day, datetime.time(11, 30), tzinfo=TIME_ZONE),
                "venue_zh_hans": "苏州智能制造研究院1号楼",
                "venue_en": "Building 1, Suzhou Intelligent Manufacturing Research Institute",
                "address_zh_hans": "苏州市吴中区",
                "address_en": "Wuzhong District, Suzhou",
                "registration_enabled": False,
                "status": Event.Status.PUBLISHED,
                "published_at": datetime.datetime.combine(
                    day - datetime.timedelta(days=14), datetime.time(9, 0), tzinfo=TIME_ZONE
                ),
            },
        )
        if set(founding.offices.all()) != {office}:
            founding.offices.set([office])
        if article.event_id != founding.pk:
            Article.objects.filter(pk=article.pk).update(event=founding)
        starts = datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=30), datetime.time(14, 0), tzinfo=TIME_ZONE
        )
        upcoming = Event.objects.filter(title_zh_hans="工业互联网平台应用沙龙（吴中）").first()
        if upcoming is None:
            upcoming = Event.objects.create(
                title_zh_hans="工业互联网平台应用沙龙（吴中）",
                title_en="Industrial internet platforms in practice: a salon (Wuzhong)",
                kind=EventKind.SALON,
                summary_zh_hans="会员单位分享工业互联网平台在制造企业中的应用案例，名额有限。",
                summary_en=(
                    "Member organisations share how manufacturers use industrial internet platforms. Few places."
                ),
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2, minutes=30),
                venue_zh_hans="苏州智能制造研究院1号楼",
                venue_en="Building 1, Suzhou Intelligent Manufacturing Research Institute",
                address_zh_hans="苏州市吴中区",
                address_en="Wuzhong District, Suzhou",
                capacity=5,
                status=Event.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            upcoming.offices.set([office])
            self.created += 1
        return founding, upcoming

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
