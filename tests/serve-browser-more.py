#!/usr/bin/python3
"""serve-browser-more.py WHAT BASE EDITOR PASSWORD ID PROFILE_DIR [ARGS]:
drive headless Chromium (fresh profile) through one more check of the
desk of issue 12, after logging in.  Prints "ok NAME" / "not ok NAME: why"
lines for the shell test to count, and "value NAME VALUE" facts.

  remote PORT COUNTFILE   (161) submission ID is an HTML mail whose remote
        image points at a loopback listener on PORT that appends a line to
        COUNTFILE per connection: none may reach it; the page says one
        remote image was removed; then a direct visit (the control) does.
  seek                    (162) submission ID has a clip of 40 s or more
        as its first clip: <video> loads it, seeks to 30 s; counts the
        206 answers to its requests (DevTools network events).
  shots SUBJECT DIR...    (164) screenshots of the queue and of
        submission ID (SUBJECT, its photo's thumbnail shown) as
        queue.png and submission.png in each DIR.

Every wait polls with a generous bound: the machine may be busy and the
server a sanitizer build."""
import json
import os
import sys
import unicodedata

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

what, base, editor, password, sid, profile = sys.argv[1:7]
args = sys.argv[7:]
WAIT = 60


def check(cond, name, why=""):
    print(("ok %s" % name) if cond else ("not ok %s: %s" % (name, why)))
    sys.stdout.flush()


def value(name, v):
    print("value %s %s" % (name, v))
    sys.stdout.flush()


def driver():
    opts = webdriver.ChromeOptions()
    # The proxy stands for "no network": Chromium never sends loopback
    # through a proxy, so the desk and the test's listener stay reachable
    # and anything else fails.
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--no-first-run",
              "--user-data-dir=" + profile, "--disable-extensions",
              "--disable-background-networking", "--disable-sync",
              "--proxy-server=127.0.0.1:9", "--window-size=1280,900",
              "--autoplay-policy=no-user-gesture-required",
              "--lang=vi"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs",
                        {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                         options=opts)
    d.set_page_load_timeout(WAIT)
    d.set_script_timeout(WAIT)
    return d


def login(d, wait):
    d.get(base + "/")
    d.find_element(By.NAME, "editor").send_keys(editor)
    d.find_element(By.NAME, "password").send_keys(password + Keys.ENTER)
    wait.until(lambda d: d.title == "Queue - tipline")


def open_submission(d, wait):
    """Open /s/ID and let keys.js's one "mark seen" POST and its redirect
    finish, so that the page checked is the one that stays."""
    url = base + "/s/" + sid
    d.get(url)
    wait.until(lambda d: d.current_url == url + "?seen=1")
    wait.until(lambda d: d.execute_script(
        "return document.readyState") == "complete")


def connections(path):
    try:
        with open(path) as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


def remote(d, wait):
    port, countfile = args[0], args[1]
    open_submission(d, wait)
    text = d.find_element(By.TAG_NAME, "body").text
    check("1 remote image" in text and "removed" in text,
          "the page says one remote image was removed", text[-300:])
    res = d.execute_script("""return performance.getEntriesByType(
        'resource').map(function (e) { return e.name; });""")
    hit = [r for r in res if (":%s/" % port) in r]
    check(hit == [], "the page asked for nothing on the listener", hit)
    check(d.find_elements(By.CSS_SELECTOR, "img") == [],
          "the page has no image element")
    n = connections(countfile)
    check(n == 0, "no connection reached the listener", n)
    value("connections", n)
    # The control: the listener is reachable from this browser, so the 0
    # above means the page never asked.
    d.get("http://127.0.0.1:%s/control" % port)
    WebDriverWait(d, WAIT, poll_frequency=0.2).until(
        lambda d: connections(countfile) >= 1)
    check(True, "a direct visit reaches the listener (the control)")


