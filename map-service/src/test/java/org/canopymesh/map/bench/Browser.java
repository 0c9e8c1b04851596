package org.canopymesh.map.bench;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium, driven by its own chromedriver (nothing is downloaded: both paths
 * are given, so Selenium Manager is not asked). One window of 1280×800, like a laptop.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("bench.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("bench.chromedriver", "/usr/bin/chromedriver");

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  static boolean available() {
    return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
  }

  static Browser start() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments(
        "--headless=new",
        // Root in a container: Chromium's sandbox needs user namespaces it may not get.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
    return new Browser(d);
  }

  /** Runs {@code source} in every new document before its own scripts. */
  void onNewDocument(String source) {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
  }

  /** Empties the HTTP cache: each load is a first visit. */
  void clearCache() {
    driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  Object asyncScript(String js, Object... args) {
    return driver.executeAsyncScript(js, args);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
