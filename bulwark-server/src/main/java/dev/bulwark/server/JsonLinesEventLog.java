package dev.bulwark.server;

import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.server.events.GatewayEventListener;
import dev.bulwark.yaml.EventHandlerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code default} event handler: one JSON object per line appended to a file. Before a line would take the file
 * past {@code max_file_bytes}, the file becomes {@code <file>.1}, the older ones shift up and the one past
 * {@code max_files} is deleted, so the log never holds more than about {@code (max_files + 1) x max_file_bytes}.
 * A write that fails throws, for the caller to count. This class is thread-safe: lines are written whole, one at a
 * time.
 */
final class JsonLinesEventLog implements GatewayEventListener {
    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;
    private long size;

    JsonLinesEventLog(EventHandlerConfig.FileLog config) {
        this.file = config.file().toAbsolutePath();
        this.maxFileBytes = config.maxFileBytes();
        this.maxFiles = config.maxFiles();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            size = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException unusable) {
            throw new UncheckedIOException("event_handler.file " + file + " cannot be used: " + unusable.getMessage(), unusable);
        }
    }

    @Override
    public synchronized void onEvent(GatewayEvent event) {
        byte[] line;
        try {
            line = (Views.mapper().writeValueAsString(event.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException unwritable) {
            throw new IllegalStateException(unwritable);
        }
        try {
            if (size > 0 && size + line.length > maxFileBytes) {
                rotate();
            }
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            size += line.length;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot write the event log " + file, failed);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        size = 0;
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }
}
