"""The officers' form of bench/load.py: grid officers report from phones while wall and leader screens are open.

    python bench/load.py --officers 200 --minutes 10 --sessions 10 [--at-once 3] [--refresh 30]

One streamlit server on the demo city (logging in required), its morning of 2020-02-26 a third
reported. ``--officers`` accounts are made, each scoped to one or two places not reported yet
(``places:ID,ID``); their visits arrive at random times spread over ``--minutes`` and wait in a
queue, at most ``--at-once`` open together (two cores run the server, the browser and the bench).
Each visit is a fresh browser context of one headless Chromium on a phone's screen (390x844,
touch): it types the name and password into the login form, opens 今日填报 and either

* two places: taps 与昨日相同 for the second and sends the first one's form with a figure changed;
* one place: taps 一键零报告, or sends its form with a figure changed (every other officer);

and waits for the page to say the report was saved and count it. With ``--phone-browsers N`` only every
officer in ``--officers / N`` (N of them) is a browser; the others speak the app's WebSocket protocol
themselves (``tests/streamlit_client.py``): the same page, the same login form, buttons and form sent as
the browser's code sends them, without a browser's own CPU. A phone's browser runs on the phone, not on
the server: on a two-core machine 200 Chromium contexts (6 CPU-s each) would measure the bench's own
browser, not the server. Meanwhile ``--sessions`` screens
stay open: half walls (``/wall?kiosk=1&display=TOKEN``, a display token each), half leaders on the
overview, logged in as viewers through the same form. At the end the store is read: every place
each officer reported must be there for the day, by that officer, from the report page (action
``report``); every wall must show the store's count in its top line by itself, and every leader's
overview after a reload (the overview does not refresh by itself; whether it showed the count
before the reload is recorded too).

The officers report fewer places than would complete the day (``complete_share``, 90 % of the
places): past that the day is shown as the current one and the screens no longer show its
progress ("已报告 N/402") but the day itself.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from memory import Sampled, memory_rows, rss_mib, table  # noqa: E402  (bench/memory.py)

from geo.accounts import Scope, add_display, auth  # noqa: E402
from geo.analysis import Days, report_days  # noqa: E402
from geo.settings import Settings  # noqa: E402
from geo.store import connect, load_store  # noqa: E402
from geo.upload import open_city, places_to_report, reporting_day, reports_today  # noqa: E402
from tests.browser import CHROMIUM_ARGS, is_local, require_chromium, streamlit_server  # noqa: E402
from tests.streamlit_client import RawSession, browser_cookies, trigger, value  # noqa: E402

OUT = ROOT / "bench" / "out"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
# every officer's and every leader's, made afresh for each run (the accounts live in the run's own store):
# the bench types them into the login form as a person would
PASSWORD = secrets.token_urlsafe(12)
LEADER_PASSWORD = secrets.token_urlsafe(12)
FORM_FIELD = {"compounds": "fever_reports", "sites": "workers_returned"}  # the figure each visit changes
VISIT_TIMEOUT = 240.0  # seconds a visit may take once started before it counts as failed
SAVED = "已保存今日报告"
ZERO_SAVED = "个场所与昨日相同"


@dataclass
class Officer:
    name: str
    places: list[tuple[str, str]]  # (kind, id) in the order the report page lists them
    action: str  # "pair", "zero" or "form"
    browser: bool = True  # a phone's browser (Chromium), or a client speaking the WebSocket protocol itself
    arrival: float = 0.0  # seconds after the start
    started: float | None = None
    saved: float | None = None
    error: str | None = None
    skipped: bool = False  # still queued when the run's time cap came: never started
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each step of the visit


@dataclass
class Screen:
    kind: str  # "wall" or "leader"
    page: object
    errors: list[str] = field(default_factory=list)
    before_reload: bool | None = None  # a leader's overview showed the final count before its reload
    final: bool = False
    reloading: bool = False  # being reloaded by the bench: not asked for problems meanwhile


@dataclass
class OfficerResult(Sampled):
    officers: int
    sessions: int
    minutes: float
    at_once: int
    cap_minutes: float | None = None  # visits still queued this long after the start are not made
    phone_browsers: int | None = None  # officers visiting through Chromium (None: every one)
    day: str = ""
    total: int = 0
    reported_before: int = 0
    reported_after: int = 0
    visits: list[Officer] = field(default_factory=list)
    places_expected: int = 0
    places_stored: int = 0  # of the officers' places: stored that day, by that officer, as a phone report
    errors: list[str] = field(default_factory=list)
    screens: list[Screen] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)
    setup_seconds: float = 0.0
    run_seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds over the visits: server, browser, bench
    login_check: float = 0.0  # seconds of one password check (argon2id) in this process

    @property
    def done(self) -> list[Officer]:
        return [v for v in self.visits if v.saved is not None and v.error is None]

    @property
    def skipped(self) -> int:
        return sum(v.skipped for v in self.visits)

    @property
    def screens_ok(self) -> bool:
        return bool(self.screens) and all(s.final for s in self.screens)

    @property
    def ok(self) -> bool:
        return (not self.errors and len(self.done) == self.officers and not self.skipped
                and self.places_stored == self.places_expected and self.screens_ok and self.levels_off)


def plan_officers(engine, count: int, rng: random.Random, minutes: float):
    """The day reported, the officers and their places, the places in all and those reported already.

    The places not yet reported that day are handed out in the report page's order, a compound or site first
    (its form has a figure to change), as many as keep the day from completing (its progress stays shown)."""
    ds = load_store(engine)
    days = report_days(ds, Settings().complete_share)
    day = reporting_day(days, datetime.date.today())
    places = reports_today(engine, places_to_report(ds, None), day)
    waiting = places.loc[places["reported_at"].isna()].reset_index(drop=True)
    already = days.reported.get(day.isoformat(), 0)
    budget = 0
    while budget < len(waiting) and not Days(days.dates, {**days.reported, day.isoformat(): already + budget + 1},
                                             days.total, days.share).complete(day.isoformat()):
        budget += 1
    if budget < count:
        raise SystemExit(f"{count} officers need at least {count} places not reported; the day has {budget} "
                         "before it completes")
    order = {(k, i): n for n, (k, i) in enumerate(zip(waiting["kind"], waiting["id"]))}
    formable = [(k, i) for k, i in order if k in FORM_FIELD]
    others = [(k, i) for k, i in order if k not in FORM_FIELD]
    pairs = min(budget - count, count // 2)  # the rest: one place each, 一键零报告 and the form by turns
    officers = []
    for n in range(count):
        if n < pairs:
            places_of = [formable.pop(0), others.pop(0) if others else formable.pop()]
            action = "pair"
        elif (n - pairs) % 2:
            places_of, action = [others.pop(0) if others else formable.pop()], "zero"
        else:
            places_of, action = [formable.pop(0)], "form"
        places_of.sort(key=order.get)
        if action == "pair" and places_of[0][0] not in FORM_FIELD:
            raise SystemExit(f"the form's place {places_of[0]} has no figure to change")
        officers.append(Officer(f"load-{n + 1:03d}", places_of, action))
    rng.shuffle(officers)
    arrivals = sorted(rng.uniform(0, minutes * 60 * 0.9) for _ in officers)  # the last 10 %: to finish in time
    for officer, at in zip(officers, arrivals):
        officer.arrival = at
    return day.isoformat(), officers, days.total, already


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        one = todo.pop()
        found.append(one)
        try:
            for task in Path(f"/proc/{one}/task").iterdir():
                todo += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds used by these processes and their children that ended (user + system)."""
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the server, of the browser (every other process below this one), of this one."""
    server = set(tree(server_pid))
    mine = [p for p in tree(os.getpid()) if p not in server and p != os.getpid()]
    return {"server": cpu_seconds(sorted(server)), "browser": cpu_seconds(mine),
            "bench": cpu_seconds([os.getpid()])}


async def new_context(browser, errors: list[str], who: str, viewport: dict, **device):
    """A fresh context and page; requests off this machine aborted; what a person would notice goes to ``errors``
    (an exception in the page's scripts, a lost WebSocket, an HTTP 5xx, a dialog)."""
    context = await browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block", **device)

    async def route(route):
        if is_local(route.request.url):
            await route.continue_()
        else:
            await route.abort("internetdisconnected")

    await context.route("**/*", route)
    page = await context.new_page()
    page.on("response", lambda r: errors.append(f"{who}: HTTP {r.status} {r.url}") if r.status >= 500 else None)
    page.on("pageerror", lambda exc: errors.append(f"{who}: pageerror {exc}"[:200]))
    page.on("console", lambda m: errors.append(f"{who}: {m.text}"[:200])
            if m.type == "error" and "WebSocket" in m.text else None)

    async def dialog(d):
        errors.append(f"{who}: dialog {d.message}"[:200])
        await d.dismiss()

    page.on("dialog", dialog)
    return context, page


async def page_problems(page) -> list[str]:
    """A Streamlit exception shown, or the connection lost, on a page now."""
    state = await page.evaluate("""() => [document.querySelectorAll('[data-testid="stException"]').length,
        document.body.innerText.includes('Connection error') || document.body.innerText.includes('连接错误')]""")
    return (["Streamlit exception on the page"] if state[0] else []) + (["connection lost"] if state[1] else [])


async def wait_text(page, text: str, timeout: float) -> None:
    """Until the page's text holds ``text`` (a Streamlit exception or a lost connection ends the wait)."""
    deadline = time.monotonic() + timeout
    while True:
        body = await page.evaluate("() => document.body ? document.body.innerText : ''")
        if text in body:
            return
        problems = await page_problems(page)
        if problems:
            raise RuntimeError(f"{problems[0]} while waiting for {text!r}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{text!r} not shown after {timeout:.0f} s")
        await page.wait_for_timeout(200)


async def log_in(page, name: str, password: str, tap: bool) -> None:
    """Type the name and the password into the login form, as a person would, and press 登录."""
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("用户名", exact=True))
    await form.get_by_label("用户名", exact=True).wait_for(timeout=120_000)
    await form.get_by_label("用户名", exact=True).press_sequentially(name, delay=40)
    await form.get_by_label("密码", exact=True).press_sequentially(password, delay=40)
    button = form.get_by_role("button", name="登录")
    await (button.tap() if tap else button.click())


