package dev.bulwark.server;

import dev.bulwark.store.AuditLog;
import dev.bulwark.store.JdbcStore;
import dev.bulwark.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Where the gateway records every admin change (who, what, on what, how it ended, when, from which address): the
 * audit log of the {@code storage:} database when there is one, else of an embedded H2 database in the audit
 * directory ({@code BULWARK_AUDIT_DIR}, default {@code data}), so that the record survives a restart either way. Only
 * when that database cannot be opened (another gateway holds it) are entries kept in memory, the last
 * {@value #MEMORY_ENTRIES}, and a warning says so. The embedded database is opened on a thread of its own once the
 * gateway listens ({@link #openInBackground}; no query needs it), or by the first use before that; whatever reads or
 * writes the audit waits for it. Listeners hear of each entry after it is stored. This class is thread-safe.
 */
final class AuditTrail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
    static final int MEMORY_ENTRIES = 500;

    /** Where entries go: a database's audit log (owned when we opened it), or memory alone when log is null. */
    private record Target(@Nullable AuditLog log, @Nullable JdbcStore owned, String where) {
    }

    private final CompletableFuture<Target> target;
    private final @Nullable Runnable opener;
    private final AtomicBoolean begun = new AtomicBoolean();
    private final Deque<AuditLog.Entry> memory = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private AuditTrail(CompletableFuture<Target> target, @Nullable Runnable opener) {
        this.target = target;
        this.opener = opener;
    }

    /**
     * The audit of {@code shared} (the storage: database) when given, else of a database in {@code directory}, opened
     * by {@link #openInBackground} or the first use.
     */
    static AuditTrail open(@Nullable JdbcStore shared, @Nullable Path directory) {
        if (shared != null) {
            return new AuditTrail(CompletableFuture.completedFuture(new Target(shared.audit(), null, "the storage: database")),
                    null);
        }
        if (directory == null) {
            return new AuditTrail(CompletableFuture.completedFuture(
                    new Target(null, null, "memory (no storage: block and no audit directory)")), null);
        }
        CompletableFuture<Target> opening = new CompletableFuture<>();
        return new AuditTrail(opening, () -> opening.complete(openEmbedded(directory)));
    }

    /** Starts opening the embedded database on a thread of its own, unless it is open or opening already. */
    void openInBackground() {
        if (opener != null && begun.compareAndSet(false, true)) {
            Thread thread = new Thread(opener, "bulwark-audit-open");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static Target openEmbedded(Path directory) {
        try {
            Files.createDirectories(directory);
            JdbcStore store = JdbcStore.open(StoreConfig.embedded(directory));
            return new Target(store.audit(), store, directory.toAbsolutePath().toString());
        } catch (IOException | RuntimeException unusable) {
            LOG.log(System.Logger.Level.WARNING, "admin changes are audited in memory only, lost on restart: cannot open "
                    + "the audit database in " + directory + " (" + Views.describe(unusable) + "); set storage: or "
                    + "BULWARK_AUDIT_DIR to a directory no other gateway uses");
            return new Target(null, null, "memory (" + directory + " unusable)");
        }
    }

    /** The target once open, opening it here when nothing did yet; the opener catches every exception. */
    private Target target() {
        if (opener != null && begun.compareAndSet(false, true)) {
            opener.run();
        }
        return target.join();
    }

    /** Where entries are kept, for the log and the dashboard. */
    String where() {
        return target().where();
    }

    /** Whether entries outlive the process. */
    boolean durable() {
        return target().log() != null;
    }

    void onRecord(Runnable listener) {
        listeners.add(listener);
    }

    /** Stores {@code entry}; a database failure is logged and the entry kept in memory instead. */
    void record(AuditLog.Entry entry) {
        boolean stored = false;
        AuditLog log = target().log();
        if (log != null) {
            try {
                log.record(entry);
                stored = true;
            } catch (RuntimeException failed) {
                LOG.log(System.Logger.Level.WARNING, "audit entry kept in memory only (" + Views.describe(failed)
                        + "): " + entry);
            }
        }
        if (!stored) {
            synchronized (memory) {
                memory.addFirst(entry);
                while (memory.size() > MEMORY_ENTRIES) {
                    memory.removeLast();
                }
            }
        }
        listeners.forEach(Runnable::run);
    }

    /** The last {@code limit} entries, newest first. */
    List<AuditLog.Entry> recent(int limit) {
        List<AuditLog.Entry> out = new ArrayList<>();
        AuditLog log = target().log();
        synchronized (memory) {
            memory.stream().limit(limit).forEach(out::add);
        }
        if (log != null) {
            out.addAll(log.recent(limit));
            out.sort((a, b) -> Long.compare(b.atMillis(), a.atMillis()));
        }
        return out.size() <= limit ? out : List.copyOf(out.subList(0, limit));
    }

    @Override
    public void close() {
        if (opener != null && begun.compareAndSet(false, true)) {
            target.complete(new Target(null, null, "memory (closed before it was opened)"));
            return; // closed before the gateway listened: no database to open only to close it
        }
        JdbcStore owned = target().owned();
        if (owned != null) {
            owned.close();
        }
    }
}
