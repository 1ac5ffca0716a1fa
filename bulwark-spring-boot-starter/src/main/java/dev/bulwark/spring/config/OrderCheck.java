package dev.bulwark.spring.config;

import dev.bulwark.spring.annotation.PolicyKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The one check of a policy order, shared by the configuration and {@code @PolicyOrder}. */
public final class OrderCheck {
    private OrderCheck() {
    }

    /**
     * What is wrong with {@code kinds}, or null: no kind twice, and with {@code complete} every kind once.
     * The text reads after the property or annotation it describes.
     */
    public static @Nullable String problem(List<PolicyKind> kinds, boolean complete) {
        Set<PolicyKind> seen = EnumSet.noneOf(PolicyKind.class);
        for (PolicyKind kind : kinds) {
            if (!seen.add(kind)) {
                return "must name each policy kind at most once, " + kind.configName() + " is given twice in "
                        + names(kinds);
            }
        }
        if (complete && seen.size() != PolicyKind.values().length) {
            Set<PolicyKind> missing = EnumSet.allOf(PolicyKind.class);
            missing.removeAll(seen);
            return "must name each of the 7 policy kinds exactly once, outermost first (default "
                    + names(PolicyKind.DEFAULT_ORDER) + "), was " + names(kinds) + ", missing " + names(List.copyOf(missing));
        }
        return null;
    }

    /** {@code [fallback, retry]}. */
    public static String names(List<PolicyKind> kinds) {
        return kinds.stream().map(PolicyKind::configName).toList().toString();
    }
}
