package dev.bulwark.server;

import dev.bulwark.fallback.LoadShedException;
import dev.bulwark.fallback.LoadShedder;
import dev.bulwark.fanout.FanOutResult;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a query's handling that come from the adapters' {@code load_shed} and {@code queue_for_later}: the
 * priorities the request's headers give, which adapters were shed, how long a shed client should wait.
 */
final class QuerySteering {
    private QuerySteering() {
    }

    /**
     * The priority each configured priority header gives this request (NORMAL when absent).
     *
     * @throws ClientError 400 naming the header when its value is not low, normal, high or critical
     */
    static PrioritizedShedder.Priorities priorities(Context ctx, AdapterSet adapters) {
        Map<String, LoadShedder.Priority> out = new LinkedHashMap<>();
        for (String header : adapters.priorityHeaders()) {
            String value = ctx.header(header);
            if (value == null) {
                continue;
            }
            LoadShedder.Priority priority = PrioritizedShedder.parse(value);
            if (priority == null) {
                throw new ClientError(400, header, header + " must be one of low, normal, high, critical");
            }
            out.put(header, priority);
        }
        return new PrioritizedShedder.Priorities(out);
    }

    /** The adapters of {@code result} refused by their load shedder, in order. */
    static List<String> shed(FanOutResult<String> result) {
        List<String> out = new ArrayList<>();
        result.results().forEach(adapter -> {
            for (Throwable cause = adapter.error(); cause != null; cause = cause.getCause()) {
                if (cause instanceof LoadShedException) {
                    out.add(adapter.name());
                    return;
                }
                if (cause.getCause() == cause) {
                    return;
                }
            }
        });
        return out;
    }

    /** The longest Retry-After, in whole seconds (at least 1), of the shed adapters. */
    static long retryAfterSeconds(AdapterSet adapters, List<String> shed) {
        long seconds = 1;
        for (String name : shed) {
            Duration wait = adapters.shedRetryAfter(name).orElse(Duration.ofSeconds(1));
            seconds = Math.max(seconds, (wait.toMillis() + 999) / 1000);
        }
        return seconds;
    }
}
