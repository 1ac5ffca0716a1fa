package dev.bulwark.fallback;

import dev.bulwark.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

/**
 * A deferred queue that survives a crash: an append-only journal of {@code enqueue} and {@code ack} records,
 * each with its length and a CRC-32 of its contents.
 *
 * <p>Contract: once {@link #offer} returns, the item is on disk (the journal is forced) and will be delivered
 * after any crash, at least once: an acknowledgement that had not reached the disk when the process died
 * means the item is delivered again. Opening the queue replays the journal; replay stops at the first
 * record that is torn or fails its checksum (a crash mid-write) and cuts the journal there. When more than
 * half the journal is acknowledged records (and at least {@code compactAfter} of them), it is rewritten with
 * only the waiting items, into a temporary file moved over the journal atomically. This class is thread-safe.
 *
 * @param <T> the item type
 */
public final class DurableDeferredQueue<T> implements DeferredQueue<T> {
    private static final byte ENQUEUE = 1;
    private static final byte ACK = 2;
    private static final int HEADER = 8; // length + crc
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final String name;
    private final Path journal;
    private final Codec<T> codec;
    private final int capacity;
    private final int compactAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Long, T> items = new LinkedHashMap<>();
    private FileChannel channel;
    private long nextTicket = 1;
    private int ackedInJournal;
    private final int recoveredTornBytes;

    private DurableDeferredQueue(String name, Path journal, Codec<T> codec, int capacity, int compactAfter) throws IOException {
        this.name = name;
        this.journal = journal;
        this.codec = codec;
        this.capacity = capacity;
        this.compactAfter = compactAfter;
        long validEnd = replay();
        long size = Files.exists(journal) ? Files.size(journal) : 0;
        this.recoveredTornBytes = (int) (size - validEnd);
        this.channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        channel.truncate(validEnd);
        channel.position(validEnd);
    }

    /**
     * Opens (or creates) the queue journaled at {@code journal}, replaying what it holds.
     *
     * @throws UncheckedIOException if the journal cannot be read or written
     * @throws dev.bulwark.ConfigException if {@code capacity} or {@code compactAfter} is not positive
     */
    public static <T> DurableDeferredQueue<T> open(String name, Path journal, Codec<T> codec, int capacity, int compactAfter) {
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

    /** Bytes cut from the end of the journal at open because a record there was torn or corrupt. */
    public int recoveredTornBytes() {
        return recoveredTornBytes;
    }

    private long replay() throws IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        long validEnd = 0;
        try (FileChannel in = FileChannel.open(journal, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (true) {
                header.clear();
                if (readFully(in, header) < HEADER) {
                    break;
                }
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length < 9 || length > MAX_RECORD) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                if (readFully(in, body) < length || checksum(body.array()) != crc) {
                    break;
                }
                body.flip();
                byte type = body.get();
                long ticket = body.getLong();
                if (type == ENQUEUE) {
                    byte[] payload = new byte[body.remaining()];
                    body.get(payload);
                    items.put(ticket, codec.decode(payload));
                } else if (type == ACK) {
                    items.remove(ticket);
                    ackedInJournal++;
                } else {
                    break;
                }
                nextTicket = Math.max(nextTicket, ticket + 1);
                validEnd += HEADER + length;
            }
        }
        return validEnd;
    }

    private static int readFully(FileChannel in, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    private static int checksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) crc.getValue();
    }

    private static ByteBuffer record(byte type, long ticket, byte[] payload) {
        byte[] body = ByteBuffer.allocate(9 + payload.length).put(type).putLong(ticket).put(payload).array();
        return ByteBuffer.allocate(HEADER + body.length).putInt(body.length).putInt(checksum(body)).put(body).flip();
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
            write(channel, record(ENQUEUE, ticket, payload));
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
        lock.lock();
        try {
            return QueueItems.head(items, max);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void ack(long ticket) {
        lock.lock();
        try {
            if (items.remove(ticket) == null) {
                return;
            }
            write(channel, record(ACK, ticket, new byte[0]));
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
                    write(out, record(ENQUEUE, entry.getKey(), codec.encode(entry.getValue())));
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
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
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
