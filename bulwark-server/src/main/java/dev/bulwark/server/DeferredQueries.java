package dev.bulwark.server;

import dev.bulwark.ExecutionContext;
import dev.bulwark.internal.VarHandles;
import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueDrainer;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.AdapterFallback;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The adapters' {@code queue_for_later} queues: per adapter, a durable {@link DeferredQueue} journaled at
 * {@code <directory>/<adapter>.journal} and a {@link QueueDrainer} that runs each kept query against the adapter every
 * {@code drain_interval}, storing the answer at {@code <directory>/<adapter>.answers/<ticket>.json}, so that both the
 * waiting queries and the answers survive a restart. {@code GET /query/{ticket}} shows a ticket: 202 while it waits,
 * 200 with the stored answer once drained, 404 for a ticket no queue knows. A queue item is the ticket and the query,
 * one line each. This class is thread-safe.
 */
final class DeferredQueries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeferredQueries.class.getName());
    private static final Pattern TICKET = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The tickets one query's adapters were queued under, by adapter name. */
    static final ExecutionContext.Key<Tickets> TICKETS = ExecutionContext.Key.of("queued-tickets", Tickets.class);

    /**
     * The tickets of one query, filled by the adapters' queue strategies. Most queries queue nothing, so the map is
     * made by the first ticket. Thread-safe.
     */
    static final class Tickets {
        private static final java.lang.invoke.VarHandle BY_ADAPTER =
                VarHandles.field(MethodHandles.lookup(), "byAdapter", Map.class);

        private volatile @Nullable Map<String, String> byAdapter;

        Map<String, String> byAdapter() {
            Map<String, String> tickets = byAdapter;
            return tickets == null ? Map.of() : Map.copyOf(tickets);
        }

        void put(String adapter, String ticket) {
            Map<String, String> tickets = byAdapter;
            if (tickets == null) {
                BY_ADAPTER.compareAndSet(this, null, new ConcurrentHashMap<String, String>());
                tickets = java.util.Objects.requireNonNull(byAdapter);
            }
            tickets.put(adapter, ticket);
        }

        /**
         * The ticket a client follows: that of the adapter first in name order in {@code byAdapter}, which must not be
         * empty.
         */
        static String first(Map<String, String> byAdapter) {
            return byAdapter.entrySet().stream().min(Map.Entry.comparingByKey()).orElseThrow().getValue();
        }
    }

    private record Held(AdapterFallback.Queue settings, DeferredQueue<String> queue, QueueDrainer<String> drainer,
                        Path answers) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final Clock clock;
    private final Function<String, Optional<HttpAdapter>> adapters;
    private final Function<String, Duration> timeouts;

    /**
     * Queues drained on {@code scheduler}; the drainer finds an adapter's current HTTP call and its operation timeout
     * by name through {@code adapters} and {@code timeouts}.
     */
    DeferredQueries(Scheduler scheduler, Clock clock, Function<String, Optional<HttpAdapter>> adapters,
                    Function<String, Duration> timeouts) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.adapters = adapters;
        this.timeouts = timeouts;
    }

    /**
     * The queue of {@code adapter} as {@code settings} describe it: the open one when the settings did not change, else
     * (the old one closed) one opened on its journal, its drainer started.
     */
    synchronized DeferredQueue<String> open(String adapter, AdapterFallback.Queue settings) {
        Held current = held.get(adapter);
        if (current != null && current.settings().equals(settings)) {
            return current.queue();
        }
        if (current != null) {
            stop(current);
        }
        String file = fileName(adapter);
        Path answers = settings.directory().resolve(file + ".answers");
        try {
            Files.createDirectories(answers);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot create the queue_for_later directory " + answers, failed);
        }
        DeferredQueue<String> queue = DeferredQueue.<String>builder(adapter).capacity(settings.capacity())
                .journal(settings.directory().resolve(file + ".journal"), DeferredQueue.Codec.utf8()).build();
        if (!queue.recovery().clean()) {
            LOG.log(System.Logger.Level.WARNING, "queue_for_later of '" + adapter + "': " + queue.recovery().problems());
        }
        QueueDrainer<String> drainer = QueueDrainer.builder(queue, (String item) -> run(adapter, answers, item))
                .interval(settings.drainInterval()).scheduler(scheduler).build();
        drainer.start();
        held.put(adapter, new Held(settings, queue, drainer, answers));
        return queue;
    }

    /** Closes the queues of adapters no longer in {@code names} or no longer queuing. */
    synchronized void retain(Set<String> names) {
        held.entrySet().removeIf(entry -> {
            if (!names.contains(entry.getKey())) {
                stop(entry.getValue());
                return true;
            }
            return false;
        });
    }

    /** The item for a query of {@code adapter} about to be queued: a fresh ticket, noted in the query's tickets. */
    static String item(String adapter, ExecutionContext context) {
        String ticket = UUID.randomUUID().toString();
        context.get(TICKETS).ifPresent(tickets -> tickets.put(adapter, ticket));
        return ticket + "\n" + context.getOrDefault(HttpAdapter.QUERY, "");
    }

    /**
     * Queues {@code query} for {@code adapter} without calling it (a quota steering to queue_for_later); false when
     * the adapter has no queue or its queue refused the query (full, closed), which leaves the adapter to be called.
     */
    boolean enqueue(String adapter, String query, Tickets tickets) {
        Held one = held.get(adapter);
        if (one == null) {
            return false;
        }
        String ticket = UUID.randomUUID().toString();
        try {
            one.queue().offer(ticket + "\n" + query);
        } catch (RuntimeException refused) {
            LOG.log(System.Logger.Level.WARNING, "queue_for_later of '" + adapter + "' refused a query: " + refused);
            return false;
        }
        tickets.put(adapter, ticket);
        return true;
    }

    private void run(String adapter, Path answers, String item) throws Exception {
        int newline = item.indexOf('\n');
        String ticket = item.substring(0, newline);
        String query = item.substring(newline + 1);
        HttpAdapter http = adapters.apply(adapter).orElseThrow(() -> new IllegalStateException(
                "adapter '" + adapter + "' is gone; its queued queries wait for it"));
        String value = http.execute(query, ExecutionContext.detached().with(HttpAdapter.QUERY, query))
                .toCompletableFuture().get(timeouts.apply(adapter).toNanos(), TimeUnit.NANOSECONDS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ticket", ticket);
        out.put("adapter", adapter);
        out.put("query", query);
        out.put("status", "answered");
        out.put("value", value);
        out.put("answered_at_ms", clock.wallMillis());
        Path temporary = answers.resolve(ticket + ".json.tmp");
        Files.write(temporary, Views.mapper().writeValueAsBytes(out));
        Files.move(temporary, answers.resolve(ticket + ".json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code GET /query/{ticket}}. */
    void show(Context ctx) throws IOException {
        String ticket = ctx.pathParam("ticket");
        if (!TICKET.matcher(ticket).matches()) {
            Views.error(ctx, 404, "ticket", "not a ticket: tickets look like 123e4567-e89b-12d3-a456-426614174000");
            return;
        }
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Path answer = entry.getValue().answers().resolve(ticket + ".json");
            if (Files.exists(answer)) {
                ctx.status(200).contentType("application/json").result(Files.readString(answer, StandardCharsets.UTF_8));
                return;
            }
            DeferredQueue<String> queue = entry.getValue().queue();
            for (DeferredQueue.Ticketed<String> waiting : queue.peek(queue.size())) {
                if (waiting.item().startsWith(ticket + "\n")) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("ticket", ticket);
                    out.put("adapter", entry.getKey());
                    out.put("query", waiting.item().substring(ticket.length() + 1));
                    out.put("status", "pending");
                    out.put("drain_interval_ms", entry.getValue().settings().drainInterval().toMillis());
                    Views.json(ctx, 202, out);
                    return;
                }
            }
        }
        Views.error(ctx, 404, "ticket", "no queued query has the ticket '" + ticket + "'");
    }

    /** Queries waiting, by adapter. */
    Map<String, Integer> waiting() {
        Map<String, Integer> out = new LinkedHashMap<>();
        held.forEach((adapter, one) -> out.put(adapter, one.queue().size()));
        return out;
    }

    /**
     * Runs the kept queries of {@code adapter} now rather than at its next drain interval; returns how many were
     * answered (a failing one stays queued), or -1 when the adapter keeps no queue.
     */
    int drainNow(String adapter) {
        Held one = held.get(adapter);
        return one == null ? -1 : one.drainer().drainNow();
    }

    @Override
    public synchronized void close() {
        held.values().forEach(DeferredQueries::stop);
        held.clear();
    }

    private static void stop(Held one) {
        one.drainer().stop();
        one.queue().close();
    }

    /** The adapter's name as a file name: letters, digits, '.', '_' and '-' kept, anything else as '_'. */
    private static String fileName(String adapter) {
        String safe = adapter.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.startsWith(".") ? "_" + safe : safe;
    }
}
