"""One importer for every content file: a restored backup, content moved between
sites, and the Boston sample.

The whole document is checked before anything is written, and every problem is
reported with its place in the file (``services “public-schools”, assurances #2:
statement_es: ...``). A file with any problem writes nothing.

The checks are written out here rather than as a JSON Schema: most of what can go
wrong is only known with the models and the database at hand (a phone number's
pattern, a rule only "what the city cannot control" may go without, a category
that exists on this site, a record that is itself a draft copy), so Django's own
model validation and a look-up do that part in any case, with the messages the
admin's forms give. What is left (JSON types, lengths, characters, dates and the
shape of a translation state) is read from the same model fields as the export, in
a few short functions whose messages never quote a hostile value back.

Then every record is written in one transaction, each one validated again by
Django with its references in place. A dry run makes the very same writes and
rolls them back, so a dry run and a real run always agree; a database error rolls
everything back and becomes one more problem, never a traceback.
"""

import datetime
import enum
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import translation

from services.content_io.document import (
    DRAFT_OF,
    FORMAT,
    SECTIONS,
    SITE,
    SITE_MODEL,
    TOP_LEVEL_KEYS,
    VERSION,
    has_drafts,
    has_slug,
    record_keys,
    reference_fields,
    value_fields,
)
from services.models import (
    EARLIEST_DAY,
    LATEST_DAY,
    LONG_TEXT,
    field_of,
    part_link,
    parts_of,
    target_of,
)
from services.translations.state import (
    MADE_BY,
    SOURCE_LANGUAGE,
    TARGET_LANGUAGES,
    translated_fields,
)

# Larger than the content of any one city's guide; a bigger file is a mistake
# (a database dump, a log) and would only fill the memory of the command.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Steps, documents, contact points, assurances or sections of one record.
MAX_PARTS = 200
# The ranges PostgreSQL stores, so that a file imported into SQLite also imports
# into PostgreSQL.
INTEGER_RANGES = {
    "PositiveSmallIntegerField": (0, 32767),
    "SmallIntegerField": (-32768, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveBigIntegerField": (0, 9223372036854775807),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
}
# NUL, which PostgreSQL refuses; lone surrogates, which cannot be written as
# UTF-8; and the control characters that are not text and no page may show.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FINGERPRINT = re.compile(r"[0-9a-f]{12}")
# A web address that is safe to repeat in a message; others are shown by number.
PLAIN_ADDRESS = re.compile(r"[-a-zA-Z0-9_]{1,80}")

IMPORT_COMMENT = "Imported from a content file"


class Existing(enum.Enum):
    """What becomes of a record that is already on the site."""

    # A backup or a move: the file's values replace the site's.
    UPDATE = "update"
    # The sample: a record that exists is left exactly as it is, with its parts.
    KEEP = "keep"


class ContentFileError(Exception):
    """A file that cannot be read as a content file at all."""


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    # Records (not their parts), by the name of their kind: {"services": 3}.
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, bucket: dict[str, int], model: type[models.Model]) -> None:
        name = str(model._meta.verbose_name_plural)
        bucket[name] = bucket.get(name, 0) + 1


@dataclass
class Entry:
    """A record or a part, checked, with the file's values set on `obj`."""

    model: type[models.Model]
    obj: models.Model
    where: str
    # Field → the web address of the record it points to (None: points nowhere).
    references: dict[str, str | None]
    # Relation → its parts; a relation the file leaves out is left as it is.
    parts: dict[str, list["Entry"]] = field(default_factory=dict)
    # Already on the site, and left exactly as it is.
    kept: models.Model | None = None


