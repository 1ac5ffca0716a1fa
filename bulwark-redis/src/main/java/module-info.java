/**
 * Cluster-wide Bulwark state on Redis, local-first: calls decide on local state only; Redis is read and written in the
 * background, and an instance that loses Redis keeps deciding locally and reports itself degraded until it resynchronises.
 */
module dev.bulwark.redis {
    requires transitive dev.bulwark.core;
    requires transitive dev.bulwark.queue;
    requires lettuce.core;
    requires static org.jspecify;

    exports dev.bulwark.redis;
}
