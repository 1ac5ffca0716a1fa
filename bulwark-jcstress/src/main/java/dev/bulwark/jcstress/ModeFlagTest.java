package dev.bulwark.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeChange;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.ManualClock;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * The mode orchestrator's mode flag, read without a lock by the request path ({@code isActive}) while a switch
 * writes it under the lock.
 */
public final class ModeFlagTest {
    private ModeFlagTest() {
    }

    private static ModeOrchestrator orchestrator() {
        Fixtures.quietLogs();
        return ModeOrchestrator.builder("mode").clockAndScheduler(new ManualClock()).build();
    }

    @JCStressTest
    @Description("A reader that sees EMERGENCY also sees its notification (why, since when)")
    @Outcome(id = "false, false", expect = ACCEPTABLE, desc = "read before the switch")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "read after the switch")
    @Outcome(id = "false, true", expect = ACCEPTABLE_INTERESTING, desc = "the notification is published just before the flag")
    @Outcome(id = "true, false", expect = FORBIDDEN, desc = "EMERGENCY seen without its notification")
    @State
    public static class FlagAndNotification {
        private final ModeOrchestrator mode = orchestrator();

        @Actor
        public void operator() {
            mode.force(Mode.EMERGENCY, "drill");
        }

        @Actor
        public void requestPath(ZZ_Result result) {
            result.r1 = mode.isActive(Mode.EMERGENCY);
            result.r2 = mode.notification().isPresent();
        }
    }

    @JCStressTest
    @Description("A waiter registered while the mode switches is never missed")
    @Outcome(id = "true", expect = ACCEPTABLE, desc = "the waiter heard of EMERGENCY")
    @Outcome(id = "false", expect = FORBIDDEN, desc = "EMERGENCY is active but the waiter was missed")
    @State
    public static class WaiterNotMissed {
        private final ModeOrchestrator mode = orchestrator();
        private CompletableFuture<ModeChange> waiter;

        @Actor
        public void operator() {
            mode.force(Mode.EMERGENCY, "drill");
        }

        @Actor
        public void downstream() {
            waiter = mode.whenActive(Mode.EMERGENCY).toCompletableFuture();
        }

        @Arbiter
        public void arbiter(Z_Result result) {
            result.r1 = waiter.isDone() && mode.isActive(Mode.EMERGENCY);
        }
    }
}
