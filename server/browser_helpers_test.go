package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's Chromium (apt-get install chromium) with chromedp.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds each browser test: the browser lives no longer.
const browserTimeout = 90 * time.Second

// stepTimeout bounds one step (a navigation, a query that waits for an element), so
// that a missing element fails the test at once, saying which.
const stepTimeout = 20 * time.Second

// Widths the pages are looked at.
const (
	desktopW, desktopH = 1366, 900
	phoneW, phoneH     = 390, 844
)

// chrome is a headless Chromium tab on a test server. It records, from the moment
// it starts, every request that leaves the server and every console error, and
// checkPage fails the test on them.
type chrome struct {
	t *testing.T
	*tab
}

// tab is what the tests and subtests of one browser share.
type tab struct {
	ctx  context.Context
	a    *testAPI
	host string // the test server's host:port
	dir  string // where screenshots go

	mu       sync.Mutex
	problems []string
}

// in is the same tab for a subtest.
func (c *chrome) in(t *testing.T) *chrome { return &chrome{t: t, tab: c.tab} }

// browserSlot is held by the browser test that runs.
var browserSlot = make(chan struct{}, 1)

// newChrome starts a headless Chromium for the test, closed when the test ends. It
// skips when Chromium is not installed, but fails in CI, which must have it.
func newChrome(t *testing.T, a *testAPI) *chrome {
	t.Helper()
	return newChromeFor(t, a, browserTimeout)
}

// newChromeFor is newChrome for a test that visits many pages: the browser lives for
// at most limit.
func newChromeFor(t *testing.T, a *testAPI, limit time.Duration) *chrome {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is needed in CI (apt-get install -y chromium): %v", chromiumPath, err)
		}
		t.Skipf("browser tests need %s (Debian: apt-get install -y chromium)", chromiumPath)
	}
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	// One browser at a time: the other tests run beside it, but two Chromiums on a
	// small machine starve each other past their timeouts.
	browserSlot <- struct{}{}
	t.Cleanup(func() { <-browserSlot })
	c := &chrome{t: t, tab: &tab{a: a, host: u.Host, dir: artefactsDir(t)}}

	browser, err := sharedBrowser()
	if err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	// A browser context of its own (like a private window: its own cookies and
	// storage) in the one Chromium the tests share.
	base, cancelBase := context.WithTimeout(browser, limit)
	ctx, cancelCtx := chromedp.NewContext(base, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancelCtx()
		cancelBase()
	})
	c.ctx = ctx
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open a tab in %s: %v", chromiumPath, err)
	}
	if err := chromedp.Listen(ctx, c.observe); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	c.do(chromedp.EmulateViewport(desktopW, desktopH))
	return c
}

// The browser tests share one Chromium, started by the first of them and closed by
// TestMain: starting one costs more than most tests' pages, several times over on a
// loaded machine.
var (
	browserOnce  sync.Once
	browserCtx   context.Context
	browserErr   error
	closeBrowser = func() {}
)

func sharedBrowser() (context.Context, error) {
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tinhso-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromiumPath),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true), // tests run as root
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("lang", "vi-VN"),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(desktopW, desktopH),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		closeBrowser = func() {
			cancelCtx()
			cancelAlloc()
			os.RemoveAll(dir)
		}
		browserCtx, browserErr = ctx, chromedp.Do(ctx) // starts the browser
	})
	return browserCtx, browserErr
}

// artefactsDir is where screenshots go: TINHSO_ARTEFACTS, or artefacts/screenshots at
// the repository's root with TINHSO_SCREENSHOTS=1; "" (none taken) without either. A
// full-page screenshot at two widths costs about as much as the checks of the page,
// and it asserts nothing: it is taken when someone will look at it.
func artefactsDir(t *testing.T) string {
	dir := os.Getenv("TINHSO_ARTEFACTS")
	if dir == "" {
		if os.Getenv("TINHSO_SCREENSHOTS") == "" {
			return ""
		}
		dir = filepath.Join("..", "artefacts", "screenshots")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		t.Fatal(err)
	}
	return abs
}

