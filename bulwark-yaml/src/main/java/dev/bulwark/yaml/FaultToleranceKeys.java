package dev.bulwark.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keys an adapter's {@code fault_tolerance:} block accepts, for tools that read the same settings from another
 * source (environment variables, IDE metadata) and must map names onto this schema rather than keep a copy of it.
 */
public final class FaultToleranceKeys {
    private FaultToleranceKeys() {
    }

    /**
     * The adapter block's keys: under {@code ""} its own keys (leaves and block names), under each nested block's
     * name ({@code retry}, {@code bulkhead}, {@code rate_limit}, {@code hedge}, {@code adaptive_threshold},
     * {@code health_score}) that block's keys. Sorted, unmodifiable. {@code event_handler}, whose keys depend on its
     * type, is listed as a key of the block but has no entry of its own.
     */
    public static Map<String, Set<String>> adapterBlock() {
        Map<String, Set<String>> keys = new TreeMap<>();
        keys.put("", GatewayConfigLoader.ADAPTER_FAULT_TOLERANCE);
        keys.put("retry", PolicySections.RETRY);
        keys.put("bulkhead", PolicySections.BULKHEAD);
        keys.put("rate_limit", PolicySections.RATE_LIMIT);
        keys.put("hedge", PolicySections.HEDGE);
        keys.put("adaptive_threshold", BreakerSection.ADAPTIVE);
        keys.put("health_score", BreakerSection.HEALTH);
        Map<String, Set<String>> sorted = new LinkedHashMap<>();
        keys.forEach((block, names) -> sorted.put(block, Collections.unmodifiableSortedSet(new TreeSet<>(names))));
        return Collections.unmodifiableMap(sorted);
    }
}
