package dev.bulwark.microprofile;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Type variables resolved in the context of one concrete class, so that a method declared in a generic superclass or
 * interface is compared by the types it has for that class ({@code T} of {@code Base<String>} is {@code String}).
 * Types are compared by a canonical text ({@code java.util.List<java.lang.String>}).
 */
final class GenericTypes {

    private final Map<TypeVariable<?>, Type> bindings = new HashMap<>();

    GenericTypes(Class<?> context) {
        collect(context);
    }

    private void collect(@Nullable Type type) {
        if (type == null) {
            return;
        }
        Class<?> raw;
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length && i < arguments.length; i++) {
                bindings.putIfAbsent(variables[i], arguments[i]);
            }
        } else if (type instanceof Class<?> plain) {
            raw = plain;
        } else {
            return;
        }
        collect(raw.getGenericSuperclass());
        for (Type each : raw.getGenericInterfaces()) {
            collect(each);
        }
    }

    /** The resolved type variable, or null when the context leaves it open (raw use). */
    @Nullable Type resolve(TypeVariable<?> variable) {
        Type bound = bindings.get(variable);
        int guard = 0;
        while (bound instanceof TypeVariable<?> next && bindings.containsKey(next) && guard++ < 32) {
            bound = bindings.get(next);
        }
        return bound;
    }

    /** The canonical text of {@code type} with every variable this context binds replaced. */
    String name(Type type) {
        if (type instanceof Class<?> plain) {
            return plain.isArray() ? name(plain.getComponentType()) + "[]" : plain.getName();
        }
        if (type instanceof ParameterizedType parameterized) {
            StringBuilder text = new StringBuilder(name(parameterized.getRawType())).append('<');
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < arguments.length; i++) {
                text.append(i == 0 ? "" : ",").append(name(arguments[i]));
            }
            return text.append('>').toString();
        }
        if (type instanceof GenericArrayType array) {
            return name(array.getGenericComponentType()) + "[]";
        }
        if (type instanceof TypeVariable<?> variable) {
            Type resolved = resolve(variable);
            return resolved == null || resolved instanceof TypeVariable<?> ? "var:" + variable.getName() : name(resolved);
        }
        if (type instanceof WildcardType wildcard) {
            StringBuilder text = new StringBuilder("?");
            for (Type upper : wildcard.getUpperBounds()) {
                if (upper != Object.class) {
                    text.append(" extends ").append(name(upper));
                }
            }
            for (Type lower : wildcard.getLowerBounds()) {
                text.append(" super ").append(name(lower));
            }
            return text.toString();
        }
        return type.getTypeName();
    }

    /** The wrapper of a primitive, else the type itself. */
    static Type boxed(Type type) {
        if (type instanceof Class<?> plain && plain.isPrimitive()) {
            if (plain == int.class) return Integer.class;
            if (plain == long.class) return Long.class;
            if (plain == boolean.class) return Boolean.class;
            if (plain == double.class) return Double.class;
            if (plain == float.class) return Float.class;
            if (plain == char.class) return Character.class;
            if (plain == byte.class) return Byte.class;
            if (plain == short.class) return Short.class;
            if (plain == void.class) return Void.class;
        }
        return type;
    }
}
