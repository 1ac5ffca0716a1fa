package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The backstop's sweeps, each one second of the loop run by hand. */
class BackendBackstopTest {
    private final ArrayDeque<Runnable> scheduled = new ArrayDeque<>();
    private final BackendBackstop backstop = new BackendBackstop(3, scheduled::add);

    /** A call as the client starts it, and what its listener heard. */
    private static final class Watched implements BackendCall.Listener {
        final List<Throwable> failures = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        final BackendCall call = new BackendCall(new BackendCall.Origin(false, "127.0.0.1", 9),
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER), this);

        @Override
        public void answered(int status, String body) {
            answers.add(status + " " + body);
        }

        @Override
        public void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    private Watched watched() {
        Watched watched = new Watched();
        backstop.watch(watched.call);
        return watched;
    }

    /** Runs the one sweep that is due (a second passes). */
    private void aSecondPasses() {
        assertThat(scheduled).as("one sweep pending").hasSize(1);
        scheduled.poll().run();
    }

    @Test
    void aCallWithNoAnswerFailsAtTheSweepAfterTheBackstopAndNotBefore() {
        Watched silent = watched();
        for (int second = 1; second <= 3; second++) {
            aSecondPasses();
            assertThat(silent.failures).as("after %d sweeps", second).isEmpty();
        }
        aSecondPasses();
        assertThat(silent.failures).singleElement().isInstanceOf(TimeoutException.class)
                .extracting(Throwable::getMessage).isEqualTo("no answer within 3 s");
        assertThat(silent.call.isDone()).isTrue();
        assertThat(scheduled).as("nothing left to sweep").isEmpty();
        assertThat(backstop.watched()).isZero();
    }

    @Test
    void callsStartedLaterFailLaterEachByItsOwnStart() {
        Watched first = watched();
        aSecondPasses();
        Watched second = watched();
        aSecondPasses();
        aSecondPasses();
        aSecondPasses();
        assertThat(first.failures).hasSize(1);
        assertThat(second.failures).isEmpty();
        aSecondPasses();
        assertThat(second.failures).hasSize(1);
    }

    @Test
    void anAnsweredCallIsNeverFailedAndSweepingStopsOnceNothingRuns() {
        Watched answered = watched();
        answered.call.answered(200, "ok");
        aSecondPasses();
        assertThat(backstop.watched()).isZero();
        assertThat(scheduled).isEmpty();
        for (int second = 0; second < 5; second++) {
            Watched next = watched();
            next.call.answered(200, "ok");
            aSecondPasses();
        }
        assertThat(answered.failures).isEmpty();
        assertThat(answered.answers).containsExactly("200 ok");
    }

    @Test
    void onlyOneSweepIsPendingHoweverManyCallsStart() {
        for (int i = 0; i < 100; i++) {
            watched();
        }
        assertThat(scheduled).hasSize(1);
    }

    @Test
    void endedCallsBehindALongOneAreDroppedSoTheQueueStaysNearTheCallsRunning() {
        Watched slow = watched();
        for (int i = 0; i < 10_000; i++) {
            Watched quick = watched();
            quick.call.answered(200, "ok");
            assertThat(backstop.watched()).isLessThanOrEqualTo(64);
        }
        aSecondPasses();
        assertThat(slow.failures).isEmpty();
        assertThat(backstop.watched()).isPositive();
    }

    @Test
    void manyCallsRunningAreAllKeptAndAllFailAtTheBackstop() {
        List<Watched> running = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            running.add(watched());
        }
        assertThat(backstop.watched()).isEqualTo(1_000);
        for (int second = 0; second < 4; second++) {
            aSecondPasses();
        }
        assertThat(running).allSatisfy(call -> assertThat(call.failures).hasSize(1));
    }
}
