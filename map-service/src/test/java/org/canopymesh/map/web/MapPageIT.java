package org.canopymesh.map.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.canopymesh.map.crawl.CrawlerPoller;
import org.canopymesh.map.live.LiveMap;
import org.canopymesh.map.testing.FakeCrawler;
import org.canopymesh.map.testing.MapServiceResource;
import org.canopymesh.map.testing.Reports;
import org.canopymesh.map.testing.TopologyJson;
import org.canopymesh.naming.report.LinkState;
import org.canopymesh.naming.report.PeerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The map page in headless Chromium against the real service (real PostgreSQL, a fake crawler,
 * signed reports). Every check reads the page's real state: drawn layers through {@code
 * window.canopy} and the map container's data attributes, text through the DOM.
 */
@QuarkusTest
@QuarkusTestResource(value = MapServiceResource.class, restrictToAnnotatedClass = true)
class MapPageIT {
  static final String MARKUP_NAME = "<img src=x onerror=alert(1)>";
  static final String DOWN_COLOR = "#d73027";

  // Two islands of radio neighbours, a node that publishes no place, and one whose name is
  // markup. Nodes are 100 m or more apart, so at zoom 18 each marker can be clicked alone.
  static final Reports.Node K1 = Reports.node().at(52.5000, 13.4000);
  static final Reports.Node K2 = Reports.node().at(52.5010, 13.4020);
  static final Reports.Node K3 = Reports.node().at(52.4990, 13.4030);
  static final Reports.Node W1 = Reports.node().at(52.5450, 13.3500);
  static final Reports.Node W2 = Reports.node().at(52.5460, 13.3530);
  static final Reports.Node UNPLACED = Reports.node();
  static final Reports.Node MARKUP = Reports.node();

  private static boolean crawled;
  private static Instant reported = Instant.EPOCH;
  private static Chromium desktop;

  FakeCrawler crawler;
  @Inject CrawlerPoller poller;
  @Inject LiveMap live;

  @TestHTTPResource("/")
  URL page;

  @BeforeEach
  void network() {
    if (!crawled) {
      crawler.serve(
          new TopologyJson(Reports.now())
              .node(K1, "page-kreuzberg-1", 52.5000, 13.4000, "Kreuzberg")
              .node(K2, "page-kreuzberg-2", 52.5010, 13.4020, "Kreuzberg")
              .node(K3, "page-kreuzberg-3", 52.4990, 13.4030, "Kreuzberg")
              .node(W1, "page-wedding-1", 52.5450, 13.3500, "Wedding")
              .node(W2, "page-wedding-2", 52.5460, 13.3530, "Wedding")
              .node(UNPLACED, "page-unplaced", null, null, null)
              .node(MARKUP, MARKUP_NAME, 52.5200, 13.3800, null)
              .link(K1, W1)
              .link(K1, UNPLACED)
              .link(MARKUP, W2)
              .toString());
      poller.pollAll();
      crawled = true;
    }
    // A reported link goes stale after two report intervals: report again as an agent would.
    if (Duration.between(reported, Instant.now()).toSeconds() > 15) {
      reportLinks(LinkState.UP);
    }
    live.recomputeNow();
    if (desktop == null) {
      desktop = Chromium.desktop();
    }
  }

  @AfterEach
  void noScriptErrors() {
    if (desktop == null) {
      return;
    }
    List<String> errors =
        desktop.console().stream()
            .filter(line -> line.contains("SEVERE"))
            // Tiles of the configured (Internet) tile server cannot load here, by design.
            .filter(line -> !line.contains("ERR_NAME_NOT_RESOLVED"))
            .toList();
    assertEquals(List.of(), errors, "the page logs no errors");
  }

  @AfterAll
  static void closeBrowser() {
    if (desktop != null) {
      desktop.close();
      desktop = null;
    }
  }

