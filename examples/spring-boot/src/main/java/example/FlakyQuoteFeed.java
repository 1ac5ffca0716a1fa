package example;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/** A stand-in for a remote quote source that fails one call in three. */
@Component
public class FlakyQuoteFeed implements QuoteFeed {
    @Override
    public String price(String symbol) {
        if (ThreadLocalRandom.current().nextInt(3) == 0) {
            throw new IllegalStateException("quote source unavailable");
        }
        return "101.5";
    }
}
