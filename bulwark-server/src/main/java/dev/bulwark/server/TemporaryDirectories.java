package dev.bulwark.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Temporary directories that one owner creates and deletes, with everything in them, when it closes (the demo
 * gateways' databases and queues); {@link #delete(Path)} serves any owner of one directory, e.g. a redis-server's.
 * Thread-safe.
 */
final class TemporaryDirectories {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.gateway");
    private final List<Path> created = new CopyOnWriteArrayList<>();

    /** A fresh directory named {@code prefix...} in the system's temporary directory, deleted by {@link #deleteAll()}. */
    Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            created.add(dir);
            return dir;
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
    }

    /** Deletes every directory created so far; one that cannot be deleted is named in a warning and skipped. */
    void deleteAll() {
        for (Path dir : created) {
            try {
                delete(dir);
                created.remove(dir);
            } catch (IOException | UncheckedIOException leftBehind) {
                LOG.log(System.Logger.Level.WARNING, "temporary directory left behind: " + dir + " (" + leftBehind + ")");
            }
        }
    }

    /** Deletes {@code dir} and everything in it; a directory already gone is fine. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
