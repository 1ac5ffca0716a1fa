package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The access log's writer: lines in order on its own thread, nothing lost at close, drops counted and warned of. */
class AccessLogWriterTest {
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void everyLineOfferedBeforeCloseIsWrittenInOrderOnTheWritersThread() {
        AccessLogWriter writer = new AccessLogWriter(1_000, line -> {
            threads.add(Thread.currentThread().getName());
            written.add(line);
        }, warnings::add);
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "line " + i).toList();

        lines.forEach(line -> assertThat(writer.offer(line)).isTrue());
        writer.close();

        assertThat(written).containsExactlyElementsOf(lines);
        assertThat(threads).containsOnly("bulwark-access-log");
        assertThat(writer.dropped()).isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFullQueueDropsAndCountsTheLineAndTheWriterSaysSoOnceItCatchesUp() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AccessLogWriter writer = new AccessLogWriter(2, line -> {
            if (line.equals("first")) {
                writing.countDown();
                await(release);
            }
            written.add(line);
        }, warnings::add);

        assertThat(writer.offer("first")).isTrue();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue(); // the writer holds "first": the queue is empty
        assertThat(writer.offer("second")).isTrue();
        assertThat(writer.offer("third")).isTrue();
        assertThat(writer.offer("fourth")).as("a third line queued behind a stuck writer").isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
        release.countDown();
        writer.close();

        assertThat(written).containsExactly("first", "second", "third");
        assertThat(warnings).singleElement().asString().startsWith("1 access log lines were dropped")
                .contains("queue of 2 lines");
    }

    @Test
    void aLineAfterCloseIsDroppedAndCounted() {
        AccessLogWriter writer = new AccessLogWriter(10, written::add, warnings::add);
        writer.close();

        assertThat(writer.offer("late")).isFalse();

        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(written).isEmpty();
    }

    @Test
    void aSinkThatThrowsLosesThatLineOnlyAndItIsCounted() {
        AccessLogWriter writer = new AccessLogWriter(10, line -> {
            if (line.equals("bad")) {
                throw new IllegalStateException("backend down");
            }
            written.add(line);
        }, warnings::add);

        writer.offer("a");
        writer.offer("bad");
        writer.offer("b");
        writer.close();

        assertThat(written).containsExactly("a", "b");
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().startsWith("1 access log lines were dropped");
    }

    @Test
    void manyThreadsOfferingAtOnceLoseNothingWithRoom() throws Exception {
        AccessLogWriter writer = new AccessLogWriter(100_000, written::add, warnings::add);
        int threadCount = 8;
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> offering = IntStream.range(0, threadCount).mapToObj(t -> new Thread(() -> {
            await(go);
            for (int i = 0; i < perThread; i++) {
                writer.offer(t + ":" + i);
            }
        })).toList();
        offering.forEach(Thread::start);
        go.countDown();
        for (Thread thread : offering) {
            thread.join(10_000);
        }
        writer.close();

        assertThat(written).hasSize(threadCount * perThread).doesNotHaveDuplicates();
        for (int t = 0; t < threadCount; t++) {
            String prefix = t + ":";
            List<String> own = written.stream().filter(line -> line.startsWith(prefix)).toList();
            assertThat(own).as("thread %d's lines in its order", t)
                    .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
        }
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void linesOfferedWhileTheWriterLingersWakeNobodyAndAreAllWritten() {
        AccessLogWriter writer = new AccessLogWriter(1_000, Duration.ofHours(1), written::add, warnings::add);
        List<String> lines = IntStream.range(0, 200).mapToObj(i -> "line " + i).toList();

        lines.forEach(writer::offer);
        writer.close();

        assertThat(written).containsExactlyElementsOf(lines);
        assertThat(writer.wakeups()).as("at most the first line wakes a writer that lingers an hour").isLessThanOrEqualTo(1);
    }

    @Test
    void aWriterParkedForGoodIsWokenByTheNextLine() throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch wrote = new CountDownLatch(1);
        AccessLogWriter writer = new AccessLogWriter(10, Duration.ZERO, line -> {
            written.add(line);
            wrote.countDown();
        }, warnings::add, waiting -> {
            if (waiting == AccessLogWriter.PARKED) {
                parked.countDown();
            }
        });
        assertThat(parked.await(5, TimeUnit.SECONDS)).isTrue();

        writer.offer("after a quiet spell");

        assertThat(wrote.await(5, TimeUnit.SECONDS)).as("written without waiting for close").isTrue();
        assertThat(writer.wakeups()).isEqualTo(1);
        writer.close();
        assertThat(written).containsExactly("after a quiet spell");
    }

    @Test
    void aQueueFillingPastHalfWakesALingeringWriterSoNothingIsDropped() throws Exception {
        CountDownLatch lingering = new CountDownLatch(1);
        CountDownLatch wroteSix = new CountDownLatch(6);
        AccessLogWriter writer = new AccessLogWriter(10, Duration.ofHours(1), line -> {
            written.add(line);
            wroteSix.countDown();
        }, warnings::add, waiting -> {
            if (waiting == AccessLogWriter.LINGERING) {
                lingering.countDown();
            }
        });
        assertThat(lingering.await(5, TimeUnit.SECONDS)).isTrue();

        for (int i = 1; i <= 5; i++) {
            writer.offer("line " + i);
        }
        assertThat(writer.wakeups()).as("half the queue or less: the writer lingers on").isZero();
        writer.offer("line 6");

        assertThat(wroteSix.await(5, TimeUnit.SECONDS)).as("the sixth line of ten woke the writer").isTrue();
        assertThat(writer.wakeups()).isEqualTo(1);
        writer.close();
        assertThat(written).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aBufferingSinkIsFlushedEveryFlushEveryLinesAndWhenTheQueueIsEmpty() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> buffered = new java.util.ArrayList<>();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch allFlushed = new CountDownLatch(1);
        int total = 1 + 2 * AccessLogWriter.FLUSH_EVERY + 10;
        AccessLogWriter writer = new AccessLogWriter(1_000, Duration.ZERO, new AccessLogWriter.LineSink() {
            @Override
            public void line(String line) {
                if (line.equals("line 0")) {
                    writing.countDown();
                    await(release);
                }
                buffered.add(line);
            }

            @Override
            public void flush() {
                batches.add(buffered.size());
                written.addAll(buffered);
                buffered.clear();
                if (written.size() == total) {
                    allFlushed.countDown();
                }
            }
        }, warnings::add, waiting -> { });
        List<String> lines = IntStream.range(0, total).mapToObj(i -> "line " + i).toList();
        writer.offer(lines.get(0));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue(); // the writer holds line 0: the rest queue up
        lines.subList(1, total).forEach(writer::offer);

        release.countDown();

        assertThat(allFlushed.await(5, TimeUnit.SECONDS)).as("flushed once the queue is empty, before close").isTrue();
        assertThat(batches).containsExactly(AccessLogWriter.FLUSH_EVERY, AccessLogWriter.FLUSH_EVERY, 11);
        assertThat(written).containsExactlyElementsOf(lines);
        writer.close();
    }

    @Test
    void aNegativeLingerIsRefusedNamingIt() {
        assertThatThrownBy(() -> new AccessLogWriter(10, Duration.ofMillis(-1), written::add, warnings::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger").hasMessageContaining("PT-0.001S");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 5 s");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
