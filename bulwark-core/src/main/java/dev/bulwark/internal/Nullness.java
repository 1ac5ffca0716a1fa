package dev.bulwark.internal;

import org.jspecify.annotations.Nullable;

/**
 * Where a policy hands back a value of the caller's type parameter that the caller's own code produced (the
 * call's result, or a result the user configured), null included: NullAway reads an unbounded {@code T} as
 * non-null and cannot be told {@code T extends @Nullable Object} on JDK 17, so such a value passes through here,
 * at one named place, instead of through a suppression that would hide real findings nearby.
 */
public final class Nullness {
    private Nullness() {
    }

    /** Returns {@code value} unchanged: a null the caller's code produced goes back to the caller as it came. */
    @SuppressWarnings("NullAway")
    public static <T> T callersValue(@Nullable T value) {
        return value;
    }
}
