"""Content that fills the home page and the lists the way a working site does, on top of the demo.

The demo has one real article; the design of the home page (a lead story, headlines with
thumbnails, a notices column) shows only with more. Used by the screenshot and layout-shift
tests, and by hand for a look: `DEBUG=1 ENV_FILE= .venv/bin/python manage.py shell -c
"from tests.design_content import add_design_content; add_design_content()"`.
"""

import datetime

from django.utils import timezone

from alliance_site.demo import placeholder_cover
from news.models import Article, ArticlePhoto, Category
from tests.factories import image_file

NEWS = [
    ("工业互联网标识解析二级节点在苏州上线", "Industrial internet identifier node goes live in Suzhou"),
    ("联盟走访吴中区智能制造示范企业", "The alliance visits smart-manufacturing model firms in Wuzhong"),
    ("5G专委会召开工业园区网络建设研讨会", "5G committee discusses networks for industrial parks"),
    ("苏州发布制造业数字化转型三年行动计划", "Suzhou publishes a three-year plan for digital manufacturing"),
]
NOTICES = [
    ("关于征集2026年工业互联网优秀案例的通知", "Call for 2026 industrial internet case studies"),
    ("关于召开联盟理事会第二次会议的通知", "Notice of the council's second meeting"),
    ("关于开展会员单位信息更新工作的通知", "Members are asked to update their details"),
]


def add_design_content():
    """Four more news articles (three with covers, one with only a photo) and three notices."""
    news = Category.objects.get(slug="alliance-news")
    notices = Category.objects.get(slug="notices")
    now = timezone.now()
    for number, (zh, en) in enumerate(NEWS):
        article = Article.objects.create(
            title_zh_hans=zh,
            title_en=en,
            body_zh_hans=f"<p>{zh}。联盟会员单位参加了活动。</p>",
            body_en=f"<p>{en}. Member organisations took part.</p>",
            category=news,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=number + 1),
            cover_alt_zh_hans=zh,
            cover_alt_en=en,
        )
        if number == 2:  # no cover: the list shows its first photo
            ArticlePhoto.objects.create(
                article=article,
                image=image_file("photo.jpg", size=(1200, 800), color=(21, 128, 61)),
                alt_text_zh_hans="会议现场",
                alt_text_en="At the meeting",
            )
        else:
            article.cover.save("cover.jpg", placeholder_cover(zh, en), save=True)
    for number, (zh, en) in enumerate(NOTICES):
        Article.objects.create(
            title_zh_hans=zh,
            title_en=en,
            body_zh_hans=f"<p>{zh}。</p>",
            body_en=f"<p>{en}.</p>",
            category=notices,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=number + 2),
        )
