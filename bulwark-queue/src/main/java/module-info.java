/**
 * Bulwark queue: the deferred queue (in memory, or a crash-safe file journal), the drainer that replays it, and the
 * queue-for-later fallback strategy that plugs into core's fallback. Depends on {@code dev.bulwark.core} only.
 */
module dev.bulwark.queue {
    requires transitive dev.bulwark.core;
    requires static org.jspecify;

    exports dev.bulwark.queue;
}
