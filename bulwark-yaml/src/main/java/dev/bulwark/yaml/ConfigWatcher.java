package dev.bulwark.yaml;

import dev.bulwark.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hot reload: checks the file every {@code interval}; a changed file is validated and, if valid, swapped in
 * atomically and handed to {@code onChange}; an invalid one is handed to {@code onError} and the running
 * configuration kept. Polling (not a file-system watch) works on every file system and under a manual clock.
 * This class is thread-safe.
 */
public final class ConfigWatcher implements AutoCloseable {
    private final Path file;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Consumer<GatewayConfig> onChange;
    private final Consumer<RuntimeException> onError;
    private final AtomicReference<GatewayConfig> current = new AtomicReference<>();
    private volatile byte[] lastContent;
    private volatile boolean running;
    private volatile Scheduler.Cancellable next; // null until scheduled

    /**
     * Loads the file now (an invalid file fails here, before anything runs) and starts watching it.
     *
     * @throws ConfigFileException if the file is invalid at start
     */
    public ConfigWatcher(Path file, Scheduler scheduler, Duration interval, Consumer<GatewayConfig> onChange,
                         Consumer<RuntimeException> onError) {
        this.file = Objects.requireNonNull(file, "file");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.onError = Objects.requireNonNull(onError, "onError");
        this.lastContent = read();
        this.current.set(GatewayConfigLoader.load(file));
        this.running = true;
        schedule();
    }

    /** The configuration in force. */
    public GatewayConfig current() {
        return Objects.requireNonNull(current.get());
    }

    private void schedule() {
        next = scheduler.schedule(interval, () -> {
            if (running) {
                check();
                schedule();
            }
        });
    }

    /** Checks the file now. */
    public void check() {
        try {
            byte[] content = read();
            if (Arrays.equals(content, lastContent)) {
                return;
            }
            lastContent = content;
            GatewayConfig loaded = GatewayConfigLoader.load(file);
            current.set(loaded);
            onChange.accept(loaded);
        } catch (RuntimeException invalid) {
            onError.accept(invalid);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new java.io.UncheckedIOException("cannot read " + file, unreadable);
        }
    }

    @Override
    public void close() {
        running = false;
        Scheduler.Cancellable scheduled = next;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }
}
