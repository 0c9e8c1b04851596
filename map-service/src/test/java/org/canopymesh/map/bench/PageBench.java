package org.canopymesh.map.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.canopymesh.map.testing.MapProcess;
import org.canopymesh.map.testing.Reports;

/**
 * The page in headless Chromium: the first render of the whole map, frame times while the map is
 * panned, and the time from a report to its event in the browser.
 *
 * <p>The first render is timed in the page, against its own clock: a script installed before the
 * page's own (CDP {@code Page.addScriptToEvaluateOnNewDocument}) watches the map container's {@code
 * data-nodes} and notes {@code performance.now()} (milliseconds since navigation start) when it
 * equals the number of located nodes, then at the next animation frame (the canvas renderer draws
 * in a frame callback queued before ours, so by then the nodes are on the canvas) and at the frame
 * after that (painted).
 */
final class PageBench {
  private static final String WATCH =
      """
      (() => {
        const want = String(%d);
        const rec = (window.__bench = { longTasks: [] });
        try {
          new PerformanceObserver((l) => {
            for (const e of l.getEntries()) rec.longTasks.push([e.startTime, e.duration]);
          }).observe({ type: 'longtask', buffered: true });
        } catch (e) {}
        new MutationObserver((changes) => {
          for (const c of changes) {
            const el = c.target;
            if (rec.attrAt == null && el.id === 'map' && el.dataset.nodes === want) {
              rec.attrAt = performance.now();
              requestAnimationFrame(() => {
                rec.drawnAt = performance.now();
                requestAnimationFrame(() => (rec.nextFrameAt = performance.now()));
              });
            }
          }
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-nodes'] });
      })();
      """;

  /** Waits for the watch script's result and adds the page's own timings. */
  private static final String COLLECT =
      """
      const done = arguments[arguments.length - 1];
      const t = Date.now();
      (function poll() {
        const rec = window.__bench || {};
        if (rec.nextFrameAt != null || Date.now() - t > 60000) {
          const res = (name) => {
            const e = performance.getEntriesByType('resource').find((r) => r.name.includes(name));
            return e ? [e.startTime, e.responseEnd, e.encodedBodySize, e.decodedBodySize] : null;
          };
          const nav = performance.getEntriesByType('navigation')[0];
          done({
            attrAt: rec.attrAt, drawnAt: rec.drawnAt, nextFrameAt: rec.nextFrameAt,
            longTasks: rec.longTasks,
            domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
            map: res('api/v1/map'), graph: res('api/v1/graph'), leaflet: res('leaflet.js'),
            timings: (window.canopy && window.canopy.timings) || {},
            drawn: window.canopy ? window.canopy.drawnNodeCount() : null,
            lines: window.canopy ? window.canopy.drawnLinkCount() : null,
          });
        } else {
          setTimeout(poll, 20);
        }
      })();
      """;

