package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.ExecutionContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which Netty event loop the backend client sends a call on: one query's calls on one loop, each new query on the
 * loop with fewer calls in flight, and the in-flight count kept exact. Real loopback backend.
 */
class BackendLoopChoiceTest {
    private final LoopbackBackend backend = new LoopbackBackend();
    private final CompletableFuture<String> release = backend.release;
    private BackendClient client = backend.use(BackendClient.start());

    @AfterEach
    void stop() {
        backend.close();
    }

    private HttpAdapter adapter(String path) {
        return backend.adapter(client, "GET", backend.uri(path));
    }

    @Test
    void oneQuerysCallsMeetOnOneLoopAndTheNextQueryTakesTheOtherLoop() throws Exception {
        List<HttpAdapter> adapters = List.of(adapter("/hold"), adapter("/hold"), adapter("/hold"));
        Map<String, Set<String>> loopsByQuery = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> answered = new ArrayList<>();
        for (String query : List.of("first", "second")) {
            ExecutionContext context = ExecutionContext.detached().with(HttpAdapter.REQUEST_ID, "id-" + query);
            for (HttpAdapter adapter : adapters) {
                // held by the backend until every call is out, so this runs where the answer arrives: on a loop
                answered.add(adapter.execute(query, context).toCompletableFuture().thenRun(() -> loopsByQuery
                        .computeIfAbsent(query, any -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getName())));
            }
        }
        release.complete("released");
        CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(loopsByQuery.get("first")).singleElement().asString().startsWith("bulwark-backend");
        assertThat(loopsByQuery.get("second")).singleElement().asString().startsWith("bulwark-backend");
        assertThat(loopsByQuery.get("first")).doesNotContainAnyElementsOf(loopsByQuery.get("second"));
    }

    @Test
    void callsOfNoGroupTakeTheLoopsInTurnWhileNoneIsInFlight() {
        int first = client.loopFor(new Object());

        assertThat(client.loopFor(new Object())).isNotEqualTo(first);
        assertThat(client.loopFor(new Object())).isEqualTo(first);
    }

    @Test
    void aNewQueryGoesToTheLoopWithFewerCallsInFlight() throws Exception {
        HttpAdapter held = adapter("/hold");
        List<CompletableFuture<String>> calls = new ArrayList<>();
        ExecutionContext first = ExecutionContext.detached().with(HttpAdapter.REQUEST_ID, "first");
        for (int i = 0; i < 3; i++) {
            calls.add(held.execute("q", first).toCompletableFuture());
        }
        int busy = client.inFlight(0) == 3 ? 0 : 1;
        assertThat(client.inFlight(busy)).as("the first query's three calls, on one loop").isEqualTo(3);

        for (String next : List.of("second", "third")) {
            calls.add(held.execute("q", ExecutionContext.detached().with(HttpAdapter.REQUEST_ID, next))
                    .toCompletableFuture());
        }

        assertThat(client.inFlight(1 - busy)).as("both later queries took the less busy loop").isEqualTo(2);
        release.complete("released");
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(List.of(client.inFlight(0), client.inFlight(1))).as("every ended call is no longer counted")
                .containsExactly(0, 0);
    }

    @Test
    void aCallCountsInFlightOnceUntilItEndsAndNotAtAllWhenItEndedFirst() {
        AtomicIntegerArray counts = new AtomicIntegerArray(2);
        BackendCall.Listener ignore = new BackendCall.Listener() {
            @Override
            public void answered(int status, String body) {
            }

            @Override
            public void failed(Throwable cause) {
            }
        };
        BackendCall sent = new BackendCall(new BackendCall.Origin(false, "127.0.0.1", 1), request(), ignore);
        sent.countIn(counts, 0);
        assertThat(counts.get(0)).isEqualTo(1);
        sent.abort(new IllegalStateException("cancelled"));
        sent.abort(new IllegalStateException("cancelled again"));
        assertThat(counts.get(0)).as("lowered once").isZero();

        BackendCall abortedFirst = new BackendCall(new BackendCall.Origin(false, "127.0.0.1", 1), request(), ignore);
        abortedFirst.abort(new IllegalStateException("cancelled while being sent"));
        abortedFirst.countIn(counts, 1);
        assertThat(counts.get(1)).as("never raised for a call that had ended").isZero();
    }

    private static FullHttpRequest request() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.GET, "/x");
    }

    @Test
    void groupsSentFromManyThreadsAtOnceShareTheLoopsEvenly() throws Exception {
        int loops = 3;
        client = backend.use(BackendClient.start(loops, BackendClient.MAX_CONNECTIONS_PER_BACKEND,
                BackendClient.MAX_QUEUED_PER_BACKEND));
        int threads = 6;
        int groupsEach = 3_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Integer, AtomicInteger> groupsByLoop = new ConcurrentHashMap<>();
        try {
            List<Future<Integer>> split = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                split.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int splitGroups = 0;
                    for (int i = 0; i < groupsEach; i++) {
                        Object group = new Object();
                        int loop = client.loopFor(group);
                        for (int call = 1; call < 3; call++) {
                            splitGroups += client.loopFor(group) == loop ? 0 : 1;
                        }
                        groupsByLoop.computeIfAbsent(loop, any -> new AtomicInteger()).incrementAndGet();
                    }
                    return splitGroups;
                }));
            }
            for (Future<Integer> each : split) {
                assertThat(each.get(60, TimeUnit.SECONDS)).as("calls of one group sent on another loop").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(groupsByLoop).hasSize(loops);
        assertThat(groupsByLoop.values()).as("with no call in flight, each loop took every third group")
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(threads * groupsEach / loops));
    }
}
