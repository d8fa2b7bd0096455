"""CSV / XLSX import and export of redirects from the old site's addresses.

Rows are matched by their old address (`old_path`); `article` is an article's id, or `new_path` a
path on this site. An import is all or nothing, with a preview (a dry run) first.
"""

from import_export import fields, widgets

from core.resources import AllOrNothingResource
from news.models import Article, Redirect


class RedirectResource(AllOrNothingResource):
    article = fields.Field(attribute="article", column_name="article", widget=widgets.ForeignKeyWidget(Article))

    class Meta:
        model = Redirect
        fields = ["old_path", "article", "new_path"]
        import_id_fields = ["old_path"]
        skip_unchanged = True
        report_skipped = True