// observe runs in the tab's event loop: it must return fast and call nothing.
func (c *chrome) observe(ev any) {
	var p string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if !c.local(ev.Request.URL) {
			p = fmt.Sprintf("request leaves the server: %s (from %s)", ev.Request.URL, ev.DocumentURL)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			p = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		p = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			p = fmt.Sprintf("browser log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if p != "" {
		c.mu.Lock()
		c.problems = append(c.problems, p)
		c.mu.Unlock()
	}
}

// local tells whether a URL the page requests stays on the test server.
func (c *chrome) local(raw string) bool {
	if raw == "about:blank" || strings.HasPrefix(raw, "data:") {
		return true
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "ws") && u.Host == c.host
}

// flush fails the test on what was recorded since the last flush.
func (c *chrome) flush(where string) {
	c.t.Helper()
	c.mu.Lock()
	ps := c.problems
	c.problems = nil
	c.mu.Unlock()
	for _, p := range ps {
		c.t.Errorf("%s: %s", where, p)
	}
}

// forget drops what was recorded that contains text: the browser's log of a status
// a test asked for on purpose (a 403, a 404).
func (c *chrome) forget(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.problems[:0]
	for _, p := range c.problems {
		if !strings.Contains(p, text) {
			kept = append(kept, p)
		}
	}
	c.problems = kept
}

// step is the tab's context for one step.
func (c *chrome) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, stepTimeout)
}

func (c *chrome) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.t.Fatalf("browser: %v", err)
	}
}

// eval runs JavaScript in the page and decodes its value.
func eval[T any](c *chrome, js string) T {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		c.t.Fatalf("evaluate %q: %v", clipString(js, 120), err)
	}
	return v
}

func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// open loads a page of the server (a path) and fails unless it answers 200.
func (c *chrome) open(path string) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(c.a.URL+path))
	if err != nil {
		c.t.Fatalf("open %s: %v", path, err)
	}
	c.status(path, resp, 200)
}

// follow runs steps that load a new page (a click on a link, a form's submit button)
// and waits for it; it fails unless the page answers status.
func (c *chrome) follow(what string, status int64, steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	c.status(what, resp, status)
}

func (c *chrome) status(what string, resp *network.Response, want int64) {
	c.t.Helper()
	if resp == nil {
		c.t.Fatalf("%s: no response", what)
	}
	if resp.Status != want {
		c.t.Fatalf("%s: %s answered %d, want %d", what, resp.URL, resp.Status, want)
	}
}

// click clicks the first element a CSS selector finds and waits for the page it loads.
func (c *chrome) click(sel string) {
	c.t.Helper()
	c.follow("click "+sel, 200, chromedp.Click(chromedp.CSS(sel)))
}