CLIP_JS = """
var v = document.querySelector('video'), done = arguments[0];
if (v === null) { done('no video element'); return; }
var t0 = Date.now();
v.muted = true;
v.preload = 'auto';
v.addEventListener('error', function () {
  done('error ' + (v.error ? v.error.code + ' ' + v.error.message : '?'));
});
v.addEventListener('loadedmetadata', function () {
  v.addEventListener('seeked', function () {
    done({t: v.currentTime, d: v.duration, ms: Date.now() - t0,
          src: v.currentSrc});
  }, {once: true});
  v.currentTime = 30;
}, {once: true});
v.load();
"""


def seek(d, wait):
    open_submission(d, wait)
    d.get_log("performance")    # drop the events so far
    can = d.execute_script("""return document.createElement('video')
        .canPlayType('video/mp4; codecs="vp09.00.10.08"');""")
    value("canPlayType-vp9-mp4", can or "no")
    r = d.execute_async_script(CLIP_JS)
    ok = isinstance(r, dict)
    check(ok, "the video loads its metadata and seeks", r)
    if not ok:
        return
    value("duration", r["d"])
    value("currentTime", r["t"])
    value("seek-ms", r["ms"])
    check(r["d"] >= 40, "the clip lasts 40 s or more", r["d"])
    check(r["t"] >= 29.5, "currentTime is 30 s after 'seeked'", r["t"])
    codes = []
    for e in d.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m.get("method") != "Network.responseReceived":
            continue
        resp = m["params"]["response"]
        if resp["url"].endswith("/clip"):
            codes.append(resp["status"])
    value("clip-answers", " ".join(str(c) for c in codes) or "-")
    check(codes.count(206) >= 1, "the server answered the video's Range "
          "requests with 206", codes)


def thumb_loaded(d):
    return d.execute_script("""
        var i = document.querySelector('img[src$="/thumb"]');
        return i !== null && i.complete ? i.naturalWidth : null;""")


def full_page(d):
    """Make the viewport as tall as the page (at most 3000 px), so that
    the screenshot shows all of it."""
    m = d.execute_cdp_cmd("Page.getLayoutMetrics", {})
    h = int(m.get("cssContentSize", m["contentSize"])["height"]) + 1
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": max(800, min(h, 3000)),
        "deviceScaleFactor": 1, "mobile": False})


def shots(d, wait):
    subject, dirs = args[0], args[1:]
    subject = unicodedata.normalize("NFC", subject)
    for x in dirs:
        os.makedirs(x, exist_ok=True)
    d.get(base + "/")
    rows = d.find_elements(By.CSS_SELECTOR, "tr.row")
    check(len(rows) >= 2, "the queue lists the submissions", len(rows))
    check(subject in d.find_element(By.TAG_NAME, "body").text,
          "the queue shows the Vietnamese subject (NFC)")
    for x in dirs:
        d.save_screenshot(os.path.join(x, "queue.png"))
    open_submission(d, wait)
    check(subject in d.find_element(By.TAG_NAME, "h1").text,
          "the submission page shows the Vietnamese subject (NFC)",
          d.find_element(By.TAG_NAME, "h1").text)
    try:
        WebDriverWait(d, WAIT, poll_frequency=0.2).until(
            lambda d: thumb_loaded(d) is not None)
        w = thumb_loaded(d)
    except Exception:
        w = -1
    value("thumb-width", w)
    check(w > 0, "the thumbnail is shown (naturalWidth > 0)", w)
    full_page(d)
    for x in dirs:
        d.save_screenshot(os.path.join(x, "submission.png"))
    check(all(os.path.getsize(os.path.join(x, n)) > 1000 for x in dirs
              for n in ("queue.png", "submission.png")),
          "the screenshots are saved")


drv = driver()
try:
    login(drv, WebDriverWait(drv, WAIT))
    {"remote": remote, "seek": seek, "shots": shots}[what](
        drv, WebDriverWait(drv, WAIT))
    severe = [e["message"] for e in drv.get_log("browser")
              if e["level"] == "SEVERE" and e.get("source") != "network"]
    check(severe == [], "no errors in the console (CSP included)", severe)
finally:
    drv.quit()
