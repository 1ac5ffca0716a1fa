package dev.bulwark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredQueueTest {

    @TempDir
    Path dir;

    private static List<String> items(DeferredQueue<String> queue) {
        return queue.peek(Integer.MAX_VALUE).stream().map(DeferredQueue.Ticketed::item).toList();
    }

    @Test
    void theInMemoryQueueIsBoundedAndDrainsInOrderStoppingAtAFailure() {
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("llm", 3);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        assertThatThrownBy(() -> queue.offer("d")).isInstanceOf(QueueFullException.class)
                .hasMessage("deferred queue 'llm' is full (3 items)");

        List<String> handled = new ArrayList<>();
        int processed = queue.drain(item -> {
            if (item.equals("b")) {
                throw new IOException("still down");
            }
            handled.add(item);
        });

        assertThat(processed).isEqualTo(1);
        assertThat(handled).containsExactly("a");
        assertThat(items(queue)).containsExactly("b", "c");
    }

    @Test
    void theDrainerWorksOffTheQueueOnceTheResourceRecoversRetryingWhatStillFails() {
        dev.bulwark.time.ManualClock clock = new dev.bulwark.time.ManualClock();
        InMemoryDeferredQueue<String> queue = new InMemoryDeferredQueue<>("later", 10);
        queue.offer("a");
        queue.offer("b");
        boolean[] resourceUp = {false};
        List<String> handled = new ArrayList<>();
        int[] failuresLeft = {2};
        dev.bulwark.retry.Retry retry = dev.bulwark.retry.Retry.builder("drain").maxRetries(1)
                .backoff(dev.bulwark.retry.Backoff.fixed(java.time.Duration.ofSeconds(1))).clockAndScheduler(clock).build();
        QueueDrainer<String> drainer = QueueDrainer.builder(queue, item -> {
            if (item.equals("b") && failuresLeft[0]-- > 0) {
                throw new IOException("b not yet");
            }
            handled.add(item);
        }).guard(retry).ready(() -> resourceUp[0]).interval(java.time.Duration.ofSeconds(30)).scheduler(clock).build();
        drainer.start();

        clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(handled).as("resource still down").isEmpty();
        resourceUp[0] = true;
        clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(handled).as("b failed twice, retry allowed one more").containsExactly("a");
        assertThat(queue.size()).isEqualTo(1);
        clock.advance(java.time.Duration.ofSeconds(30));

        assertThat(handled).containsExactly("a", "b");
        assertThat(drainer.processed()).isEqualTo(2);
        drainer.stop();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void theDurableQueueKeepsWhatWasNotAcknowledgedAcrossARestart() {
        Path journal = dir.resolve("queue.journal");
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            long first = queue.offer("one");
            queue.offer("two");
            queue.offer("three");
            queue.ack(first);
        }

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(items(reopened)).containsExactly("two", "three");
            assertThat(reopened.offer("four")).as("tickets continue").isEqualTo(4);
        }
    }

    @Test
    void aTornOrCorruptTailIsCutAndEverythingBeforeItKept() throws IOException {
        Path journal = dir.resolve("queue.journal");
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            queue.offer("kept");
            queue.offer("corrupted");
        }
        long size = Files.size(journal);
        try (RandomAccessFile file = new RandomAccessFile(journal.toFile(), "rw")) {
            file.seek(size - 2);
            file.write('X'); // flips a byte of the last record: its checksum no longer matches
        }
        Files.write(journal, new byte[] {0, 0, 0, 42, 1, 2}, StandardOpenOption.APPEND); // and a torn record after it

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(items(reopened)).containsExactly("kept");
            assertThat(reopened.recovery().tornTailBytes()).isPositive();
            assertThat(reopened.recovery().problems()).isNotEmpty();
            reopened.offer("after");
        }
        try (DurableDeferredQueue<String> again = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(items(again)).containsExactly("kept", "after");
        }
    }

    @Test
    void aDamagedRecordInTheMiddleIsSkippedQuarantinedAndReportedAndTheRestKept() throws IOException {
        Path journal = dir.resolve("queue.journal");
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            for (int i = 1; i <= 5; i++) {
                queue.offer("item-" + i);
            }
        }
        byte[] bytes = Files.readAllBytes(journal);
        int second = indexOf(bytes, "item-2");
        java.util.Arrays.fill(bytes, second, second + 16, (byte) 0x7f); // a stray write over item-2 and item-3's start
        Files.write(journal, bytes);

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            DeferredQueue.Recovery recovery = reopened.recovery();
            assertThat(items(reopened)).containsExactly("item-1", "item-4", "item-5");
            assertThat(recovery.corruptBytes()).isPositive();
            assertThat(recovery.tornTailBytes()).isZero();
            assertThat(recovery.problems()).singleElement().asString().startsWith("skipped " + recovery.corruptBytes() + " corrupt bytes");
            assertThat(recovery.quarantine()).hasValueSatisfying(file -> assertThat(file).hasSize(recovery.corruptBytes()));
            assertThat(reopened.offer("item-6")).as("tickets continue past the damage").isEqualTo(6);
        }
        try (DurableDeferredQueue<String> again = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(again.recovery().clean()).as("the journal was rewritten without the damage").isTrue();
            assertThat(items(again)).containsExactly("item-1", "item-4", "item-5", "item-6");
        }
    }

    @Test
    void aRecordTheCodecCannotDecodeIsSkippedAndReportedNeverCrashingTheReplay() {
        Path journal = dir.resolve("queue.journal");
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            queue.offer("fine");
            queue.offer("poison");
            queue.offer("also fine");
        }
        DeferredQueue.Codec<String> picky = new DeferredQueue.Codec<>() {
            @Override
            public byte[] encode(String item) {
                return DeferredQueue.Codec.utf8().encode(item);
            }

            @Override
            public String decode(byte[] bytes) {
                String item = DeferredQueue.Codec.utf8().decode(bytes);
                if (item.equals("poison")) {
                    throw new IllegalArgumentException("not a valid order");
                }
                return item;
            }
        };

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, picky, 100, 1000)) {
            assertThat(items(reopened)).containsExactly("fine", "also fine");
            assertThat(reopened.recovery().undecodableTickets()).containsExactly(2L);
            assertThat(reopened.recovery().problems()).singleElement().asString()
                    .contains("ticket 2").contains("not a valid order");
            assertThat(reopened.recovery().quarantine()).isPresent();
        }
    }

    @Test
    void aRecordWithAnImpossibleTicketIsSkippedSoThatTicketsNeitherOverflowNorCollide() throws IOException {
        // found by JournalReplayFuzzTest: an intact record with ticket Long.MAX_VALUE made the next ticket
        // Long.MIN_VALUE, below every ticket already in the queue
        Path journal = dir.resolve("queue.journal");
        try (var out = Files.newOutputStream(journal)) {
            out.write(JournalRecords.encode(JournalRecords.ENQUEUE, 1, DeferredQueue.Codec.utf8().encode("kept")).array());
            out.write(JournalRecords.encode(JournalRecords.ENQUEUE, Long.MAX_VALUE, DeferredQueue.Codec.utf8().encode("max")).array());
            out.write(JournalRecords.encode(JournalRecords.FLOOR, Long.MAX_VALUE, new byte[0]).array());
            out.write(JournalRecords.encode(JournalRecords.ENQUEUE, -7, DeferredQueue.Codec.utf8().encode("negative")).array());
        }

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(items(reopened)).containsExactly("kept");
            assertThat(reopened.recovery().problems()).hasSize(3)
                    .allSatisfy(problem -> assertThat(problem).startsWith("skipped a record with the impossible ticket"));
            assertThat(reopened.recovery().quarantine()).isPresent();
            assertThat(reopened.offer("next")).isEqualTo(2);
        }
    }

    @Test
    void aJournalCraftedAsManyLongRecordHeadersIsQuarantinedInsteadOfCheckedWithoutEnd() throws IOException {
        // every fake header claims a body reaching to the end of the file, so checking each one in turn would read
        // the journal once per header: replay gives up after a budget of a few times the journal's size
        Path journal = dir.resolve("queue.journal");
        byte[] kept = JournalRecords.encode(JournalRecords.ENQUEUE, 1, DeferredQueue.Codec.utf8().encode("kept")).array();
        byte[] late = JournalRecords.encode(JournalRecords.ENQUEUE, 2, DeferredQueue.Codec.utf8().encode("late")).array();
        int headers = 8192;
        java.nio.ByteBuffer crafted = java.nio.ByteBuffer.allocate(1 + headers * 12);
        crafted.put((byte) 0);
        for (int i = 0; i < headers; i++) {
            int toTheEnd = (headers - i) * 12 + late.length - 12;
            crafted.putInt(0xB1_0C_4A_7E).putInt(toTheEnd).putInt(0);
        }
        try (var out = Files.newOutputStream(journal)) {
            out.write(kept);
            out.write(crafted.array());
            out.write(late);
        }
        long size = Files.size(journal);

        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(items(reopened)).containsExactly("kept");
            assertThat(reopened.recovery().problems()).singleElement().asString()
                    .startsWith("gave up looking for intact records after checking 4x the journal's size")
                    .endsWith("from offset " + kept.length);
            assertThat(reopened.recovery().corruptBytes()).isEqualTo(size - kept.length);
            Path quarantine = reopened.recovery().quarantine().orElseThrow();
            assertThat(Files.size(quarantine)).as("nothing is lost: the rest is kept aside").isEqualTo(size - kept.length);
            assertThat(reopened.offer("next")).isEqualTo(2);
        }
    }

    @Test
    void ticketsAreNotReusedAfterACompactionEmptiedTheJournal() {
        Path journal = dir.resolve("queue.journal");
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            for (int i = 0; i < 3; i++) {
                queue.ack(queue.offer("item-" + i));
            }
            queue.compact();
        }
        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 100, 1000)) {
            assertThat(reopened.size()).isZero();
            assertThat(reopened.offer("next")).isEqualTo(4);
        }
    }

    private static final dev.bulwark.ExecutionContext.Key<String> PROMPT = dev.bulwark.ExecutionContext.Key.of("prompt", String.class);
    private static final dev.bulwark.ExecutionContext.Key<String> EMPTY = dev.bulwark.ExecutionContext.Key.of("empty", String.class);
    private static final dev.bulwark.ExecutionContext.Key<String> NOT_KEPT = dev.bulwark.ExecutionContext.Key.of("not-kept", String.class);

    @Test
    void contextValuesSurviveTheDurableQueueAndMalformedBytesAreRefused() {
        Path journal = dir.resolve("context.journal");
        DeferredQueue.Codec<dev.bulwark.ExecutionContext> codec = DeferredQueue.Codec.contextValues(PROMPT, EMPTY);
        dev.bulwark.ExecutionContext context = dev.bulwark.ExecutionContext.detached().with(PROMPT, "résumé, 日本語")
                .with(EMPTY, "").with(NOT_KEPT, "x");
        try (DurableDeferredQueue<dev.bulwark.ExecutionContext> queue = DurableDeferredQueue.open("q", journal, codec, 10, 100)) {
            queue.offer(context);
            queue.offer(dev.bulwark.ExecutionContext.detached());
        }
        try (DurableDeferredQueue<dev.bulwark.ExecutionContext> reopened = DurableDeferredQueue.open("q", journal, codec, 10, 100)) {
            List<DeferredQueue.Ticketed<dev.bulwark.ExecutionContext>> items = reopened.peek(2);
            assertThat(items.get(0).item().keys()).containsExactly(PROMPT, EMPTY);
            assertThat(items.get(0).item().get(PROMPT)).contains("résumé, 日本語");
            assertThat(items.get(0).item().get(EMPTY)).contains("");
            assertThat(items.get(1).item().keys()).isEmpty();
        }
        byte[] encoded = codec.encode(context);
        assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not encoded context values");
        assertThatThrownBy(() -> codec.decode(new byte[] {0x7f, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not encoded context values");
        assertThatThrownBy(() -> DeferredQueue.Codec.contextValues(PROMPT).decode(encoded))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not encoded context values: unknown key 'empty', known [prompt]");
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] target = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + target.length <= haystack.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (haystack[i + j] != target[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not in the journal");
    }

    @Test
    void compactionShrinksTheJournalAndLosesNothing() {
        Path journal = dir.resolve("queue.journal");
        long before;
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 1000, 1000)) {
            for (int i = 0; i < 50; i++) {
                queue.offer("item-" + i);
            }
            for (int i = 0; i < 45; i++) {
                queue.ack(queue.oldestTicket().orElseThrow());
            }
            before = queue.journalBytes();
            queue.compact();
            assertThat(queue.journalBytes()).isLessThan(before / 5);
        }
        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("q", journal, DeferredQueue.Codec.utf8(), 1000, 1000)) {
            assertThat(items(reopened)).containsExactly("item-45", "item-46", "item-47", "item-48", "item-49");
        }
    }

    @Test
    void noAcknowledgedItemIsLostWhenTheProcessIsKilledMidStream() throws Exception {
        Path journal = dir.resolve("crash.journal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DurableQueueCrashChild.class.getName(), journal.toString()).redirectErrorStream(true).start();
        Set<String> acknowledged = new HashSet<>();
        int processedBatches = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 300 && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add("item-" + line.substring(4));
                } else if (line.startsWith("DONE ")) {
                    processedBatches++;
                } else {
                    throw new AssertionError("child said: " + line);
                }
            }
            // SIGKILL: no shutdown hook, no flush, mid-write if it happens to be (through the handle, which, unlike
            // Process.destroyForcibly, leaves our end of its output open to read what it printed until then)
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed, not exited").isEqualTo(137);
            // the child went on until the kill: what it printed meanwhile is still in the pipe, and every item it
            // processed then is one more that may be gone
            while ((line = out.readLine()) != null) {
                if (line.startsWith("DONE ")) {
                    processedBatches++;
                }
            }
        }
        assertThat(acknowledged).hasSize(300);

        try (DurableDeferredQueue<String> recovered = DurableDeferredQueue.open("crash", journal, DeferredQueue.Codec.utf8(), 1_000_000, 100)) {
            List<String> survivors = items(recovered);
            Set<String> expected = new HashSet<>(acknowledged);
            // the child acknowledged (processed) its oldest item now and then: those may be gone, nothing else
            List<String> missing = expected.stream().filter(item -> !survivors.contains(item)).sorted().toList();
            assertThat(missing.size()).as("only processed items may be missing").isLessThanOrEqualTo(processedBatches + 1);
            for (String item : missing) {
                int number = Integer.parseInt(item.substring(5));
                assertThat(number).as("a processed item is always among the oldest").isLessThan(processedBatches + 2);
            }
            assertThat(survivors).doesNotHaveDuplicates();
        }
    }
}
