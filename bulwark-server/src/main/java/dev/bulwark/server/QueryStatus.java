package dev.bulwark.server;

import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.FanOutResult.AdapterResult;

/**
 * The HTTP status of a query's answer and whether it is partial, so that clients and load balancers can tell
 * failure from success: 200 when an adapter answered or the cache did; otherwise 502 when an adapter was called and
 * failed, timed out or missed a best-effort deadline, and 503 when none was called (every circuit open, every
 * adapter rejected) or the calls were cancelled by shutdown. {@code partial} is true exactly when some adapter asked
 * did not answer; under {@code first_success} the adapters cancelled because another already answered are not
 * missing anything and do not count.
 */
final class QueryStatus {
    private QueryStatus() {
    }

    static int of(FanOutResult<?> result, boolean cacheAnswered) {
        if (result.anySucceeded() || cacheAnswered) {
            return 200;
        }
        boolean called = result.results().stream().anyMatch(adapter -> switch (adapter.status()) {
            case FAILED, TIMED_OUT, SKIPPED -> true;
            case SUCCEEDED, REJECTED, CANCELLED -> false;
        });
        return called ? 502 : 503;
    }

    static boolean partial(FanOutResult<?> result) {
        boolean won = result.strategy() == Strategy.FIRST_SUCCESS && result.anySucceeded();
        for (AdapterResult<?> adapter : result.results()) {
            if (!adapter.succeeded() && !(won && adapter.status() == AdapterResult.Status.CANCELLED)) {
                return true;
            }
        }
        return false;
    }
}
