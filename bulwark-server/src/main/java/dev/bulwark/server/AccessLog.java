package dev.bulwark.server;

import dev.bulwark.fanout.FanOutResult.AdapterResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One line per {@code /query} answer, in the one logging backend's format (the {@code dev.bulwark.access} logger):
 * {@code request_id=... client=... status=... duration_ms=... strategy=... fallback=...
 * adapters="fast:succeeded:3ms broken:failed:2ms(HTTP 500 from broken ...)"}, plus {@code error="..."} for a refused
 * query. Values a client chose are quoted and escaped, so a line is always one line. Listeners see each line as
 * the query ends, on its thread (they must be fast and not throw).
 *
 * <p>The lines are written by one daemon thread ({@code bulwark-access-log}) from a queue of at most
 * {@link #CAPACITY} lines (by default): the logging backend formats, writes and flushes each line under its locks,
 * and with every query thread doing that itself they queued on those locks. With the gateway's own backend the writer
 * formats lines as it does and writes them in batches ({@link ConsoleLogLines}), else it hands them to the logger. A line that finds the queue full is
 * dropped and counted ({@link #dropped()}, {@code bulwark_access_log_dropped_lines_total} in {@code /metrics}); once
 * the writer catches up it logs a warning with the count, so no line goes missing unsaid. {@link #close()} writes what
 * is queued, then stops the writer. This class is thread-safe.
 */
final class AccessLog implements AutoCloseable {
    /** Lines queued for the writer at most, by default; further lines are dropped and counted. */
    static final int CAPACITY = 65_536;
    private static final System.Logger LOG = System.getLogger("dev.bulwark.access");
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AccessLogWriter writer;

    /** An access log writing to the {@code dev.bulwark.access} logger, its drops reported there as warnings. */
    AccessLog() {
        this(CAPACITY, ConsoleLogLines.ifBackendIsSimpleLogger(LOG, dev.bulwark.time.Clock.system())
                        .orElse(line -> LOG.log(System.Logger.Level.INFO, line)),
                warning -> LOG.log(System.Logger.Level.WARNING, warning));
    }

    /** An access log handing {@code lines} (at most {@code capacity} queued) and its drop {@code warnings} to sinks. */
    AccessLog(int capacity, AccessLogWriter.LineSink lines, Consumer<String> warnings) {
        this.writer = new AccessLogWriter(capacity, AccessLogWriter.DEFAULT_LINGER, lines, warnings, waiting -> { });
    }

    void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Lines dropped so far because the writer's queue was full. */
    long dropped() {
        return writer.dropped();
    }

    /** Writes the lines still queued, then stops the writer; lines after this are dropped and counted. */
    @Override
    public void close() {
        writer.close();
    }

    /** Writes the line of one answered query; {@code adapters} is empty when none was asked. */
    void query(String requestId, String client, int status, Duration took, String strategy, String fallback,
               List<? extends AdapterResult<?>> adapters, String error) {
        StringBuilder line = new StringBuilder(200).append("request_id=").append(quote(requestId))
                .append(" client=").append(quote(client)).append(" status=").append(status)
                .append(" duration_ms=").append(took.toMillis()).append(" strategy=").append(strategy)
                .append(" fallback=").append(fallback).append(" adapters=");
        StringBuilder outcomes = new StringBuilder(64);
        for (AdapterResult<?> adapter : adapters) {
            if (outcomes.length() > 0) {
                outcomes.append(' ');
            }
            outcomes.append(adapter.name()).append(':').append(Views.label(adapter.status()))
                    .append(':').append(adapter.duration().toMillis()).append("ms");
            if (adapter.error() != null) {
                outcomes.append('(').append(Views.describe(adapter.error())).append(')');
            }
        }
        line.append(quote(outcomes.toString()));
        if (!error.isEmpty()) {
            line.append(" error=").append(quote(error));
        }
        String text = line.toString();
        writer.offer(text);
        for (Consumer<String> listener : listeners) {
            listener.accept(text);
        }
    }

    /** As is when it is a plain token, else in double quotes with quotes, backslashes and control characters escaped. */
    static String quote(String value) {
        if (plain(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c > 0x7f && (Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean plain(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '=') {
                return false;
            }
        }
        return true;
    }
}
