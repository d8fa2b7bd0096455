"""Services going away in the middle of a test, as they do in production."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def database_unreachable():
    """The database server goes away: every new connection fails, as when it is down."""
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/unreachable.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(original)
