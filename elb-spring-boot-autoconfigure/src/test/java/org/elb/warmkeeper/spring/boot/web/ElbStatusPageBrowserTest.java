package org.elb.warmkeeper.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.spring.boot.ElbProperties;
import org.elb.warmkeeper.spring.boot.ElbSettings;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The status page as the starter's web layer serves it, in headless Debian Chromium (Selenium through
 * the packaged chromedriver, as the runner's {@code StatusPageBrowserTest}), on a real Tomcat: the page's
 * files, its config, the API and {@code GET /api/events} as Spring MVC answers them. Skipped only where
 * {@code /usr/bin/chromium} is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElbStatusPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String SUB = "00000000-0000-4000-8000-000000000001";
    private static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    /** The bound for a change to show on a page that is already open. */
    private static final Duration LIVE = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private @Nullable WebDriver driver;
    private @Nullable Path profile;
    private @Nullable ConfigurableApplicationContext app;
    private final FakeClusterProvisioner arm = new FakeClusterProvisioner();
    private int port;

    /** The web layer and Spring MVC on Tomcat, nothing else of the auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ElbWebConfiguration.class
    })
    static class App {}

    @BeforeAll
    void browser() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian Chromium and chromedriver are not installed (apt-get install chromium chromium-driver):"
                        + " the starter's status page browser test is skipped");
        Path dir = Files.createTempDirectory("elb-chromium-");
        profile = dir;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + dir);
        driver = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build(),
                options);
    }

    @AfterAll
    void quit() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    @BeforeEach
    void serve() {
        InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
        InMemoryJobStateEvents events = new InMemoryJobStateEvents();
        InMemoryAutoWarmPreferences prefs =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(MutableClock.start()),
                        new RecordingWarmupDispatcher())
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(jobs, arm)
                .events(events)
                .tenant("contoso.onmicrosoft.com")
                .build();
        ServiceName openapi = ServiceName.of("elb-openapi");
        FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
        deployed.reports(openapi, "4.8");
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of(openapi, ImageTag.of("v4.9"))),
                        deployed,
                        new FakeImageRegistry().push(openapi, ImageTag.of("v4.9")))
                .build();
        ElbProperties properties = new ElbProperties();
        properties.getHttp().setIdentity(ElbProperties.Http.Identity.HEADER);
        properties.getHttp().setAdmins(List.of("ops"));
        app = new SpringApplicationBuilder(App.class)
                .initializers(ctx -> {
                    GenericApplicationContext g = (GenericApplicationContext) ctx;
                    g.registerBean(ElbSettings.class, () -> ElbSettings.of(properties));
                    g.registerBean(ProvisioningService.class, () -> provisioning);
                    g.registerBean(VersionGateService.class, () -> gate);
                    g.registerBean(AutoWarmReconciler.class, () -> reconciler);
                    g.registerBean(ManagedAutoWarmPreferences.class, () -> prefs);
                    g.registerBean(WarmAttemptHistory.class, () -> InMemoryWarmAttemptHistory.create());
                    g.registerBean(JobStateRepository.class, () -> jobs);
                    g.registerBean(JobStateEvents.class, () -> events);
                })
                .properties("server.port=0", "server.address=127.0.0.1", "elb.web.enabled=true")
                .run();
        port = ((ServletWebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            try {
                driver.get("about:blank"); // ends the page's event stream before its server stops
            } catch (RuntimeException e) {
                // the browser is gone; the next test fails on it
            }
        }
        if (app != null) {
            app.close();
        }
    }

    private WebDriver page(String owner) {
        WebDriver d = driver;
        if (d == null) {
            throw new IllegalStateException("no browser");
        }
        String url = "http://127.0.0.1:" + port + "/";
        d.get(url);
        ((JavascriptExecutor) d).executeScript("localStorage.clear(); sessionStorage.clear();");
        d.get(url);
        assertThat(d.findElement(By.cssSelector("label[for=owner]")).getText()).isEqualTo("Owner");
        d.findElement(By.id("owner")).clear();
        d.findElement(By.id("owner")).sendKeys(owner);
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

    private static void waitFor(WebDriver d, Duration bound, String what, BooleanSupplier ok) {
        new WebDriverWait(d, bound)
                .pollingEvery(Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(what + " within " + bound)
                .until(x -> ok.getAsBoolean());
    }

    private HttpResponse<String> post(String path, String owner, @Nullable String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Elb-Owner", owner);
        if (body != null) {
            r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            r.POST(HttpRequest.BodyPublishers.noBody());
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_failure_shows_live_on_an_open_page_with_its_category() throws Exception {
        WebDriver page = page("alice");
        assertThat(page.findElement(By.id("banner")).isDisplayed()).isFalse();

        HttpResponse<String> accepted = post(
                "/api/aks/provision",
                "alice",
                "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"elb-live\","
                        + "\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String task = accepted.body().replaceAll("^\\{\"task_id\":\"([^\"]+)\".*$", "$1");
        arm.fail(
                TaskId.of(task),
                ArmError.of(
                        "InvalidTemplateDeployment",
                        "deployment failed",
                        ArmError.of("QuotaExceeded", "exceeding approved Total Regional Cores quota")));

        waitFor(
                page,
                LIVE,
                "the banner",
                () -> page.findElement(By.id("banner")).isDisplayed());
        assertThat(text(page, "banner-category")).isEqualTo("quota_exceeded");
        assertThat(text(page, "banner-summary")).contains("elb-live");
    }

    @Test
    void a_tick_reaches_the_auto_warm_grid_without_a_reload() throws Exception {
        WebDriver page = page("alice");
        assertThat(text(page, "grid-meta")).isEqualTo("No tick yet.");

        HttpResponse<String> tick = post("/api/autowarm/reconcile", "alice", null);
        assertThat(tick.statusCode()).as(tick.body()).isEqualTo(200);

        waitFor(
                page,
                LIVE,
                "the tick in the grid",
                () -> !text(page, "grid-meta").equals("No tick yet."));
        waitFor(
                page,
                LIVE,
                "the cluster's row",
                () -> page.findElement(By.id("grid")).getText().contains("core_nt"));
    }
}
