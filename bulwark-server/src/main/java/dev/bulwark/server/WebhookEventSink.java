package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.server.events.GatewayEventListener;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.EventHandlerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code monitoring} event handler: POSTs each event as JSON to a webhook, asynchronously, so that
 * {@link #onEvent} never waits on the network. At most {@code queue_size} events are waiting or in delivery; an event
 * arriving when that many are is dropped. A delivery that fails (a connection error, a timeout, a status other than
 * 2xx) is retried after {@code initial_backoff}, doubling up to {@code max_backoff}, at most {@code max_retries}
 * times, the waits on the injected scheduler; then the event is given up. Every outcome is counted in
 * {@link EventHandlerCounts}. This class is thread-safe.
 */
final class WebhookEventSink implements GatewayEventListener {
    private static final System.Logger LOG = System.getLogger(WebhookEventSink.class.getName());

    private final EventHandlerConfig.Webhook config;
    private final HttpClient client;
    private final Scheduler scheduler;
    private final EventHandlerCounts counts;
    private final AtomicInteger queued = new AtomicInteger();
    /** One permit per delivery attempt that has ended, for tests that wait for attempts. */
    private final Semaphore attemptsEnded = new Semaphore(0);
    private volatile boolean closed;

    WebhookEventSink(EventHandlerConfig.Webhook config, HttpClient client, Scheduler scheduler, EventHandlerCounts counts) {
        this.config = config;
        this.client = client;
        this.scheduler = scheduler;
        this.counts = counts;
    }

    @Override
    public void onEvent(GatewayEvent event) {
        if (closed || queued.incrementAndGet() > config.queueSize()) {
            queued.decrementAndGet();
            counts.dropped();
            return;
        }
        String body;
        try {
            body = Views.mapper().writeValueAsString(event.toJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException unwritable) {
            queued.decrementAndGet();
            throw new IllegalStateException(unwritable);
        }
        attempt(body, 0);
    }

    private void attempt(String body, int retry) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        config.headers().forEach(request::header);
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            boolean delivered = error == null && response.statusCode() / 100 == 2;
            if (delivered) {
                queued.decrementAndGet();
                counts.delivered();
            } else if (retry < config.maxRetries() && !closed) {
                counts.retried();
                scheduler.schedule(backoff(retry), () -> attempt(body, retry + 1));
            } else {
                queued.decrementAndGet();
                counts.failed();
                LOG.log(System.Logger.Level.WARNING, "event_handler " + config.url() + " gave up an event after "
                        + (retry + 1) + " attempts: " + (error == null ? "HTTP " + response.statusCode() : Views.describe(error)));
            }
            attemptsEnded.release();
        });
    }

    private Duration backoff(int retry) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(retry, 30));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    /** Events waiting or in delivery now. */
    int queued() {
        return queued.get();
    }

    /** Waits up to {@code timeout} for {@code attempts} more delivery attempts to end; true if they did. */
    boolean awaitAttempts(int attempts, Duration timeout) throws InterruptedException {
        return attemptsEnded.tryAcquire(attempts, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
    }
}
