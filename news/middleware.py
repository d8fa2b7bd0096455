import re

from news.counting import is_person, record_view

# The article template renders its view count inside this element; the count is filled in
# per request, so a page served from the cache shows the current number.
VIEW_COUNT = re.compile(rb'(<data class="view-count" value=")\d+(">)[^<]*(</data>)')


class ViewCountMiddleware:
    """Counts article views by people, including views of cached pages, and shows the total.

    It sits outside the page cache, so cached pages are counted, and inside conditional GET
    handling, so a browser revalidating its copy (a reload) is counted too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        counted = getattr(response, "counted_article", None)
        if counted and request.method == "GET" and response.status_code == 200 and is_person(request):
            article_id, stored = counted
            total = record_view(article_id, stored)
            if total is not None:
                number = str(total).encode()
                response.content = VIEW_COUNT.sub(
                    rb"\g<1>" + number + rb"\g<2>" + number + rb"\g<3>", response.content, count=1
                )
        return response
