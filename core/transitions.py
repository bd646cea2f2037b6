"""The one recipe for a status change, used by every domain's services.

Audit: every model that staff or users change carries django-simple-history's
``HistoricalRecords``; a transition saves the row once with the actor and the reason attached, so
that save *is* the audit record (who = history_user, when = history_date, new = the row,
old = the previous history row, why = history_change_reason). ``status_timeline`` reads it back.
There is no second log to drift from the first, and bulk writes must not be used where this
history matters.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import models

from .errors import DomainError

M = TypeVar("M", bound=models.Model)
# The allowed-transitions table next to a status field: {from: {to, ...}} (TextChoices are str).
AllowedTable = Mapping[Any, Iterable[Any]]


def locked(instance: M) -> M:
    """Re-read the row under ``SELECT ... FOR UPDATE`` (inside the caller's transaction)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def check_transition(allowed: AllowedTable, *, current: str, target: str, label_of=None) -> None:
    """Raise a readable DomainError unless ``current -> target`` is in the allowed table."""
    if target in allowed.get(current, ()):
        return

    def name(value):
        return label_of(value) if label_of else value

    raise DomainError(
        f"This cannot move from {name(current)} to {name(target)}.", code="invalid_transition"
    )


_NOT_GIVEN: Any = object()


def attach_audit(instance: models.Model, *, actor=_NOT_GIVEN, reason: str | None = None) -> None:
    """Name who and why on the history row of ``instance``'s next save or delete; what is not
    given is left to django-simple-history (the signed-in user of the request, no reason).
    simple-history reads these two attributes of the instance; they are not fields."""
    if actor is not _NOT_GIVEN:
        user = actor if getattr(actor, "is_authenticated", False) else None
        instance._history_user = user  # type: ignore[attr-defined]
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]


def require_reason(reason: str | None) -> None:
    """Refuse a change whose reason is blank where the reason is the audit record staff read
    (discipline, and lifting it)."""
    if not (reason or "").strip():
        raise DomainError("Give the reason (it is the audit record).", field="reason")


def save_with_audit(
    instance: M, *, actor, reason: str = "", update_fields: Iterable[str] | None = None
) -> M:
    """Save ``instance`` so that its history row names the actor and the reason."""
    attach_audit(instance, actor=actor, reason=reason or "")
    instance.save(update_fields=list(update_fields) if update_fields is not None else None)
    return instance


def transition(
    instance: M,
    *,
    allowed: AllowedTable,
    target: str,
    actor,
    reason: str = "",
    field: str = "status",
    changes: Mapping[str, object] | None = None,
) -> M:
    """Move ``instance.<field>`` to ``target``: check the table, set the extra ``changes``,
    save once with an audit record. Call it inside ``transaction.atomic`` on a locked row."""
    current = getattr(instance, field)
    labels = dict(getattr(instance._meta.get_field(field), "choices", None) or ())
    check_transition(
        allowed, current=current, target=target, label_of=lambda value: labels.get(value, value)
    )
    setattr(instance, field, target)
    update_fields = [field]
    for name, value in (changes or {}).items():
        setattr(instance, name, value)
        update_fields.append(name)
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    return save_with_audit(instance, actor=actor, reason=reason, update_fields=update_fields)


def transition_once(
    instance: M,
    *,
    allowed: AllowedTable,
    target: str,
    actor,
    reason: str = "",
    field: str = "status",
    changes: Mapping[str, object] | None = None,
    check: Callable[[M], None] | None = None,
) -> tuple[M, bool]:
    """The idempotent move: lock the row; when it is already at ``target`` nothing is written
    and ``(row, False)`` comes back (a double submit acts once); otherwise ``check`` (when
    given) may refuse the move by raising ``DomainError`` on the locked row, then ``transition``
    and ``(row, True)``. For a move whose arguments do not depend on the locked row's values."""
    instance = locked(instance)
    if getattr(instance, field) == target:
        return instance, False
    if check is not None:
        check(instance)
    transition(
        instance,
        allowed=allowed,
        target=target,
        actor=actor,
        reason=reason,
        field=field,
        changes=changes,
    )
    return instance, True


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: object
    old: str | None
    new: str
    reason: str
    label: str = ""  # the new status as people read it ("Fee due", not "fee_due")

    @property
    def note(self) -> str:
        """The reason, unless it only repeats the label."""
        return "" if self.reason.strip().lower() == self.label.strip().lower() else self.reason


def status_timeline(instance: Any, *, field: str = "status") -> list[TimelineEntry]:
    """Each change of ``field`` as (when, who, old, new, why), oldest first, from the history,
    with the new value's label from the field's choices for pages."""
    labels = dict(getattr(instance._meta.get_field(field), "choices", None) or ())
    entries = []
    previous = None
    records = instance.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        value = getattr(record, field)
        if value != previous:
            entries.append(
                TimelineEntry(
                    at=record.history_date,
                    actor=record.history_user,
                    old=previous,
                    new=value,
                    reason=record.history_change_reason or "",
                    label=str(labels.get(value, value)),
                )
            )
            previous = value
    return entries