  /**
   * Once the page says it is ready, pans for {@code arguments[0]} ms while every animation frame's
   * interval, every long task and every canvas redraw is timed. Mode {@code idle}: no panning (what
   * the page does by itself meanwhile: the baseline); {@code animated}: a 250 ms animated pan every
   * 250 ms (a user's flicks or held arrow keys: the map keeps moving); {@code per-frame}: a pan
   * without animation at every frame (each one a move end: the worst case).
   */
  private static final String PAN =
      """
      const [ms, mode, done] = arguments;
      const t = Date.now();
      (function waitReady() {
        if ((window.canopy && window.canopy.timings.ready != null) || Date.now() - t > 30000) run();
        else setTimeout(waitReady, 50);
      })();
      function run() {
        const map = window.canopy.map;
        const r = map.options.renderer || map._renderer;
        const redraws = [];
        const wrapped = [];
        for (const name of ['_update', '_redraw']) {
          if (r && typeof r[name] === 'function') {
            const orig = r[name];
            r[name] = function () {
              const s = performance.now();
              try { return orig.apply(this, arguments); }
              finally { redraws.push(performance.now() - s); }
            };
            wrapped.push([name, orig]);
          }
        }
        const frames = [];
        const longTasks = [];
        // Long animation frames name the scripts that made them long (Chromium 123+).
        const loafs = [];
        const frameParts = [];
        let lpo = null;
        try {
          lpo = new PerformanceObserver((l) => {
            for (const e of l.getEntries()) {
              const end = e.startTime + e.duration;
              frameParts.push([e.duration, e.renderStart ? end - e.renderStart : 0,
                e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0]);
              for (const x of e.scripts || []) {
                const where = (x.sourceURL || '').split('/').pop() + ':' + x.sourceCharPosition;
                loafs.push([x.invoker + ' ' + (x.sourceFunctionName || '') + ' @' + where,
                  x.duration, x.forcedStyleAndLayoutDuration || 0]);
              }
            }
          });
          lpo.observe({ type: 'long-animation-frame' });
        } catch (e) {}
        let po = null;
        try {
          po = new PerformanceObserver((l) => {
            for (const e of l.getEntries()) longTasks.push(e.duration);
          });
          po.observe({ type: 'longtask' });
        } catch (e) {}
        let running = true;
        let last = null;
        const frame = (t) => {
          if (last != null) frames.push(t - last);
          last = t;
          if (running) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        let step = 0;
        const dir = () => ((Math.floor(step / 8) % 2) === 0 ? 1 : -1);
        let timer = null;
        let perFrame = null;
        if (mode === 'idle') {
          // nothing: the baseline
        } else if (mode === 'animated') {
          timer = setInterval(() => {
            step++;
            map.panBy([200 * dir(), 80 * dir()], { animate: true, duration: 0.25 });
          }, 250);
        } else {
          perFrame = () => {
            if (!running) return;
            step++;
            map.panBy([25 * dir(), 10 * dir()], { animate: false });
            requestAnimationFrame(perFrame);
          };
          requestAnimationFrame(perFrame);
        }
        setTimeout(() => {
          running = false;
          if (timer) clearInterval(timer);
          setTimeout(() => {
            if (po) po.disconnect();
            if (lpo) lpo.disconnect();
            for (const [name, orig] of wrapped) r[name] = orig;
            done({ frames, longTasks, redraws, loafs, frameParts, pans: step });
          }, 300);
        }, ms);
      }
      """;

  /** A page-side EventSource and a POST from the page: one clock for both ends. */
  private static final String LISTEN =
      """
      const done = arguments[arguments.length - 1];
      window.__waitFor = {};
      window.__pageEvent = {};
      const es = new EventSource('/api/v1/events');
      window.__es = es;
      es.addEventListener('link', (e) => {
        const at = performance.now();
        const d = JSON.parse(e.data);
        const k = d.a + ':' + d.b + ':' + d.state;
        const f = window.__waitFor[k];
        if (f) { delete window.__waitFor[k]; f(at, e.lastEventId); }
      });
      // The page's own stream writes each event's id on the map container as it handles it.
      new MutationObserver(() => {
        const id = document.getElementById('map').dataset.event;
        if (id && window.__pageEvent[id] == null) window.__pageEvent[id] = performance.now();
      }).observe(document.getElementById('map'), { attributes: true, attributeFilter: ['data-event'] });
      const t = Date.now();
      (function poll() {
        if (es.readyState === 1 || Date.now() - t > 10000) done(es.readyState);
        else setTimeout(poll, 20);
      })();
      """;

  private static final String PROBE =
      """
      const [body, a, b, done] = arguments;
      const k = (a < b ? a + ':' + b : b + ':' + a) + ':down';
      let status = null;
      const t0 = performance.now();
      const timer = setTimeout(() => done({ timeout: true, status }), 10000);
      window.__waitFor[k] = (at, id) => {
        clearTimeout(timer);
        // The page's handler runs after ours on the same event, or soon after on its own stream.
        setTimeout(() => {
          const page = window.__pageEvent[id];
          done({ latency: at - t0, page: page == null ? null : page - t0, status, id });
        }, 100);
      };
      fetch('/api/v1/reports', {
        method: 'POST', body, headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      }).then((r) => { status = r.status; if (r.status !== 202) { clearTimeout(timer); done({ status }); } });
      """;

  private PageBench() {}

