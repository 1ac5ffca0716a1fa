package dev.bulwark.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue's record format, and reading it back. A record is a magic number, the body's length, a
 * CRC-32 of length and body, then the body: a type byte, a ticket, and the payload. The magic number lets a
 * reader find the next record after a damaged one; the checksum covers the length, so a damaged length is
 * caught like damaged contents.
 */
final class JournalRecords {
    static final byte ENQUEUE = 1;
    static final byte ACK = 2;
    /** Keeps the highest ticket issued, so that tickets are not reused after a compaction empties the journal. */
    static final byte FLOOR = 3;

    private static final int MAGIC = 0xB1_0C_4A_7E;
    private static final int HEADER = 12;
    private static final int MIN_BODY = 9;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final int SCAN_BLOCK = 64 * 1024;

    private JournalRecords() {
    }

    /** One record read back, with where it starts and how many bytes it takes. */
    record Entry(long offset, int size, byte type, long ticket, byte[] payload) {
    }

    static ByteBuffer encode(byte type, long ticket, byte[] payload) {
        if (payload.length > MAX_BODY - MIN_BODY) {
            throw new IllegalArgumentException("an item of " + payload.length + " bytes is over the journal's limit of "
                    + (MAX_BODY - MIN_BODY));
        }
        int length = MIN_BODY + payload.length;
        ByteBuffer record = ByteBuffer.allocate(HEADER + length).putInt(MAGIC).putInt(length).putInt(0)
                .put(type).putLong(ticket).put(payload);
        record.putInt(8, checksum(record.array(), length));
        return record.flip();
    }

    /**
     * How many bytes a search for the next intact record may still read to check candidates. Each candidate (a
     * magic number with a plausible length) costs the bytes it claims, so a journal crafted as many headers that
     * claim long bodies would make an unbounded search quadratic in the journal's size; a budget proportional to
     * the size keeps replay linear. Damage that is not crafted almost never produces candidates.
     */
    static final class ScanBudget {
        private long remaining;

        ScanBudget(long bytes) {
            this.remaining = bytes;
        }

        /** A budget of {@code factor} times the journal's size, and at least one scan block. */
        static ScanBudget forJournal(long size, int factor) {
            return new ScanBudget(Math.max(SCAN_BLOCK, size) * factor);
        }

        boolean exhausted() {
            return remaining <= 0;
        }
    }

    /** The record at {@code offset}, or null if there is none there that is whole and intact. */
    static @Nullable Entry read(FileChannel in, long offset, long size) throws IOException {
        return read(in, offset, size, null);
    }

    private static @Nullable Entry read(FileChannel in, long offset, long size, @Nullable ScanBudget budget)
            throws IOException {
        if (size - offset < HEADER + MIN_BODY) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(in, header, offset);
        int length = header.getInt(4);
        if (header.getInt(0) != MAGIC || length < MIN_BODY || length > MAX_BODY || size - offset - HEADER < length) {
            return null;
        }
        if (budget != null) {
            budget.remaining -= HEADER + (long) length;
        }
        byte[] record = new byte[HEADER + length];
        ByteBuffer body = ByteBuffer.wrap(record, HEADER, length);
        readFully(in, body, offset + HEADER);
        ByteBuffer.wrap(record).putInt(4, length);
        if (checksum(record, length) != header.getInt(8)) {
            return null;
        }
        ByteBuffer contents = ByteBuffer.wrap(record, HEADER, length);
        byte type = contents.get();
        long ticket = contents.getLong();
        byte[] payload = new byte[contents.remaining()];
        contents.get(payload);
        return new Entry(offset, HEADER + length, type, ticket, payload);
    }

    /** {@link #nextIntact}'s answer when the budget ran out before an intact record was found. */
    static final long BUDGET_EXHAUSTED = -2;

    /**
     * The offset of the first intact record after {@code from}; -1 if there is none, or {@link #BUDGET_EXHAUSTED}
     * if checking candidates used up {@code budget} first.
     */
    static long nextIntact(FileChannel in, long from, long size, ScanBudget budget) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(SCAN_BLOCK);
        long start = from;
        while (start < size - 3) {
            block.clear();
            int read = readFully(in, block, start);
            for (int i = 0; i + 4 <= read; i++) {
                if (block.getInt(i) == MAGIC) {
                    if (budget.exhausted()) {
                        return BUDGET_EXHAUSTED;
                    }
                    if (read(in, start + i, size, budget) != null) {
                        return start + i;
                    }
                }
            }
            start += Math.max(1, read - 3);
        }
        return -1;
    }

    /** Appends bytes {@code [from, to)} of {@code in} to {@code out}. */
    static void copy(FileChannel in, long from, long to, FileChannel out) throws IOException {
        long position = from;
        while (position < to) {
            long moved = in.transferTo(position, to - position, out);
            if (moved <= 0) {
                throw new IOException("could not copy journal bytes " + position + ".." + to);
            }
            position += moved;
        }
    }

    private static int readFully(FileChannel in, ByteBuffer buffer, long offset) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int read = in.read(buffer, offset + total);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    /** CRC-32 of the length field and the body of {@code record}. */
    private static int checksum(byte[] record, int length) {
        CRC32 crc = new CRC32();
        crc.update(record, 4, 4);
        crc.update(record, HEADER, length);
        return (int) crc.getValue();
    }
}
