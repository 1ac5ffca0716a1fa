package dev.bulwark.server;

import dev.bulwark.fanout.FanOutResult.AdapterResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One line per {@code /query} answer, through the one logging backend (the {@code dev.bulwark.access} logger):
 * {@code request_id=... client=... status=... duration_ms=... strategy=... fallback=...
 * adapters="fast:succeeded:3ms broken:failed:2ms(HTTP 500 from broken ...)"}, plus {@code error="..."} for a refused
 * query. Values a client chose are quoted and escaped, so a line is always one line. Listeners see each line as
 * it is written (they must be fast and not throw). This class is thread-safe.
 */
final class AccessLog {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.access");
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Writes the line of one answered query; {@code adapters} is empty when none was asked. */
    void query(String requestId, String client, int status, Duration took, String strategy, String fallback,
               List<? extends AdapterResult<?>> adapters, String error) {
        StringBuilder line = new StringBuilder(160).append("request_id=").append(quote(requestId))
                .append(" client=").append(quote(client)).append(" status=").append(status)
                .append(" duration_ms=").append(took.toMillis()).append(" strategy=").append(strategy)
                .append(" fallback=").append(fallback).append(" adapters=");
        StringBuilder outcomes = new StringBuilder();
        for (AdapterResult<?> adapter : adapters) {
            if (outcomes.length() > 0) {
                outcomes.append(' ');
            }
            outcomes.append(adapter.name()).append(':').append(adapter.status().name().toLowerCase(Locale.ROOT))
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
        LOG.log(System.Logger.Level.INFO, text);
        for (Consumer<String> listener : listeners) {
            listener.accept(text);
        }
    }

    /** As is when it is a plain token, else in double quotes with quotes, backslashes and control characters escaped. */
    static String quote(String value) {
        if (!value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=')) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