async def idle(page) -> None:
    """Until the script has finished its rerun (no 'running' widget), then a moment for the page to draw."""
    await page.wait_for_timeout(300)
    for _ in range(300):
        if not await page.locator('[data-testid="stStatusWidget"]').count():
            break
        await page.wait_for_timeout(200)


async def send_form(page, kind: str, pid: str) -> None:
    """Change one figure of the place's form (one more than yesterday's) and send it."""
    box = page.locator(f".st-key-daily_{kind}_{pid}_{FORM_FIELD[kind]} input")
    value = await box.input_value()
    await box.fill(str(int(float(value or 0)) + 1))
    await page.get_by_role("button", name="提交今日报告").tap()


async def visit(browser, base_url: str, officer: Officer, errors: list[str]) -> None:
    """One officer's visit: log in on a phone, report, wait for the page to count it, leave."""
    context, page = await new_context(browser, errors, officer.name, PHONE, has_touch=True, is_mobile=True,
                                      device_scale_factor=2)
    clock = [time.monotonic()]

    def step(name: str) -> None:
        now = time.monotonic()
        officer.steps[name] = now - clock[0]
        clock[0] = now

    try:
        n = len(officer.places)
        await page.goto(base_url + "/report", wait_until="domcontentloaded")
        await page.get_by_label("用户名", exact=True).wait_for(timeout=120_000)
        step("page to login form")
        await log_in(page, officer.name, PASSWORD, tap=True)
        step("typing name and password")
        await wait_text(page, f"已报告 0/{n}", 120)
        await idle(page)
        step("login to the places listed")
        if officer.action == "pair":
            kind, pid = officer.places[1]
            await page.locator(f".st-key-daily_same_{kind}_{pid} button").tap()
            await wait_text(page, f"已报告 1/{n}", 120)
            await idle(page)
            step("first report")
            await send_form(page, *officer.places[0])
            await wait_text(page, f"已报告 2/{n}", 120)
            await wait_text(page, SAVED, 10)
        elif officer.action == "zero":
            await page.locator(".st-key-daily_zero_all button").tap()
            await wait_text(page, f"已报告 1/{n}", 120)
            await wait_text(page, ZERO_SAVED, 10)
        else:
            await send_form(page, *officer.places[0])
            await wait_text(page, f"已报告 1/{n}", 120)
            await wait_text(page, SAVED, 10)
        step("a report saved and shown")
        for problem in await page_problems(page):
            errors.append(f"{officer.name}: {problem}")
    except Exception as exc:  # noqa: BLE001 - said with what the page showed, and kept as a screenshot
        try:
            body = " ".join((await page.evaluate("() => document.body.innerText")).split())[-240:]
            await page.screenshot(path=str(OUT / f"FAILED-{officer.name}.png"))
        except Exception:  # noqa: BLE001 - a page that cannot be read any more
            body = "?"
        raise RuntimeError(f"{exc} — the page: {body}") from exc
    finally:
        await context.close()


