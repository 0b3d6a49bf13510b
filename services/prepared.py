"""Reads that the ORM writes once and each page only runs.

Django turns a queryset into SQL every time it is evaluated. For the handful of
small, indexed reads of a public page that compiling costs several times more
than running them (about 0.5 ms a query against 0.05 ms). A `PreparedQuery` lets
the ORM write a read once per process, language and database, with marker values
where the page's own values go (a slug, an id), and then runs that SQL with the
real values, making ordinary model instances from the rows as the ORM would.

A prepared read may `select_related()`, not `prefetch_related()`: the records
of a relation are a prepared read of their own, given to their parent with
`attach()`. The ORM still writes every statement, so quoting, column names and
the database's own dialect stay Django's.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.utils.translation import get_language

DEFAULT_LANGUAGE = "en"


class Marker:
    """Where a page's own value goes. A marker compiles to a parameter that no
    real value takes, which `PreparedQuery` finds and replaces on each run."""

    def __init__(self, name, kind=str):
        self.name = name
        self.kind = kind


def _marker_values(markers):
    values = {}
    for index, marker in enumerate(markers):
        if marker.kind is int:
            values[marker.name] = -(10**15) - index
        else:
            values[marker.name] = f"\x00marker:{marker.name}\x00"
    return values


class PreparedQuery:
    """`build(language, **values)` returns the queryset; call the prepared query
    with the values (as keywords) to get a list of instances."""

    def __init__(self, build, *markers):
        self.build = build
        self.markers = markers
        self._compiled = {}

    def _compile(self, language):
        stand_ins = _marker_values(self.markers)
        queryset = self.build(language, **stand_ins)
        compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        fields = (compiler.klass_info or {}).get("select_fields")
        if fields != list(range(len(fields or ()))) or not fields:
            msg = f"{self.build.__name__}: only querysets of model instances."
            raise ValueError(msg)
        slots = {}
        for name, stand_in in stand_ins.items():
            positions = [i for i, value in enumerate(params) if value == stand_in]
            if not positions:
                msg = f"{self.build.__name__}: the value {name!r} is never used."
                raise ValueError(msg)
            slots[name] = positions
        columns = [expression for expression, _sql, _alias in compiler.select]
        return Compiled(
            model=queryset.model,
            sql=sql,
            params=list(params),
            slots=slots,
            attnames=tuple(columns[i].target.attname for i in fields),
            annotations=dict(compiler.annotation_col_map),
            converters=compiler.get_converters(columns),
            related=related_parts(compiler.klass_info, columns),
        )

    def __call__(self, *, language=None, cursor=None, **values):
        """The records for these values, in `language`: by default the active one.
        A page making several reads can look its language up once and open one
        `cursor` for all of them (see `reading()`)."""
        language = language or get_language() or DEFAULT_LANGUAGE
        compiled = self._compiled.get(language)
        if compiled is None:
            compiled = self._compiled[language] = self._compile(language)
        params = compiled.params.copy()
        for name, positions in compiled.slots.items():
            for position in positions:
                params[position] = values[name]
        connection = connections[DEFAULT_DB_ALIAS]
        if cursor is None:
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, params)
                rows = list(cursor)
        else:
            cursor.execute(compiled.sql, params)
            rows = list(cursor)
        return [compiled.instance(row, connection) for row in rows]


def reading():
    """`with reading() as cursor:` one cursor for several prepared reads of a
    page, which Django would otherwise make, check and close for each."""
    return connections[DEFAULT_DB_ALIAS].cursor()


@dataclass(frozen=True)
class Compiled:
    model: type
    sql: str
    params: list
    slots: dict  # value name -> positions in params
    attnames: tuple  # the model's columns the SQL selects, in their order
    annotations: dict  # annotation name -> position in the row
    converters: dict  # position -> (converters, expression), as Django's compiler
    related: list

    def instance(self, row, connection):
        """A model instance from a row, as the ORM would have made it."""
        row = list(row)
        for position, (converters, expression) in self.converters.items():
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        instance = new_instance(self.model, self.attnames, row)
        for part in self.related:
            part.fill(instance, row)
        for name, position in self.annotations.items():
            relation, _, attribute = name.rpartition("__")
            if relation:  # "<relation>__<name>" belongs to a related record
                record = getattr(instance, relation)
                if record is not None:
                    record.__dict__[attribute] = row[position]
            else:
                instance.__dict__[name] = row[position]
        return instance


def new_instance(model, attnames, values):
    """What `Model.from_db()` makes, without `Model.__init__`, whose walk over
    every field of twelve languages (and its signals) costs more than the read:
    the loaded columns go straight into the instance, the others stay deferred,
    exactly as from_db leaves them. Nothing listens for these models' creation
    but django-modeltranslation, whose listener only undoes its own __init__
    wrapper (a test keeps it so)."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = DEFAULT_DB_ALIAS
    instance.__dict__.update(zip(attnames, values, strict=False))
    return instance


@dataclass(frozen=True)
class RelatedPart:
    """A record of select_related() in each row: its columns and where it goes,
    as Django's own RelatedPopulator would put it."""

    model: type
    attnames: tuple
    start: int
    end: int
    pk_index: int
    local_setter: object
    remote_setter: object
    nested: list

    def fill(self, parent, row):
        values = row[self.start : self.end]
        if values[self.pk_index] is None:  # an empty LEFT JOIN: no such record
            self.local_setter(parent, None)
            return
        record = new_instance(self.model, self.attnames, values)
        for part in self.nested:
            part.fill(record, row)
        self.local_setter(parent, record)
        self.remote_setter(record, parent)


def related_parts(klass_info, columns):
    parts = []
    for info in klass_info.get("related_klass_infos", []):
        fields = info["select_fields"]
        if info["from_parent"] or fields != list(range(fields[0], fields[-1] + 1)):
            msg = "Prepared reads do not follow inherited models."
            raise ValueError(msg)
        attnames = tuple(columns[i].target.attname for i in fields)
        parts.append(
            RelatedPart(
                model=info["model"],
                attnames=attnames,
                start=fields[0],
                end=fields[-1] + 1,
                pk_index=attnames.index(info["model"]._meta.pk.attname),
                local_setter=info["local_setter"],
                remote_setter=info["remote_setter"],
                nested=related_parts(info, columns),
            )
        )
    return parts


def attach(instance, name, objects):
    """Give `instance.<name>.all()` these objects, as `prefetch_related` would,
    each knowing `instance` as its parent without asking the database."""
    relation = type(instance)._meta.get_field(name)
    objects = list(objects)
    for obj in objects:
        relation.field.set_cached_value(obj, instance)
    # Filtered to this instance, so that anything chained on it still asks the
    # database about this instance's records only. The filter waits until it is
    # needed, as in Django's own related managers (QuerySet._deferred_filter):
    # building it costs more than the read.
    queryset = QuerySet(relation.related_model)
    queryset._deferred_filter = (False, (), {relation.field.name: instance.pk})
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def prepared(*markers):
    """`@prepared(Marker("slug"))` over `def read(language, *, slug)` that returns a
    queryset makes `read(slug=...)` a prepared query in the reader's language."""

    def decorate(build):
        return PreparedQuery(build, *markers)

    return decorate