  @Test
  void pageDrawsEveryLocatedNodeAndEveryIsland() throws Exception {
    open(desktop, "#/");
    List<Map<String, Object>> features =
        given().get("/api/v1/map").then().statusCode(200).extract().path("features.properties");
    long located = features.stream().filter(p -> "node".equals(p.get("feature"))).count();
    Set<Object> islandNames = new HashSet<>();
    features.stream()
        .filter(p -> "island".equals(p.get("feature")))
        .forEach(p -> islandNames.add(p.get("name")));
    WebElement map = desktop.driver.findElement(By.id("map"));

    assertEquals(String.valueOf(located), map.getAttribute("data-nodes"));
    assertEquals(
        located, ((Number) desktop.js("return window.canopy.drawnNodeCount()")).longValue());
    assertEquals(String.valueOf(islandNames.size()), map.getAttribute("data-islands"));
    assertEquals(islandNames, new HashSet<>(islandNamesOnPage(desktop)));
    assertTrue(
        islandNames.containsAll(List.of("Kreuzberg", "Wedding")),
        "declared islands keep their names: " + islandNames);
    // The labels on the map are real DOM text, not only model state. Zoomed in on the two
    // islands: with many islands, labels show only when zoomed in and near the view.
    desktop.js("window.canopy.map.setView([52.522, 13.375], 13, {animate: false})");
    List<String> labels =
        desktop.driver.findElements(By.cssSelector(".island-label")).stream()
            .map(WebElement::getText)
            .toList();
    assertTrue(labels.containsAll(List.of("Kreuzberg", "Wedding")), "labels: " + labels);
    assertNotNull(
        desktop.js("return window.canopy.linkStyle(arguments[0], arguments[1])", k(K1), k(W1)));
    assertNull(
        desktop.js(
            "return window.canopy.linkStyle(arguments[0], arguments[1])", k(K1), k(UNPLACED)),
        "a link to a node with no place is not on the geographic map");
    desktop.await(
        "the status says live",
        d -> "live".equals(d.findElement(By.id("status")).getText()) ? true : null);
    assertOnlyOwnResources(desktop);
    desktop.screenshot("map.png");
  }

  @Test
  void clickingANodeOnTheMapOpensItsPanel() {
    open(desktop, "#/");
    desktop.js("window.canopy.map.setView([52.5010, 13.4020], 18, {animate: false})");
    clickOnMap(desktop, k(K2));

    awaitPanelTitle(desktop, "page-kreuzberg-2");
    String body = desktop.driver.findElement(By.id("panel-body")).getText();
    assertTrue(body.contains(K2.address()), body);
    assertTrue(body.contains(k(K2)), body);
    assertTrue(body.contains(".meship"), body);
    assertTrue(body.contains("Kreuzberg"), body);
    assertTrue(body.contains("page-kreuzberg-1"), "K1 is a peer: " + body);
    assertTrue(
        desktop.driver.getCurrentUrl().contains("#/node/" + k(K2)), desktop.driver.getCurrentUrl());
    assertFalse(
        desktop.driver.findElements(By.cssSelector("#panel svg.sparkline")).isEmpty(),
        "the reported link has a history sparkline");
  }

  @Test
  void searchFindsANodeByNameAndPansToIt() {
    open(desktop, "#/");
    WebElement box = desktop.driver.findElement(By.id("search-input"));
    box.click();
    box.sendKeys("wedding-2");
    desktop.await(
        "a result for page-wedding-2",
        d -> firstResult(d.findElement(By.id("search-results"))).contains("page-wedding-2"));
    box.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);

    awaitPanelTitle(desktop, "page-wedding-2");
    assertEquals(
        "panel-title", desktop.js("return document.activeElement.id"), "focus moves to the panel");
    // The map pans with an animation: its centre arrives there, not at once.
    desktop.awaitJs(
        "the map centres on the node",
        "const c = window.canopy.map.getCenter();"
            + " return Math.abs(c.lat - 52.5460) < 1e-4 && Math.abs(c.lng - 13.3530) < 1e-4;");

    // Escape closes the panel and gives the keyboard back to the search box.
    desktop.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    desktop.await(
        "the panel closes", d -> d.findElement(By.id("panel")).isDisplayed() ? null : true);
    assertEquals("search-input", desktop.js("return document.activeElement.id"));

