package dev.bulwark.redis;

/**
 * The Lua scripts behind the cluster limiters. Each runs atomically in Redis and reads Redis's own clock
 * ({@code TIME}) unless handed the caller's, so instances with skewed clocks still share one bucket and one window. Each takes {@code want}
 * tokens (the lease top-up) and {@code spent} tokens the instance granted on its own while Redis was away, which are
 * charged so that the cluster's count includes them after a resynchronisation.
 */
final class LimitScripts {
    private LimitScripts() {
    }

    /**
     * KEYS[1] the bucket (a hash: tokens, ts in microseconds); ARGV limit, windowMs, burst, want, spent, and
     * the caller's wall clock in ms or '' for Redis's.
     * Returns {granted, 0, 0, 0}. A missing key is a full bucket; the key expires a minute after it would be full again
     * (the minute covers a caller's clock that runs apart from Redis's).
     */
    static final LuaScript TOKEN_BUCKET = LuaScript.of("bulwark-token-bucket", """
            local now
            if ARGV[6] ~= '' then
              now = tonumber(ARGV[6]) * 1000
            else
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local limit = tonumber(ARGV[1])
            local windowUs = tonumber(ARGV[2]) * 1000
            local burst = tonumber(ARGV[3])
            local want = tonumber(ARGV[4])
            local spent = tonumber(ARGV[5])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1])
            local ts = tonumber(state[2])
            if tokens == nil or ts == nil then
              tokens = burst
              ts = now
            end
            if now > ts then
              tokens = math.min(burst, tokens + (now - ts) * limit / windowUs)
            end
            tokens = tokens - spent
            local grant = math.min(want, math.floor(tokens))
            if grant < 0 then grant = 0 end
            tokens = tokens - grant
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.0f', now))
            redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * windowUs / limit / 1000) + 60000)
            return {grant, 0, 0, 0}
            """);

    /**
     * KEYS[1] the quota (a hash: w the window number, used); ARGV limit, windowMs, want, spent, and the
     * caller's wall clock in ms or '' for Redis's. Windows are aligned to
     * the clock used; the key outlives its window by a minute. Returns {granted, ms left in the window, used in the
     * window, window number}.
     */
    static final LuaScript WINDOW_QUOTA = LuaScript.of("bulwark-window-quota", """
            local nowMs
            if ARGV[5] ~= '' then
              nowMs = tonumber(ARGV[5])
            else
              local t = redis.call('TIME')
              nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local limit = tonumber(ARGV[1])
            local windowMs = tonumber(ARGV[2])
            local want = tonumber(ARGV[3])
            local spent = tonumber(ARGV[4])
            local w = math.floor(nowMs / windowMs)
            local state = redis.call('HMGET', KEYS[1], 'w', 'used')
            local used = 0
            if tonumber(state[1]) == w then used = tonumber(state[2]) or 0 end
            used = used + spent
            local grant = math.min(want, limit - used)
            if grant < 0 then grant = 0 end
            used = used + grant
            redis.call('HSET', KEYS[1], 'w', string.format('%.0f', w), 'used', string.format('%.0f', used))
            local remaining = windowMs - (nowMs % windowMs)
            redis.call('PEXPIRE', KEYS[1], remaining + 60000)
            return {grant, remaining, used, w}
            """);
}
