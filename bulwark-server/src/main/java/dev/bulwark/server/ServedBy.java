package dev.bulwark.server;

import dev.bulwark.internal.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Which path answered for each adapter of one query: {@code primary}, {@code switch_provider <url>} or
 * {@code degrade}, recorded by the adapter's successful exchange; an adapter that succeeded with no exchange recorded
 * was answered by its fallback cache. The records are a list pushed by compare-and-set, newest first: a query records
 * one path per adapter that answers, so a map and its table per query would only add objects for every young
 * collection to copy while the query is in flight. This class is thread-safe.
 */
final class ServedBy {
    private static final VarHandle NEWEST = VarHandles.field(MethodHandles.lookup(), "newest", Path.class);

    private record Path(String adapter, String path, @Nullable Path older) {
    }

    @SuppressWarnings("unused") // through NEWEST
    private volatile @Nullable Path newest;

    void record(String adapter, String path) {
        Path seen;
        do {
            seen = newest;
        } while (!NEWEST.compareAndSet(this, seen, new Path(adapter, path, seen)));
    }

    /** The path that answered for {@code adapter} (the last one recorded for it), which succeeded. */
    String of(String adapter) {
        for (Path record = newest; record != null; record = record.older()) {
            if (record.adapter().equals(adapter)) {
                return record.path();
            }
        }
        return "cache";
    }
}
