package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (Debian's headless Chromium) against the packaged jar on the demo profile with an API
 * key: sign-in, a VALIDATION dead letter fixed and replayed until its lead's timeline shows it DELIVERED, a lead
 * name that is markup shown as text, and state-changing forms refused without the session's token. Every page's
 * screenshot goes to target/console-screenshots.
 */
class ConsoleIT {

    static final String KEY = "console-it-key";
    static final String XSS = "<img src=x onerror=alert(1)>";

    static ServiceProcess demo;
    HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        demo = new ServiceProcess("console").env("QUARKUS_PROFILE", "demo").env("LEADSYNC_API_KEY", KEY).start();
        // Updates wait for their target's first catalog: every test starts once the three are polled.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(demo.api().header("X-Api-Key", KEY)
                .get("/stages").then().statusCode(200).extract().jsonPath().getList("sources.status"), contains("OK", "OK", "OK")));
    }

    /** A browser of its own per test: no cookie of another test's sign-in. */
    @BeforeEach
    void openBrowser() {
        chromium = new HeadlessChromium(1280, 900);
    }

    @AfterEach
    void closeBrowser() {
        chromium.close();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aDeadLetterIsFixedAndReplayedFromTheBrowserAndItsLeadShowsDelivered() throws Exception {
        ChromeDriver browser = chromium.driver;
        browser.get(demo.baseUri() + "/console");
        assertThat("without a session, the sign-in page", browser.getTitle(), startsWith("Sign in"));
        chromium.screenshot("sign-in");
        signIn(browser, "not-the-key");
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText(), is("That is not leadsync's API key."));
        signIn(browser, KEY);
        assertThat(browser.getTitle(), startsWith("Overview"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(texts(browser, ".card h3"), contains("telecrm", "superfone", "truto:demo-pipedrive"));
            assertThat(texts(browser, ".card .badge"), contains("OK", "OK", "OK"));
        });

        // An update naming a stage Superfone does not have, for a lead whose name is markup.
        String phone = "+919876543210";
        String id = demo.api().header("X-Api-Key", KEY).contentType("application/json")
                .body("{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"name\":\"" + XSS.replace("\"", "\\\"")
                        + "\",\"stage\":\"Hot\"}")
                .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> demo.api().header("X-Api-Key", KEY)
                .get("/leads/" + id).then().extract().jsonPath().getString("status"), is("DEAD_LETTER"));

        // The overview counts it: a dead letter of superfone in the last hour, linked to those letters.
        browser.get(demo.baseUri() + "/console/");
        WebElement counted = browser.findElement(By.cssSelector("a[href='dead-letters?target=superfone&since=1h']"));
        assertThat(Integer.parseInt(counted.getText()), org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        go(browser, By.linkText("Dead letters"));
        browser.findElement(By.cssSelector("#reason option[value=VALIDATION]")).click();
        go(browser, By.cssSelector("form.filters button"));
        assertThat(browser.getCurrentUrl(), containsString("reason=VALIDATION"));
        chromium.screenshot("dead-letters");
        go(browser, By.cssSelector("a[aria-label^='Open dead letter']"));
        assertThat(browser.getTitle(), startsWith("Dead letter"));
        usableWithoutAMouse(browser);
        assertThat(browser.findElement(By.cssSelector(".facts")).getText(), containsString("unknown stage 'Hot' for superfone"));
        noMarkupRan(browser);
        chromium.screenshot("dead-letter");

        WebElement update = browser.findElement(By.id("update"));
        String text = update.getDomProperty("value");
        assertThat(text, containsString("\"stage\" : \"Hot\""));
        assertThat("the name as text in the form", text, containsString(XSS));
        update.clear();
        update.sendKeys(text.replace("\"stage\" : \"Hot\"", "\"stage\" : \"Qualified\""));
        go(browser, By.cssSelector("form[action=replay] button"));

        // The replay lands on the lead's timeline; the receipt that follows is shown there.
        assertThat(browser.getCurrentUrl(), containsString("lead?q=" + id));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(texts(browser, ".event.asked .badge"), org.hamcrest.Matchers.hasItem("DELIVERED"));
        });
        assertThat(browser.findElement(By.cssSelector("main h2")).getText(), is("Lead +919876543210"));
        String events = browser.findElement(By.cssSelector(".timeline")).getText();
        assertThat(events, containsString("name " + XSS));
        // What came before the replay stays on the timeline: the first acceptance, the dead letter, the edited replay.
        assertThat(events, containsString("Update accepted from POST /leads, before its replay"));
        assertThat(events, containsString("Dead letter: VALIDATION after 0 attempt(s)"));
        assertThat(events, containsString("replayed, edited: stage Hot → Qualified"));
        noMarkupRan(browser);
        chromium.screenshot("lead-timeline");
        assertThat(demo.api().header("X-Api-Key", KEY).get("/leads/" + id).then().extract().jsonPath().getString("status"),
                is("DELIVERED"));

        // The same lead found by its phone as a person or another CRM writes it.
        browser.get(demo.baseUri() + "/console/lead");
        browser.findElement(By.id("q")).sendKeys("+91 98765-43210");
        go(browser, By.cssSelector("form.search button"));
        assertThat(texts(browser, ".event .badge"), org.hamcrest.Matchers.hasItem("DELIVERED"));

        browser.get(demo.baseUri() + "/console/");
        assertThat(texts(browser, "section[aria-labelledby=flows] li strong"),
                contains("superfone>telecrm", "telecrm>superfone", "truto:demo-pipedrive>telecrm"));
        assertThat(browser.findElement(By.cssSelector("section[aria-labelledby=replica]")).getText(), containsString("leads"));
        chromium.screenshot("overview");

        for (String page : List.of("stages", "routes", "etl")) {
            browser.get(demo.baseUri() + "/console/" + page);
            assertThat(browser.findElement(By.tagName("h1")).getText(), is(page.equals("etl") ? "ETL" : capitalized(page)));
            usableWithoutAMouse(browser);
            chromium.screenshot(page);
        }
        // The ETL page runs its first job now; the run shows how it ended.
        go(browser, By.cssSelector("form[action=run] button"));
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText(), startsWith("Started "));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(texts(browser, "table tbody tr .badge"), org.hamcrest.Matchers.hasItem("SUCCEEDED"));
        });

        // A phone's width: nothing wider than the screen but the tables, which scroll inside their own box.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        for (String page : List.of("overview", "lead-timeline", "dead-letters")) {
            browser.get(demo.baseUri() + "/console/" + switch (page) {
                case "overview" -> "";
                case "lead-timeline" -> "lead?q=" + id;
                default -> page;
            });
            assertThat(page + " at 390 px", ((Number) browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue(), is(0));
            usableWithoutAMouse(browser);
            chromium.screenshot(page + "-390px");
        }
        String pages = browser.getPageSource();
        assertThat(pages, not(containsString("sandbox-superfone-key")));
        assertThat(pages, not(containsString(KEY)));
    }

    @Test
    void aChangeWithoutTheSessionsTokenIsRefusedAndChangesNothing() throws Exception {
        String id = demo.api().header("X-Api-Key", KEY).contentType("application/json")
                .body("{\"target\":\"superfone\",\"phone\":\"+919876500000\",\"stage\":\"Nope\"}")
                .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> demo.api().header("X-Api-Key", KEY)
                .get("/leads/" + id).then().extract().jsonPath().getString("status"), is("DEAD_LETTER"));
        String letter = demo.api().header("X-Api-Key", KEY).get("/dead-letters?reason=VALIDATION&limit=1000").then()
                .extract().jsonPath().getString("deadLetters.find { it.updateId == '" + id + "' }.id");

        ChromeDriver browser = chromium.driver;
        browser.get(demo.baseUri() + "/console/sign-in");
        signIn(browser, KEY);
        String session = browser.manage().getCookieNamed("leadsync_console").getValue();
        String token = browser.manage().getCookieNamed("leadsync_console_csrf").getValue();

        // A signed-in session, but the form's token is not the browser's (a cross-site form cannot know it).
        demo.api().cookie("leadsync_console", session).cookie("leadsync_console_csrf", token).formParam("csrf", "guessed")
                .formParam("id", letter).formParam("update", "{\"target\":\"superfone\",\"phone\":\"+919876500000\",\"stage\":\"Qualified\"}")
                .post("/console/replay").then().statusCode(403);
        // No token at all (another site's form: SameSite=Strict keeps the cookies home).
        demo.api().cookie("leadsync_console", session).formParam("id", letter).post("/console/delete").then().statusCode(403);
        // The token but no session.
        demo.api().cookie("leadsync_console_csrf", token).formParam("csrf", token).formParam("id", letter)
                .post("/console/delete").then().statusCode(403);
        // A session made up, or signed with another key.
        demo.api().cookie("leadsync_console", "99999999999999.abc.def").cookie("leadsync_console_csrf", token)
                .formParam("csrf", token).formParam("id", letter).post("/console/delete").then().statusCode(403);
        demo.api().header("X-Api-Key", KEY).get("/dead-letters/" + letter).then().statusCode(200);
        assertThat(demo.api().header("X-Api-Key", KEY).get("/leads/" + id).then().extract().jsonPath().getString("status"),
                is("DEAD_LETTER"));

        // With both, the same delete is done.
        demo.api().cookie("leadsync_console", session).cookie("leadsync_console_csrf", token).formParam("csrf", token)
                .formParam("id", letter).redirects().follow(false).post("/console/delete").then().statusCode(303);
        demo.api().header("X-Api-Key", KEY).get("/dead-letters/" + letter).then().statusCode(404);
    }

    @Test
    void worksBehindAReverseProxyAtASubPath() throws Exception {
        ChromeDriver browser = chromium.driver;
        try (SubPathProxy proxy = new SubPathProxy("/ops/leadsync", demo.baseUri())) {
            browser.get(proxy.baseUri() + "/console");
            assertThat(browser.getCurrentUrl(), is(proxy.baseUri() + "/console/sign-in"));
            signIn(browser, KEY);
            assertThat(browser.getCurrentUrl(), is(proxy.baseUri() + "/console/"));
            // The style sheet came through the proxy too (the bar's colour is the sheet's).
            assertThat(browser.findElement(By.cssSelector("header.bar")).getCssValue("background-color"), is("rgba(36, 41, 47, 1)"));
            go(browser, By.linkText("Dead letters"));
            assertThat(browser.getCurrentUrl(), is(proxy.baseUri() + "/console/dead-letters"));
            go(browser, By.cssSelector("form.sign-out button"));
            assertThat(browser.getCurrentUrl(), is(proxy.baseUri() + "/console/sign-in"));
            browser.get(proxy.baseUri() + "/console/dead-letters");
            assertThat("signed out", browser.getTitle(), startsWith("Sign in"));
        }
    }

    /**
     * The first Tab reaches the skip link, which moves the focus to the content; every visible form control has a
     * label a screen reader reads.
     */
    private static void usableWithoutAMouse(ChromeDriver browser) {
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText(), is("Skip to the content"));
        Object unlabelled = browser.executeScript("""
                return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                    .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.outerHTML)""");
        assertThat(unlabelled, is(List.of()));
    }

    private static void signIn(ChromeDriver browser, String key) {
        browser.findElement(By.id("key")).sendKeys(key);
        go(browser, By.cssSelector("form[action=sign-in] button"));
    }

    /** Clicks what leads to another page and waits until that page has replaced this one. */
    private static void go(ChromeDriver browser, By what) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(what).click();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            try {
                before.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return true;
            }
        });
    }

    private static List<String> texts(ChromeDriver browser, String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** The lead's name was shown as text: no element came of it, and no script ran. */
    private static void noMarkupRan(ChromeDriver browser) {
        assertThat(browser.findElements(By.tagName("img")), is(empty()));
        try {
            browser.switchTo().alert();
            throw new AssertionError("an alert opened: the name ran as markup");
        } catch (NoAlertPresentException expected) {
            // as it should be
        }
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
