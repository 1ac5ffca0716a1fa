package dev.bulwark.server;

import dev.bulwark.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The access log's lines written straight to standard output, formatted as the gateway's logging backend (SLF4J's
 * simple logger, as {@code simplelogger.properties} sets it up) formats them, {@code 2026-12-01T11:28:25.027Z INFO
 * access - request_id=...}, but in batches: {@link #line} appends to a buffer and {@link #flush} writes the buffer
 * with one call on the stream. The backend would take the stream's lock, format the date and make a system call for
 * each line; at thousands of queries a second that was most of the writer's cost.
 *
 * <p>{@link #ifBackendIsSimpleLogger} gives this sink only when SLF4J's simple logger is the backend and nothing
 * changes its format: no {@code org.slf4j.simpleLogger.*} system property, and the properties file's settings are
 * the ones this class reproduces; else lines go through the logger one by one. Lines are written only while the
 * {@code dev.bulwark.access} logger logs at INFO. Used by the writer's one thread; not thread-safe.
 */
final class ConsoleLogLines implements AccessLogWriter.LineSink {
    private static final String PROPERTIES = "simplelogger.properties";
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final String LINE_END = System.lineSeparator();

    private final Supplier<PrintStream> out;
    private final String tag;
    private final DateTimeFormatter dates;
    private final Clock clock;
    private final BooleanSupplier enabled;
    private final StringBuilder batch = new StringBuilder(16_384);
    private byte[] ascii = new byte[16_384];
    private long stampedAt = Long.MIN_VALUE;
    private String stamp = "";

    /**
     * Lines of the logger whose short name is {@code loggerName}, at INFO, stamped with {@code clock}'s wall time in
     * {@code dateTimeFormat} (a {@link DateTimeFormatter} pattern), the system's time zone and format locale,
     * written to what {@code out} gives at each flush while {@code enabled} says so.
     */
    ConsoleLogLines(Supplier<PrintStream> out, String loggerName, String dateTimeFormat, Clock clock,
                    BooleanSupplier enabled) {
        this.out = out;
        this.tag = " INFO " + loggerName + " - ";
        this.dates = DateTimeFormatter.ofPattern(dateTimeFormat, Locale.getDefault(Locale.Category.FORMAT))
                .withZone(ZoneId.systemDefault());
        this.clock = clock;
        this.enabled = enabled;
    }

    /** This sink for {@code logger} on standard output, when the simple logger is the backend as configured. */
    static Optional<AccessLogWriter.LineSink> ifBackendIsSimpleLogger(System.Logger logger, Clock clock) {
        return simpleLoggerDateFormat().map(format -> new ConsoleLogLines(() -> System.out, shortName(logger.getName()),
                format, clock, () -> logger.isLoggable(System.Logger.Level.INFO)));
    }

    @Override
    public void line(String line) {
        if (!enabled.getAsBoolean()) {
            return;
        }
        long now = clock.wallMillis();
        if (now != stampedAt) {
            stamp = dates.format(Instant.ofEpochMilli(now));
            stampedAt = now;
        }
        batch.append(stamp).append(tag).append(line).append(LINE_END);
    }

    @Override
    public void flush() {
        if (batch.length() == 0) {
            return;
        }
        PrintStream stream = out.get();
        int length = asAscii();
        if (length >= 0) {
            stream.write(ascii, 0, length); // ASCII is the same bytes in any charset the stream may use
        } else {
            stream.print(batch);
        }
        stream.flush();
        batch.setLength(0);
        if (batch.capacity() > 1 << 20) {
            batch.trimToSize(); // one burst of long lines need not keep its buffer
            ascii = new byte[16_384];
        }
    }

    /**
     * Copies the batch into {@link #ascii} and returns its length, or -1 if it holds a character beyond ASCII (then
     * the stream's own encoder writes it); skips the stream's character encoder, most of the cost of a write.
     */
    private int asAscii() {
        int length = batch.length();
        if (ascii.length < length) {
            ascii = new byte[Math.max(length, ascii.length * 2)];
        }
        for (int i = 0; i < length; i++) {
            char c = batch.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            ascii[i] = (byte) c;
        }
        return length;
    }

    /**
     * The simple logger's date format when it is SLF4J's backend and set up as this sink writes: dates shown, to
     * {@code System.out}, short logger names, no thread names, no level brackets.
     */
    static Optional<String> simpleLoggerDateFormat() {
        if (!"org.slf4j.simple.SimpleLoggerFactory".equals(slf4jBackend())) {
            return Optional.empty();
        }
        if (System.getProperties().stringPropertyNames().stream().anyMatch(key -> key.startsWith(PREFIX))) {
            return Optional.empty();
        }
        Properties settings = new Properties();
        try (InputStream in = ConsoleLogLines.class.getClassLoader().getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                return Optional.empty();
            }
            settings.load(in);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        boolean reproducible = "System.out".equals(settings.getProperty(PREFIX + "logFile"))
                && "true".equals(settings.getProperty(PREFIX + "showDateTime"))
                && "false".equals(settings.getProperty(PREFIX + "showThreadName"))
                && "true".equals(settings.getProperty(PREFIX + "showShortLogName"))
                && !"true".equals(settings.getProperty(PREFIX + "levelInBrackets"))
                && !"true".equals(settings.getProperty(PREFIX + "showThreadId"));
        return reproducible ? Optional.ofNullable(settings.getProperty(PREFIX + "dateTimeFormat")) : Optional.empty();
    }

    private static String slf4jBackend() {
        try {
            Object factory = Class.forName("org.slf4j.LoggerFactory").getMethod("getILoggerFactory").invoke(null);
            return factory.getClass().getName();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException absent) {
            return "";
        }
    }

    private static String shortName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
