"""Two people saving the same record: nobody's edit is lost, and nobody is surprised.

A record's change form carries the id of the history version it was opened from
(every save in the admin is a django-reversion revision holding the record and its
parts). A save locks the record's row, then merges each field three ways against
that version: a field only a colleague changed since keeps their value, a field
only this person changed takes theirs, and a field both changed differently
refuses the save, showing the colleague's value beside this person's, who can then
save again from the newer version. Parts (steps, documents, contacts, assurances,
sections) merge the same way one by one; parts added by either side survive; a
part deleted by one and changed by the other refuses the save.

Hooks: `RecordMergeForm` under the record's form, `PartMergeForm` under the
inlines' forms, `EditMergeAdmin` under the ModelAdmin.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from services.admin.bases import ModelAdminMixin, subclass
from services.models import Translatable, part_link, parts_of
from services.translations.state import translated_fields
from services.workflow import conflicts as told
from services.workflow.actions import locked
from services.workflow.conflicts import BOTH, THEIRS, UNKNOWN, comparable

BASE_FIELD = "base_version"
# Kept by the site, never typed, so never merged or compared.
KEPT_BY_THE_SITE = {"updated_at", "translation_status"}
# How far back a form looks for the version it shows (a restore shows an old one).
VERSIONS_SEARCHED = 30

State = dict[tuple[type[models.Model], str], dict[str, Any]]
_M = TypeVar("_M", bound=Translatable)


def not_typed(model: type[models.Model]) -> set[str]:
    """Fields nobody types: those the site keeps, and the column behind each
    translated field (people type name_en, name_es, never name)."""
    return KEPT_BY_THE_SITE | set(translated_fields(model))


def typed_values(
    model: type[models.Model], read: Callable[[str], Any]
) -> dict[str, Any]:
    skipped = not_typed(model)
    return {
        field.attname: comparable(read(field.attname))
        for field in model._meta.concrete_fields
        if field.name not in skipped
    }


def state_now(obj: models.Model) -> State:
    """What is saved now of a record and its parts."""
    records = [obj]
    for relation, _model in parts_of(type(obj)):
        records.extend(getattr(obj, relation).all())
    return {
        (type(record), str(record.pk)): typed_values(
            type(record), functools.partial(getattr, record)
        )
        for record in records
    }


def versions_of_revision(revision_id: int) -> dict[tuple[type, str], Version]:
    found = {}
    for version in Version.objects.filter(revision_id=revision_id).select_related(
        "content_type"
    ):
        model = version.content_type.model_class()
        if model is not None:
            found[(model, version.object_id)] = version
    return found


def links(model: type[models.Model]) -> dict[type[models.Model], str]:
    """For each kind of part of a record: the attname of its link to the record."""
    return {
        part_model: part_link(model, relation).attname
        for relation, part_model in parts_of(model)
    }


def state_in(version: Version, obj: models.Model) -> State:
    """What a version's revision holds of a record and its parts (a revision may
    hold other records too: an import saves many in one)."""
    linked = links(type(obj))
    state = {}
    for (model, pk), recorded in versions_of_revision(version.revision_id).items():
        values = recorded.field_dict
        if (model is type(obj) and pk == str(obj.pk)) or (
            model in linked and values.get(linked[model]) == obj.pk
        ):
            state[(model, pk)] = typed_values(model, values.get)
    return state


def opened_version(obj: models.Model) -> Version | None:
    """The newest history version holding exactly what is saved now: the one a
    form opened now shows. After a restore it is the restored, older one."""
    now = state_now(obj)
    for version in Version.objects.get_for_object(obj)[:VERSIONS_SEARCHED]:
        if state_in(version, obj) == now:
            return version
    return None


def history_record_current(*, obj: models.Model) -> Version:
    """The record's history version of what is saved now, recorded if its latest
    is not that: sample content loaded without history, or a change made outside
    the admin. A form must be opened from a version for its save to be merged."""
    latest = Version.objects.get_for_object(obj).first()
    if latest is not None and state_in(latest, obj) == state_now(obj):
        return latest
    with transaction.atomic(using=router.db_for_write(type(obj))):
        current = locked(type(obj)._default_manager.get(pk=obj.pk))
        latest = Version.objects.get_for_object(current).first()
        if latest is not None and state_in(latest, current) == state_now(current):
            return latest  # a colleague opening it at the same moment recorded it
        with reversion.create_revision():
            reversion.set_comment(
                "Recorded as found: changed outside the admin's forms"
                if latest is not None
                else "As it was before its history here began"
            )
            reversion.add_to_revision(current)
    return Version.objects.get_for_object(current).first()


def set_data(form: MergeForm, name: str, value: Any) -> None:
    """Put a value in a bound form's data, as a browser would post it, so the form
    shows it if it is shown again."""
    if not form.data_copied:
        form.data = form.data.copy()  # the request's own data cannot change
        form.data_copied = True
    key = form.add_prefix(name)
    if isinstance(form.fields[name].widget, forms.CheckboxInput):
        if value:
            form.data[key] = "on"
        else:
            form.data.pop(key, None)
        return
    if isinstance(value, models.Model):
        value = value.pk
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    form.data[key] = "" if value is None else str(value)


class EditMerge:
    """One save of a record's change form, made with the record's row locked: the
    version the form was opened from, and what was merged or refused."""

    def __init__(self, *, record: Translatable, token: str | None) -> None:
        self.record = record
        versions = Version.objects.get_for_object(record)
        self.base = None
        if token and token.isdigit():
            self.base = versions.filter(pk=int(token)).first()
        self.before = versions_of_revision(self.base.revision_id) if self.base else None
        newer = versions.select_related("revision__user")
        if self.base is not None:
            newer = newer.filter(pk__gt=self.base.pk)
        self.newer = list(newer[:20] if self.base is not None else newer[:1])
        # A form shown again is based on what is saved now: its latest version
        # (EditMergeAdmin.change_view recorded one if it was missing).
        latest = versions.values_list("pk", flat=True).first()
        self.token = str(latest) if latest else ""
        self.kept: list[str] = []
        self.both: list[str] = []
        self.lost: list[str] = []
        self.notes: dict[str, str] = {}
        self.told = False

    @property
    def who(self) -> str:
        return told.names(version.revision.user for version in self.newer)

    @property
    def when(self) -> str:
        saved = self.newer[0].revision.date_created if self.newer else None
        return told.moment(saved or self.record.updated_at)

    def before_of(self, model: type[models.Model], pk: Any) -> Any:
        """A record's or part's values in the version the form was opened from."""
        if self.before is None:
            return UNKNOWN
        version = self.before.get((model, str(pk)))
        return version.field_dict if version is not None else UNKNOWN

    def merge_fields(self, form: MergeForm, *, label: str = "") -> None:
        """Merge each field of a bound, cleaned form with what is saved now."""
        instance = form.instance
        before = self.before_of(type(instance), instance.pk)
        for name, field in form.fields.items():
            if field.disabled or name not in form.cleaned_data:
                continue
            model_field = model_field_of(type(instance), name)
            if model_field is None:
                continue
            theirs = getattr(instance, model_field.attname)
            found = told.who_changed(
                form.cleaned_data[name],
                theirs,
                UNKNOWN if before is UNKNOWN else before.get(model_field.attname),
            )
            what = label + capfirst(str(field.label or name))
            if found == THEIRS:
                # Their value stays on the record (construct_instance skips a field
                # missing from cleaned_data) and in the form if it is shown again.
                del form.cleaned_data[name]
                set_data(form, name, theirs)
                form.kept_fields.add(name)
                self.kept.append(what)
            elif found == BOTH:
                form.add_error(
                    name,
                    told.field_conflict(
                        who=self.who,
                        value=told.shown(
                            model_field, getattr(instance, model_field.name)
                        ),
                    ),
                )
                self.both.append(what)

    def merge_part(self, form: MergeForm) -> None:
        note = self.notes.get(form.prefix or "")
        if note:
            form.add_error(None, note)
        if form.instance.pk is None or form.cleaned_data.get("DELETE"):
            return
        label = told.part_label(
            capfirst(form.instance._meta.verbose_name), str(form.instance)
        )
        self.merge_fields(form, label=label + ": ")

    def prepare_parts(
        self,
        *,
        data: QueryDict,
        prefix: str,
        relation: str,
        model: type[models.Model],
        part_fields: Callable[[], dict[str, forms.Field]],
        can_add: bool,
    ) -> None:
        """Before an inline's forms exist, settle in its posted data the parts a
        colleague deleted or changed while this person edited or deleted them.

        `part_fields()` gives the inline form's own fields; built only if needed.
        """
        try:
            total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
            initial = int(data.get(f"{prefix}-INITIAL_FORMS", ""))
        except ValueError:
            return  # the formset reports a broken management form itself
        current = {str(part.pk): part for part in getattr(self.record, relation).all()}
        kind = str(model._meta.verbose_name)
        if self.before is not None:
            known = {key[1] for key in self.before if key[0] is model}
            self.kept.extend(
                told.part_added(told.part_label(kind, str(part)))
                for pk, part in current.items()
                if pk not in known
            )
        fields = functools.cache(part_fields)
        rows = [self.posted_row(data, f"{prefix}-{index}-") for index in range(total)]
        kept_rows, moved_rows, settled = [], [], False
        for row in rows[:initial]:
            pk = row.get("id", "")
            deleting = forms.CheckboxInput().value_from_datadict(
                row, MultiValueDict(), "DELETE"
            )
            if not pk or (pk in current and not deleting):
                kept_rows.append((row, ""))
            elif pk in current:
                before = self.before_of(model, pk)
                if self.changed_since(before, current[pk], row, fields()):
                    # Deleting what a colleague just changed: ask again.
                    row.pop("DELETE", None)
                    settled = True
                    self.both.append(told.part_label(capfirst(kind), str(current[pk])))
                    note = told.part_changed_while_deleted(who=self.who, part=kind)
                    kept_rows.append((row, note))
                else:
                    kept_rows.append((row, ""))
            else:
                settled = True
                if not deleting and self.settle_deleted(
                    row, model, pk, fields, can_add
                ):
                    note = told.part_deleted_while_edited(who=self.who, part=kind)
                    moved_rows.append((row, note))
        if not settled:
            return
        extra_rows = [(row, "") for row in rows[initial:]]
        for key in [key for key in data if key.startswith(f"{prefix}-")]:
            if key[len(prefix) + 1 :].split("-", 1)[0].isdigit():
                del data[key]
        for index, (row, note) in enumerate([*kept_rows, *extra_rows, *moved_rows]):
            for suffix, values in row.lists():
                data.setlist(f"{prefix}-{index}-{suffix}", values)
            if note:
                self.notes[f"{prefix}-{index}"] = note
        data[f"{prefix}-TOTAL_FORMS"] = str(
            len(kept_rows) + len(extra_rows) + len(moved_rows)
        )
        data[f"{prefix}-INITIAL_FORMS"] = str(len(kept_rows))

    def settle_deleted(
        self,
        row: QueryDict,
        model: type[models.Model],
        pk: str,
        fields: Callable[[], dict[str, forms.Field]],
        can_add: bool,
    ) -> bool:
        """A part a colleague deleted after the form was opened, that this person
        did not delete: gone too if they left it alone; if they changed it, kept
        as a new part for them to confirm (True: `row` now posts a new part), or,
        for a translator, who cannot add parts, shown in a message."""
        kind = str(model._meta.verbose_name)
        before = self.before_of(model, pk)
        mine = self.row_values(row, model, fields())
        typed = {
            attname: value
            for attname, value in mine.items()
            if before is UNKNOWN or comparable(value) != comparable(before.get(attname))
        }
        if not typed:
            self.kept.append(
                told.part_removed(told.part_label(kind, self.repr_before(model, pk)))
            )
            return False
        if not can_add:
            self.lost.append(
                told.translation_lost(
                    who=self.who,
                    label=told.part_label(kind, self.repr_before(model, pk)),
                    text=" / ".join(str(value) for value in typed.values()),
                )
            )
            return False
        row["id"] = ""
        self.both.append(told.part_label(capfirst(kind), self.repr_before(model, pk)))
        return True

    @staticmethod
    def posted_row(data: QueryDict, head: str) -> QueryDict:
        """One inline form's posted values, keyed without the form's prefix."""
        row = QueryDict(mutable=True)
        for key in data:
            if key.startswith(head):
                row.setlist(key[len(head) :], data.getlist(key))
        return row

    def repr_before(self, model: type[models.Model], pk: str) -> str:
        version = (self.before or {}).get((model, pk))
        return version.object_repr if version is not None else pk

    @staticmethod
    def row_values(
        row: QueryDict, model: type[models.Model], fields: dict[str, forms.Field]
    ) -> dict[str, Any]:
        """A posted part's values, cleaned as its form would, by model attname."""
        values = {}
        for name, field in fields.items():
            model_field = model_field_of(model, name)
            if model_field is None:
                continue
            raw = field.widget.value_from_datadict(row, MultiValueDict(), name)
            try:
                values[model_field.attname] = field.clean(raw)
            except forms.ValidationError:
                values[model_field.attname] = raw
        return values

    def changed_since(
        self,
        before: Any,
        part: models.Model,
        row: QueryDict,
        fields: dict[str, forms.Field],
    ) -> bool:
        """Whether a colleague changed a part since the form was opened (when that
        is unknown: whether the saved part differs from the posted one)."""
        if before is UNKNOWN:
            before = self.row_values(row, type(part), fields)
        return any(
            comparable(before.get(model_field.attname))
            != comparable(getattr(part, model_field.attname))
            for name in fields
            if (model_field := model_field_of(type(part), name)) is not None
        )

    def tell(self, request: HttpRequest) -> None:
        """Say what happened, once, at the top of the next page."""
        if self.told:
            return
        self.told = True
        record = str(self.record._meta.verbose_name)
        if self.both:
            messages.error(
                request,
                told.refusal(
                    who=self.who,
                    when=self.when,
                    record=record,
                    both=self.both,
                    kept=self.kept,
                    base_known=self.before is not None,
                ),
            )
        elif self.kept:
            messages.info(
                request,
                told.kept_message(
                    who=self.who, when=self.when, record=record, kept=self.kept
                ),
            )
        for text in self.lost:
            messages.warning(request, text)


