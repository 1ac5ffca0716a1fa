package example;

import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

/** A flaky quote source, protected by one pipeline: fallback, circuit breaker, retry, timeout (outermost first). */
@Service
public class QuoteService {
    @Fallback("lastKnown")
    @CircuitBreaker("quotes")
    @Retry("quotes")
    @Timeout("quotes")
    public String quote(String symbol) {
        if (ThreadLocalRandom.current().nextInt(3) == 0) {
            throw new IllegalStateException("quote source unavailable");
        }
        return symbol + " 101.5";
    }

    /** Answers while the circuit is open; other failures pass through after the retries. */
    private String lastKnown(String symbol, CircuitOpenException refused) {
        return symbol + " 100.0 (last known)";
    }
}
