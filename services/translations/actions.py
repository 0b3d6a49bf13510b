"""Writes of translation states."""

from collections.abc import Iterable, Mapping
from typing import Any

from services.translations import state


def translations_note_edit(
    *,
    obj: Any,
    changed_fields: Iterable[str],
    initial: Mapping[str, Any],
    minor: bool,
    reviewed: Iterable[str],
) -> None:
    """Update a record's translation states for an edit about to be saved.

    Text typed in a language counts as translated by a person from today's English.
    A real change to the English leaves every translation outdated (nothing to do:
    the fingerprints no longer match); a minor edit carries current ones over.
    `reviewed` lists languages a person checked as a whole in this save.
    """
    fields = state.translated_fields(type(obj))
    changed = set(changed_fields)
    reviewed = set(reviewed)
    if minor:
        old_english = {
            name: initial.get(state.column(name, state.SOURCE_LANGUAGE)) or ""
            for name in fields
            if state.column(name, state.SOURCE_LANGUAGE) in changed
        }
        state.carry_over(obj, old_english)
    for language in state.TARGET_LANGUAGES:
        typed = [name for name in fields if state.column(name, language) in changed]
        if language in reviewed:
            typed = list(fields)
        if typed:
            state.mark(obj, language, typed, state.REVIEWED)
