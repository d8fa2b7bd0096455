"""Factories for test data: real rows in a real database, never mocks of the ORM."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from compliance.models import PrivacyPolicy
from events.models import Event, EventKind, Registration
from members.models import AlliancePosition, Organisation, OrganisationKind, Person, Role
from news.models import Article, ArticlePhoto, ArticleViews, Attachment, Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership


def image_file(name="photo.jpg", size=(800, 600), color=(10, 74, 143), image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def pdf_file(name="document.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-good-long-password")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set([Group.objects.get(name=name) for name in names])
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_zh_hans = factory.Sequence(lambda n: f"苏州测试科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Suzhou Test Technology Co., Ltd. {n}")
    kind = OrganisationKind.ENTERPRISE
    is_member = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_zh_hans = factory.Sequence(lambda n: f"张{n}")
    name_en = factory.Sequence(lambda n: f"Zhang {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title_zh_hans = "总经理"
    job_title_en = "General Manager"


class AlliancePositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlliancePosition

    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CO_PRESIDENT


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name_zh_hans = factory.Sequence(lambda n: f"苏州市工业互联网产业联盟测试区办事处{n}")
    name_en = factory.Sequence(lambda n: f"Test District Office {n}")
    short_name_zh_hans = factory.Sequence(lambda n: f"测试区办事处{n}")
    district_zh_hans = "测试区"
    district_en = "Test District"
    founded_on = datetime.date(2021, 5, 1)


class CouncilSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSeat

    office = factory.SubFactory(OfficeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.DIRECTOR


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    office = factory.SubFactory(OfficeFactory)
    name_zh_hans = factory.Sequence(lambda n: f"测试专委会{n}")
    name_en = factory.Sequence(lambda n: f"Test Committee {n}")


class CommitteeSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSeat

    committee = factory.SubFactory(CommitteeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class OfficeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMembership

    office = factory.SubFactory(OfficeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    batch = 1


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name_zh_hans = "行业动态"
    name_en = "Industry News"
    slug = "industry-news"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title_zh_hans = factory.Sequence(lambda n: f"工业互联网测试新闻第{n}篇")
    title_en = factory.Sequence(lambda n: f"Industrial internet test news {n}")
    body_zh_hans = "<p>苏州市工业互联网产业联盟召开会议。</p>"
    body_en = "<p>The alliance held a meeting.</p>"
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=1, minutes=n))


def give_views(article, count):
    """Store `count` views of `article`, as flush_view_counts would have added them."""
    ArticleViews.objects.update_or_create(article=article, defaults={"count": count})


class ArticlePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    image = factory.LazyFunction(image_file)
    caption_zh_hans = "会议现场"
    caption_en = "At the meeting"
    alt_text_zh_hans = "会场"
    alt_text_en = "The meeting room"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    article = factory.SubFactory(ArticleFactory)
    file = factory.LazyFunction(pdf_file)
    title_zh_hans = "考评指标体系"
    title_en = "Evaluation index system"


class PrivacyPolicyFactory(factory.django.DjangoModelFactory):
    """A new version of the privacy policy, in force from a moment ago (the next number after the highest)."""

    class Meta:
        model = PrivacyPolicy

    version = factory.LazyFunction(PrivacyPolicy.next_version_number)
    title_zh_hans = "隐私政策"
    title_en = "Privacy policy"
    body_zh_hans = factory.LazyAttribute(lambda policy: f"第{policy.version}版：秘书处处理您填写的个人信息。")
    body_en = factory.LazyAttribute(
        lambda policy: f"Version {policy.version}: the secretariat processes what you enter."
    )
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(seconds=1))


class EventFactory(factory.django.DjangoModelFactory):
    """A published forum a week from now, two hours long, open for registration with no limit."""

    class Meta:
        model = Event

    title_zh_hans = factory.Sequence(lambda n: f"工业互联网论坛{n}")
    kind = EventKind.FORUM
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=2))
    venue_zh_hans = "苏州智能制造研究院1号楼"
    address_zh_hans = "苏州市吴中区"
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"报名人{n}")
    organisation_name = "苏州测试科技有限公司"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = Registration.Status.CONFIRMED
