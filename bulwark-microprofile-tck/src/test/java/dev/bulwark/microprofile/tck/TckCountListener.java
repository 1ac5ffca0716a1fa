package dev.bulwark.microprofile.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testng.ISuite;
import org.testng.ISuiteListener;
import org.testng.ITestListener;
import org.testng.ITestResult;

/**
 * Counts the TCK's test results and, when the suite ends, prints one closing line that CI reads
 * ({@code tck: run N, passed N, failed N, skipped N}) and writes the counts to the file named by the system property
 * {@code bulwark.tck.result.file} for the floor check, with the failed and skipped tests (class#method: cause) beside
 * it in {@code tck-failures.txt}.
 */
public final class TckCountListener implements ITestListener, ISuiteListener {

    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final List<String> problems = new ArrayList<>();

    @Override
    public void onTestSuccess(ITestResult result) {
        passed.incrementAndGet();
    }

    @Override
    public void onTestFailure(ITestResult result) {
        failed.incrementAndGet();
        note("FAILED", result);
    }

    @Override
    public void onTestFailedButWithinSuccessPercentage(ITestResult result) {
        onTestFailure(result);
    }

    @Override
    public void onTestFailedWithTimeout(ITestResult result) {
        onTestFailure(result);
    }

    @Override
    public void onTestSkipped(ITestResult result) {
        skipped.incrementAndGet();
        note("SKIPPED", result);
    }

    private synchronized void note(String verdict, ITestResult result) {
        Throwable cause = result.getThrowable();
        String why = cause == null ? "" : ": " + cause.toString().replace('\n', ' ');
        problems.add(verdict + " " + result.getTestClass().getName() + "#" + result.getMethod().getMethodName()
                + (why.length() > 400 ? why.substring(0, 400) : why));
    }

    @Override
    public synchronized void onFinish(ISuite suite) {
        int ok = passed.get();
        int bad = failed.get();
        int skip = skipped.get();
        // the telemetry metrics execution labels its line "tck telemetryMetrics"
        String label = System.getProperty("bulwark.tck.label", "tck");
        String line = label + ": run " + (ok + bad + skip) + ", passed " + ok + ", failed " + bad + ", skipped " + skip;
        System.out.println(line);
        String file = System.getProperty("bulwark.tck.result.file");
        if (file == null) {
            return;
        }
        try {
            Path path = Path.of(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "run=" + (ok + bad + skip) + "\npassed=" + ok + "\nfailed=" + bad + "\nskipped=" + skip
                    + "\n", StandardCharsets.UTF_8);
            Files.write(path.resolveSibling(path.getFileName().toString().replace("-result.properties", "-failures.txt")), problems.stream().sorted().toList(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