def content_file_read(*, path: str | Path) -> Any:
    """The parsed JSON of a content file, or ContentFileError saying why not."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ContentFileError(
            f"Could not read {path}: {error.strerror or error}."
        ) from error
    if len(raw) > MAX_FILE_BYTES:
        raise ContentFileError(
            f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, more than "
            "any guide's content: is it the right file?"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentFileError(
            f"{path} is not UTF-8 text (byte {error.start + 1} cannot be read)."
        ) from error
    if not text.strip():
        raise ContentFileError(f"{path} is empty.")
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, object_pairs_hook=_object
        )
    except json.JSONDecodeError as error:
        raise ContentFileError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from error
    except RecursionError as error:
        raise ContentFileError(
            f"{path} is nested too deeply to be a content file."
        ) from error
    except ValueError as error:  # a number too long to read, a key twice
        reason = str(error).split(";")[0].rstrip(".")
        raise ContentFileError(f"{path} is not a content file: {reason}.") from error


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a content file may hold.")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"“{_shown(key)}” appears twice in one object.")
            seen.add(key)
    return result


def content_import(
    *,
    data: Any,
    dry_run: bool = False,
    existing: Existing = Existing.UPDATE,
    comment: str = IMPORT_COMMENT,
) -> ImportReport:
    """Check the whole document, then write all of it, or nothing.

    Records are matched by their web address (a draft copy by the record it is a
    copy of; the site profile is the one there is). Each written record gets a
    history version with `comment`, so it can be restored from its History.
    """
    report = ImportReport()
    # Messages in English, and the untranslated columns written from English.
    with translation.override(SOURCE_LANGUAGE):
        plan = _Check(data, existing, report.problems).plan()
        if report.ok:
            _write(plan, report=report, dry_run=dry_run, comment=comment)
    return report


def _found(value: Any) -> str:
    """What the file holds instead of what was expected, in words."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool | int | float):
        return _shown(value)
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _shown(value: Any, limit: int = 40) -> str:
    """A short, printable form of a value from the file, to quote in a message."""
    if isinstance(value, bool | int | float) or value is None:
        value = json.dumps(value)
    if not isinstance(value, str):
        return _found(value)
    text = "".join(
        char if char.isprintable() else f"\\u{ord(char):04x}" for char in value[:limit]
    )
    return text + ("…" if len(value) > limit else "")


def _quoted(value: Any) -> str:
    return f"“{_shown(value)}”" if isinstance(value, str) else _found(value)


def _text_problem(value: str, limit: int | None) -> str | None:
    if limit is not None and len(value) > limit:
        return f"{len(value):,} characters, more than the {limit:,} it may hold."
    bad = NOT_TEXT.search(value)
    if bad:
        return (
            f"character {bad.start() + 1} (U+{ord(bad.group()):04X}) is not text "
            "and cannot be stored."
        )
    return None


def _value(model_field: models.Field, value: Any) -> tuple[Any, str | None]:
    """The value to set for a field from the file's, or why it cannot be."""
    if value is None:
        if model_field.null:
            return None, None
        return None, "expected a value, found nothing (null)."
    kind = model_field.get_internal_type()
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value, None
        return None, f"expected true or false, found {_found(value)}."
    if kind in INTEGER_RANGES:
        if not isinstance(value, int) or isinstance(value, bool):
            return None, f"expected a whole number, found {_found(value)}."
        low, high = INTEGER_RANGES[kind]
        if not low <= value <= high:
            return None, f"{_shown(value)} is not between {low} and {high}."
        return value, None
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        return _date(value)
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(value, str):
            return None, f"expected text, found {_found(value)}."
        problem = _text_problem(value, model_field.max_length or LONG_TEXT)
        if problem:
            return None, problem
        if model_field.choices:
            allowed = [str(choice) for choice, _label in model_field.flatchoices]
            if value not in allowed:
                return None, f"“{_shown(value)}” is not one of: {', '.join(allowed)}."
        return value, None
    # A kind of field the content has not had so far: refused, so that nothing
    # reaches the database unchecked.
    return None, "this kind of field cannot be imported."


def _json_value(model_field: models.Field, value: Any) -> list[str]:
    """Problems with a structured value (opening hours), from the field's own
    validators: the messages the admin gives."""
    try:
        if len(json.dumps(value)) > LONG_TEXT:
            return [f"more than the {LONG_TEXT:,} characters it may hold."]
        model_field.run_validators(value)
    except (TypeError, ValueError):
        return [f"expected an object, found {_found(value)}."]
    except ValidationError as error:
        return list(error.messages)
    return []