// text is the visible text of the first element a CSS selector finds.
func (c *chrome) text(sel string) string {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// has tells whether a CSS selector finds an element, without waiting.
func (c *chrome) has(sel string) bool {
	c.t.Helper()
	return eval[bool](c, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// path is the page's path and query.
func (c *chrome) path() string {
	c.t.Helper()
	return eval[string](c, `location.pathname + location.search`)
}

// settle waits until the page has loaded, its fonts are ready and two frames drew.
func (c *chrome) settle() {
	c.t.Helper()
	eval[chromedp.Void](c, `new Promise(function (done) {
		var go = function () { requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); }); };
		var ready = function () { (document.fonts ? document.fonts.ready : Promise.resolve()).then(go); };
		if (document.readyState === "complete") ready(); else addEventListener("load", ready);
	})`)
}

// checkPage checks the page the tab shows and saves its screenshots as
// name-desktop.png and name-phone.png: nothing loaded from outside the server, no
// console error, no WCAG 2.1 A/AA violation axe-core finds at either width, no
// horizontal scroll at 390 px, the skip link is the first Tab stop and moves the
// focus to main, and a Vietnamese page shows no missing key and no English message
// (checkLanguage).
func (c *chrome) checkPage(name string) {
	c.t.Helper()
	c.settle()
	where := name + " (" + c.path() + ")"

	c.screenshot(name + "-desktop")
	c.checkAxe(where+" at desktop width", false)

	c.do(chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile, chromedp.EmulateTouch))
	c.settle()
	if w := eval[int](c, `document.documentElement.scrollWidth`); w > phoneW {
		wide := eval[[]string](c, fmt.Sprintf(`Array.from(document.querySelectorAll("body *")).filter(function (e) {
			var r = e.getBoundingClientRect();
			if (r.width === 0 || r.right <= %d + 1) return false;
			for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
				if (getComputedStyle(p).overflowX !== "visible") return false; // scrolls inside its box
			}
			return true;
		}).slice(0, 6).map(function (e) {
			var r = e.getBoundingClientRect();
			return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(r.right);
		})`, phoneW))
		c.t.Errorf("%s: at %d px the page scrolls sideways: scrollWidth %d; too wide: %s", where, phoneW, w, strings.Join(wide, ", "))
	}
	c.screenshot(name + "-phone")
	c.checkAxe(where+fmt.Sprintf(" at %d px", phoneW), true)
	c.do(chromedp.EmulateViewport(desktopW, desktopH))
	c.settle()

	c.checkSkipLink(where)
	c.checkLanguage(where)
	c.flush(where)
}

// checkSkipLink presses Tab on the freshly loaded page: the first stop must be the
// skip link; Enter on it must move the focus to main.
func (c *chrome) checkSkipLink(where string) {
	c.t.Helper()
	if eval[string](c, `location.hash`) != "" {
		// Opened at a fragment (#propose), Tab rightly starts from there: the skip
		// link is checked on the same page opened at its top.
		c.open(eval[string](c, `location.pathname + location.search`))
		c.settle()
	}
	c.do(chromedp.KeyEvent(kbTab))
	first := eval[string](c, `(function (e) { return e ? e.tagName.toLowerCase() + "." + e.className + " " + (e.getAttribute("href") || "") : "none"; })(document.activeElement)`)
	if first != `a.skip #main` {
		c.t.Errorf("%s: the first Tab stop is %q, want the skip link a.skip to #main", where, first)
		return
	}
	if !eval[bool](c, `(function (r) { return r.width > 0 && r.height > 0 && r.top >= 0 && r.top < innerHeight; })(document.activeElement.getBoundingClientRect())`) {
		c.t.Errorf("%s: the focused skip link is not visible on the screen", where)
	}
	c.do(chromedp.KeyEvent(kbEnter))
	c.settle()
	if got := eval[string](c, `document.activeElement ? document.activeElement.tagName.toLowerCase() + "#" + document.activeElement.id : "none"`); got != "main#main" {
		c.t.Errorf("%s: Enter on the skip link focuses %q, want main#main", where, got)
	}
}

// axeFile is axe-core, vendored for the tests only by scripts/vendor-axe.sh (the app
// never serves it; see testdata/axe/VERSIONS for its version and licence).
const axeFile = "testdata/axe/axe.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(axeFile)
	return string(b), err
})

// axeTags are the rule sets run: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeViolation is one rule axe-core finds broken, with the first few elements.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Count  int    `json:"count"`
	Nodes  []struct {
		Target string `json:"target"`
		HTML   string `json:"html"`
		Why    string `json:"why"`
	} `json:"nodes"`
}

// checkAxe runs axe-core on the page as it is and fails the test on each WCAG 2.1
// A/AA violation, naming the rule, its impact, what it asks, and the first elements
// that break it. axe is injected through the DevTools protocol (Runtime.evaluate),
// which the page's Content-Security-Policy does not restrict.
//
// At phone width (phone), colour contrast, the costliest rule by far (2 of 2.3 s on a
// list of 50 rows), is checked in the header only: the stylesheets' @media blocks
// change no colour, so the rest of the page has the contrast checked at desktop width,
// and the header holds what only a phone shows (the menu button).
func (c *chrome) checkAxe(where string, phone bool) {
	c.t.Helper()
	for _, v := range c.axeViolations(phone) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: accessibility: %s (%s, %d element(s)): %s", where, v.ID, v.Impact, v.Count, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n\t%s %s\n\t\t%s", n.Target, clipString(n.HTML, 200), clipString(n.Why, 300))
		}
		c.t.Error(b.String())
	}
}