    // A key prefix finds the node too.
    box.clear();
    box.sendKeys(k(K3).substring(0, 10));
    desktop.await(
        "a result for K3's key prefix",
        d -> firstResult(d.findElement(By.id("search-results"))).contains("page-kreuzberg-3"));
  }

  @Test
  void aReportedLinkChangesColourWithoutReload() {
    open(desktop, "#/");
    Map<?, ?> before = linkStyle(desktop, K1, K2);
    assertNotNull(before, "the reported local link is drawn");
    assertNotEquals(DOWN_COLOR, before.get("color"));
    // Set on this document: a reload would lose it.
    desktop.js("window.__sameDocument = true");

    reportLinks(LinkState.DOWN);
    reported = Instant.EPOCH; // the next test reports the link up again

    Map<?, ?> after =
        (Map<?, ?>)
            desktop.awaitJs(
                "the link turns red",
                "const s = window.canopy.linkStyle(arguments[0], arguments[1]);"
                    + " return s && s.color === arguments[2] ? s : null;",
                k(K1),
                k(K2),
                DOWN_COLOR);
    assertNotNull(after.get("dashArray"), "a down link is dashed");
    assertEquals(Boolean.TRUE, desktop.js("return window.__sameDocument === true"), "no reload");
    assertNotNull(
        desktop.driver.findElement(By.id("map")).getAttribute("data-event"),
        "the change came over the event stream");
  }

  @Test
  void aNodeNamedLikeMarkupShowsAsText() {
    open(desktop, "#/node/" + k(MARKUP));

    awaitPanelTitle(desktop, MARKUP_NAME);
    assertEquals(
        0L, desktop.js("return document.querySelectorAll('img:not(.leaflet-tile)').length"));
    assertEquals(0L, desktop.js("return document.querySelectorAll('[onerror]').length"));
    String text = (String) desktop.js("return document.body.innerText");
    assertTrue(text.contains(MARKUP_NAME), "the name shows literally");

    WebElement box = desktop.driver.findElement(By.id("search-input"));
    box.click();
    box.sendKeys("<img");
    desktop.await(
        "the markup-named node in the results",
        d -> firstResult(d.findElement(By.id("search-results"))).contains(MARKUP_NAME));
    assertEquals(
        0L, desktop.js("return document.querySelectorAll('img:not(.leaflet-tile)').length"));
    // An alert would be open now, and any further command would fail with it.
    assertEquals("ok", desktop.js("return 'ok'"));
    assertTrue(
        desktop.console().stream().noneMatch(l -> l.contains("inline event handler")),
        "no markup was ever parsed into an element with a handler");
  }

  @Test
  void deepLinksOpenANodeAndBackAndForwardWork() {
    open(desktop, "#/node/" + k(K3) + "?map=17/52.50000/13.40000");
    awaitPanelTitle(desktop, "page-kreuzberg-3");
    assertEquals(17L, ((Number) desktop.js("return window.canopy.map.getZoom()")).longValue());
    Map<?, ?> centre = (Map<?, ?>) desktop.js("return window.canopy.map.getCenter()");
    assertEquals(52.5, ((Number) centre.get("lat")).doubleValue(), 1e-4);

    WebElement peer =
        desktop.await(
            "K1 among K3's peers",
            d ->
                d.findElements(By.cssSelector("#panel .peer-name")).stream()
                    .filter(e -> e.getText().contains("page-kreuzberg-1"))
                    .findFirst()
                    .orElse(null));
    peer.sendKeys(Keys.ENTER);
    awaitPanelTitle(desktop, "page-kreuzberg-1");
    assertTrue(desktop.driver.getCurrentUrl().contains("#/node/" + k(K1)));

    desktop.driver.navigate().back();
    awaitPanelTitle(desktop, "page-kreuzberg-3");
    desktop.driver.navigate().forward();
    awaitPanelTitle(desktop, "page-kreuzberg-1");

    desktop.driver.findElement(By.id("panel-close")).click();
    desktop.await(
        "the map position stays in the URL without a node",
        d -> d.getCurrentUrl().contains("#/map/") ? true : null);
    desktop.driver.navigate().back();
    awaitPanelTitle(desktop, "page-kreuzberg-1");
  }

  @Test
  void graphViewShowsEveryNodeIncludingUnlocatedOnes() throws Exception {
    open(desktop, "#/");
    desktop.driver.findElement(By.id("view-graph")).click();
    WebElement graph = desktop.driver.findElement(By.id("graph"));
    desktop.await(
        "the layout finishes", d -> "done".equals(graph.getAttribute("data-layout")) ? true : null);
    int nodes = given().get("/api/v1/graph").then().extract().path("nodes.size()");
    assertEquals(String.valueOf(nodes), graph.getAttribute("data-nodes"));
    assertTrue(desktop.driver.getCurrentUrl().contains("view=graph"));
    desktop.screenshot("graph.png");

    Map<?, ?> p =
        (Map<?, ?>) desktop.js("return window.canopy.graphNodePoint(arguments[0])", k(UNPLACED));
    WebElement canvas = desktop.driver.findElement(By.id("graph-canvas"));
    clickAt(desktop, canvas, p);
    awaitPanelTitle(desktop, "page-unplaced");
    assertTrue(
        desktop.driver.findElement(By.id("panel-body")).getText().contains("not published"),
        "the panel says why the node is not on the map");
  }

  @Test
  void phoneWidthShowsThePanelAsABottomSheetAndSearchWorks() throws Exception {
    try (Chromium phone = Chromium.phone()) {
      open(phone, "#/");
      assertTrue(((Number) phone.js("return window.innerWidth")).intValue() <= 400);
      assertFalse(phone.driver.findElement(By.id("info")).isDisplayed(), "statistics start closed");

      WebElement box = phone.driver.findElement(By.id("search-input"));
      assertTrue(box.isDisplayed());
      box.click();
      box.sendKeys("wedding-1", Keys.ENTER);
      awaitPanelTitle(phone, "page-wedding-1");

      WebElement panel = phone.driver.findElement(By.id("panel"));
      Rectangle r = panel.getRect();
      int width = ((Number) phone.js("return window.innerWidth")).intValue();
      int height = ((Number) phone.js("return window.innerHeight")).intValue();
      assertEquals(width, r.getWidth(), "the sheet spans the screen");
      assertEquals(height, r.getY() + r.getHeight(), 1, "the sheet sits on the bottom edge");
      assertTrue(r.getY() > height / 3, "the sheet leaves the map visible above it");
      int mapTop = phone.driver.findElement(By.id("map")).getRect().getY();
      phone.awaitJs(
          "the node is panned into the part of the map above the sheet",
          "const p = window.canopy.nodePoint(arguments[0]);"
              + " return window.canopy.mapSettled() && p && arguments[1] + p.y < arguments[2];",
          k(W1),
          mapTop,
          r.getY());
      phone.screenshot("phone.png");

      phone.driver.findElement(By.id("info-toggle")).click();
      phone.await("statistics open", d -> d.findElement(By.id("info")).isDisplayed() ? true : null);
      phone.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      phone.await(
          "Escape closes the statistics sheet",
          d -> d.findElement(By.id("info")).isDisplayed() ? null : true);
    }
  }

  @Test
  void statisticsAndListsShowWhatTheServiceCounts() {
    open(desktop, "#/");
    int total = given().get("/api/v1/stats").then().extract().path("nodes.total");
    List<?> fresh = given().get("/api/v1/nodes?list=new&limit=50").then().extract().path("$");
    String stats =
        (String)
            desktop.awaitJs(
                "the statistics",
                "const s = document.querySelector('#stats .stat'); return s && s.innerText;");
    assertTrue(stats.contains(String.format(Locale.US, "%,d", total)), stats);
    desktop.await(
        "the list of new nodes",
        d ->
            d.findElements(By.cssSelector("#list-new button")).size() == fresh.size()
                ? true
                : null);
    assertFalse(
        desktop.driver.findElements(By.cssSelector("#legend li")).isEmpty(), "a legend is shown");
  }

  // ------------------------------------------------------------------ helpers

  private static String k(Reports.Node n) {
    return n.key();
  }

  private static void reportLinks(LinkState k2) {
    Instant now = Reports.now();
    K1.clearLinks()
        .peer(K2, PeerKind.LOCAL, k2, Duration.ofMillis(4))
        .peer(K3, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(6));
    W1.clearLinks().peer(W2, PeerKind.LOCAL, LinkState.UP, Duration.ofMillis(3));
    submit(K1.report(now));
    submit(W1.report(now));
    reported = Instant.now();
  }

  private static void submit(String note) {
    given()
        .contentType("text/plain")
        .body(note.getBytes(StandardCharsets.UTF_8))
        .post("/api/v1/reports")
        .then()
        .statusCode(202);
  }

  /** A fresh document (not a same-document hash change), ready once map and graph are loaded. */
  private void open(Chromium browser, String hash) {
    browser.driver.get("about:blank");
    browser.driver.get(page.toString() + hash);
    try {
      browser.awaitJs(
          "the page loads its map and node list",
          "return window.canopy && window.canopy.timings.ready != null"
              + " && document.getElementById('map').dataset.graphReady === 'true';");
    } catch (org.openqa.selenium.TimeoutException e) {
      Object state =
          browser.js(
              "return JSON.stringify({timings: window.canopy && window.canopy.timings,"
                  + " map: {...document.getElementById('map').dataset},"
                  + " status: document.getElementById('status').textContent,"
                  + " error: document.getElementById('error').textContent})");
      throw new AssertionError("the page did not load: " + state + " " + browser.console(), e);
    }
  }

  private static void awaitPanelTitle(Chromium browser, String title) {
    browser.await(
        "the panel shows " + title,
        d -> {
          WebElement panel = d.findElement(By.id("panel"));
          return panel.isDisplayed()
                  && title.equals(d.findElement(By.id("panel-title")).getText())
                  && !d.findElements(By.cssSelector("#panel .fields")).isEmpty()
              ? true
              : null;
        });
  }

  @SuppressWarnings("unchecked")
  private static List<String> islandNamesOnPage(Chromium browser) {
    return (List<String>) browser.js("return window.canopy.islandNames()");
  }

  private static Map<?, ?> linkStyle(Chromium browser, Reports.Node a, Reports.Node b) {
    return (Map<?, ?>)
        browser.js("return window.canopy.linkStyle(arguments[0], arguments[1])", k(a), k(b));
  }

  /** The text of the first search result ("" when there is none). */
  private static String firstResult(WebElement results) {
    List<WebElement> options = results.findElements(By.cssSelector("li[role=option]"));
    return options.isEmpty() ? "" : options.get(0).getText();
  }

  /** A real mouse click on the map's canvas, where the node's marker is. */
  private static void clickOnMap(Chromium browser, String key) {
    Map<?, ?> p = (Map<?, ?>) browser.js("return window.canopy.nodePoint(arguments[0])", key);
    assertNotNull(p, "the node is drawn");
    clickAt(browser, browser.driver.findElement(By.id("map")), p);
  }

  /** Clicks at a point given relative to the element's top left corner. */
  private static void clickAt(Chromium browser, WebElement element, Map<?, ?> point) {
    Rectangle r = element.getRect();
    // Selenium offsets are from the element's centre.
    int dx = (int) Math.round(((Number) point.get("x")).doubleValue() - r.getWidth() / 2.0);
    int dy = (int) Math.round(((Number) point.get("y")).doubleValue() - r.getHeight() / 2.0);
    new Actions(browser.driver).moveToElement(element, dx, dy).click().perform();
  }

  /** Scripts, styles and data come from the service itself; only map tiles may come elsewhere. */
  private void assertOnlyOwnResources(Chromium browser) {
    @SuppressWarnings("unchecked")
    List<String> urls =
        (List<String>)
            browser.js(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".filter(u => !u.startsWith(location.origin + '/'));");
    String tileHost = given().get("/api/v1/settings").then().extract().path("tileUrl");
    for (String url : urls) {
      assertTrue(
          !tileHost.isEmpty() && sameHost(url, tileHost),
          "only the tile server is outside the service: " + url);
    }
  }

  private static boolean sameHost(String url, String template) {
    try {
      String host = new URL(template.replaceAll("\\{[^}]*}", "0")).getHost();
      return host.equals(new URL(url).getHost());
    } catch (java.net.MalformedURLException e) {
      return false;
    }
  }
}