def protocol_visit(base_url: str, officer: Officer) -> None:
    """One officer's visit without a browser: the page's HTML for the browser's cookie, then over the WebSocket
    the report page, the login form sent, the taps and the form sent as the browser sends them; each answer
    must show what the browser's visit waits for."""
    clock = [time.monotonic()]

    def step(name: str) -> None:
        now = time.monotonic()
        officer.steps[name] = now - clock[0]
        clock[0] = now

    def expect(page: str, *texts: str) -> None:
        for text in texts:
            if text not in page:
                raise RuntimeError(f"{text!r} not shown — the page: {' '.join(page.split())[-300:]}")

    n = len(officer.places)
    with RawSession(base_url, cookies=browser_cookies(base_url, "/report")) as session:
        expect(session.run("report", timeout=120), "用户名")
        step("page to login form")
        step("typing name and password")
        page = session.run("report", timeout=120, states=[
            value(session.widget(key="auth_login_main_name"), officer.name),
            value(session.widget(key="auth_login_main_password"), PASSWORD),
            trigger(session.widget(key="auth_login_main_submit"))])
        expect(page, f"已报告 0/{n}")
        step("login to the places listed")

        def send_form(kind: str, pid: str) -> str:
            box = session.widget(key=f"daily_{kind}_{pid}_{FORM_FIELD[kind]}")
            return session.run("report", timeout=120, states=[
                value(box, int(box.default if box.HasField("default") else 0) + 1),
                trigger(session.widget(label="提交今日报告"))])

        if officer.action == "pair":
            kind, pid = officer.places[1]
            expect(session.run("report", timeout=120, states=[trigger(session.widget(key=f"daily_same_{kind}_{pid}"))]),
                   f"已报告 1/{n}")
            step("first report")
            expect(send_form(*officer.places[0]), f"已报告 2/{n}", SAVED)
        elif officer.action == "zero":
            expect(session.run("report", timeout=120, states=[trigger(session.widget(key="daily_zero_all"))]),
                   f"已报告 1/{n}", ZERO_SAVED)
        else:
            expect(send_form(*officer.places[0]), f"已报告 1/{n}", SAVED)
        step("a report saved and shown")


