package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in headless Debian Chromium, driven by Selenium through the packaged chromedriver
 * (no browser or driver download), against two runners' APIs (A and B) on one job store and one event
 * bus, as two replicas on PostgreSQL and Redis have them, with the testkit's fakes for ARM, Kubernetes
 * and the version sources. Skipped only where {@code /usr/bin/chromium} is absent; CI installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String SUB = "00000000-0000-4000-8000-000000000001";
    private static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    private static final ServiceName OPENAPI = ServiceName.of("elb-openapi");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    /** The scenarios' bound for a change to show on a page that is already open. */
    private static final Duration LIVE = Duration.ofSeconds(2);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private final Map<ServiceName, ImageTag> pinned = new ConcurrentHashMap<>();

    private InMemoryJobStateRepository jobs;
    private InMemoryJobStateEvents events;
    private FakeClusterProvisioner arm;
    private FakeWarmStatusProbe warm;
    private FakeDeployedVersionProbe deployed;
    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpApi a;
    private HttpApi b;

    /** Before {@code @AfterEach} leaves the pages: a failed test's pages are saved under {@code target/}. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshots = context -> {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        for (int i = 0; i < drivers.size(); i++) {
            Path file = Path.of(
                    "target",
                    "browser-screenshots",
                    context.getRequiredTestMethod().getName() + "-" + i + ".png");
            try {
                Files.createDirectories(file.getParent());
                Path shot = ((TakesScreenshot) drivers.get(i))
                        .getScreenshotAs(OutputType.FILE)
                        .toPath();
                Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
                System.err.println("screenshot of the failed page: " + file.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                System.err.println("no screenshot: " + e);
            }
        }
    };

    @BeforeAll
    void browsers() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Debian Chromium is not installed at /usr/bin/chromium (apt-get install chromium chromium-driver;"
                        + " .ci/run installs it): the status page's browser tests are skipped");
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMEDRIVER),
                "chromedriver is not installed at /usr/bin/chromedriver (apt-get install chromium-driver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        for (int i = 0; i < 2; i++) {
            Path profile = Files.createTempDirectory("elb-chromium-");
            profiles.add(profile);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            drivers.add(new ChromeDriver(service, options));
        }
    }

    @AfterAll
    void quit() throws IOException {
        drivers.forEach(WebDriver::quit);
        for (Path p : profiles) {
            try (var files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    @BeforeEach
    void world() throws Exception {
        jobs = new InMemoryJobStateRepository();
        events = new InMemoryJobStateEvents();
        arm = new FakeClusterProvisioner();
        warm = new FakeWarmStatusProbe();
        deployed = new FakeDeployedVersionProbe();
        pinned.clear();
        MutableClock lockClock = MutableClock.start();
        InMemoryInflightLock lock = new InMemoryInflightLock(lockClock);
        InMemoryAutoWarmPreferences prefs =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true));
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT);
        a = replica(prefs, inventory, lock);
        b = replica(prefs, inventory, lock);
    }

    /** One replica's API: its own services on the shared store, event bus, ARM and lock. */
    private HttpApi replica(
            InMemoryAutoWarmPreferences prefs, InMemoryDatabaseInventory inventory, InMemoryInflightLock lock)
            throws IOException {
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs, inventory, warm, lock, new RecordingWarmupDispatcher())
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(jobs, arm)
                .events(events)
                .tenant("contoso.onmicrosoft.com")
                .build();
        VersionGateService gate = VersionGateService.builder(
                        service -> Optional.ofNullable(pinned.get(service)),
                        deployed,
                        new FakeImageRegistry()
                                .push(OPENAPI, ImageTag.of("v4.9"))
                                .push(OPENAPI, ImageTag.of("v4.10")))
                .build();
        HttpApi api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .events(events, jobs, EventHub.Options.defaults().withTickPoll(Duration.ofMillis(100)))
                .statusPage(List.of(OPENAPI.value()))
                .start();
        open.add(0, provisioning);
        open.add(0, api);
        return api;
    }

    @AfterEach
    void stop() throws Exception {
        for (WebDriver d : drivers) {
            try {
                d.get("about:blank"); // ends the page's event stream before its server stops
            } catch (RuntimeException e) {
                // the browser is gone; the next test fails on it
            }
        }
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    // ---------------------------------------------------------------- helpers

    /** Opens the page of {@code api} in browser {@code i} with a fresh profile state, as {@code owner}. */
    private WebDriver page(int i, HttpApi api, String owner) {
        WebDriver d = drivers.get(i);
        String url = "http://127.0.0.1:" + api.port() + "/";
        d.get(url);
        ((JavascriptExecutor) d).executeScript("localStorage.clear(); sessionStorage.clear();");
        d.get(url);
        WebElement field = d.findElement(By.id("owner"));
        assertThat(d.findElement(By.cssSelector("label[for=owner]")).getText()).isEqualTo("Owner");
        field.clear();
        field.sendKeys(owner);
        d.findElement(By.id("owner-save")).click();
        waitFor(
                d,
                Duration.ofSeconds(10),
                "the live indicator",
                () -> text(d, "live").equals("Live"));
        return d;
    }

    private static String text(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    private static boolean shown(WebDriver d, String id) {
        return d.findElement(By.id(id)).isDisplayed();
    }

    private static void waitFor(WebDriver d, Duration bound, String what, java.util.function.BooleanSupplier ok) {
        new WebDriverWait(d, bound)
                .pollingEvery(Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(what + " within " + bound)
                .until(x -> ok.getAsBoolean());
    }

    private String provision(HttpApi api, String owner, String cluster) throws Exception {
        String body = "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
                + "\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/aks/provision"))
                        .header(HttpApi.DEFAULT_OWNER_HEADER, owner)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json.readTree(r.body()).get("task_id").asText();
    }

    private JsonNode get(HttpApi api, String owner, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .header(HttpApi.DEFAULT_OWNER_HEADER, owner)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private JsonNode reconcile(HttpApi api) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/autowarm/reconcile"))
                        .header(HttpApi.DEFAULT_OWNER_HEADER, "ops")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static ArmError quota() {
        return ArmError.of(
                "InvalidTemplateDeployment",
                "deployment failed",
                ArmError.of("QuotaExceeded", "exceeding approved Total Regional Cores quota"));
    }

    private static List<String> actions(WebDriver d) {
        return d.findElements(By.cssSelector("#banner-actions li")).stream()
                .map(WebElement::getText)
                .toList();
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void r1_a_quota_failure_through_A_shows_on_a_page_opened_afterwards_on_B_with_the_quota_actions() throws Exception {
        String task = provision(a, "alice", "elb-quota");
        arm.fail(TaskId.of(task), quota());
        JsonNode row = get(b, "alice", "/api/aks/recent-failed-provisions?hours=24&limit=1")
                .get("jobs")
                .get(0);

        WebDriver page = page(0, b, "alice");

        waitFor(page, Duration.ofSeconds(5), "the banner", () -> shown(page, "banner"));
        assertThat(text(page, "banner-title")).isEqualTo("Last attempt failed");
        assertThat(text(page, "banner-category")).isEqualTo("quota_exceeded");
        assertThat(text(page, "banner-summary")).contains("elb-quota").contains("koreacentral");
        List<String> expected = new ArrayList<>();
        row.get("error").get("suggested_actions").forEach(n -> expected.add(n.asText()));
        assertThat(expected).isNotEmpty();
        assertThat(actions(page)).containsExactlyElementsOf(expected);
        if (System.getProperty("elb.page.screenshot") != null) { // the README's picture: every panel filled
            pinned.put(OPENAPI, ImageTag.of("v4.10"));
            deployed.reports(OPENAPI, "4.9.0");
            reconcile(b);
            page(0, b, "alice");
            waitFor(
                    page,
                    Duration.ofSeconds(5),
                    "the page filled",
                    () -> shown(page, "banner")
                            && !page.findElements(By.cssSelector("#gate .gate")).isEmpty()
                            && !page.findElements(By.cssSelector("#grid tbody tr"))
                                    .isEmpty());
            screenshotForDocs(page);
        }

        // another owner's page never shows it
        WebDriver bob = page(1, b, "bob");
        Thread.sleep(500);
        assertThat(shown(bob, "banner")).isFalse();
    }

    @Test
    void r2_a_failure_through_A_shows_on_pages_on_A_and_B_without_reload_and_a_later_success_clears_both()
            throws Exception {
        WebDriver onA = page(0, a, "alice");
        WebDriver onB = page(1, b, "alice");
        assertThat(shown(onA, "banner")).isFalse();
        assertThat(shown(onB, "banner")).isFalse();

        String task = provision(a, "alice", "elb-live");
        arm.fail(TaskId.of(task), quota());

        waitFor(onA, LIVE, "the banner on A", () -> shown(onA, "banner"));
        waitFor(onB, LIVE, "the banner on B", () -> shown(onB, "banner"));
        assertThat(text(onB, "banner-category")).isEqualTo("quota_exceeded");
        assertThat(actions(onB)).isNotEmpty();

        Thread.sleep(5); // the success is strictly later than the failure
        String retry = provision(a, "alice", "elb-live");
        arm.start(TaskId.of(retry));
        arm.succeed(TaskId.of(retry));

        waitFor(onA, LIVE, "the banner on A to clear", () -> !shown(onA, "banner"));
        waitFor(onB, LIVE, "the banner on B to clear", () -> !shown(onB, "banner"));
    }

    @Test
    void r3_a_cancel_after_cluster_state_shows_the_portal_button_with_the_exact_url_and_before_it_does_not()
            throws Exception {
        WebDriver page = page(0, b, "alice");

        String early = provision(a, "alice", "elb-early");
        waitFor(
                page,
                LIVE,
                "the Stop button of elb-early",
                () -> !stopButtons(page, "elb-early").isEmpty());
        stopButtons(page, "elb-early").get(0).click();
        waitFor(page, LIVE, "the cancel card", () -> shown(page, "cancel-card"));
        assertThat(text(page, "cancel-text")).contains("elb-early").contains("cancelled before it finished");
        assertThat(shown(page, "portal-link")).isFalse();
        page.findElement(By.id("cancel-close")).click();
        assertThat(early).isNotBlank();

        String task = provision(a, "alice", "elb-partial");
        arm.start(TaskId.of(task));
        arm.created(TaskId.of(task));
        arm.publishState(TaskId.of(task), "Creating");
        waitFor(
                page,
                LIVE,
                "the Creating state of elb-partial",
                () -> page.findElements(By.cssSelector("#jobs li")).stream()
                        .anyMatch(li -> li.getText().contains("elb-partial")
                                && li.getText().contains("Creating")));
        stopButtons(page, "elb-partial").get(0).click();

        waitFor(page, LIVE, "the portal button", () -> shown(page, "portal-link"));
        WebElement link = page.findElement(By.id("portal-link"));
        assertThat(link.getText()).isEqualTo("Open cluster in Azure portal");
        assertThat(link.getAttribute("href"))
                .isEqualTo("https://portal.azure.com/#@contoso.onmicrosoft.com/resource"
                        + ClusterRef.of(SUB, "rg-elb", "elb-partial").resourceId() + "/overview");
        assertThat(link.getAttribute("title")).contains("verify in the portal and delete if needed");
    }

    @Test
    void dismiss_in_one_tab_hides_the_banner_in_the_other_tab_of_that_browser() throws Exception {
        String task = provision(a, "alice", "elb-tabs");
        arm.fail(TaskId.of(task), quota());
        WebDriver first = page(0, a, "alice");
        String tabA = first.getWindowHandle();
        waitFor(first, Duration.ofSeconds(5), "the banner in tab A", () -> shown(first, "banner"));
        first.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        first.get("http://127.0.0.1:" + a.port() + "/"); // the same origin as tab A: their storage is shared
        String tabB = first.getWindowHandle();
        waitFor(first, Duration.ofSeconds(5), "the banner in tab B", () -> shown(first, "banner"));
        try {
            first.switchTo().window(tabA);
            first.findElement(By.id("banner-dismiss")).click();
            assertThat(shown(first, "banner")).isFalse();
            first.switchTo().window(tabB);
            waitFor(first, LIVE, "the banner in tab B to hide", () -> !shown(first, "banner"));
        } finally {
            first.switchTo().window(tabB).close();
            first.switchTo().window(tabA);
        }
    }

    @Test
    void the_page_fits_laptop_and_tablet_widths_and_works_from_the_keyboard() throws Exception {
        WebDriver page = drivers.get(0);
        String task = provision(a, "alice", "elb-narrow");
        arm.fail(TaskId.of(task), quota());
        reconcile(a);
        try {
            for (int width : new int[] {1366, 768}) {
                page.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
                page.get("http://127.0.0.1:" + a.port() + "/");
                ((JavascriptExecutor) page).executeScript("localStorage.clear();");
                page.navigate().refresh();
                // keyboard only: Tab to the owner field, type, Enter
                WebElement body = page.findElement(By.tagName("body"));
                body.sendKeys(org.openqa.selenium.Keys.TAB);
                waitFor(
                        page,
                        Duration.ofSeconds(2),
                        "the owner field focused first",
                        () -> "owner".equals(page.switchTo().activeElement().getAttribute("id")));
                page.switchTo().activeElement().sendKeys("alice", org.openqa.selenium.Keys.ENTER);
                waitFor(
                        page,
                        Duration.ofSeconds(10),
                        "live at " + width,
                        () -> text(page, "live").equals("Live"));
                waitFor(page, Duration.ofSeconds(5), "the banner at " + width, () -> shown(page, "banner"));
                Object overflow = ((JavascriptExecutor) page)
                        .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
                assertThat(((Number) overflow).intValue())
                        .as("horizontal overflow at %d px", width)
                        .isLessThanOrEqualTo(0);
                Object unlabelled = ((JavascriptExecutor) page)
                        .executeScript("return [...document.querySelectorAll('input')]"
                                + ".filter(i => !document.querySelector('label[for=\"' + i.id + '\"]')).length;");
                assertThat(((Number) unlabelled).intValue()).isZero();
            }
        } finally {
            page.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    private static List<WebElement> stopButtons(WebDriver page, String cluster) {
        return page.findElements(By.cssSelector("#jobs li")).stream()
                .filter(li -> li.getText().contains(cluster))
                .flatMap(li -> li.findElements(By.cssSelector("button.stop")).stream())
                .toList();
    }

    @Test
    void version_gate_panel_shows_only_for_a_real_update() throws Exception {
        deployed.reports(OPENAPI, "v4.9");
        pinned.put(OPENAPI, ImageTag.of("v4.9"));
        WebDriver page = page(0, a, "alice");
        Thread.sleep(300);
        assertThat(page.findElements(By.cssSelector("#gate .gate"))).isEmpty();

        deployed.reports(OPENAPI, "4.9.0"); // v4.9 pinned, 4.9.0 deployed: the same version
        page(0, a, "alice");
        Thread.sleep(300);
        assertThat(page.findElements(By.cssSelector("#gate .gate"))).isEmpty();

        pinned.put(OPENAPI, ImageTag.of("v4.10"));
        page(0, a, "alice");
        waitFor(
                page,
                Duration.ofSeconds(5),
                "the update panel",
                () -> !page.findElements(By.cssSelector("#gate .gate")).isEmpty());
        assertThat(page.findElement(By.cssSelector("#gate .gate h2")).getText())
                .isEqualTo("Update elb-openapi to v4.10");
    }

    @Test
    void auto_warm_grid_follows_a_cold_database_from_triggered_to_waiting_to_ready_noop_live() throws Exception {
        WebDriver page = page(0, a, "alice");
        String status = "#grid tr[data-cluster='elb-cluster'] .cluster-status";
        String cell = "#grid tr[data-cluster='elb-cluster'] td[data-db='core_nt']";

        assertThat(reconcile(a).get("clusters").get(0).get("status").asText()).isEqualTo("triggered");
        waitFor(page, LIVE, "triggered", () -> cellText(page, status).equals("triggered"));
        assertThat(cellText(page, cell)).isEqualTo("enqueued");

        warm.set(CLUSTER, CORE_NT, WarmStatus.ABSENT); // the warmup is not visible to Kubernetes yet
        assertThat(reconcile(a).get("clusters").get(0).get("status").asText()).isEqualTo("waiting");
        waitFor(page, LIVE, "waiting", () -> cellText(page, status).equals("waiting"));
        assertThat(cellText(page, cell)).contains("skipped").contains("inflight");

        warm.set(CLUSTER, CORE_NT, WarmStatus.READY);
        assertThat(reconcile(a).get("clusters").get(0).get("status").asText()).isEqualTo("ready_noop");
        waitFor(page, LIVE, "ready_noop", () -> cellText(page, status).equals("ready_noop"));
        assertThat(cellText(page, cell)).isEqualTo("warm");
    }

    /** The rendered text of the first match, read in one script call (the grid is re-rendered live). */
    private static String cellText(WebDriver page, String css) {
        Object t = ((JavascriptExecutor) page)
                .executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return String.valueOf(t).strip();
    }

    /** With {@code -Delb.page.screenshot=docs/status-page.png}: the README's picture of the page. */
    private static void screenshotForDocs(WebDriver page) throws IOException {
        String target = System.getProperty("elb.page.screenshot");
        if (target == null || target.isBlank()) {
            return;
        }
        Path file = Path.of(target);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(
                ((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath(),
                file,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
