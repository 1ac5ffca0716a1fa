/**
 * Bulwark core: policies, pipelines, clock, events and registry, with no runtime dependencies. Every public API
 * package is exported; {@code dev.bulwark.internal} (shared helpers, not API) is exported only to Bulwark's own
 * modules.
 */
module dev.bulwark.core {
    requires static org.jspecify;

    exports dev.bulwark;
    exports dev.bulwark.time;
    exports dev.bulwark.event;
    exports dev.bulwark.circuit;
    exports dev.bulwark.retry;
    exports dev.bulwark.timeout;
    exports dev.bulwark.bulkhead;
    exports dev.bulwark.ratelimit;
    exports dev.bulwark.hedge;
    exports dev.bulwark.fanout;
    exports dev.bulwark.fallback;
    exports dev.bulwark.chaos;

    exports dev.bulwark.internal to dev.bulwark.yaml, dev.bulwark.monitor, dev.bulwark.replica, dev.bulwark.queue,
            dev.bulwark.server;
}
