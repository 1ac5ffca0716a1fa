package dev.bulwark.benchmarks;

import dev.bulwark.fallback.ResultCache;
import dev.bulwark.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's answer cache per query: a lookup and a put of the same key, as a query that answers stores its
 * answer and one that fails reads the last. {@code keys=1024} fits the 10,000 entries (every put replaces a value);
 * {@code keys=100000} does not (most puts evict). Bulwark's lock-free {@link ResultCache} against the hand-written
 * anchor {@link LockedLruCache}, the locked {@code LinkedHashMap} it replaced; both read the same clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResultCacheBenchmark {

    private static final int MAX_ENTRIES = 10_000;

    @Param({"1024", "100000"})
    public int keys;

    private String[] queries;
    private final String answer = "answer";
    private ResultCache<String, String> bulwark;
    private LockedLruCache<String, String> locked;

    /** Each thread walks the keys from its own start, so two threads mostly touch different keys. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            next = System.identityHashCode(this) & 0xffff;
        }
    }

    @Setup
    public void setUp() {
        queries = new String[keys];
        for (int i = 0; i < keys; i++) {
            queries[i] = "query " + i;
        }
        Clock clock = Clock.system();
        bulwark = ResultCache.builder("answers").maxEntries(MAX_ENTRIES).timeToLive(Duration.ofMinutes(5))
                .maxStaleness(Duration.ofHours(24)).clock(clock).build();
        locked = new LockedLruCache<>(MAX_ENTRIES, Duration.ofHours(24).toNanos(), clock::nanoTime);
        for (int i = 0; i < Math.min(keys, MAX_ENTRIES); i++) {
            bulwark.put(queries[i], answer);
            locked.put(queries[i], answer);
        }
    }

    private String next(Cursor cursor) {
        int at = cursor.next % keys;
        cursor.next = at + 1;
        return queries[at];
    }

    @Benchmark
    public Optional<String> resultCacheUsableThenPut_bulwark(Cursor cursor) {
        String query = next(cursor);
        Optional<String> last = bulwark.usable(query);
        bulwark.put(query, answer);
        return last;
    }

    @Benchmark
    public Optional<String> resultCacheUsableThenPut_handwritten(Cursor cursor) {
        String query = next(cursor);
        Optional<String> last = locked.usable(query);
        locked.put(query, answer);
        return last;
    }
}
