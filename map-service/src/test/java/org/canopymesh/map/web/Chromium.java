package org.canopymesh.map.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through Debian's chromedriver. Nothing is downloaded: both binaries
 * must be installed, and a test that needs them fails (never skips) when they are not.
 */
public final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);

  public final ChromeDriver driver;

  private Chromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A desktop window, 1280×900. */
  public static Chromium desktop() {
    return start(1280, 900, false);
  }

  /** A phone screen, 390×844 CSS pixels (Chromium's device emulation: windows have a minimum). */
  static Chromium phone() {
    return start(390, 844, true);
  }

  private static Chromium start(int width, int height, boolean phone) {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      fail(
          "The browser tests drive "
              + BROWSER
              + " through "
              + DRIVER
              + "; install them: apt-get install -y chromium chromium-driver");
    }
    // Both paths given: Selenium Manager has nothing to look up or download.
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--window-size=" + Math.max(width, 800) + "," + Math.max(height, 800),
        // The page must need nothing but the service: every other host fails to resolve, so a
        // CDN reference would break the page here, and the configured tiles simply stay blank.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    if (phone) {
      options.setExperimentalOption(
          "mobileEmulation",
          Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1.0)));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(WAIT);
    return new Chromium(driver);
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Waits until {@code condition} gives something other than null or false. */
  <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(what)
        .pollingEvery(Duration.ofMillis(50))
        .until(condition);
  }

  /** Waits until a script returns something truthy, and returns it. */
  public Object awaitJs(String what, String script, Object... args) {
    return await(
        what,
        d -> {
          Object v = js(script, args);
          return v == null || Boolean.FALSE.equals(v) ? null : v;
        });
  }

  /**
   * Writes a PNG of the window to {@code ${screenshot.dir}/name}, once the map has finished
   * animating and the frame after that has been drawn.
   */
  public Path screenshot(String name) throws IOException {
    awaitJs("the map settles", "return window.canopy ? window.canopy.mapSettled() : true;");
    ((JavascriptExecutor) driver)
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    Path dir = Path.of(System.getProperty("screenshot.dir", "target/screenshots"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** What the page wrote to the console since the last call. */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
