"""The multi-server set-up of ``deploy/cluster.sh`` (``./run.sh cluster``): PostgreSQL, two app processes, nginx.

The script is run as documented, on loopback ports of its own and the tiny city:

- nginx answers the health check and keeps each browser on one app process (its route cookie);
- in Chromium, a staff member uploads a day through app process A while the wall display
  (``/wall?kiosk=1``) is open on app process B, and the new day appears on B's wall within
  its refresh interval, without a reload; a wall served through nginx shows it too
  (its websocket goes through the proxy).

Needs PostgreSQL with PostGIS, nginx and Chromium (``./run.sh test`` installs them); skipped
when they are missing, but failed in CI (env ``CI`` set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import ROOT, free_port, launch_chromium, new_page, require_chromium, screenshot, settle
from tests.conftest import write_tiny_city
from tests.needs import unavailable
from tests.pgserver import binaries
from tests.test_browser_upload import DAY, PASSWORDS, choose_kind, confirm_button, log_in, open_upload_page, upload
from tests.test_browser_wall import HD, WALL, sub_text, wait_for

REFRESH = 5  # CMDMAP_WALL_REFRESH_SECONDS of the cluster's app processes


def _missing() -> str | None:
    if binaries() is None:
        return "PostgreSQL with PostGIS"
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        return "nginx"
    return None


@pytest.fixture(scope="module")
def cluster():
    """``deploy/cluster.sh start`` in a folder of its own; stopped and removed after the module."""
    missing = _missing()
    if missing:
        reason = f"{missing} is not installed (Debian: ./run.sh cluster or ./run.sh test install it)"
        unavailable(reason)
    folder = Path(tempfile.mkdtemp(prefix="cmdmap-cl-"))
    folder.chmod(0o755)  # the database runs as the postgres user when the tests run as root
    city = write_tiny_city(folder / "city")
    ports = {"CLUSTER_PG_PORT": free_port(), "CLUSTER_HTTP_PORT": free_port()}
    apps = [free_port(), free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")}
    env.update({k: str(v) for k, v in ports.items()})
    env.update({"CLUSTER_DIR": str(folder / "run"), "CLUSTER_APP_PORTS": " ".join(map(str, apps)), "CLUSTER_DEBUG": "1",
                "PYTHON": sys.executable,
                "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none",
                "CMDMAP_WALL_REFRESH_SECONDS": str(REFRESH), "CMDMAP_WALL_ROTATE_SECONDS": "0"})
    script = str(ROOT / "deploy" / "cluster.sh")
    try:
        started = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=300)
        assert started.returncode == 0, f"cluster.sh start failed:\n{started.stdout}\n{started.stderr}"
        url = f"postgresql+psycopg://postgres@127.0.0.1:{ports['CLUSTER_PG_PORT']}/cmdmap"
        assert f"CMDMAP_DATABASE_URL={url}" in started.stdout
        yield {"url": url, "nginx": f"http://127.0.0.1:{ports['CLUSTER_HTTP_PORT']}",
               "apps": [f"http://127.0.0.1:{port}" for port in apps], "env": env, "script": script,
               "logs": [folder / "run" / f"app-{port}.log" for port in apps]}
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def get(url: str, cookie: str | None = None) -> tuple[str, str, str]:
    """(body, the app process that answered, the route cookie nginx gave) of a GET through nginx."""
    request = urllib.request.Request(url, headers={"Cookie": f"cmdmap_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = [v.split(";")[0] for v in response.headers.get_all("Set-Cookie") or []]
        route = next((c.split("=", 1)[1] for c in cookies if c.startswith("cmdmap_route=")), "")
        return response.read().decode(), response.headers["X-Cmdmap-Upstream"], route


def test_nginx_answers_health_and_keeps_a_browser_on_one_app(cluster):
    status = subprocess.run([cluster["script"], "status"], env=cluster["env"], capture_output=True, text=True)
    assert status.returncode == 0 and status.stdout.count(" ok") == 3, status.stdout
    body, _, route = get(cluster["nginx"] + "/_stcore/health")
    assert body.strip() == "ok" and route
    apps = {url.removeprefix("http://") for url in cluster["apps"]}
    # the same route cookie reaches the same app process every time
    seen = {get(cluster["nginx"] + "/_stcore/health", route)[1] for _ in range(8)}
    assert len(seen) == 1 and seen <= apps
    # new browsers are spread over both
    spread = {get(cluster["nginx"] + "/_stcore/health")[1] for _ in range(30)}
    assert spread == apps


@pytest.fixture(scope="module")
def browser(cluster):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def open_wall(browser, base: str):
    log = new_page(browser, HD)
    log.page.goto(base + WALL, wait_until="domcontentloaded")
    wait_for(log.page, lambda: sub_text(log.page), f"the wall's 数据截至 line at {base}", timeout=90)
    return log


def test_an_upload_through_one_app_appears_on_the_wall_of_the_other(cluster, browser):
    from geo.accounts import auth
    from geo.store import newest_version
    from geo.store.engine import connect

    engine = connect(cluster["url"])
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", PASSWORDS["clerk"])
    app_a, app_b = cluster["apps"]
    wall = open_wall(browser, app_b)
    proxied = open_wall(browser, cluster["nginx"])
    assert sub_text(wall.page)[0] == sub_text(proxied.page)[0] == "2020-02-25"
    wall.page.evaluate("window.__marker = 1")

    staff = new_page(browser)
    staff.page.goto(app_a + "/", wait_until="domcontentloaded")
    log_in(staff.page, "clerk")
    open_upload_page(staff.page)
    choose_kind(staff.page, "小区日报")
    before = newest_version(engine)
    upload(staff.page, "日报.csv", DAY)
    wait_for(staff.page, lambda: confirm_button(staff.page).count() == 1, "the 确认导入 button")
    # clicked once the page has finished its run, as a person does and as the upload tests do: a click landing
    # while the check's page is still being drawn was lost once in CI (2026-12-07, under load, not reproduced)
    settle(staff.page, 0.5)
    confirm_button(staff.page).click()
    try:
        wait_for(staff.page, lambda: staff.page.get_by_text(f"版本 {before + 1}").count() >= 1, "'已导入，版本 …'")
    except AssertionError as failed:  # what the app processes said meanwhile, and what the store holds
        logs = "\n".join(f"--- {log.name}:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                         for log in cluster["logs"] if log.exists())
        raise AssertionError(f"{failed}\nnewest version: {newest_version(engine)} (before: {before})\n{logs}") from None
    uploaded = time.monotonic()

    # 2 of the 5 places report 2020-02-26: the walls stay on the complete day and show the new day's progress
    progress = "2020-02-26 已报告 2/"
    wait_for(wall.page, lambda: wall.page.get_by_text(progress).count() >= 1,
             "app B's wall to show the progress of 2020-02-26", timeout=REFRESH + 30)
    took = time.monotonic() - uploaded
    assert took <= REFRESH + 15, f"the upload took {took:.1f} s to reach the other app's wall"
    assert wall.page.evaluate("window.__marker") == 1, "the wall was reloaded"
    assert sub_text(wall.page)[0] == "2020-02-25"
    wait_for(proxied.page, lambda: proxied.page.get_by_text(progress).count() >= 1, "the wall through nginx",
             timeout=REFRESH + 30)
    screenshot(wall.page, "cluster_wall_after_upload.png")
    print(f"\nuploaded through {app_a}, shown on {app_b}'s wall {took:.1f} s later")
    for log in (wall, proxied, staff):
        assert log.aborted == [], log.aborted[:10]
        log.page.context.close()


def test_nginx_says_which_app_server_answered_only_in_debug(tmp_path):
    """X-Cmdmap-Upstream names an internal address: on only with CLUSTER_DEBUG=1 (the tests above), off as shipped."""
    script = str(ROOT / "deploy" / "cluster.sh")
    env = {**os.environ, "CLUSTER_DIR": str(tmp_path), "PYTHON": sys.executable}
    env.pop("CLUSTER_DEBUG", None)

    def header_lines(extra):
        config = subprocess.run([script, "config"], env={**env, **extra}, capture_output=True, text=True, timeout=60)
        assert config.returncode == 0 and "upstream cmdmap_apps" in config.stdout, config.stderr
        return [line.strip() for line in config.stdout.splitlines()
                if "X-Cmdmap-Upstream" in line and not line.strip().startswith("#")]

    assert header_lines({}) == []
    assert header_lines({"CLUSTER_DEBUG": "1"}) == ["add_header X-Cmdmap-Upstream $upstream_addr always;"]
    shipped = (ROOT / "deploy" / "nginx.conf.in").read_text()
    assert not [line for line in shipped.splitlines() if "X-Cmdmap-Upstream" in line and "#" not in line]