  /** Loads the page {@code loads} times, each with an empty cache; returns the median. */
  static double firstRender(
      Browser b, MapProcess svc, int expectedNodes, int loads, Results results) {
    System.out.printf(
        Locale.ROOT,
        "%n-- first render in headless Chromium (%d loads, each with an empty cache) --%n",
        loads);
    b.onNewDocument(String.format(Locale.ROOT, WATCH, expectedNodes));
    Latencies rendered = new Latencies();
    Latencies attr = new Latencies();
    for (int i = 0; i < loads; i++) {
      b.clearCache();
      b.driver.get(svc.url().resolve("/").toString());
      Map<String, Object> r = Browser.map(b.asyncScript(COLLECT));
      double attrAt = Browser.num(r.get("attrAt"));
      double drawnAt = Browser.num(r.get("drawnAt"));
      if (Double.isNaN(drawnAt)) {
        System.out.printf(
            Locale.ROOT,
            "  load %d: data-nodes never reached %d within 60 s (drawn %s nodes); timings %s%n",
            i + 1,
            expectedNodes,
            r.get("drawn"),
            r.get("timings"));
        continue;
      }
      attr.add(attrAt);
      rendered.add(drawnAt);
      List<Object> longTasks = Browser.list(r.get("longTasks"));
      double longest = 0;
      double sum = 0;
      for (Object o : longTasks) {
        double d = Browser.num(Browser.list(o).get(1));
        longest = Math.max(longest, d);
        sum += d;
      }
      System.out.printf(
          Locale.ROOT,
          "  load %d: data-nodes = %d at %.0f ms, canvas drawn at %.0f ms, next frame %.0f ms"
              + " (navigation start = 0); DOMContentLoaded %.0f ms; /api/v1/map %s; /api/v1/graph %s;"
              + " leaflet.js %s; page timings %s; %d long tasks, %.0f ms in all, longest %.0f ms;"
              + " %s lines drawn%n",
          i + 1,
          expectedNodes,
          attrAt,
          drawnAt,
          Browser.num(r.get("nextFrameAt")),
          Browser.num(r.get("domContentLoaded")),
          resource(r.get("map")),
          resource(r.get("graph")),
          resource(r.get("leaflet")),
          r.get("timings"),
          longTasks.size(),
          sum,
          longest,
          r.get("lines"));
    }
    results.add(
        "first render, navigation start -> all nodes drawn (median of " + loads + ")",
        "< 2 s",
        String.format(
            Locale.ROOT,
            "%.0f ms (max %.0f ms; data-nodes set at %.0f ms)",
            rendered.p50(),
            rendered.max(),
            attr.p50()),
        rendered.count() > 0 && rendered.p50() < 2000);
    return rendered.p50();
  }

  private static String resource(Object o) {
    List<Object> l = Browser.list(o);
    if (l.size() < 4) {
      return "n/a";
    }
    return String.format(
        Locale.ROOT,
        "%.0f-%.0f ms (%,d KB on the wire, %,d KB decoded)",
        Browser.num(l.get(0)),
        Browser.num(l.get(1)),
        (long) Browser.num(l.get(2)) / 1024,
        (long) Browser.num(l.get(3)) / 1024);
  }

  /** Pans the loaded page for {@code ms} in each mode. */
  static void pan(Browser b, long ms, Results results) {
    System.out.printf(Locale.ROOT, "%n-- panning the loaded map (%d ms per mode) --%n", ms);
    for (String mode : List.of("idle", "animated", "per-frame")) {
      Map<String, Object> r =
          Browser.map(b.asyncScript(PAN, mode.equals("idle") ? Math.max(1000, ms / 2) : ms, mode));
      Latencies frames = of(r.get("frames"));
      Latencies longTasks = of(r.get("longTasks"));
      Latencies redraws = of(r.get("redraws"));
      double longSum = longTasks.mean() * longTasks.count();
      System.out.printf(
          Locale.ROOT,
          "  %s: %s pans; %,d frames: interval p50 %s, p95 %s, max %s; %d long tasks (%s in all,"
              + " longest %s); canvas updates/redraws: %,d, p50 %s, max %s%n",
          mode,
          r.get("pans"),
          frames.count(),
          Latencies.ms(frames.p50()),
          Latencies.ms(frames.p95()),
          Latencies.ms(frames.max()),
          longTasks.count(),
          Latencies.ms(Double.isNaN(longSum) ? 0 : longSum),
          Latencies.ms(longTasks.max()),
          redraws.count(),
          Latencies.ms(redraws.p50()),
          Latencies.ms(redraws.max()));
      printLongFrames(r.get("frameParts"));
      printScripts(r.get("loafs"));
      if (mode.equals("idle")) {
        continue;
      }
      results.add(
          "panning (" + mode + "): frame time p50 / p95 / max; long tasks",
          "responsive",
          String.format(
              Locale.ROOT,
              "%s / %s / %s; %d long tasks, longest %s",
              Latencies.ms(frames.p50()),
              Latencies.ms(frames.p95()),
              Latencies.ms(frames.max()),
              longTasks.count(),
              Latencies.ms(longTasks.count() == 0 ? 0 : longTasks.max())),
          // Judged as: a 60 Hz page most of the time, no frame stuck past a tenth of a second.
          frames.p95() < 50 && frames.max() < 250);
    }
  }

