"""``python -m benchmarks --load [--sessions 50 --seconds 120]``: many visitors at once.

One local cluster (:mod:`deploy.local`: a throwaway PostgreSQL store, ``--replicas``
Streamlit processes, nginx; loopback only) serves two rounds: ``--sessions`` simulated
visitors (:mod:`deploy.visitor`, real Streamlit sessions over the WebSocket) on the
first process alone, then through the proxy to all processes. Each visitor opens the
overview, then, after a think time, changes the radius, the focus jurisdiction or the
page, in turn, until ``--seconds`` have passed. During the proxied round ``--editors``
editors import and publish one new site each (``python -m geo sites import`` and
``publish``) every few seconds; afterwards every process must list every one of them.

Reported per round: sessions, reruns, errors, p50/p95/p99 from a widget change (radius
or focus) to ``script_finished`` and the same for page opens, and each process's
resident memory at the start (after one warm-up visit), at the peak, and after the
sessions closed and Streamlit dropped them (``server.disconnectedSessionTTL`` is set
to 5 s here; the default keeps a closed session 120 s for reconnects), with the peak's
MB per session. Ends with ``sessions=N reruns=N errors=N p95_ms=N`` for the proxied
round. Every wait is bounded; the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy.local import Cluster, running_cluster
from deploy.visitor import FOCUS_LABEL, Visitor
from pages.screens.overview import LISTING_LABEL

PAGES = ("find", "leave-behind", "compare", "access-gaps", "data", "")
RADII = (3.0, 4.0, 6.0, 8.0, 10.0, 5.0)
SESSION_TTL_S = 5
EDITOR_SITE = "Load test site {editor}-{n}"


@dataclass
class Round:
    """What one round measured."""

    name: str
    sessions: int = 0
    changes: list[float] = field(default_factory=list)  # widget change -> finished, s
    opens: list[float] = field(default_factory=list)  # page open or switch -> finished, s
    errors: list[str] = field(default_factory=list)
    memory: dict[str, list[float]] = field(default_factory=dict)  # start/peak/end per process
    server_cpu_s: float = 0.0  # CPU time the Streamlit processes used during the round
    client_cpu_s: float = 0.0  # CPU time of this load client (the visitors)
    think_s: float = 0.0  # mean think time between a visitor's actions

    @property
    def reruns(self) -> int:
        return len(self.changes) + len(self.opens)


def percentile_ms(values: list[float], share: float) -> int:
    """The ``share`` quantile (nearest rank) in milliseconds; 0 when nothing ran."""
    if not values:
        return 0
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))])


async def visit(
    url: str, deadline: float, think: tuple[float, float], seed: int, tally: Round
) -> None:
    """One visitor until ``deadline``: open, then change radius, focus or page in turn."""
    rng, visitor = random.Random(seed), Visitor(url)
    tally.sessions += 1
    try:
        tally.opens.append((await visitor.connect()).seconds)
        step = 0
        while step == 0 or time.monotonic() + think[1] < deadline:  # one change at least
            await asyncio.sleep(rng.uniform(*think))
            if step % 3 == 0:
                tally.changes.append((await visitor.set_radius(rng.choice(RADII))).seconds)
            elif step % 3 == 1:
                focus = rng.choice(visitor.options[FOCUS_LABEL])
                tally.changes.append((await visitor.set_focus(focus)).seconds)
            else:
                tally.opens.append((await visitor.switch_page(rng.choice(PAGES))).seconds)
            step += 1
    except Exception as exc:  # every failure of a visitor is counted, none stops the run
        tally.errors.append(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        await visitor.close()


async def edit(store: str, editor: int, deadline: float, every_s: float, folder: Path) -> list[str]:
    """An editor importing and publishing one site at a time until ``deadline``; the
    names published."""
    published, n = [], 0
    env = {**os.environ, "NALOXONE_STORE": store}
    while time.monotonic() + every_s < deadline:
        await asyncio.sleep(every_s)
        n += 1
        name = EDITOR_SITE.format(editor=editor, n=n)
        path = folder / f"editor{editor}-{n}.csv"  # 300 m apart: never a likely duplicate
        path.write_text(
            "name,type,lat,lon,jurisdiction_fips\n"
            f"{name},pharmacy,{39.20 + 0.003 * n:.4f},"
            f"{-76.75 + 0.01 * editor:.4f},24003\n"
        )
        imported = await _sites(env, "import", str(path), "--format", "json")
        await _sites(env, "publish", str(json.loads(imported)["change"]))
        published.append(name)
    return published


async def _sites(env: dict[str, str], *args: str) -> str:
    """``python -m geo sites ARGS`` (its output); RuntimeError when it fails."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "geo",
        "sites",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    if process.returncode:
        raise RuntimeError(f"sites {args[0]} failed: {err.decode()[-300:]}")
    return out.decode()


