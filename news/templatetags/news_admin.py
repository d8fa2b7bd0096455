from django import template

from news.dashboard import editorial_dashboard
from news.models import may_preview_articles

register = template.Library()


@register.simple_tag(takes_context=True)
def article_dashboard(context):
    """The editorial dashboard for the signed-in user (None for staff who may not see articles).

    `?article=<id>` on the admin index chooses the article charted beside the site's views.
    """
    request = context["request"]
    if not may_preview_articles(request.user):
        return None
    article = request.GET.get("article", "")
    return editorial_dashboard(request.user, int(article) if article.isdigit() and len(article) < 18 else None)
