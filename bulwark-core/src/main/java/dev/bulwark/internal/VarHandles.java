package dev.bulwark.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Finds the {@link VarHandle}s that lock-free classes keep in static fields. */
public final class VarHandles {
    private VarHandles() {
    }

    /**
     * The handle of the field {@code name} of type {@code type} in {@code lookup}'s own class; pass
     * {@code MethodHandles.lookup()} from that class's static initialiser.
     *
     * @throws ExceptionInInitializerError if there is no such field: a typo that must stop the class from loading
     */
    public static VarHandle field(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException missing) {
            throw new ExceptionInInitializerError(missing);
        }
    }
}
