package dev.bulwark.queue;

import dev.bulwark.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The durable deferred queue ({@link DeferredQueue.Config.Builder#journal}): survives a crash: an append-only journal of {@code enqueue} and {@code ack} records,
 * each with a magic number, its length and a CRC-32 of both.
 *
 * <p>Contract: once {@link #offer} returns, the item is on disk (the journal is forced) and will be delivered
 * after any crash, at least once: an acknowledgement that had not reached the disk when the process died
 * means the item is delivered again, so handlers must be idempotent.
 *
 * <p>Opening the queue replays the journal and never fails on its contents. A torn record at the end (a crash
 * mid-write) is cut off. A damaged record with intact ones after it (a bad sector, a stray write) is skipped:
 * replay resumes at the next intact record, so one bad record costs at most the items it held. A record whose
 * payload the codec cannot decode is skipped too, and so is one whose ticket no queue could have issued (below 1,
 * or the largest long, after which tickets would overflow). Skipped bytes are copied to {@code <journal>.quarantine},
 * reported by {@link #recovery()} and logged, and the journal is rewritten without them.
 *
 * <p>When more than half the journal is acknowledged records (and at least {@code compactAfter} of them), it is
 * rewritten with only the waiting items, into a temporary file moved over the journal atomically; tickets keep
 * increasing across compactions and restarts. This class is thread-safe.
 *
 * @param <T> the item type
 */
final class DurableDeferredQueue<T> implements DeferredQueue<T> {
    private static final System.Logger LOG = System.getLogger(DurableDeferredQueue.class.getName());
    /** A search for intact records after damage may check candidates worth this many times the journal size. */
    private static final int RESYNC_BUDGET_FACTOR = 4;

    private final String name;
    private final Path journal;
    private final DeferredQueue.Codec<T> codec;
    private final int capacity;
    private final int compactAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Long, T> items = new LinkedHashMap<>();
    private FileChannel channel;
    private long nextTicket = 1;
    private int ackedInJournal;
    private final Recovery recovery;

    private DurableDeferredQueue(String name, Path journal, DeferredQueue.Codec<T> codec, int capacity, int compactAfter) throws IOException {
        this.name = name;
        this.journal = journal;
        this.codec = codec;
        this.capacity = capacity;
        this.compactAfter = compactAfter;
        this.channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            this.recovery = replay();
        } catch (IOException | RuntimeException failure) {
            channel.close();
            throw failure;
        }
        if (!recovery.clean()) {
            LOG.log(System.Logger.Level.WARNING, () -> "deferred queue '" + name + "' recovered its journal " + journal
                    + ": " + String.join("; ", recovery.problems()));
        }
    }

    /**
     * Opens (or creates) the queue journaled at {@code journal}, replaying what it holds; see {@link #recovery()}
     * for what was wrong with it.
     *
     * @throws UncheckedIOException if the journal cannot be read or written
     * @throws dev.bulwark.ConfigException if {@code capacity} or {@code compactAfter} is not positive
     */
    static <T> DurableDeferredQueue<T> open(String name, Path journal, DeferredQueue.Codec<T> codec, int capacity, int compactAfter) {
        Checks.name("deferred queue", name);
        Checks.between("deferred queue '" + name + "'", "capacity", capacity, 1, 100_000_000);
        Checks.between("deferred queue '" + name + "'", "compactAfter", compactAfter, 1, 100_000_000);
        try {
            return new DurableDeferredQueue<>(name, Objects.requireNonNull(journal, "journal"),
                    Objects.requireNonNull(codec, "codec"), capacity, compactAfter);
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot open deferred queue journal " + journal, failure);
        }
    }

    @Override
    public Recovery recovery() {
        return recovery;
    }

    /** Replays the journal into {@link #items}, skipping and quarantining what cannot be read. */
    private Recovery replay() throws IOException {
        long size = channel.size();
        long position = 0;
        long corruptBytes = 0;
        long tornTail = 0;
        List<Long> undecodable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Quarantine quarantine = new Quarantine(journal.resolveSibling(journal.getFileName() + ".quarantine"));
        JournalRecords.ScanBudget budget = JournalRecords.ScanBudget.forJournal(size, RESYNC_BUDGET_FACTOR);
        try {
            while (position < size) {
                JournalRecords.Entry entry = JournalRecords.read(channel, position, size);
                if (entry == null) {
                    long next = JournalRecords.nextIntact(channel, position + 1, size, budget);
                    if (next == JournalRecords.BUDGET_EXHAUSTED) {
                        quarantine.keep(channel, position, size);
                        corruptBytes += size - position;
                        problems.add("gave up looking for intact records after checking " + RESYNC_BUDGET_FACTOR
                                + "x the journal's size; quarantined the last " + (size - position)
                                + " bytes from offset " + position);
                        break;
                    }
                    if (next < 0) {
                        tornTail = size - position;
                        problems.add("cut " + tornTail + " bytes of a torn record at the end (offset " + position + ")");
                        break;
                    }
                    quarantine.keep(channel, position, next);
                    corruptBytes += next - position;
                    problems.add("skipped " + (next - position) + " corrupt bytes at offset " + position);
                    position = next;
                    continue;
                }
                if (entry.ticket() < 1 || entry.ticket() == Long.MAX_VALUE) {
                    // tickets count up from 1; this one would make the next ticket overflow or collide
                    quarantine.keep(channel, position, position + entry.size());
                    problems.add("skipped a record with the impossible ticket " + entry.ticket() + " at offset "
                            + position);
                    position += entry.size();
                    continue;
                }
                nextTicket = Math.max(nextTicket, entry.ticket() + 1);
                if (entry.type() == JournalRecords.ENQUEUE) {
                    try {
                        items.put(entry.ticket(), Objects.requireNonNull(codec.decode(entry.payload()), "decoded item"));
                    } catch (RuntimeException notDecodable) {
                        quarantine.keep(channel, position, position + entry.size());
                        undecodable.add(entry.ticket());
                        problems.add("skipped ticket " + entry.ticket() + ": the codec could not decode it ("
                                + notDecodable + ")");
                    }
                } else if (entry.type() == JournalRecords.ACK) {
                    items.remove(entry.ticket());
                    ackedInJournal++;
                } else if (entry.type() != JournalRecords.FLOOR) {
                    quarantine.keep(channel, position, position + entry.size());
                    problems.add("skipped a record of unknown type " + entry.type() + " at offset " + position);
                }
                position += entry.size();
            }
        } finally {
            quarantine.close();
        }
        if (quarantine.used()) {
            compact();
        } else {
            channel.truncate(position);
            channel.position(position);
        }
        return new Recovery(tornTail, corruptBytes, undecodable, problems,
                quarantine.used() ? Optional.of(quarantine.path) : Optional.empty());
    }

    /** Where replay copies the bytes it skips; the file is created only if something is skipped. */
    private static final class Quarantine {
        private final Path path;
        private @Nullable FileChannel out;

        Quarantine(Path path) {
            this.path = path;
        }

        /** Copies bytes {@code [from, to)} of {@code journal} here. */
        void keep(FileChannel journal, long from, long to) throws IOException {
            if (out == null) {
                out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            JournalRecords.copy(journal, from, to, out);
        }

        boolean used() {
            return out != null;
        }

        void close() throws IOException {
            if (out != null) {
                out.force(true);
                out.close();
            }
        }
    }

    private static void write(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    @Override
    public long offer(T item) {
        Objects.requireNonNull(item, "item");
        byte[] payload = codec.encode(item);
        lock.lock();
        try {
            if (items.size() >= capacity) {
                throw new QueueFullException(name, capacity);
            }
            long ticket = nextTicket++;
            write(channel, JournalRecords.encode(JournalRecords.ENQUEUE, ticket, payload));
            channel.force(false);
            items.put(ticket, item);
            return ticket;
        } catch (IOException failure) {
            throw new UncheckedIOException("deferred queue '" + name + "' could not journal an item", failure);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Ticketed<T>> peek(int max) {
        return QueueItems.head(lock, items, max);
    }

    @Override
    public void ack(long ticket) {
        lock.lock();
        try {
            if (items.remove(ticket) == null) {
                return;
            }
            write(channel, JournalRecords.encode(JournalRecords.ACK, ticket, new byte[0]));
            ackedInJournal++;
            if (ackedInJournal >= compactAfter && ackedInJournal > items.size()) {
                compact();
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("deferred queue '" + name + "' could not journal an acknowledgement", failure);
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites the journal with only the waiting items; a crash during it leaves the old journal intact. */
    public void compact() {
        lock.lock();
        try {
            Path temporary = journal.resolveSibling(journal.getFileName() + ".compacting");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Map.Entry<Long, T> entry : items.entrySet()) {
                    write(out, JournalRecords.encode(JournalRecords.ENQUEUE, entry.getKey(), codec.encode(entry.getValue())));
                }
                if (nextTicket > 1) {
                    write(out, JournalRecords.encode(JournalRecords.FLOOR, nextTicket - 1, new byte[0]));
                }
                out.force(true);
            }
            channel.close();
            Files.move(temporary, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.READ);
            channel.position(channel.size());
            ackedInJournal = 0;
        } catch (IOException failure) {
            throw new UncheckedIOException("deferred queue '" + name + "' could not compact its journal", failure);
        } finally {
            lock.unlock();
        }
    }

    /** The journal's size on disk, in bytes. */
    public long journalBytes() {
        lock.lock();
        try {
            return channel.size();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        return QueueItems.size(lock, items);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            channel.force(true);
            channel.close();
        } catch (IOException failure) {
            throw new UncheckedIOException("deferred queue '" + name + "' could not close its journal", failure);
        } finally {
            lock.unlock();
        }
    }
}