// axeViolations is what axe-core finds broken on the page (checkAxe).
func (c *chrome) axeViolations(phone bool) []axeViolation {
	c.t.Helper()
	src, err := axeSource()
	if err != nil {
		c.t.Fatalf("axe-core for the accessibility check (run scripts/vendor-axe.sh): %v", err)
	}
	if !eval[bool](c, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
		eval[bool](c, src+"\n;true")
	}
	tags, _ := json.Marshal(axeTags)
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})`, tags)
	if phone {
		// One run at a time: axe refuses a second while the first runs.
		run = fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, rules: {"color-contrast": {enabled: false}}, resultTypes: ["violations"]}).then(function (all) {
			if (!document.querySelector("header")) return all;
			return axe.run("header", {runOnly: {type: "rule", values: ["color-contrast"]}, resultTypes: ["violations"]}).then(function (h) {
				return {violations: all.violations.concat(h.violations)};
			});
		})`, tags)
	}
	return eval[[]axeViolation](c, run+`.then(function (r) {
		return r.violations.map(function (v) {
			return {id: v.id, impact: v.impact || "", help: v.help, count: v.nodes.length, nodes: v.nodes.slice(0, 4).map(function (n) {
				return {target: JSON.stringify(n.target), html: n.html, why: (n.failureSummary || "").replace(/\s+/g, " ")};
			})};
		});
	})`)
}

const (
	kbTab   = "\t"
	kbEnter = "\r"
)

// screenshot saves a full-page PNG of the tab as it is, when screenshots are asked for
// (artefactsDir).
func (c *chrome) screenshot(name string) {
	c.t.Helper()
	if c.dir == "" {
		return
	}
	ctx, cancel := c.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(c.dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.t.Logf("screenshot %s", file)
}

// exists tells whether the server serves a page (a GET answering 200 with HTML),
// without the browser: steps over pages not built yet skip.
func (a *testAPI) exists(tb testing.TB, path string, headers ...string) bool {
	tb.Helper()
	r := a.do(tb, "GET", path, nil, headers...)
	return r.status == 200 && strings.HasPrefix(r.header.Get("Content-Type"), "text/html")
}

// The accessibility check finds what it is for: text of too little contrast, at
// desktop width anywhere, at phone width in the header (checkAxe).
func TestAxeFindsLowContrast(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	c := newChrome(t, a)
	c.open("/portal")
	c.settle()
	ids := func(phone bool) []string {
		var got []string
		for _, v := range c.axeViolations(phone) {
			for _, n := range v.Nodes {
				got = append(got, v.ID+" "+n.Target)
			}
		}
		sort.Strings(got)
		return got
	}
	if got := ids(false); len(got) != 0 {
		t.Fatalf("the portal has violations before the test plants any: %v", got)
	}
	eval[bool](c, `(function () {
		var m = document.createElement("p"); m.id = "faint-main"; m.textContent = "Chữ nhạt trong trang"; m.style.color = "#ddd"; m.style.background = "#fff";
		document.querySelector("main").appendChild(m);
		var h = document.createElement("span"); h.id = "faint-header"; h.textContent = "Chữ nhạt ở đầu trang"; h.style.color = "#eee"; h.style.background = "#fff";
		document.querySelector("header").appendChild(h);
		return true;
	})()`)
	want := []string{`color-contrast ["#faint-header"]`, `color-contrast ["#faint-main"]`}
	if got := ids(false); !slices.Equal(got, want) {
		t.Errorf("at desktop width: %v, want %v", got, want)
	}
	if got := ids(true); !slices.Equal(got, want[:1]) {
		t.Errorf("at phone width: %v, want %v", got, want[:1])
	}
}
