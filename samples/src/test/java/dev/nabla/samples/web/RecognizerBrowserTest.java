package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.data.Dataset;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The recognizer end to end, in Debian's headless chromium driven by Selenium: five held-out
 * test digits are drawn as pen strokes in the five boxes (with the mouse, the last with a touch
 * pointer), "recognize" is clicked, and the digits written on the page must be right for at least
 * four of the five boxes. Writes a screenshot to {@code target/recognizer-e2e.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium}
 * and {@code chromium-driver} packages; other paths with {@code -Dnabla.chromium=…} and
 * {@code -Dnabla.chromedriver=…}); skipped, with the reason printed, where they are missing, and
 * failed there under {@code CI=true} ({@code .ci/run} installs both). Selenium is given both paths,
 * so it never looks for or downloads a driver.
 */
class RecognizerBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("nabla.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("nabla.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOT = Path.of("target", "recognizer-e2e.png");
    /** The zip code drawn: for each digit, the next embedded test image with that label. */
    private static final String ZIP = "90210";

    private static Path temp;
    private static DigitRecognizer recognizer;
    private static RecognizerServer server;
    private static WebDriver driver;

    /** Why the browser tests cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void startServerAndBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            missing = "no "
                    + (Files.isExecutable(CHROMIUM) ? "chromedriver at " + CHROMEDRIVER : "chromium at " + CHROMIUM)
                    + "; install Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver) to run the recognizer's browser test";
            System.out.println("RecognizerBrowserTest skipped: " + missing);
            return;
        }
        temp = Files.createTempDirectory("nabla-recognizer-test");
        // A small network trained in a few seconds, saved, and loaded again as the server does.
        recognizer = TestModels.small();
        server = RecognizerServer.start(recognizer, "127.0.0.1", 0);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1000",
                "--user-data-dir=" + temp.resolve("profile"));
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @BeforeEach
    void needsTheBrowser() {
        if (missing != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("the browser test must run in CI (.ci/run installs chromium and chromium-driver): " + missing);
        }
        assumeTrue(missing == null, missing);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
        if (temp != null) {
            try (Stream<Path> paths = Files.walk(temp)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void fiveDigitsDrawnInTheBoxesAreReadFromThePage() throws IOException {
        List<TracedDigit> digits = zipDigits();
        driver.get(server.url());
        assertZipRead(digits);

        // "s" shows the five inputs as the network sees them; each resembles the test image drawn.
        driver.findElement(By.tagName("body")).sendKeys("s");
        waitUntilDone();
        assertTrue(driver.findElement(By.id("seen")).isDisplayed(), "'s' shows the network's inputs");
        for (int i = 0; i < 5; i++) {
            double correlation = correlation(seenPixels(i), digits.get(i).pixels());
            assertTrue(
                    correlation > 0.6,
                    "box " + i + " as the network sees it resembles the test image drawn " + "(correlation "
                            + correlation + ")");
        }
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aLenetFromNablaTrainReadsTheZipAndThePageSaysItAnswered() throws IOException {
        try (DigitRecognizer lenet = TestModels.lenet();
                RecognizerServer cnnServer = RecognizerServer.start(lenet, "127.0.0.1", 0)) {
            driver.get(cnnServer.url());
            assertZipRead(zipDigits());
            assertTrue(
                    driver.findElement(By.id("status")).getText().contains("(model lenet (conv))"),
                    driver.findElement(By.id("status")).getText());
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d ->
                            d.findElement(By.id("model")).getText().startsWith("Model lenet (conv): 784-28×28×1-conv"));
        }
    }

    @Test
    void eraseClearsTheBoxesAndTheAnswers() {
        driver.get(server.url());
        WebElement pad = driver.findElement(By.id("pad-0"));
        draw(pad, zipDigits().get(0), PointerInput.Kind.MOUSE);
        driver.findElement(By.tagName("body")).sendKeys("r");
        waitUntilDone();
        assertTrue(!driver.findElement(By.id("digit-0")).getText().isBlank(), "box 1 got a digit");
        assertEquals("empty", driver.findElement(By.id("prob-1")).getText().trim(), "box 2 was left empty");

        driver.findElement(By.tagName("body")).sendKeys("e");
        assertEquals("", driver.findElement(By.id("digit-0")).getText().trim(), "erase clears the answers");
        Object inkLeft = ((JavascriptExecutor) driver)
                .executeScript(
                        "const d = document.getElementById('pad-0').getContext('2d').getImageData(0, 0, 280, 280).data;"
                                + "for (let i = 0; i < d.length; i++) if (d[i] !== 255) return true; return false;");
        assertEquals(Boolean.FALSE, inkLeft, "erase leaves the box white");
    }

    /**
     * Draws the zip code's digits in the five boxes of the page already open (the last with a finger, the others
     * with the mouse), clicks "recognize", and checks that at least four of five are read right.
     */
    private static void assertZipRead(List<TracedDigit> digits) {
        List<WebElement> pads = driver.findElements(By.cssSelector("canvas.pad"));
        assertEquals(5, pads.size(), "the page has five boxes");
        for (int i = 0; i < 5; i++) {
            draw(pads.get(i), digits.get(i), i == 4 ? PointerInput.Kind.TOUCH : PointerInput.Kind.MOUSE);
        }
        driver.findElement(By.id("recognize")).click();
        waitUntilDone();
        StringBuilder read = new StringBuilder(), shown = new StringBuilder();
        int right = 0;
        for (int i = 0; i < 5; i++) {
            String digit = driver.findElement(By.id("digit-" + i)).getText().trim();
            String probability =
                    driver.findElement(By.id("prob-" + i)).getText().trim();
            assertTrue(probability.matches("\\d{1,3}\\.\\d %"), "box " + i + " shows a probability: " + probability);
            read.append(digit);
            shown.append(i == 0 ? "" : ", ")
                    .append(digit)
                    .append(" (")
                    .append(probability)
                    .append(')');
            right += digit.equals(Integer.toString(digits.get(i).label())) ? 1 : 0;
        }
        System.out.println("browser test: drew " + ZIP + ", the page reads " + shown);
        assertTrue(right >= 4, "at least 4 of 5 digits right: drew " + ZIP + ", the page reads " + read);
        assertEquals(
                read.toString(), driver.findElement(By.id("digits")).getText().trim(), "the zip-code line");
    }

    /** The embedded test images spelling {@link #ZIP}, each the next one of its label in the test set. */
    private static List<TracedDigit> zipDigits() {
        Dataset test = EmbeddedDigits.test().flatten();
        int[] labels = test.labels();
        float[] features = test.features();
        List<TracedDigit> digits = new ArrayList<>();
        int[] used = new int[10];
        for (char c : ZIP.toCharArray()) {
            int label = c - '0';
            int seen = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label && seen++ == used[label]) {
                    digits.add(TracedDigit.of(label, Arrays.copyOfRange(features, i * 784, (i + 1) * 784)));
                    break;
                }
            }
            used[label]++;
        }
        return digits;
    }

    /**
     * Draws the digit's strokes in the box with the mouse or a finger (real pointer events), scaled
     * to the box.
     * One W3C action sequence per digit: Selenium's {@code Actions} adds a keyboard tick to every
     * step and is several times slower.
     */
    private static void draw(WebElement pad, TracedDigit digit, PointerInput.Kind kind) {
        int width = pad.getRect().getWidth(), height = pad.getRect().getHeight();
        double sx = width / 28.0, sy = height / 28.0;
        PointerInput pointer = new PointerInput(kind, kind.name().toLowerCase(java.util.Locale.ROOT));
        PointerInput.Origin box = PointerInput.Origin.fromElement(pad); // offsets from the box's center
        Sequence strokes = new Sequence(pointer, 0);
        for (TracedDigit.Stroke s : digit.strokes()) {
            int y = (int) Math.round((s.row() + 0.5) * sy - height / 2.0);
            int x0 = (int) Math.round((s.from() + 0.5) * sx - width / 2.0);
            int x1 = (int) Math.round((s.to() + 0.5) * sx - width / 2.0);
            strokes.addAction(pointer.createPointerMove(Duration.ZERO, box, x0, y));
            strokes.addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
            strokes.addAction(pointer.createPointerMove(Duration.ZERO, box, x1, y));
            strokes.addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        }
        ((RemoteWebDriver) driver).perform(List.of(strokes));
    }

    private static void waitUntilDone() {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            String state = d.findElement(By.id("app")).getAttribute("data-state");
            if ("error".equals(state)) {
                throw new AssertionError(
                        "the page reports: " + d.findElement(By.id("status")).getText());
            }
            return "done".equals(state);
        });
    }

    /** The 28×28 grey levels in [0, 1] of the "as the network sees it" canvas of box i. */
    private static float[] seenPixels(int i) {
        @SuppressWarnings("unchecked")
        List<Number> values = (List<Number>) ((JavascriptExecutor) driver)
                .executeScript(
                        "const d = document.getElementById('seen-' + arguments[0]).getContext('2d')"
                                + ".getImageData(0, 0, 28, 28).data; const out = [];"
                                + "for (let p = 0; p < 784; p++) out.push(d[4 * p]); return out;",
                        i);
        float[] pixels = new float[784];
        for (int p = 0; p < 784; p++) {
            pixels[p] = values.get(p).floatValue() / 255f;
        }
        return pixels;
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    static {
        // Selenium must never fetch a driver or browser: both paths are given above.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    }
}
