package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The access log's batched console lines: the logging backend's format, written only at a flush, in one write. */
class ConsoleLogLinesTest {
    private static final String FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicInteger writes = new AtomicInteger();
    private final PrintStream out = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }
    }, false, StandardCharsets.UTF_8);
    private final ManualClock clock = new ManualClock(0, 1_764_588_505_027L);
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private final ConsoleLogLines lines = new ConsoleLogLines(() -> out, "access", FORMAT, clock, enabled::get);

    @Test
    void linesWaitForTheFlushAndGoOutInOneWriteStampedWithTheWallClockAsTheBackendStampsThem() {
        String first = stamp(clock.wallMillis());
        lines.line("request_id=a status=200");
        clock.advance(java.time.Duration.ofMillis(1));
        String second = stamp(clock.wallMillis());
        lines.line("request_id=b status=503");

        assertThat(bytes.size()).as("nothing before the flush").isZero();
        lines.flush();

        assertThat(writes).as("one write for the batch").hasValue(1);
        String n = System.lineSeparator();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(first + " INFO access - request_id=a status=200" + n
                + second + " INFO access - request_id=b status=503" + n);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aFlushWithNothingBufferedWritesNothingAndAFlushedLineIsNotWrittenTwice() {
        lines.flush();
        lines.line("once");
        lines.flush();
        lines.flush();

        assertThat(writes).hasValue(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).containsOnlyOnce("once");
    }

    @Test
    void aBatchWithTextBeyondAsciiIsWrittenInTheStreamsCharset() {
        lines.line("adapters=\"caf\u00e9:succeeded:3ms\"");
        lines.line("adapters=\"plain:succeeded:2ms\"");
        lines.flush();

        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written).contains("adapters=\"caf\u00e9:succeeded:3ms\"").contains("adapters=\"plain:succeeded:2ms\"");
        assertThat(written.lines()).hasSize(2);
    }

    @Test
    void nothingIsWrittenWhileTheLoggerIsOffAtInfo() {
        enabled.set(false);
        lines.line("hidden");
        lines.flush();

        assertThat(bytes.size()).isZero();
    }

    @Test
    void aLineLooksExactlyLikeTheOneTheGatewaysLoggingBackendWritesButForItsTime() {
        System.Logger logger = System.getLogger("dev.bulwark.access");
        assertThat(ConsoleLogLines.simpleLoggerDateFormat()).as("the simple logger is the backend, as the gateway sets it up")
                .isPresent();
        ConsoleLogLines console = (ConsoleLogLines) ConsoleLogLines.ifBackendIsSimpleLogger(logger,
                dev.bulwark.time.Clock.system()).orElseThrow();
        ByteArrayOutputStream backend = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(backend, true, StandardCharsets.UTF_8));
            logger.log(System.Logger.Level.INFO, "request_id=r-1 client=\"a b\" status=200");
            console.line("request_id=r-1 client=\"a b\" status=200");
            console.flush();
        } finally {
            System.setOut(original);
        }

        String[] written = backend.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(written).hasSize(2);
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";
        assertThat(written[0]).matches(time + " .*");
        assertThat(written[1].replaceFirst(time, "TIME")).isEqualTo(written[0].replaceFirst(time, "TIME"));
    }

    private static String stamp(long epochMillis) {
        return new SimpleDateFormat(FORMAT, Locale.getDefault(Locale.Category.FORMAT)).format(new Date(epochMillis));
    }
}