async def sample_memory(cluster: Cluster, peaks: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peaks[:] = [max(a, b) for a, b in zip(peaks, cluster.rss_mb(), strict=True)]
        await asyncio.sleep(1)


async def settle_memory(cluster: Cluster, start: list[float], timeout_s: float = 60) -> list[float]:
    """Memory once the closed sessions are dropped: within 10% of the start, or what it
    is after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    await asyncio.sleep(SESSION_TTL_S + 2)
    while True:
        now = cluster.rss_mb()
        if (
            all(n <= 1.1 * s for n, s in zip(now, start, strict=True))
            or time.monotonic() > deadline
        ):
            return now
        await asyncio.sleep(2)


async def run_round(
    name: str,
    url: str,
    cluster: Cluster,
    sessions: int,
    seconds: float,
    think: tuple[float, float],
    editors: int = 0,
) -> tuple[Round, list[str]]:
    """``sessions`` visitors on ``url`` for ``seconds`` (started over the first quarter),
    with ``editors`` publishing meanwhile; memory of every process."""
    tally, stop = Round(name, think_s=sum(think) / 2), asyncio.Event()
    start = cluster.rss_mb()
    cpu, client_cpu = cluster.cpu_seconds(), time.process_time()
    peaks = list(start)
    sampler = asyncio.create_task(sample_memory(cluster, peaks, stop))
    deadline = time.monotonic() + seconds
    ramp = min(10.0, seconds / 4) / max(sessions, 1)
    folder = Path(tempfile.mkdtemp(prefix="naloxone-load-"))
    editing = [
        asyncio.create_task(edit(cluster.store, e + 1, deadline, max(4.0, seconds / 8), folder))
        for e in range(editors)
    ]
    visits = []
    for i in range(sessions):
        visits.append(asyncio.create_task(visit(url, deadline, think, i, tally)))
        await asyncio.sleep(ramp)
    await asyncio.wait_for(asyncio.gather(*visits), seconds + 180)
    tally.server_cpu_s = cluster.cpu_seconds() - cpu
    tally.client_cpu_s = time.process_time() - client_cpu
    published = [
        n
        for names in await asyncio.gather(*editing, return_exceptions=True)
        for n in (names if isinstance(names, list) else [f"ERROR: {names}"])
    ]
    shutil.rmtree(folder, ignore_errors=True)
    stop.set()
    await sampler
    tally.memory = {
        "start": start,
        "peak": peaks,
        "end": await settle_memory(cluster, start, min(60.0, seconds)),
    }
    return tally, published


async def everyone_sees(cluster: Cluster, names: list[str]) -> list[str]:
    """Problems: a published name missing from a process's overview listing."""
    problems = []
    for url in cluster.process_urls:
        visitor = Visitor(url)
        try:
            await visitor.connect()
            cells = (await visitor.expand(LISTING_LABEL)).cells
        finally:
            await visitor.close()
        problems += [f"{url} does not list {name!r}" for name in names if name not in cells]
    return problems


async def warm(cluster: Cluster, fill: bool = True) -> None:
    """One visitor per process (with ``fill``: trying every radius on every page): the
    bundled data is loaded and the bounded caches are filled before memory is measured."""
    for url in cluster.process_urls:
        visitor = Visitor(url, timeout_s=180)
        try:
            await visitor.connect()
            for page in PAGES if fill else ():
                await visitor.switch_page(page)
                for radius in RADII:
                    await visitor.set_radius(radius)
        finally:
            await visitor.close()


def report(tally: Round) -> str:
    memory = tally.memory
    grown = sum(p - s for p, s in zip(memory["peak"], memory["start"], strict=True))
    lines = [
        f"== {tally.name}",
        f"sessions {tally.sessions}, reruns {tally.reruns}, errors {len(tally.errors)}",
        "widget change -> script_finished: p50 {} ms, p95 {} ms, p99 {} ms ({} changes)".format(
            *(percentile_ms(tally.changes, q) for q in (0.5, 0.95, 0.99)), len(tally.changes)
        ),
        f"page open/switch -> script_finished: p50 {percentile_ms(tally.opens, 0.5)} "
        f"ms, p95 {percentile_ms(tally.opens, 0.95)} ms ({len(tally.opens)} opens)",
    ]
    for i, (s, p, e) in enumerate(zip(memory["start"], memory["peak"], memory["end"], strict=True)):
        lines.append(
            f"process {i + 1} RSS: start {s:.0f} MB, peak {p:.0f} MB, after close "
            f"{e:.0f} MB ({100 * (e - s) / s:+.1f}%)"
        )
    lines.append(f"memory per session at the peak: {grown / max(tally.sessions, 1):.1f} MB")
    per_rerun = tally.server_cpu_s / max(tally.reruns, 1)
    lines.append(
        f"server CPU per rerun: {1000 * per_rerun:.0f} ms (load client: "
        f"{tally.client_cpu_s:.0f} s CPU in all)"
    )
    if per_rerun:  # a process runs one script at a time on ~1 core (Python's GIL)
        lines.append(
            f"estimate: one process at 70% of a core holds "
            f"{0.7 * tally.think_s / per_rerun:.0f} sessions acting every "
            f"{tally.think_s:.0f} s on average"
        )
    lines += [f"error: {e}" for e in sorted(set(tally.errors))[:5]]
    return "\n".join(lines)


async def run(
    sessions: int,
    seconds: float,
    replicas: int,
    editors: int,
    think: tuple[float, float],
    single: bool,
    fill: bool = True,
) -> tuple[list[Round], list[str]]:
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    with running_cluster(replicas, env=env) as cluster:
        await warm(cluster, fill)
        rounds = []
        if single:
            rounds.append(
                (
                    await run_round(
                        "1 process (direct)",
                        cluster.process_urls[0],
                        cluster,
                        sessions,
                        seconds,
                        think,
                    )
                )[0]
            )
        proxied, published = await run_round(
            f"{replicas} processes behind nginx, {editors} editors publishing",
            cluster.url,
            cluster,
            sessions,
            seconds,
            think,
            editors,
        )
        rounds.append(proxied)
        problems = [n for n in published if n.startswith("ERROR")]
        problems += await everyone_sees(
            cluster, [n for n in published if not n.startswith("ERROR")]
        )
        print(
            f"editors published {len(published)} sites; every process lists them: "
            f"{'yes' if not problems else 'NO'}"
        )
        return rounds, problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks --load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--editors", type=int, default=3)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(5.0, 15.0),
        metavar=("MIN", "MAX"),
        help="seconds between a visitor's actions",
    )
    parser.add_argument("--proxy-only", action="store_true", help="skip the round on one process")
    parser.add_argument(
        "--quick-warm-up",
        action="store_true",
        help="one visit per process before the start (caches not filled: "
        "memory then grows as they fill)",
    )
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 500 and 5 <= args.seconds <= 1800):
        parser.error("--sessions must be 1-500 and --seconds 5-1800")
    rounds, problems = asyncio.run(
        run(
            args.sessions,
            args.seconds,
            args.replicas,
            args.editors,
            tuple(args.think),
            not args.proxy_only,
            not args.quick_warm_up,
        )
    )
    for tally in rounds:
        print(report(tally))
    for problem in problems[:10]:
        print(f"editor change lost: {problem}")
    last = rounds[-1]
    errors = len(last.errors) + len(problems)
    print(
        f"sessions={last.sessions} reruns={last.reruns} errors={errors} "
        f"p95_ms={percentile_ms(last.changes, 0.95)}"
    )
    return 1 if errors else 0
