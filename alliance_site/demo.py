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
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import uscc

from compliance.models import PrivacyPolicy, SiteSettings
from events.models import Event, EventKind
from members.models import AlliancePosition, Organisation, OrganisationKind, Person, Role
from membership.models import (
    Action,
    ApplicationEvent,
    Liaison,
    MemberDocument,
    MembershipApplication,
    MembershipPeriod,
    Stage,
)
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
DEMO_LIAISON = "liaison"
DEMO_CONSENT_AT = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
# Fictitious applicants, each with the trail of decisions that brought it to its stage.
DEMO_APPLICATIONS = [
    ("苏州示例智能制造有限公司", Stage.SUBMITTED, [(Action.SUBMIT, Stage.SUBMITTED, "")]),
    (
        "苏州示例工业软件有限公司",
        Stage.RETURNED,
        [
            (Action.SUBMIT, Stage.SUBMITTED, ""),
            (Action.RETURN, Stage.RETURNED, "营业执照扫描件不清晰，请重新上传。"),
        ],
    ),
    (
        "苏州示例数据科技有限公司",
        Stage.COUNCIL,
        [(Action.SUBMIT, Stage.SUBMITTED, ""), (Action.ACCEPT, Stage.COUNCIL, "材料齐全。")],
    ),
    (
        "苏州示例贸易有限公司",
        Stage.REJECTED,
        [
            (Action.SUBMIT, Stage.SUBMITTED, ""),
            (Action.SECRETARIAT_REJECT, Stage.REJECTED, "业务范围与工业互联网无关。"),
        ],
    ),
]


def demo_credit_code(number):
    """A valid unified social credit code for demo applicant `number` (check character per GB 32100-2015)."""
    first = f"91320506MA{number:07d}"
    return first + uscc.calc_check_digit(first)


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
            self.load_membership(office)
            self.load_site_settings()
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

    def load_membership(self, office):
        """Applications in several stages, one liaison (user "liaison"; `ensure_admin` sets and
        prints its password), membership periods and a member-only document."""
        policy = PrivacyPolicy.objects.current()  # version 1 comes with compliance's migrations
        staff = None
        for number, (name, stage, trail) in enumerate(DEMO_APPLICATIONS, start=1):
            code = demo_credit_code(number)
            application, created = upsert(
                MembershipApplication,
                {"credit_code": code},
                {
                    "name": name,
                    "kind": OrganisationKind.ENTERPRISE,
                    "address": "江苏省苏州市吴中区示例路1号",
                    "description": f"{name}是一家示例企业（演示数据）。",
                    "contact_name": f"联系人{number}",
                    "contact_title": "总经理助理",
                    "contact_mobile": f"+861391234{number:04d}",
                    "contact_email": f"applicant{number}@example.org",
                    "stage": stage,
                    "consent_given_at": DEMO_CONSENT_AT if policy else None,
                    "consent_policy": policy,
                },
            )
            if created:
                self.created += 1
                application.offices.set([office])
                source = ""
                for action, target, comment in trail:
                    ApplicationEvent.objects.create(
                        application=application,
                        action=action,
                        source=source,
                        target=target,
                        actor=staff,
                        comment=comment,
                    )
                    source = target
        organisation = next(
            o for o in self.organisations.values() if o.is_member and o.kind == OrganisationKind.ENTERPRISE
        )
        today = timezone.localdate()
        for year in (today.year - 1, today.year):
            self._upsert(
                MembershipPeriod,
                {"organisation": organisation, "year": year},
                {
                    "starts_on": datetime.date(year, 1, 1),
                    "ends_on": datetime.date(year, 12, 31),
                    "amount": 5000,
                    "paid_on": datetime.date(year, 3, 15) if year < today.year else None,
                    "receipt_number": f"SZIIA-{year}-001" if year < today.year else "",
                },
            )
        User = get_user_model()
        user = User.objects.filter(username=DEMO_LIAISON).first()
        if user is None:
            user = User(username=DEMO_LIAISON, email="liaison@example.org", first_name="示例联络员")
            user.set_unusable_password()
            user.save()
            self.created += 1
        self._upsert(Liaison, {"user": user}, {"organisation": organisation})
        if not MemberDocument.objects.filter(title="2025年度工作报告（示例）").exists():
            MemberDocument.objects.create(
                title="2025年度工作报告（示例）",
                title_en="Annual work report 2025 (demo)",
                file=ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="annual-report-2025.pdf"),
                original_name="2025年度工作报告.pdf",
            )
            self.created += 1

    def load_site_settings(self):
        """Footer and about page: the alliance's names from the seed; record numbers, address, telephone
        and e-mail are demo values that no one could take for real ones."""
        alliance = self.entities["alliance"]
        name = alliance["name"]
        offices = alliance["district_offices_as_of_event"]
        values = {
            "icp_number": "苏ICP备00000000号-1",
            "public_security_number": "苏公网安备00000000000000号",
            "organiser_zh_hans": f"{name['zh-hans']}秘书处",
            "organiser_en": f"Secretariat of the {name['en']}",
            "address_zh_hans": "江苏省苏州市（演示地址）",
            "address_en": "Suzhou, Jiangsu (demo address)",
            "phone": "0512-00000000",
            "email": "secretariat@example.org",
            "wechat_name_zh_hans": name["zh-hans"],
            "wechat_name_en": name["en"],
            "introduction_zh_hans": (
                f"{name['zh-hans']}由企业、通信运营商、科研院所和高校组成，共同推进苏州工业互联网建设。"
                f"截至吴中区办事处成立，联盟已在全市设立{offices}个区域办事处。"
                f"联盟依照《{alliance['charter']['zh-hans']}》开展工作。"
            ),
            "introduction_en": (
                f"The {name['en']} brings together enterprises, telecom operators, research institutes and "
                f"universities building the industrial internet in Suzhou. By the founding of the Wuzhong District "
                f"Office it had {offices} district offices across the city. It works under its charter, the "
                f"{alliance['charter']['en']}."
            ),
        }
        settings = self._upsert(SiteSettings, {"pk": 1}, values)
        if not settings.wechat_qr:
            settings.wechat_qr = placeholder_qr()
            settings.save()

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


def placeholder_qr(size=232, module=8):
    """A PNG standing in for the WeChat account's QR code: three finder squares and "DEMO"; it scans as nothing."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x, y in ((module, module), (size - 8 * module, module), (module, size - 8 * module)):
        draw.rectangle([x, y, x + 7 * module - 1, y + 7 * module - 1], fill=(0, 0, 0))
        draw.rectangle([x + module, y + module, x + 6 * module - 1, y + 6 * module - 1], fill=(255, 255, 255))
        draw.rectangle([x + 2 * module, y + 2 * module, x + 5 * module - 1, y + 5 * module - 1], fill=(0, 0, 0))
    draw.text((size // 2 - 44, size // 2 - 16), "DEMO", fill=(0, 0, 0), font=ImageFont.load_default(size=30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="wechat-qr.png")


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
