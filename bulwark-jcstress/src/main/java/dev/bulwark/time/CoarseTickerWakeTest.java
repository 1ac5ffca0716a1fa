package dev.bulwark.time;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two readers wake a dormant {@link CoarseTicker} at once: one reading is published and both readers, and every
 * later read, see that one reading; the ticker is awake afterwards.
 */
@JCStressTest
@Description("Two readers race to wake a dormant coarse ticker over a source that gives a new value per read")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "one reading published, seen by both readers, ticker awake")
@Outcome(expect = FORBIDDEN, desc = "a reader kept its own reading, the marker leaked, or the ticker stayed dormant")
@State
public class CoarseTickerWakeTest {
    private final AtomicLong source = new AtomicLong(100);
    private final CoarseTicker ticker = new CoarseTicker(source::incrementAndGet, false);
    private long first;
    private long second;

    public CoarseTickerWakeTest() {
        while (ticker.tick()) {
            // unread: it goes dormant after one quiet spell
        }
    }

    @Actor
    public void firstReader() {
        first = ticker.now();
    }

    @Actor
    public void secondReader() {
        second = ticker.now();
    }

    @Arbiter
    public void arbiter(III_Result result) {
        long later = ticker.now();
        result.r1 = first == later ? 1 : 0;
        result.r2 = second == later ? 1 : 0;
        result.r3 = ticker.dormant() ? 1 : 0;
    }
}
