package dev.bulwark.server;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The adapters' outbound HTTP client: Jetty's, chosen over the JDK's {@code HttpClient} by the load check (the JDK
 * client cost most of the gateway's CPU, a linear walk of its idle-connection list on every return to the pool
 * among it). Set up to behave as the JDK client did for the adapters: HTTP/1.1, a 2 s connect timeout, no redirects
 * followed, no cookies kept, bodies neither compressed nor decompressed; connections are kept alive and reused,
 * up to {@link #MAX_CONNECTIONS_PER_BACKEND} per backend, further requests queue for a free one. Its threads (at
 * most {@link #MAX_THREADS}, daemons named {@code bulwark-backend-*}) parse the answers and run what completes
 * on them. The event handlers, health checks and failover keep the JDK client: they are not on the query path.
 */
final class BackendClient {
    /** Connections kept per backend (scheme, host and port): more than the JDK client needed at 128 inbound. */
    static final int MAX_CONNECTIONS_PER_BACKEND = 512;
    /** Requests waiting for a connection per backend before new ones fail at once. */
    static final int MAX_QUEUED_PER_BACKEND = 4_096;
    static final int MAX_THREADS = 64;
    static final long CONNECT_TIMEOUT_MILLIS = 2_000;

    private BackendClient() {
    }

    /** A started client; stop it with {@link #stop(HttpClient)}. */
    static HttpClient start() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("bulwark-backend");
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.getContentDecoderFactories().clear();
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_BACKEND);
        client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_BACKEND);
        try {
            client.start();
        } catch (Exception failed) {
            throw new IllegalStateException("the backend HTTP client did not start: " + failed, failed);
        }
        return client;
    }

    /** Stops {@code client}, aborting what it still runs. */
    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception failed) {
            System.getLogger(BackendClient.class.getName()).log(System.Logger.Level.WARNING,
                    "the backend HTTP client did not stop cleanly: " + failed);
        }
    }
}
