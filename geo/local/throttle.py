"""Sign-in throttling shared by every server process, counted in the store.

Behind the nginx deployment several Streamlit processes serve the dashboard; a count
kept in each process would multiply the documented limit by their number. This
throttle keeps the failures of each key (``session:<id>``, ``address:<ip>``) in the
store's ``sign_in_failures`` and ``sign_in_lockouts`` tables, with the same policy
as :class:`geo.local.auth.SignInThrottle` (its parameters and :meth:`delay_after`):
the same window, growing delays and lockout. Times are wall-clock seconds
(:func:`geo.local.auth.wall_now`), since processes share no monotonic clock.

Every check-and-count runs in one write transaction (SQLite's write lock, PostgreSQL
under an advisory lock), so parallel attempts on different processes cannot all pass
before one is counted. These writes do not count as store revisions (no data changes).
When the store cannot be written, the throttle falls back to the process's own count
and logs it: sign-in stays protected, if only per process.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable

import sqlalchemy as sa

from geo.local import auth, sql
from geo.local.store import Store
from geo.local.tables import sign_in_failures, sign_in_lockouts

logger = logging.getLogger(__name__)
THROTTLE_LOCK = 0x4D444E03  # PostgreSQL advisory lock key ("MDN" 3)


class StoreThrottle:
    """The :class:`~geo.local.auth.SignInThrottle` interface (``reserve``,
    ``retry_after``, ``record_failure``, ``record_success``) over the shared store;
    ``local`` gives the policy and is the fallback when the store fails."""

    def __init__(
        self,
        store: Store,
        local: auth.SignInThrottle | None = None,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.store = store
        self.local = local or auth.SignInThrottle()
        self._clock = clock

    def _now(self) -> float:
        return (self._clock or auth.wall_now)()

    # in one transaction ---------------------------------------------------------------
    def _wait(self, connection: sa.Connection, keys: list[str], at: float) -> float:
        policy = self.local
        waits = [0.0]
        for key in keys:
            count, last = connection.execute(
                sa.select(sa.func.count(), sa.func.max(sign_in_failures.c.at)).where(
                    (sign_in_failures.c.key == key) & (sign_in_failures.c.at > at - policy.window_s)
                )
            ).one()
            if count:
                waits.append(float(last) + policy.delay_after(int(count)) - at)
            until = connection.execute(
                sa.select(sign_in_lockouts.c.until).where(sign_in_lockouts.c.key == key)
            ).scalar()
            if until is not None:
                waits.append(float(until) - at)
        return max(waits)

    def _count(self, connection: sa.Connection, keys: list[str], at: float) -> None:
        policy = self.local
        horizon = at - max(policy.window_s, policy.lockout_s)
        connection.execute(sign_in_failures.delete().where(sign_in_failures.c.at <= horizon))
        connection.execute(sign_in_lockouts.delete().where(sign_in_lockouts.c.until <= at))
        for key in keys:
            connection.execute(sign_in_failures.insert().values(key=key, at=at))
            count = connection.execute(
                sa.select(sa.func.count()).where(
                    (sign_in_failures.c.key == key) & (sign_in_failures.c.at > at - policy.window_s)
                )
            ).scalar_one()
            locked = connection.execute(
                sa.select(sign_in_lockouts.c.until).where(sign_in_lockouts.c.key == key)
            ).scalar()
            if count >= policy.lockout_failures and locked is None:
                connection.execute(
                    sign_in_lockouts.insert().values(key=key, until=at + policy.lockout_s)
                )
                logger.warning(
                    "editor sign-in locked for %s after %d failures in %d min (for %d min)",
                    key,
                    count,
                    policy.window_s // 60,
                    policy.lockout_s // 60,
                )

    def _shared(self, work: Callable[[sa.Connection], float]) -> float | None:
        """``work`` in one write transaction under the throttle's lock; None (logged)
        when the store fails."""

        def locked(connection: sa.Connection) -> float:
            sql.advisory_lock(connection, THROTTLE_LOCK)
            return work(connection)

        try:
            return sql.run_transaction(self.store._writer, locked)
        except sql.driver_errors() as exc:
            problem = sql.unavailable(self.store.location, exc)
        logger.warning("sign-in throttling falls back to this process's count: %s", problem)
        return None

    # the SignInThrottle interface ------------------------------------------------------
    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` recent failures."""
        return self.local.delay_after(failures)

    def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds before any of ``keys`` may try again (0: try now)."""
        keys = list(keys)
        at = self._now()
        wait = self._shared(lambda c: self._wait(c, keys, at))
        return self.local.retry_after(keys) if wait is None else max(0.0, wait)

    def reserve(self, keys: Iterable[str]) -> float:
        """Take an attempt for ``keys``: 0 when it may go ahead (counted as a failure
        until :meth:`record_success`), else the seconds to wait, nothing counted."""
        keys = list(keys)
        at = self._now()

        def work(connection: sa.Connection) -> float:
            wait = self._wait(connection, keys, at)
            if wait > 0:
                return wait
            self._count(connection, keys, at)
            return 0.0

        wait = self._shared(work)
        return self.local.reserve(keys) if wait is None else wait

    def record_failure(self, keys: Iterable[str], *, log: bool = True) -> float:
        """Count a failed attempt for each key; returns the wait before the next one."""
        keys = list(keys)
        at = self._now()

        def work(connection: sa.Connection) -> float:
            self._count(connection, keys, at)
            return max(0.0, self._wait(connection, keys, at))

        wait = self._shared(work)
        if wait is None:
            return self.local.record_failure(keys, log=log)
        if log:
            logger.warning(
                "editor sign-in failed for %s; next attempt allowed in %d s",
                ", ".join(keys),
                math.ceil(wait),
            )
        return wait

    def record_success(self, keys: Iterable[str]) -> None:
        """Forget the failures of each key after a successful sign-in."""
        keys = list(keys)

        def work(connection: sa.Connection) -> float:
            connection.execute(sign_in_failures.delete().where(sign_in_failures.c.key.in_(keys)))
            connection.execute(sign_in_lockouts.delete().where(sign_in_lockouts.c.key.in_(keys)))
            return 0.0

        if self._shared(work) is None:
            self.local.record_success(keys)
