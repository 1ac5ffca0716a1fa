package dev.bulwark.resource;

import dev.bulwark.fallback.LoadShedder.Priority;
import dev.bulwark.fallback.LoadShedder.ShedSignal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Behind {@link ResourceMonitor#pressure}: a {@link ShedSignal} from a resource's status, for a {@link dev.bulwark.fallback.LoadShedder}: WARNING sheds LOW
 * calls, CRITICAL sheds LOW and NORMAL, EXHAUSTED sheds everything but CRITICAL; HEALTHY sheds nothing.
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.of("llm", 100).watching(resources.pressure(ResourceType.API_QUOTA, ""));
 * }</pre>
 *
 * This class is thread-safe.
 */
final class ResourcePressure implements ShedSignal {
    private final ResourceMonitor monitor;
    private final ResourceType type;
    private final String key;

    private ResourcePressure(ResourceMonitor monitor, ResourceType type, String key) {
        this.monitor = monitor;
        this.type = type;
        this.key = key;
    }

    /** The pressure of {@code type}/{@code key} in {@code monitor} ({@code ""} for the type as a whole). */
    static ResourcePressure of(ResourceMonitor monitor, ResourceType type, String key) {
        return new ResourcePressure(Objects.requireNonNull(monitor, "monitor"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(key, "key"));
    }

    @Override
    public @Nullable String refusal(Priority priority) {
        ResourceMonitor.Status status = monitor.check(type, key).status();
        int shedBelow = switch (status) {
            case HEALTHY -> 0;
            case WARNING -> 1;
            case CRITICAL -> 2;
            case EXHAUSTED -> 3;
        };
        return priority.ordinal() < shedBelow ? "resource " + type + (key.isEmpty() ? "" : "/" + key) + " is " + status : null;
    }

    @Override
    public String toString() {
        return "ResourcePressure[" + type + (key.isEmpty() ? "" : "/" + key) + "]";
    }
}
