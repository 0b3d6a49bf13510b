"""Django's SQLite backend, converting each statement's placeholders once.

Django writes SQL with `%s` placeholders, and its SQLite backend turns them into
`?` with a regular expression every time a statement runs: about 12 µs for a
service page's longest statement, six statements a page. A worker runs the same
few hundred statements over and over, so each one's converted text is kept.
"""

import functools

from django.db.backends.sqlite3 import base


@functools.lru_cache(maxsize=256)
def qmark_style(query):
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return qmark_style(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