async def open_screens(browser, base_url: str, sessions: int, tokens: list[str], result: OfficerResult) -> None:
    for n in range(sessions):
        kind = "wall" if n % 2 else "leader"
        context, page = await new_context(browser, result.errors, f"{kind}-{n // 2 + 1}", DESK)
        screen = Screen(kind, page)
        if kind == "wall":
            await page.goto(f"{base_url}/wall?kiosk=1&display={tokens[n // 2]}", wait_until="domcontentloaded")
            await wait_text(page, f"已报告 {result.reported_before}/{result.total}", 120)
        else:
            await page.goto(base_url + "/", wait_until="domcontentloaded")
            await log_in(page, f"leader-{n // 2 + 1}", LEADER_PASSWORD, tap=False)
            await wait_text(page, f"已报告 {result.reported_before}/{result.total}", 120)
        result.screens.append(screen)


def count_stored(url: str, day: str, officers: list[Officer]) -> tuple[int, int, int]:
    """(places of the officers stored that day by them from the report page, places reported that day, total)."""
    engine = connect(url)
    ds = load_store(engine)
    places = reports_today(engine, places_to_report(ds, None), datetime.date.fromisoformat(day))
    by = {(k, i): (who, phone) for k, i, who, phone in
          zip(places["kind"], places["id"], places["reported_by"], places["by_phone"])}
    stored = sum(1 for o in officers if o.saved is not None for place in o.places
                 if by.get(place) == (o.name, True))
    days = report_days(ds, 0.9)
    engine.dispose()
    return stored, days.reported.get(day, 0), days.total