  /** Report → event in the browser: {@code count} probes, each posted by the page itself. */
  static void events(Browser b, Iterator<Mesh.Probe> probes, int count, Results results)
      throws InterruptedException {
    System.out.printf(Locale.ROOT, "%n-- report -> event in the browser (%d probes) --%n", count);
    Object state = b.asyncScript(LISTEN);
    if (!Long.valueOf(1).equals(state)) {
      System.out.println("  the page's EventSource did not open (readyState " + state + ")");
      return;
    }
    Latencies own = new Latencies();
    Latencies page = new Latencies();
    int failed = 0;
    for (int i = 0; i < count && probes.hasNext(); i++) {
      Mesh.Probe p = probes.next();
      // A string: the page's fetch sends it as UTF-8 (the note holds an em dash).
      String body = Mesh.probeReport(p, Reports.now());
      Map<String, Object> r =
          Browser.map(b.asyncScript(PROBE, body, p.reporter().node.key(), p.peer().node.key()));
      if (r.get("latency") == null) {
        failed++;
        System.out.println("  probe " + i + ": " + r);
      } else {
        own.add(Browser.num(r.get("latency")));
        if (r.get("page") != null) {
          page.add(Browser.num(r.get("page")));
        }
      }
      Thread.sleep(300 + (long) (Math.random() * 200));
    }
    System.out.printf(
        Locale.ROOT,
        "  POST start (fetch in the page) -> event on an EventSource: %s; -> the page's own"
            + " stream handled it (data-event): %s; %d failed%n",
        own.summary(),
        page.summary(),
        failed);
    results.add(
        "report -> event in Chromium (EventSource)",
        "< 1 s",
        Latencies.ms(own.p50())
            + " p50 / "
            + Latencies.ms(own.p99())
            + " p99 / "
            + Latencies.ms(own.max())
            + " max (n "
            + own.count()
            + ", "
            + failed
            + " lost)",
        own.count() > 0 && own.max() < 1000 && failed == 0);
  }

  /** The long animation frames (over 50 ms): how much of them was rendering rather than script. */
  private static void printLongFrames(Object parts) {
    List<Object> all = Browser.list(parts);
    if (all.isEmpty()) {
      return;
    }
    double total = 0;
    double render = 0;
    double style = 0;
    for (Object o : all) {
      List<Object> l = Browser.list(o);
      total += Browser.num(l.get(0));
      render += Browser.num(l.get(1));
      style += Browser.num(l.get(2));
    }
    System.out.printf(
        Locale.ROOT,
        "    %d long animation frames, %.0f ms in all: %.0f ms of it rendering (style, layout,"
            + " paint; %.0f ms from style and layout on), the rest script and tasks%n",
        all.size(),
        total,
        render,
        style);
  }

  /** The scripts of the long animation frames, by total time, the longest first. */
  private static void printScripts(Object loafs) {
    Map<String, double[]> byScript = new java.util.HashMap<>();
    for (Object o : Browser.list(loafs)) {
      List<Object> l = Browser.list(o);
      double[] t = byScript.computeIfAbsent(String.valueOf(l.get(0)), k -> new double[3]);
      t[0] += Browser.num(l.get(1));
      t[1] += Browser.num(l.get(2));
      t[2]++;
    }
    byScript.entrySet().stream()
        .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
        .limit(5)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "    in long frames: %s: %.0f ms in %d runs (%.0f ms of it forced style and"
                        + " layout)%n",
                    e.getKey(),
                    e.getValue()[0],
                    (int) e.getValue()[2],
                    e.getValue()[1]));
  }

  private static Latencies of(Object values) {
    Latencies l = new Latencies();
    for (Object o : Browser.list(values)) {
      l.add(Browser.num(o));
    }
    return l;
  }
}
