package dev.bulwark.server;

import dev.bulwark.failover.Provisioner;
import dev.bulwark.store.FailoverLog;
import dev.bulwark.time.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Standbys of a failover group of HTTP backends. A standby is taken from the group's targets (the primary's URL and
 * the standby URLs), in order, skipping the one serving and the standby in hand, and backends retired after a loss
 * last; it is warmed by its health check ({@code GET <url><health_path>} answering below 500 within the ready
 * timeout), so a retired backend comes back only once it is healthy again. Each standby is recorded with when it was
 * asked for, when it was ready and how it ended (promoted, or terminated unused). This class is thread-safe.
 */
final class BackendProvisioner implements Provisioner<URI> {
    private static final System.Logger LOG = System.getLogger(BackendProvisioner.class.getName());

    private final String group;
    private final List<URI> targets;
    private final HttpClient client;
    private final String healthPath;
    private final Duration readyTimeout;
    private final @Nullable FailoverLog log;
    private final Clock clock;
    private final Set<URI> retired = ConcurrentHashMap.newKeySet();
    private final Map<URI, Long> standbyRecords = new ConcurrentHashMap<>();
    private volatile Supplier<URI> serving = () -> URI.create("http://unset.invalid/");

    BackendProvisioner(String group, List<URI> targets, HttpClient client, String healthPath, Duration readyTimeout,
                       @Nullable FailoverLog log, Clock clock) {
        this.group = group;
        this.targets = List.copyOf(targets);
        this.client = client;
        this.healthPath = healthPath;
        this.readyTimeout = readyTimeout;
        this.log = log;
        this.clock = clock;
    }

    /** Where traffic goes now (the group, once built). */
    void serving(Supplier<URI> current) {
        this.serving = current;
    }

    @Override
    public CompletableFuture<URI> create(String reason) {
        long asked = clock.wallMillis();
        URI now = serving.get();
        List<URI> candidates = new ArrayList<>();
        for (URI target : targets) {
            if (!target.equals(now) && !standbyRecords.containsKey(target) && !retired.contains(target)) {
                candidates.add(target);
            }
        }
        for (URI target : targets) {
            if (!target.equals(now) && !standbyRecords.containsKey(target) && retired.contains(target)) {
                candidates.add(target);
            }
        }
        return firstHealthy(candidates, 0, new ArrayList<>()).thenApply(chosen -> {
            retired.remove(chosen);
            standbyRecords.put(chosen, record(() -> log == null ? -1L : log.standbyCreated(group, chosen.toString(), asked), -1L));
            return chosen;
        });
    }

    private CompletableFuture<URI> firstHealthy(List<URI> candidates, int index, List<String> refusals) {
        if (index >= candidates.size()) {
            return CompletableFuture.failedFuture(new Unavailable("no healthy backend to take over for group '"
                    + group + "'" + (refusals.isEmpty() ? ": every target is serving or standing by" : ": " + refusals)));
        }
        URI candidate = candidates.get(index);
        return check(candidate).thenCompose(problem -> {
            if (problem == null) {
                return CompletableFuture.completedFuture(candidate);
            }
            refusals.add(candidate + " " + problem);
            return firstHealthy(candidates, index + 1, refusals);
        });
    }

    /** No backend could take the traffic: the failover or standby could not happen (a 503, unlike a refusal). */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    @Override
    public CompletableFuture<Void> ready(URI instance) {
        return check(instance).thenAccept(problem -> {
            if (problem != null) {
                throw new Unavailable("standby " + instance + " is not ready: " + problem);
            }
            Long id = standbyRecords.get(instance);
            long at = clock.wallMillis();
            if (id != null && id >= 0 && log != null) {
                record(() -> {
                    log.standbyReady(id, at);
                    return 0L;
                }, 0L);
            }
        });
    }

    @Override
    public CompletableFuture<Void> terminate(URI instance) {
        retired.add(instance);
        ended(instance, "terminated");
        return CompletableFuture.completedFuture(null);
    }

    /** The standby {@code instance} now takes the traffic. */
    void promoted(URI instance) {
        retired.remove(instance);
        ended(instance, "promoted");
    }

    private void ended(URI instance, String status) {
        Long id = standbyRecords.remove(instance);
        if (id != null && id >= 0 && log != null) {
            record(() -> {
                log.standbyEnded(id, status);
                return 0L;
            }, 0L);
        }
    }

    /** Null when {@code target} answers its health check below 500, else what it answered. */
    CompletableFuture<@Nullable String> check(URI target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target + healthPath)).timeout(readyTimeout).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                return "did not answer its health check: " + cause;
            }
            return response.statusCode() < 500 ? null : "answered its health check with HTTP " + response.statusCode();
        });
    }

    /** Runs a store write; a store failure is logged, never a reason to fail a failover. */
    private long record(java.util.function.LongSupplier write, long fallback) {
        try {
            return write.getAsLong();
        } catch (RuntimeException storeFailed) {
            LOG.log(System.Logger.Level.WARNING, "failover group '" + group + "': could not record a standby: " + storeFailed);
            return fallback;
        }
    }
}
