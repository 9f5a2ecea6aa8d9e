"""Change sets: every editor's change is one entry (an import of many sites is one), a
draft seen by editors only until an editor publishes it; visitors see published changes.

What a visitor sees is replayed from the history: for each record, the value made by
the newest history row that belongs to a published change (a removal when that value
is empty). The working tables (``local_sites``, ``local_leave_behind``) always hold the
newest values, drafts included, and keep their versions for optimistic concurrency.
These functions run inside the store's transactions (:mod:`geo.local.store`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa

from geo.errors import InputError
from geo.local import sql
from geo.local.tables import (
    LEAVE_BEHIND_FIELDS,
    SITE_FIELDS,
    ConflictError,
    change_sets,
    history,
)

CHANGE_COLUMNS = [
    "id",
    "kind",
    "summary",
    "who",
    "at",
    "state",
    "published_by",
    "published_at",
    "sentence",
]


def open_change(
    connection: sa.Connection, kind: str, summary: str, who: str, *, state: str = "draft"
) -> int:
    """A new change (a draft unless told) in the caller's transaction; returns its id."""
    values = {"kind": kind, "summary": summary, "who": who, "at": sql.now(), "state": state}
    if state == "published":
        values.update(published_by=who, published_at=values["at"])
    return int(
        connection.execute(
            change_sets.insert().values(**values).returning(change_sets.c.id)
        ).scalar_one()
    )


def plural(count: int, noun: str) -> str:
    """``1 site``, ``4 sites``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def site_label(record: Mapping[str, object]) -> str:
    """A site as a sentence names it: ``CVS Pharmacy (Oakland)``."""
    name = str(record.get("name") or "a site").strip()
    city = str(record.get("city") or "").strip()
    return f"{name} ({city})" if city else name


def site_summary(
    record: Mapping[str, object], previous: Mapping[str, object] | None, *, overrides_public: bool
) -> str:
    """What a site edit did, as a sentence without its subject's who and when."""
    label = site_label(record)
    if record.get("status") == "closed" and (previous or {}).get("status") != "closed":
        return f"Closed {label}"
    if record.get("status") == "open" and (previous or {}).get("status") == "closed":
        return f"Reopened {label}"
    before = previous or {}
    moved = any(record.get(f) != before.get(f) for f in ("lat", "lon"))
    if previous is None and not overrides_public:
        return f"Added {label}"
    if moved and previous is not None:
        return f"Corrected the location of {label}"
    return f"Corrected {label}"


def sentence(row: Mapping[str, object] | sa.RowMapping) -> str:
    """``Closed CVS Pharmacy (Oakland) — Dana, 2026-11-22 (draft, not public yet)``."""
    said = f"{row['summary']} — {row['who']}, {str(row['at'])[:10]}"
    if row["kind"] == "publish":
        return said
    if row["state"] == "draft":
        return f"{said} (draft, not public yet)"
    return f"{said} (published by {row['published_by']}, {str(row['published_at'])[:10]})"


def changes_frame(connection: sa.Connection, limit: int = 500) -> pd.DataFrame:
    """The newest changes first, each with its ``sentence``."""
    rows = (
        connection.execute(sa.select(change_sets).order_by(change_sets.c.id.desc()).limit(limit))
        .mappings()
        .all()
    )
    frame = pd.DataFrame([dict(r) for r in rows], columns=CHANGE_COLUMNS[:-1])
    frame["sentence"] = [sentence(r) for r in rows]
    return frame


def publish(connection: sa.Connection, ids: Iterable[int] | None, who: str) -> int:
    """Publish the draft changes ``ids`` (every draft when None) as one new change;
    returns its id. Refused with ``ValueError`` naming an unknown change, with
    ``ConflictError`` when one was published meanwhile; nothing changes then."""
    drafts = sa.select(change_sets.c.id, change_sets.c.summary).where(
        change_sets.c.state == "draft"
    )
    if ids is not None:
        wanted = sorted({int(i) for i in ids})
        known = set(
            connection.execute(
                sa.select(change_sets.c.id).where(change_sets.c.id.in_(wanted))
            ).scalars()
        )
        unknown = [i for i in wanted if i not in known]
        if unknown:
            raise InputError(f"no change {', '.join(map(str, unknown))}")
        drafts = drafts.where(change_sets.c.id.in_(wanted))
    found = connection.execute(drafts.order_by(change_sets.c.id)).all()
    if ids is not None and len(found) != len(wanted):
        done = sorted(set(wanted) - {row.id for row in found})
        raise ConflictError(
            f"change {', '.join(map(str, done))} is already published; nothing was published"
        )
    if not found:
        raise InputError("there are no draft changes to publish")
    refuse_unreviewed_base(connection, [row.id for row in found])
    summary = (
        f"Published “{found[0].summary}”"
        if len(found) == 1
        else f"Published {plural(len(found), 'change')}"
    )
    made = open_change(connection, "publish", summary, who, state="published")
    at = connection.execute(
        sa.select(change_sets.c.at).where(change_sets.c.id == made)
    ).scalar_one()
    updated = connection.execute(
        change_sets.update()
        .where(change_sets.c.id.in_([row.id for row in found]) & (change_sets.c.state == "draft"))
        .values(state="published", published_by=who, published_at=at)
    )
    if updated.rowcount != len(found):  # PostgreSQL: another publisher came first
        raise ConflictError("a change was published meanwhile; nothing was published")
    return made


