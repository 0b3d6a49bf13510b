"""What the admin's mixins are mixed into, as a type checker sees it.

Django's admin classes take no type parameters when the site runs; its type
stubs make them generic in the model they edit. A mixin declared on one of these
names is, for the type checker, the Django class it goes under, so its calls to
super() and its `self.model` are checked; when the site runs it is a plain
generic class, which the Django class later in the bases completes.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast

from django.db import models

_M = TypeVar("_M", bound=models.Model)
_P = TypeVar("_P", bound=models.Model)
_C = TypeVar("_C", bound=type)

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin as BaseModelAdminMixin
    from django.contrib.admin.options import InlineModelAdmin as InlineModelAdminMixin
    from django.contrib.admin.options import ModelAdmin as ModelAdminMixin
    from django_stubs_ext import StrOrPromise
else:

    class BaseModelAdminMixin(Generic[_M]):
        pass

    class ModelAdminMixin(BaseModelAdminMixin[_M]):
        pass

    class InlineModelAdminMixin(BaseModelAdminMixin[_M], Generic[_M, _P]):
        pass


def subclass(cls: _C, **attributes: Any) -> _C:
    """A subclass of a form class under the same name, with these attributes:
    how the admin hands a form what it needs to know for one request."""
    return cast(_C, type(cls.__name__, (cls,), attributes))


# The shapes the admin takes for a form's fields and fieldsets (django-stubs
# spells them only under private names).
FieldGroups = (
    list[str | list[str] | tuple[str, ...]]
    | tuple[str | list[str] | tuple[str, ...], ...]
)


class FieldsetExtras(TypedDict, total=False):
    classes: Sequence[str]
    description: "StrOrPromise"


class FieldsetOptions(FieldsetExtras):
    fields: FieldGroups


Fieldsets = list[tuple["StrOrPromise | None", FieldsetOptions]]