def _date(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not DATE.fullmatch(value):
        return None, f"expected a date written YYYY-MM-DD, found {_quoted(value)}."
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None, f"{value} is not a day of the calendar."
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        return None, f"{value} is not between {EARLIEST_DAY} and {LATEST_DAY}."
    return day, None


def _translation_status(model: type[models.Model], value: Any) -> list[str]:
    """What is wrong with a record's translation states (see translations/state)."""
    if not isinstance(value, dict):
        return [f"expected an object of languages, found {_found(value)}."]
    fields = sorted(translated_fields(model))
    name = model._meta.verbose_name
    example = '["reviewed", "3f2a9c0e1b7d"]'
    problems = []
    for language, entries in value.items():
        if language not in TARGET_LANGUAGES:
            problems.append(
                f"“{_shown(language)}” is not a language this site translates "
                f"into ({', '.join(TARGET_LANGUAGES)})."
            )
            continue
        if not isinstance(entries, dict):
            problems.append(
                f"{language}: expected an object of fields, found {_found(entries)}."
            )
            continue
        for field_name, entry in entries.items():
            place = f"{language}: {_shown(field_name)}"
            if field_name not in fields:
                problems.append(
                    f"{language}: “{_shown(field_name)}” is not a translated field "
                    f"of a {name} ({', '.join(fields)})."
                )
            elif not isinstance(entry, list) or len(entry) != 2:
                problems.append(
                    f"{place}: expected [who made it, fingerprint], such as "
                    f"{example}, found {_found(entry)}."
                )
            elif not isinstance(entry[0], str) or entry[0] not in MADE_BY:
                problems.append(
                    f"{place}: “{_shown(entry[0])}” is not who made a "
                    f"translation ({', '.join(MADE_BY)})."
                )
            elif not isinstance(entry[1], str) or not FINGERPRINT.fullmatch(entry[1]):
                problems.append(
                    f"{place}: expected the fingerprint of its English, 12 "
                    f"characters 0-9 and a-f, found {_shown(entry[1])}."
                )
    return problems


def _published(model: type[models.Model]) -> models.QuerySet:
    manager = model._default_manager
    return manager.filter(draft_of__isnull=True) if has_drafts(model) else manager.all()


def _is_address(model: type[models.Model], value: Any) -> bool:
    """Can `value` be looked up as a web address (nothing a database refuses)?"""
    if not isinstance(value, str):
        return False
    slug_field = field_of(model, "slug")
    if _text_problem(value, slug_field.max_length):
        return False
    try:
        slug_field.run_validators(value)
    except ValidationError:
        return False
    return True


def _clean(
    obj: models.Model,
    where: str,
    problems: list[str],
    *,
    exclude: set[str],
    unique: bool,
) -> bool:
    """Django's own validation, with the messages the admin's forms give."""
    try:
        obj.full_clean(exclude=sorted(exclude), validate_unique=unique)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = "" if name == NON_FIELD_ERRORS else f"{name}: "
            problems.append(f"{where}: {label}{' '.join(messages)}")
        return False
    return True


class _Check:
    """Reads the whole document and plans its writes; problems go to `problems`."""

    def __init__(self, data: Any, existing: Existing, problems: list[str]):
        self.data = data
        self.existing = existing
        self.problems = problems
        # The web addresses the file holds, by model, for its references.
        self.in_file: dict[type[models.Model], set[str]] = {}
        self.drafts_in_file: dict[type[models.Model], set[str]] = {}
        # The records named so far, as the site has them: many parts name one.
        self.on_site: dict[tuple[type[models.Model], str], models.Model | None] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def plan(self) -> list[Entry]:
        if not self.header():
            return []
        self.collect_addresses()
        plan = []
        site = self.data.get(SITE)
        if site is not None:
            entry = self.record(SITE_MODEL, site, SITE, number=1, seen={})
            if entry is not None:
                plan.append(entry)
        for section, model in SECTIONS:
            published: list[Entry] = []
            drafts: list[Entry] = []
            seen: dict[tuple[str, str], int] = {}
            for number, record in enumerate(self.data.get(section, []), start=1):
                entry = self.record(model, record, section, number=number, seen=seen)
                if entry is not None:
                    is_draft = entry.references.get(DRAFT_OF) is not None
                    (drafts if is_draft else published).append(entry)
            # Originals first: a draft copy points to the record it copies.
            plan += published + drafts
        return plan

    def header(self) -> bool:
        data = self.data
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = "" if isinstance(data, dict) else f" (it holds {_found(data)})"
            self.problem(
                "",
                f"This is not a content file of this guide{found}: a content file "
                f"is an object with “format”: “{FORMAT}”.",
            )
            return False
        version = data.get("version")
        if type(version) is not int or version != VERSION:
            self.problem(
                "",
                f"This file has version {_quoted(version)}; this site reads version "
                f"{VERSION}.",
            )
            return False
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.problem(
                    "",
                    f"“{_shown(key)}” is not part of a content file (it holds "
                    f"{', '.join(sorted(TOP_LEVEL_KEYS))}).",
                )
        if not isinstance(data.get("exported_at", ""), str):
            found = _found(data["exported_at"])
            self.problem("exported_at", f"expected text, found {found}.")
        if not isinstance(data.get(SITE), dict | None):
            self.problem(SITE, f"expected an object, found {_found(data[SITE])}.")
        for section, _model in SECTIONS:
            if not isinstance(data.get(section, []), list):
                found = _found(data[section])
                self.problem(section, f"expected a list of records, found {found}.")
        return not self.problems

    def collect_addresses(self) -> None:
        for section, model in SECTIONS:
            self.in_file[model], self.drafts_in_file[model] = set(), set()
            for record in self.data.get(section, []):
                if isinstance(record, dict) and isinstance(record.get("slug"), str):
                    is_draft = has_drafts(model) and record.get(DRAFT_OF) is not None
                    bucket = self.drafts_in_file if is_draft else self.in_file
                    bucket[model].add(record["slug"])

    def record(
        self,
        model: type[models.Model],
        record: Any,
        section: str,
        *,
        number: int,
        seen: dict[tuple[str, str], int],
    ) -> Entry | None:
        where = section if model is SITE_MODEL else f"{section} #{number}"
        if not isinstance(record, dict):
            found = _found(record)
            self.problem(
                where, f"expected an object with the record's fields, found {found}."
            )
            return None
        slug = record.get("slug") if has_slug(model) else None
        draft_of = record.get(DRAFT_OF) if has_drafts(model) else None
        if isinstance(slug, str) and PLAIN_ADDRESS.fullmatch(slug):
            where = f"{section} “{slug}”"
        if draft_of is not None:
            where += " (draft copy)"
        self.unknown_keys(record, record_keys(model), where)

        stored: models.Model | None = None
        if model is SITE_MODEL:
            stored = SITE_MODEL._default_manager.filter(pk=1).first()
        # A bad address is reported with the record's fields below.
        elif (
            isinstance(slug, str)
            and _is_address(model, slug)
            and (draft_of is None or _is_address(model, draft_of))
        ):
            key = ("draft of", draft_of) if draft_of is not None else ("", slug)
            if key in seen:
                self.problem(
                    where,
                    f"appears twice in the file (also as {section} #{seen[key]}).",
                )
            else:
                seen[key] = number
                stored = self.stored(model, slug, draft_of)

        kept = stored if stored is not None and self.existing is Existing.KEEP else None
        if kept is not None:
            # Checked in full all the same, on a copy that is never saved.
            obj = model._default_manager.get(pk=kept.pk)
        else:
            obj = stored or model()
        entry = self.entry(
            model, obj, record, where, new=stored is None or kept is not None
        )
        entry.kept = kept
        for relation, part_model in parts_of(model):
            if relation in record:
                entry.parts[relation] = self.parts(
                    model, part_model, record[relation], f"{where}, {relation}"
                )
        return entry

    def parts(
        self,
        model: type[models.Model],
        part_model: type[models.Model],
        items: Any,
        where: str,
    ) -> list[Entry]:
        if not isinstance(items, list):
            self.problem(where, f"expected a list, found {_found(items)}.")
            return []
        if len(items) > MAX_PARTS:
            self.problem(where, f"{len(items):,} of them, more than {MAX_PARTS}.")
            return []
        parts = []
        for index, item in enumerate(items, start=1):
            part_where = f"{where} #{index}"
            if not isinstance(item, dict):
                self.problem(
                    part_where,
                    f"expected an object with its fields, found {_found(item)}.",
                )
                continue
            self.unknown_keys(item, record_keys(part_model, parent=model), part_where)
            parts.append(
                self.entry(
                    part_model, part_model(), item, part_where, new=True, parent=model
                )
            )
        return parts

    def unknown_keys(self, record: dict, known: set[str], where: str) -> None:
        for key in record:
            if key not in known:
                self.problem(
                    where,
                    f"“{_shown(key)}” is not a field of this kind of record (a "
                    "misspelling, or a file from a newer version of the guide?).",
                )

    def stored(
        self, model: type[models.Model], slug: str, draft_of: str | None
    ) -> models.Model | None:
        if draft_of is not None:
            # One working copy per record: the admin opens the existing one.
            return model._default_manager.filter(
                draft_of__slug=draft_of, draft_of__draft_of=None
            ).first()
        return _published(model).filter(slug=slug).first()

    def entry(
        self,
        model: type[models.Model],
        obj: models.Model,
        record: dict,
        where: str,
        *,
        new: bool,
        parent: type[models.Model] | None = None,
    ) -> Entry:
        # Not validated here: the untranslated columns mirror the English ones,
        # and a part's record is only known once written.
        excluded = set(translated_fields(model)) | {
            model_field.name
            for model_field in model._meta.concrete_fields
            if parent is not None and model_field.related_model is parent
        }
        for model_field in value_fields(model):
            name = model_field.name
            if name not in record:
                if new and not model_field.blank and not model_field.has_default():
                    self.problem(where, f"“{name}” is missing.")
                    excluded.add(name)
                continue
            value = record[name]
            if model_field.name == "translation_status":
                problems = _translation_status(model, value)
            elif isinstance(model_field, models.JSONField):
                problems = _json_value(model_field, value)
            else:
                value, message = _value(model_field, value)
                problems = [message] if message else []
            for problem in problems:
                self.problem(where, f"{name}: {problem}")
            if problems:
                excluded.add(name)
            else:
                setattr(obj, model_field.attname, value)

        references: dict[str, str | None] = {}
        for model_field in reference_fields(model, parent=parent):
            name = model_field.name
            if name not in record:
                if new and not model_field.null:
                    self.problem(where, f"“{name}” is missing.")
                    excluded.add(name)
                continue
            value = record[name]
            ok, stored = self.reference(model, model_field, value, record, where)
            if not ok:
                excluded.add(name)
                continue
            references[name] = value
            if value is None or stored is not None:
                setattr(obj, name, stored)
            else:
                excluded.add(name)  # in the file only: validated once written
        _clean(obj, where, self.problems, exclude=excluded, unique=False)
        return Entry(model=model, obj=obj, where=where, references=references)

    def reference(
        self,
        model: type[models.Model],
        model_field: models.ForeignKey,
        value: Any,
        record: dict,
        where: str,
    ) -> tuple[bool, models.Model | None]:
        """Does the record named exist (in the file or on the site), and which is
        it on the site?"""
        target = target_of(model_field)
        name = model_field.name
        target_name = target._meta.verbose_name
        if value is None:
            if model_field.null:
                return True, None
            self.problem(
                where,
                f"{name}: a {model._meta.verbose_name} needs its {target_name}, "
                "found nothing (null).",
            )
            return False, None
        if not _is_address(target, value):
            message = f"expected the web address of a {target_name}"
            self.problem(where, f"{name}: {message}, found {_quoted(value)}.")
            return False, None
        if (target, value) not in self.on_site:
            self.on_site[target, value] = _published(target).filter(slug=value).first()
        stored = self.on_site[target, value]
        if stored is not None or value in self.in_file.get(target, set()):
            return True, stored
        published = "published " if has_drafts(target) else ""
        if name == DRAFT_OF and value == record.get("slug"):
            self.problem(
                where,
                f"{name}: names this very record, and there is no published "
                f"{target_name} “{value}” for it to be a draft copy of.",
            )
        elif (
            value in self.drafts_in_file.get(target, set())
            or target._default_manager.filter(slug=value).exists()
        ):
            self.problem(
                where,
                f"{name}: “{value}” is itself a draft copy; name a published "
                f"{target_name}.",
            )
        else:
            self.problem(
                where,
                f"{name}: there is no {published}{target_name} “{value}” in the file "
                "or on this site.",
            )
        return False, None


def _write(
    plan: list[Entry], *, report: ImportReport, dry_run: bool, comment: str
) -> None:
    writer = _Writer(report)
    try:
        with transaction.atomic():
            with reversion.create_revision():
                reversion.set_comment(comment)
                for entry in plan:
                    writer.write(entry)
            # A dry run goes this far too, so that it meets whatever a real run
            # would meet; then nothing is kept.
            if report.problems or dry_run:
                transaction.set_rollback(True)
    except (DatabaseError, ValueError, OverflowError) as error:
        # Whatever the checks missed: the transaction is rolled back.
        lines = str(error).strip().splitlines()
        detail = _shown(lines[0], limit=200) if lines else ""
        report.problems.append(
            "The database refused the file, so nothing was written: "
            f"{type(error).__name__} {detail}".strip()
        )
    if report.problems:
        report.created, report.updated, report.kept = {}, {}, {}
    report.written = report.ok and not dry_run


class _Writer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.problems = report.problems
        # What this import wrote or kept, by web address, for what points to it.
        self.saved: dict[tuple[type[models.Model], str], models.Model] = {}

    def write(self, entry: Entry) -> None:
        model = entry.model
        if entry.kept is not None:
            self.report.count(self.report.kept, model)
            self.remember(entry.kept)
            return
        obj = entry.obj
        if not self.resolve(entry) or not self.valid(entry):
            return
        created = obj.pk is None
        obj.save()
        self.report.count(
            self.report.created if created else self.report.updated, model
        )
        self.remember(obj)
        for relation, parts in entry.parts.items():
            parent = part_link(model, relation).name
            getattr(obj, relation).all().delete()
            for part in parts:
                setattr(part.obj, parent, obj)
                if self.resolve(part) and self.valid(part):
                    part.obj.save()

    def valid(self, entry: Entry) -> bool:
        """Validated again with what it points to in place: the rules that
        involve another record (an assurance's rule, a unique address)."""
        # Its values were checked already; what is left are its references and
        # the rules on the whole record.
        exclude = set(translated_fields(entry.model)) | {
            model_field.name for model_field in value_fields(entry.model)
        }
        return _clean(
            entry.obj, entry.where, self.problems, exclude=exclude, unique=True
        )

    def remember(self, obj: models.Model) -> None:
        model = type(obj)
        if has_slug(model) and not (
            has_drafts(model) and obj.serializable_value(DRAFT_OF)
        ):
            self.saved[(model, obj.serializable_value("slug"))] = obj

    def resolve(self, entry: Entry) -> bool:
        """Point the record at what it names: written just now, or on the site."""
        for name, address in entry.references.items():
            target = target_of(field_of(entry.model, name))
            found = None
            if address is not None:
                found = self.saved.get((target, address))
                found = found or _published(target).filter(slug=address).first()
                if found is None:
                    self.problems.append(
                        f"{entry.where}: {name}: “{address}” is no longer on this site."
                    )
                    return False
            setattr(entry.obj, name, found)
        return True