def refuse_unreviewed_base(connection: sa.Connection, ids: list[int]) -> None:
    """Refuse (``ConflictError``, nothing published) to publish changes made on top of
    another unpublished draft: each history row stores a record's whole value, so
    publishing it would publish the earlier draft too. Names that draft."""
    chosen = history.alias("chosen")
    earlier = history.alias("earlier")
    query = (
        sa.select(change_sets.c.id, change_sets.c.summary, change_sets.c.who)
        .distinct()
        .select_from(chosen)
        .join(
            earlier,
            (earlier.c.kind == chosen.c.kind)
            & (earlier.c.key == chosen.c.key)
            & (earlier.c.id < chosen.c.id),
        )
        .join(change_sets, earlier.c.change_set == change_sets.c.id)
        .where(
            chosen.c.change_set.in_(ids)
            & change_sets.c.id.not_in(ids)
            & (change_sets.c.state != "published")
        )
        .order_by(change_sets.c.id)
    )
    blockers = connection.execute(query).all()
    if blockers:
        named = "; ".join(f"change {b.id} (“{b.summary}” by {b.who})" for b in blockers)
        raise ConflictError(
            "nothing was published: the chosen changes were made on top of the "
            f"unpublished draft {named}, and publishing them would publish it too; "
            "publish that draft with them (or first); to drop it, revert the newer changes, then it"
        )


def _newest(connection: sa.Connection, state: str | None) -> dict[tuple[str, str], dict]:
    """(kind, key) → its newest history row (with the change's state), among the rows
    of changes in ``state`` (any state when None)."""
    query = (
        sa.select(
            history.c.id,
            history.c.kind,
            history.c.key,
            history.c.new,
            history.c.at,
            history.c.who,
            history.c.version,
            change_sets.c.state,
        )
        .join(change_sets, history.c.change_set == change_sets.c.id, isouter=True)
        .order_by(history.c.id)
    )
    if state is not None:
        query = query.where(change_sets.c.state == state)
    return {(row["kind"], row["key"]): dict(row) for row in connection.execute(query).mappings()}


def draft_keys(connection: sa.Connection) -> set[tuple[str, str]]:
    """(kind, key) of the records whose newest change is still a draft."""
    return {k for k, row in _newest(connection, None).items() if row["state"] != "published"}


def published_records(connection: sa.Connection, kind: str) -> pd.DataFrame:
    """The records of ``kind`` (``site`` or ``leave_behind``) as visitors see them: each
    record's value in its newest published change, with who made it and when."""
    fields = SITE_FIELDS if kind == "site" else LEAVE_BEHIND_FIELDS
    key_name = "id" if kind == "site" else "fips"
    records = []
    for (row_kind, key), row in _newest(connection, "published").items():
        if row_kind != kind or not row["new"]:
            continue
        value = json.loads(row["new"])
        record = {
            key_name: key,
            **{f: value.get(f) for f in fields},
            "version": row["version"],
            "updated_at": row["at"],
            "updated_by": row["who"],
        }
        if kind == "site":
            record["overrides_public"] = not key.startswith("local-")
        records.append(record)
    columns = [
        key_name,
        *fields,
        "version",
        "updated_at",
        "updated_by",
        *(["overrides_public"] if kind == "site" else []),
    ]
    return pd.DataFrame.from_records(records, columns=columns).sort_values(
        key_name, ignore_index=True
    )


def entries(connection: sa.Connection, change_id: int) -> tuple[Mapping, list[Mapping]]:
    """The change and its history rows, newest first (the order to undo them)."""
    change = (
        connection.execute(sa.select(change_sets).where(change_sets.c.id == change_id))
        .mappings()
        .first()
    )
    if change is None:
        raise InputError(f"no change {change_id}")
    rows = (
        connection.execute(
            sa.select(history)
            .where(history.c.change_set == change_id)
            .order_by(history.c.id.desc())
        )
        .mappings()
        .all()
    )
    if not rows:
        raise InputError(
            f"change {change_id} ({change['summary']}) changed no record, so "
            "there is nothing to revert"
        )
    return change, list(rows)


def next_version(connection: sa.Connection, kind: str, key: str) -> int:
    """The version a record (re)created now gets: one past any it ever had, so a form
    opened before a revert removed the record can never match the new one."""
    had = connection.execute(
        sa.select(sa.func.max(history.c.version)).where(
            (history.c.kind == kind) & (history.c.key == key)
        )
    ).scalar()
    return int(had or 0) + 1