async def run_async(result: OfficerResult, refresh: int, data: Path, seed: int, say) -> None:
    from playwright.async_api import async_playwright

    started = time.monotonic()
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="cmdmap-officers-"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = open_city(url, data)
    result.day, result.visits, result.total, result.reported_before = plan_officers(
        engine, result.officers, rng, result.minutes)
    browsers = result.officers if result.phone_browsers is None else min(result.phone_browsers, result.officers)
    for n, officer in enumerate(result.visits):  # spread over the run: every k-th arrival, k = officers / browsers
        officer.browser = browsers > 0 and n * browsers // result.officers != (n + 1) * browsers // result.officers
    for officer in result.visits:
        auth.add_user(auth.SYSTEM, engine, officer.name, "officer", PASSWORD)
        auth.set_scope(auth.SYSTEM, engine, officer.name, Scope("places", tuple(i for _, i in officer.places)))
    for n in range((result.sessions + 1) // 2):
        auth.add_user(auth.SYSTEM, engine, f"leader-{n + 1}", "viewer", LEADER_PASSWORD)
    tokens = [add_display(auth.SYSTEM, engine, f"大屏{n + 1}") for n in range(result.sessions // 2)]
    hashed = auth.HASHER.hash(PASSWORD)
    checking = time.monotonic()
    auth.HASHER.verify(hashed, PASSWORD)  # what a login costs the server in its password check
    result.login_check = time.monotonic() - checking
    engine.dispose()
    result.places_expected = sum(len(o.places) for o in result.visits)
    env = {"CMDMAP_DATA_DIR": str(data), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true", "CMDMAP_WALL_REFRESH_SECONDS": str(refresh), "CMDMAP_BACKUP_KEEP": "3"}
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env, name="officers-server", log_dir=OUT, timeout=120) as server:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)
            await open_screens(browser, server.base_url, result.sessions, tokens, result)
            result.setup_seconds = time.monotonic() - started
            say(f"[setup {result.setup_seconds:.0f}s] {len(result.visits)} officers, "
                f"{result.places_expected} places, {result.sessions} screens open")
            start = time.monotonic()
            cpu_start = cpu_split(server.process.pid)
            queue = asyncio.Semaphore(result.at_once)
            finished = asyncio.Event()

            async def one(officer: Officer) -> None:
                await asyncio.sleep(max(0.0, start + officer.arrival - time.monotonic()))
                async with queue:
                    if result.cap_minutes is not None and time.monotonic() - start > result.cap_minutes * 60:
                        officer.skipped = True
                        return
                    officer.started = time.monotonic() - start
                    try:
                        made = (visit(browser, server.base_url, officer, result.errors) if officer.browser
                                else asyncio.to_thread(protocol_visit, server.base_url, officer))
                        await asyncio.wait_for(made, VISIT_TIMEOUT)
                        officer.saved = time.monotonic() - start
                    except Exception as exc:  # noqa: BLE001 - a failed visit is a figure of the run
                        officer.error = f"{type(exc).__name__}: {exc}"[:400]
                        result.errors.append(f"{officer.name}: visit failed: {officer.error}")
                done = sum(1 for v in result.visits if v.saved is not None or v.error)
                if done % 10 == 0:
                    say(f"[{time.monotonic() - start:6.1f}s] {done} visits done")

            async def sample() -> None:
                while not finished.is_set():
                    result.rss.append((time.monotonic() - start, rss_mib(server.process.pid)))
                    for screen in (s for s in result.screens if not s.reloading):
                        try:
                            result.errors += [f"{screen.kind}: {p}" for p in await page_problems(screen.page)]
                        except Exception as exc:  # noqa: BLE001 - a screen that cannot be asked is an error too
                            result.errors.append(f"{screen.kind}: page not responding: {exc!r}"[:200])
                    try:
                        await asyncio.wait_for(finished.wait(), 5)
                    except asyncio.TimeoutError:
                        pass

            sampler = asyncio.create_task(sample())
            await asyncio.gather(*(one(o) for o in result.visits))
            result.run_seconds = time.monotonic() - start
            result.cpu = {k: v - cpu_start[k] for k, v in cpu_split(server.process.pid).items()}
            stored, result.reported_after, _ = count_stored(url, result.day, result.visits)
            result.places_stored = stored
            final = f"已报告 {result.reported_after}/{result.total}"
            say(f"[{result.run_seconds:6.1f}s] visits over; the store: {final}")
            for screen in result.screens:
                if screen.kind == "leader":
                    body = await screen.page.evaluate("() => document.body.innerText")
                    screen.before_reload = final in body
                    screen.reloading = True
                    await screen.page.reload(wait_until="domcontentloaded")
            for screen in result.screens:
                try:
                    await wait_text(screen.page, final, refresh * 2 + 60)
                    screen.final, screen.reloading = True, False
                except Exception as exc:  # noqa: BLE001 - a screen that never shows the count is an error
                    result.errors.append(f"{screen.kind}: {final} not shown: {exc}"[:200])
            finished.set()
            await sampler
            result.rss.append((time.monotonic() - start, rss_mib(server.process.pid)))
            await browser.close()


def run_officers(officers: int, minutes: float, sessions: int, at_once: int, refresh: int, data: Path,
                 cap_minutes: float | None = None, seed: int = 21, quiet: bool = False,
                 phone_browsers: int | None = None) -> OfficerResult:
    """Run the officers' form (see the module's docstring); the figures. ``cap_minutes``: visits still queued
    that long after the first arrival are not made (counted as not started), so that a machine too slow for
    the load still ends the run."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    result = OfficerResult(officers, sessions, minutes, at_once, cap_minutes, phone_browsers)
    asyncio.run(run_async(result, refresh, data, seed, say))
    return result


def officers_report(result: OfficerResult, refresh: int) -> str:
    def spread(values: list[float]) -> str:
        if not values:
            return "-"
        values = sorted(values)
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        return (f"median {statistics.median(values):.1f} s, p90 {p90:.1f} s, max {values[-1]:.1f} s "
                f"(n={len(values)})")

    done = result.done
    walls = [s for s in result.screens if s.kind == "wall"]
    leaders = [s for s in result.screens if s.kind == "leader"]
    actions = {a: sum(1 for v in result.visits if v.action == a) for a in ("pair", "zero", "form")}
    rows = [
        ("officers (visits)", f"{result.officers}: {actions['pair']} with 2 places (与昨日相同 + form), "
                              f"{actions['zero']} 一键零报告, {actions['form']} form"),
        ("officers' clients", f"{sum(v.browser for v in result.visits)} a phone's browser (Chromium, 390x844), "
                              f"{sum(not v.browser for v in result.visits)} the WebSocket protocol without a browser"),
        ("screens open", f"{result.sessions} ({len(walls)} wall, {len(leaders)} leader overview)"),
        ("arrivals spread over", f"{result.minutes:g} min, at most {result.at_once} visits open at once"),
        ("visits done", f"{len(done)}/{result.officers} in {result.run_seconds / 60:.1f} min"
                        + (f" ({result.skipped} still queued at the cap of {result.cap_minutes:g} min, not made)"
                           if result.skipped else "")),
        ("reports stored (by their officer, from the page)", f"{result.places_stored}/{result.places_expected}"),
        (f"{result.day} reported", f"{result.reported_before} → {result.reported_after} of {result.total}"),
        ("arrival → saved", spread([v.saved - v.arrival for v in done])),
        ("visit open → saved", spread([v.saved - v.started for v in done])),
        *[(f"  step: {name}", spread([v.steps[name] for v in done if name in v.steps])) for name in
          ("page to login form", "typing name and password", "login to the places listed", "first report",
           "a report saved and shown")],
        ("CPU over the visits, per visit done", ", ".join(f"{k} {v / max(len(done), 1):.1f} s" for k, v in
                                                         result.cpu.items()) + f" (run {result.run_seconds:.0f} s)"),
        ("one password check (argon2id, bench process)", f"{result.login_check * 1000:.0f} ms"),
        ("errors", str(len(result.errors)) + ("" if not result.errors else ": " + "; ".join(result.errors[:5]))),
        (f"walls showing the final count (refresh {refresh} s)", f"{sum(s.final for s in walls)}/{len(walls)}"),
        ("leaders showing it before a reload", f"{sum(bool(s.before_reload) for s in leaders)}/{len(leaders)}"),
        ("leaders showing it after a reload", f"{sum(s.final for s in leaders)}/{len(leaders)}"),
        *memory_rows(result.rss),
        ("verdict", "PASS" if result.ok else "FAIL"),
    ]
    return table(rows, result.rss)


def officers_json(result: OfficerResult) -> dict:
    done = result.done
    return {"officers": result.officers, "sessions": result.sessions, "minutes": result.minutes,
            "day": result.day, "total": result.total, "reported_before": result.reported_before,
            "reported_after": result.reported_after, "visits_done": len(done), "skipped": result.skipped,
            "places_expected": result.places_expected, "places_stored": result.places_stored,
            "arrival_to_saved": [v.saved - v.arrival for v in done],
            "open_to_saved": [v.saved - v.started for v in done],
            "errors": result.errors, "walls_final": [s.final for s in result.screens if s.kind == "wall"],
            "leaders_before_reload": [s.before_reload for s in result.screens if s.kind == "leader"],
            "leaders_final": [s.final for s in result.screens if s.kind == "leader"], "rss": result.rss,
            "steps": [v.steps for v in done], "browser_visits": [v.browser for v in done], "cpu": result.cpu,
            "login_check": result.login_check,
            "levels_off": result.levels_off, "ok": result.ok}
