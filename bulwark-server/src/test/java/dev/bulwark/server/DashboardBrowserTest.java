package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import dev.bulwark.yaml.GatewayConfigLoader;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Debian chromium through chromedriver; nothing is downloaded): the page
 * loads and goes live, a circuit opens when its backend dies, a control without the token fails visibly, reset with
 * the token closes it, forcing a mode shows at once, the charts gain a point each tick, the audit lists the changes,
 * and the page weighs under 300 KB. Waits are bounded waits on DOM conditions the page sets when it applies a
 * server-sent message. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final SwitchableBackends backends = new SwitchableBackends();
    private final ManualClock clock = new ManualClock();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Gateway gateway;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() {
        assertThat(CHROMIUM).as("the browser tests need Debian's chromium at %s (apt-get install chromium; .ci/run "
                + "installs it)", CHROMIUM).isExecutable();
        assertThat(CHROMEDRIVER).as("the browser tests need Debian's chromium-driver at %s (apt-get install "
                + "chromium-driver; .ci/run installs it)", CHROMEDRIVER).isExecutable();
        String yaml = "fault_tolerance:\n  failure_threshold: 2\n  recovery_timeout: 60s\n  retry:\n    enabled: false\n"
                + "  health_monitoring:\n    enabled: false\nadapters:\n  - name: alpha\n    url: " + backends.url("alpha")
                + "\n  - name: beta\n    url: " + backends.url("beta") + "\n";
        gateway = Gateway.start(GatewayConfigLoader.parse("dashboard.yaml", yaml), 0, "secret", clock);
        // Selenium Manager must not look for (or download) a browser or driver: both are given
        System.setProperty("SE_MANAGER_PATH", "/bin/false");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        backends.close();
    }

    @Test
    void showsCircuitsModesAndChartsLiveAndNoControlWorksWithoutTheToken() throws Exception {
        browser.get(base() + "/");
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connected", "true"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-adapter='alpha'][data-state='CLOSED']")));

        // the backend dies: two failed queries open alpha's circuit, and the page shows it without a reload
        backends.down("alpha");
        query();
        query();
        assertThat(gateway.state("alpha").name()).isEqualTo("OPEN");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-adapter='alpha'][data-state='OPEN']")));

        // without the token, reset fails visibly and changes nothing
        resetButton("alpha").click();
        wait.until(ExpectedConditions.attributeToBe(By.id("control-result"), "data-status", "401"));
        assertThat(browser.findElement(By.id("control-result")).getText()).contains("401");
        assertThat(gateway.state("alpha").name()).isEqualTo("OPEN");
        screenshot("dashboard-open-circuit-1280x800-light");

        // with the token, reset closes it
        browser.findElement(By.id("token")).sendKeys("secret");
        browser.findElement(By.cssSelector("#token-form button")).click();
        backends.up("alpha");
        resetButton("alpha").click();
        wait.until(ExpectedConditions.attributeToBe(By.id("control-result"), "data-status", "200"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-adapter='alpha'][data-state='CLOSED']")));
        assertThat(gateway.state("alpha").name()).isEqualTo("CLOSED");

        // forcing a mode shows at once
        browser.findElement(By.cssSelector("#force-mode option[value='EMERGENCY'], #force-mode option:nth-child(2)")).click();
        browser.findElement(By.id("force")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("mode"), "data-mode", "EMERGENCY"));
        assertThat(gateway.modes().mode().name()).isEqualTo("EMERGENCY");

        // every change is in the audit, on the page
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-audit-action='mode.force']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-audit-action='circuit.reset']")));
        assertThat(gateway.audit().recent(10)).extracting(entry -> entry.action() + ":" + entry.outcome() + ":" + entry.actor())
                .containsExactly("mode.force:done:admin", "circuit.reset:done:admin");

        // the charts gain a point per tick of the gateway's clock
        int before = points("chart-health");
        clock.advance(Dashboard.TICK);
        wait.until(driver -> points("chart-health") > before);
        clock.advance(Dashboard.TICK);
        wait.until(driver -> points("chart-health") > before + 1);
        assertThat(points("chart-errors")).isEqualTo(points("chart-health"));

        viewport(1280, 800, false);
        screenshot("dashboard-1280x800-light");
        darkMode(true);
        screenshot("dashboard-1280x800-dark");
        viewport(390, 844, true);
        screenshot("dashboard-390x844-dark");
        darkMode(false);
        screenshot("dashboard-390x844-light");
        // nothing wider than the phone's viewport: the grid folds to one column
        Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth.intValue()).isLessThanOrEqualTo(390);
    }

    @Test
    void thePageWeighsLessThan300KilobytesAndLoadsNothingFromElsewhere() {
        browser.get(base() + "/");
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connected", "true"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loaded = (List<Map<String, Object>>) browser.executeScript(
                "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                        + ".filter(e => !e.name.endsWith('/dashboard/stream'))"
                        + ".map(e => ({name: e.name, bytes: e.decodedBodySize}))");
        assertThat(loaded).extracting(entry -> (String) entry.get("name"))
                .allMatch(name -> name.startsWith(base()), "served by the gateway itself")
                .anyMatch(name -> name.endsWith("/dashboard/assets/uPlot.iife.min.js"))
                .anyMatch(name -> name.endsWith("/dashboard/assets/app.js"));
        long total = loaded.stream().mapToLong(entry -> ((Number) entry.get("bytes")).longValue()).sum();
        assertThat(total).as("bytes of HTML, JS and CSS the page loads: %s", loaded).isPositive().isLessThan(300_000);
    }

    private WebElement resetButton(String adapter) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-adapter='" + adapter
                + "'] button[data-action$='/reset']")));
    }

    private int points(String chart) {
        return Integer.parseInt(browser.findElement(By.id(chart)).getAttribute("data-points"));
    }

    /** The viewport as a device of that size shows it (a phone: mobile, scale 3). */
    private void viewport(int width, int height, boolean phone) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", phone ? 3 : 1, "mobile", phone));
        wait.until(driver -> ((Number) browser.executeScript("return window.innerWidth")).intValue() == width);
    }

    private void darkMode(boolean dark) {
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(
                Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
        String expected = dark ? "rgb(21, 23, 27)" : "rgb(247, 247, 248)";
        wait.until(driver -> expected.equals(browser.executeScript(
                "return getComputedStyle(document.body).backgroundColor")));
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void query() throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(base() + "/query")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"q\",\"adapters\":[\"alpha\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + gateway.port();
    }
}
