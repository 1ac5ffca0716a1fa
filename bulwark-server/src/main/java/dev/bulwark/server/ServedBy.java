package dev.bulwark.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which path answered for each adapter of one query: {@code primary}, {@code switch_provider <url>} or
 * {@code degrade}, recorded by the adapter's successful exchange; an adapter that succeeded with no exchange recorded
 * was answered by its fallback cache. This class is thread-safe.
 */
final class ServedBy {
    private final Map<String, String> paths = new ConcurrentHashMap<>();

    void record(String adapter, String path) {
        paths.put(adapter, path);
    }

    /** The path that answered for {@code adapter}, which succeeded. */
    String of(String adapter) {
        return paths.getOrDefault(adapter, "cache");
    }
}
