package dev.bulwark.examples.microprofile;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** A remote price lookup that fails: retried, timed, behind a circuit breaker, with a cached fallback. */
@ApplicationScoped
public class PriceService {

    private final AtomicInteger calls = new AtomicInteger();

    /** Asks the (here always failing) backend; after 1 + 2 attempts the fallback answers. */
    @Retry(maxRetries = 5, delay = 10, jitter = 0)
    @Timeout(value = 1, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "cachedPrice")
    public String price(String item) {
        calls.incrementAndGet();
        throw new IllegalStateException("price backend down");
    }

    String cachedPrice(String item) {
        return item + ": 9.99 (cached)";
    }

    /** How often the backend was asked. */
    public int calls() {
        return calls.get();
    }
}
