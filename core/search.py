"""Chinese-aware full-text search shared by news, members and offices.

Each searchable model keeps a `search_document` text column filled from
`core.text.search_document`. On PostgreSQL a migration adds a generated tsvector
column over it with a GIN index (`AddSearchVector`), so a query of any length is answered from
the index. SQLite matches the same tokens with LIKE, with the same results.

This module imports no app of the project.
"""

from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from core.text import search_terms

VECTOR_COLUMN = "search_vector"
# Matches are counted up to this many: beyond it, "more than 1000" is as useful and a one-character
# query, matching most rows, costs no more to count than a rare one.
SEARCH_COUNT_LIMIT = 1000
# A longer query is cut to this many characters.
SEARCH_QUERY_MAX_LENGTH = 100
# first_matches() reads this many rows in order before turning to the index.
FIRST_ROWS = 200


def search_text(value):
    """A search box's value as searched: stripped and cut to SEARCH_QUERY_MAX_LENGTH characters."""
    return value.strip()[:SEARCH_QUERY_MAX_LENGTH]


def _is_bigram(token):
    return len(token) == 2 and not token.isascii()


def tsquery(terms):
    """[['考评', '评指'], ['5g']] -> "考评 <-> 评指 & 5g:*" for to_tsquery('simple', ...)."""
    phrases = []
    for tokens in terms:
        last = tokens[-1] if _is_bigram(tokens[-1]) else f"{tokens[-1]}:*"
        phrases.append(" <-> ".join([*tokens[:-1], last]))
    return " & ".join(f"({phrase})" for phrase in phrases)


def _matches(queryset, terms):
    """PostgreSQL: the condition that a row's search vector matches every term."""
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # The table name comes from the model and the query is a bound parameter.
    return RawSQL(  # noqa: S611
        f"{table}.{VECTOR_COLUMN} @@ to_tsquery('simple'::regconfig, %s)", [tsquery(terms)], output_field=BooleanField()
    )


def filter_by_search(queryset, query):
    """Rows whose search document contains every term of `query`; none for an empty query."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.filter(_matches(queryset, terms))
    queryset = queryset.alias(spaced_search_document=Concat(Value(" "), "search_document", output_field=TextField()))
    for tokens in terms:
        queryset = queryset.filter(spaced_search_document__contains=" " + " ".join(tokens))
    return queryset


def first_matches(queryset, query, count):
    """The first `count` rows of the ordered `queryset` that match `query`, as a list.

    PostgreSQL estimates how many rows a phrase of bigrams matches as if the bigrams were
    independent; for a phrase in a large share of the rows it then picks the index, rechecks and
    sorts tens of thousands of rows, and takes seconds. So the first FIRST_ROWS rows are read in
    order first, which answers any query common enough to be misjudged; a rarer one is answered
    from the index, which is then the fast way.
    """
    terms = search_terms(query)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        first = list(
            queryset.annotate(search_match=_matches(queryset, terms)).values_list("pk", "search_match")[:FIRST_ROWS]
        )
        found = [pk for pk, matches in first if matches][:count]
        if len(found) == count or len(first) < FIRST_ROWS:
            return list(queryset.filter(pk__in=found))
    return list(filter_by_search(queryset, query)[:count])


class AddSearchVector(Operation):
    """PostgreSQL only: a stored tsvector column over `search_document`, with a GIN index."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name):
        self.model_name = model_name

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, from_state):
        return from_state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS '
            f"(to_tsvector('simple'::regconfig, search_document)) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{table}_search_gin" ON "{table}" USING gin ({VECTOR_COLUMN})')

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN {VECTOR_COLUMN}')

    def describe(self):
        return f"Add a search vector to {self.model_name} (PostgreSQL)"

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.model_name], {})
