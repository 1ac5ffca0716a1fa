package dev.bulwark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying a durable queue's journal never fails on its contents: any bytes open into a working queue that
 * reports what it skipped, and whose rewritten journal then replays cleanly to the same items.
 *
 * <p>Under {@code mvn verify} this replays the committed inputs in
 * {@code src/test/resources/dev/bulwark/queue/JournalReplayFuzzTestInputs/} (seeds and every finding);
 * {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class JournalReplayFuzzTest {
    private static final int MAX_ITEMS = 10_000;

    @TempDir
    static Path directory;

    /** Arbitrary bytes as a journal. */
    @FuzzTest(maxDuration = "5m")
    void anyJournalOpensAndRewritesItselfClean(byte[] journalBytes) throws IOException {
        Path journal = freshJournal(journalBytes);

        Map<Long, String> recovered = openAndCheck(journal);

        assertThat(recovered).hasSizeLessThanOrEqualTo(journalBytes.length / 21);
    }

    /**
     * Intact records (any type, ticket and payload) with damage on top: every item that comes back is one that was
     * written, with its own ticket; an undamaged journal comes back exactly, with a clean report.
     */
    @FuzzTest(maxDuration = "5m")
    void damagedJournalsGiveBackOnlyWhatWasWritten(FuzzedDataProvider data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<Long, Set<String>> written = new LinkedHashMap<>();
        Map<Long, String> expected = new LinkedHashMap<>();
        boolean plain = true;
        int records = data.consumeInt(0, 20);
        for (int i = 0; i < records; i++) {
            byte type = data.pickValue(new byte[] {JournalRecords.ENQUEUE, JournalRecords.ACK, JournalRecords.FLOOR,
                    data.consumeByte()});
            long ticket = data.consumeBoolean() ? data.consumeLong(1, 50) : data.consumeLong();
            String item = data.consumeString(40);
            byte[] payload = type == JournalRecords.ENQUEUE ? DeferredQueue.Codec.utf8().encode(item) : new byte[0];
            bytes.writeBytes(JournalRecords.encode(type, ticket, payload).array());
            if (type == JournalRecords.ENQUEUE) {
                written.computeIfAbsent(ticket, t -> new HashSet<>()).add(item);
                expected.put(ticket, item);
            } else if (type == JournalRecords.ACK) {
                expected.remove(ticket);
            } else if (type != JournalRecords.FLOOR) {
                plain = false;
            }
            if (ticket < 1 || ticket == Long.MAX_VALUE) {
                plain = false; // skipped on replay: tickets count up from 1
            }
        }
        byte[] journalBytes = bytes.toByteArray();
        boolean damaged = damage(data, journalBytes);
        if (damaged && data.consumeBoolean()) {
            journalBytes = Arrays.copyOf(journalBytes, data.consumeInt(0, journalBytes.length));
        }

        Map<Long, String> recovered = openAndCheck(freshJournal(journalBytes));

        recovered.forEach((ticket, item) -> assertThat(written.get(ticket)).as("ticket %d", ticket).contains(item));
        assertThat(recovered.keySet()).allSatisfy(ticket -> assertThat(ticket).isBetween(1L, Long.MAX_VALUE - 1));
        if (!damaged && plain) {
            assertThat(recovered).isEqualTo(expected);
        }
    }

    /** Flips a few bytes; true if any changed. */
    private static boolean damage(FuzzedDataProvider data, byte[] journalBytes) {
        boolean damaged = false;
        int flips = journalBytes.length == 0 ? 0 : data.consumeInt(0, 3);
        for (int i = 0; i < flips; i++) {
            int at = data.consumeInt(0, journalBytes.length - 1);
            byte mask = data.consumeByte();
            journalBytes[at] ^= mask;
            damaged |= mask != 0;
        }
        return damaged;
    }

    private static Path freshJournal(byte[] journalBytes) throws IOException {
        Path journal = directory.resolve("fuzz.journal");
        Files.deleteIfExists(journal.resolveSibling("fuzz.journal.quarantine"));
        Files.write(journal, journalBytes);
        return journal;
    }

    /**
     * Opens the journal (which must not throw), checks that the recovery report adds up, that reopening the rewritten
     * journal is clean and gives the same items, and that the queue goes on issuing new tickets; the items first found.
     */
    private static Map<Long, String> openAndCheck(Path journal) throws IOException {
        long size = Files.size(journal);
        Map<Long, String> recovered;
        long newTicket;
        try (DurableDeferredQueue<String> queue = DurableDeferredQueue.open("fuzz", journal, DeferredQueue.Codec.utf8(),
                MAX_ITEMS, MAX_ITEMS)) {
            DeferredQueue.Recovery recovery = queue.recovery();
            assertThat(recovery.tornTailBytes() + recovery.corruptBytes()).isBetween(0L, size);
            assertThat(recovery.clean()).isEqualTo(recovery.tornTailBytes() == 0 && recovery.corruptBytes() == 0
                    && recovery.undecodableTickets().isEmpty() && recovery.quarantine().isEmpty());
            recovered = items(queue);
            newTicket = queue.offer("after replay");
            assertThat(recovered.keySet()).allSatisfy(ticket -> assertThat(ticket).isLessThan(newTicket));
        }
        try (DurableDeferredQueue<String> reopened = DurableDeferredQueue.open("fuzz", journal,
                DeferredQueue.Codec.utf8(), MAX_ITEMS, MAX_ITEMS)) {
            assertThat(reopened.recovery().problems()).isEmpty();
            Map<Long, String> again = items(reopened);
            assertThat(again.remove(newTicket)).isEqualTo("after replay");
            assertThat(again).isEqualTo(recovered);
        }
        return recovered;
    }

    private static Map<Long, String> items(DeferredQueue<String> queue) {
        Map<Long, String> items = new LinkedHashMap<>();
        List<DeferredQueue.Ticketed<String>> all = queue.peek(MAX_ITEMS);
        all.forEach(ticketed -> items.put(ticketed.ticket(), ticketed.item()));
        assertThat(items).hasSameSizeAs(all);
        return items;
    }
}