def model_field_of(model: type[models.Model], name: str) -> models.Field | None:
    """The typed model field behind a form field, or None (the id, a form-only
    field, or one the site keeps itself)."""
    for field in model._meta.concrete_fields:
        if field.name == name:
            return None if field.primary_key or name in not_typed(model) else field
    return None


class MergeForm(forms.ModelForm):
    """A record's or a part's form whose save keeps what a colleague saved since
    the form was opened (see EditMerge)."""

    # Set by EditMergeAdmin: for a save of an existing record, its merge; for a
    # form being opened, the history version it shows.
    edit_merge: EditMerge | None = None
    opened_as: Version | None = None
    # The posted data, or a copy of it once the merge changed it (set_data).
    data: QueryDict | dict[str, Any]

    def __init__(
        self, *args: Any, edit_merge: EditMerge | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if edit_merge is not None:
            self.edit_merge = edit_merge
        self.kept_fields: set[str] = set()
        self.data_copied = False

    @property
    def changed_data(self) -> list[str]:
        """What this person changed: never a colleague's value the merge kept, so
        translation states and the history name only this person's edits."""
        return [
            name
            for name in super().changed_data
            if name not in self.kept_fields and name != BASE_FIELD
        ]


class VersionInput(forms.HiddenInput):
    """Hidden, so no label points at it (HTML wants a label's control visible)."""

    def id_for_label(self, id_: str) -> str:
        return ""


class RecordMergeForm(MergeForm):
    """The record's own form: it carries the version it was opened from."""

    base_version = forms.CharField(
        label=_("opened from history version"), widget=VersionInput, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            version = self.opened_as or opened_version(self.instance)
            self.initial[BASE_FIELD] = str(version.pk) if version else ""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.edit_merge is not None and self.instance.pk:
            self.edit_merge.merge_fields(self)
            if self.data.get(self.add_prefix(BASE_FIELD)) != self.edit_merge.token:
                # Shown again, the form is based on what is saved now.
                set_data(self, BASE_FIELD, self.edit_merge.token)
        return cleaned


class PartMergeForm(MergeForm):
    """A part's form in an inline (a step, a contact, an assurance...)."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.edit_merge is not None:
            self.edit_merge.merge_part(self)
        return cleaned


class EditMergeAdmin(ModelAdminMixin[_M]):
    """For a ModelAdmin of content: a save locks the record's row, then merges
    with what colleagues saved since the form was opened (or refuses, saying why).

    Put before VersionAdmin; the form must be a RecordMergeForm and the inlines'
    forms PartMergeForms.
    """

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            # The stubs' HttpRequest declares only Django's own attributes.
            request.edit_opened = history_record_current(obj=obj)  # type: ignore[attr-defined]
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> _M | None:
        obj = super().get_object(request, object_id, from_field)
        if obj is None or request.method != "POST":
            return obj
        if not transaction.get_connection(
            router.db_for_write(self.model)
        ).in_atomic_block:
            return obj  # not a save of this record's form (a button's own view)
        # Wait for any other save of this record to finish, then read it as saved:
        # of two saves at the same moment, the second merges with the first.
        obj = self.get_queryset(request).select_for_update(of=("self",)).get(pk=obj.pk)
        # The stubs' HttpRequest declares only Django's own attributes.
        request.edit_merge = EditMerge(  # type: ignore[attr-defined]
            record=obj, token=request.POST.get(BASE_FIELD)
        )
        return obj

    def get_form(
        self,
        request: HttpRequest,
        obj: _M | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm[_M]]:
        form = super().get_form(request, obj, change, **kwargs)
        merge = edit_merge_of(request, obj)
        if merge is not None:
            return subclass(form, edit_merge=merge)
        opened = getattr(request, "edit_opened", None)
        if obj is not None and opened is not None and opened.object_id == str(obj.pk):
            return subclass(form, opened_as=opened)
        return form

    def get_formset_kwargs(
        self,
        request: HttpRequest,
        obj: _M,
        inline: InlineModelAdmin[Any, _M],
        prefix: str,
    ) -> dict[str, Any]:
        found = super().get_formset_kwargs(request, obj, inline, prefix)
        merge = edit_merge_of(request, obj)
        relation = {model: name for name, model in parts_of(self.model)}.get(
            inline.model
        )
        if merge is None or "data" not in found or relation is None:
            return found
        merge.prepare_parts(
            data=found["data"],
            prefix=prefix,
            relation=relation,
            model=inline.model,
            part_fields=lambda: inline.get_formset(request, obj).form.base_fields,
            can_add=inline.has_add_permission(request, obj),
        )
        if issubclass(inline.form, PartMergeForm):
            found["form_kwargs"] = {**found.get("form_kwargs", {}), "edit_merge": merge}
        return found

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: _M | None = None,
    ) -> HttpResponse:
        merge = edit_merge_of(request, obj)
        if merge is not None:
            merge.tell(request)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: Any) -> None:
        super().save_model(request, obj, form, change)
        merge = edit_merge_of(request, obj)
        if merge is not None:
            merge.tell(request)


def edit_merge_of(request: HttpRequest, obj: models.Model | None) -> EditMerge | None:
    """The merge of this request's save of `obj`, if it is one."""
    merge = getattr(request, "edit_merge", None)
    if merge is None or obj is None or merge.record.pk != obj.pk:
        return None
    return merge
