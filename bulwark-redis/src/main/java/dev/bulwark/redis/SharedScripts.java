package dev.bulwark.redis;

/**
 * The Lua scripts that keep each shared change atomic on Redis, so a reader never sees half of one. Sent with EVAL
 * (not EVALSHA): a restarted Redis has an empty script cache, and the scripts are small.
 */
final class SharedScripts {

    /**
     * Casts an own OPEN vote. KEYS: votes, probe permit. ARGV: until, voter, now, ttl ms, channel, message. Drops
     * expired votes, adds this one, keeps the set alive until its last vote ends, frees the probe permit of the previous
     * half-open period and publishes the verdict.
     */
    static final String VOTE = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
            redis.call('DEL', KEYS[2])
            redis.call('PUBLISH', ARGV[5], ARGV[6])
            return 1
            """;

    /** A probe succeeded. KEYS: votes, probe permit. ARGV: channel, message. Clears the votes and publishes CLOSED. */
    static final String CLOSE = """
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            return 1
            """;

    /**
     * Adds outcomes and judges the cluster's failure rate. KEYS: votes, then the window's per-second buckets, newest
     * first. ARGV: calls, failures, bucket ttl ms, minimum calls, threshold percent, open until, channel, message,
     * votes ttl ms. When the window holds the minimum of calls and the failed share reaches the threshold, the buckets
     * are cleared (so one crossing opens the cluster once), a cluster vote is added and RATE is published.
     * Returns {calls, failures, opened}.
     */
    static final String OUTCOMES = """
            redis.call('HINCRBY', KEYS[2], 'c', ARGV[1])
            redis.call('HINCRBY', KEYS[2], 'f', ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            local calls, fails = 0, 0
            for i = 2, #KEYS do
              local v = redis.call('HMGET', KEYS[i], 'c', 'f')
              calls = calls + (tonumber(v[1]) or 0)
              fails = fails + (tonumber(v[2]) or 0)
            end
            if calls >= tonumber(ARGV[4]) and fails > 0 and fails * 100 >= tonumber(ARGV[5]) * calls then
              for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
              redis.call('ZADD', KEYS[1], ARGV[6], '~cluster')
              if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[9]) then redis.call('PEXPIRE', KEYS[1], ARGV[9]) end
              redis.call('PUBLISH', ARGV[7], ARGV[8])
              return {calls, fails, 1}
            end
            return {calls, fails, 0}
            """;

    private SharedScripts() {
    }
}
