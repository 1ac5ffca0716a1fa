package dev.bulwark.microprofile;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jspecify.annotations.Nullable;

/**
 * Finds a {@code @Fallback(fallbackMethod = ...)} method and checks a {@code @Fallback(value = ...)} handler, with the
 * specification's rules: the fallback method is declared by the class declaring the guarded method, a superclass or
 * an interface of it (a default method, or an abstract one the bean class implements), never by a subclass alone;
 * any access but a superclass's private method or a package-private one from another package; its parameter types
 * and return type equal the guarded method's once type variables are resolved for the bean class. It is invoked on
 * the bean instance, so a subclass's override of it wins.
 */
final class FallbackMethods {

    private FallbackMethods() {
    }

    /** The fallback method, or null if there is none that fits. */
    static @Nullable Method find(Class<?> beanClass, Method guarded, String name) {
        GenericTypes types = new GenericTypes(beanClass);
        String wanted = signature(types, guarded);
        Class<?> declaring = guarded.getDeclaringClass();
        for (Class<?> type = declaring; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method candidate : type.getDeclaredMethods()) {
                if (candidate.getName().equals(name) && !candidate.isBridge() && !candidate.isSynthetic()
                        && accessible(beanClass, guarded, candidate) && wanted.equals(signature(types, candidate))) {
                    return candidate;
                }
            }
        }
        for (Class<?> type : interfaces(declaring)) {
            for (Method candidate : type.getDeclaredMethods()) {
                if (candidate.getName().equals(name) && !Modifier.isStatic(candidate.getModifiers())
                        && !Modifier.isPrivate(candidate.getModifiers()) && wanted.equals(signature(types, candidate))) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static boolean accessible(Class<?> beanClass, Method guarded, Method candidate) {
        int modifiers = candidate.getModifiers();
        Class<?> declaring = candidate.getDeclaringClass();
        if (Modifier.isPrivate(modifiers)) {
            return declaring == guarded.getDeclaringClass();
        }
        if (!Modifier.isPublic(modifiers) && !Modifier.isProtected(modifiers)) {
            return Objects.equals(declaring.getPackageName(), guarded.getDeclaringClass().getPackageName());
        }
        return true;
    }

    private static List<Class<?>> interfaces(Class<?> beanClass) {
        List<Class<?>> found = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>();
        for (Class<?> type = beanClass; type != null; type = type.getSuperclass()) {
            queue.addAll(List.of(type.getInterfaces()));
        }
        while (!queue.isEmpty()) {
            Class<?> next = queue.poll();
            if (seen.add(next)) {
                found.add(next);
                queue.addAll(List.of(next.getInterfaces()));
            }
        }
        return found;
    }

    private static String signature(GenericTypes types, Method method) {
        StringBuilder text = new StringBuilder(types.name(method.getGenericReturnType())).append(" (");
        for (Type parameter : method.getGenericParameterTypes()) {
            text.append(types.name(parameter)).append(',');
        }
        return text.append(')').toString();
    }

    /** The guarded method's signature for messages: {@code String order(int, String)}. */
    static String signature(Method method) {
        StringBuilder text = new StringBuilder(method.getGenericReturnType().getTypeName()).append(' ')
                .append(method.getName()).append('(');
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            text.append(i == 0 ? "" : ", ").append(parameters[i].getTypeName());
        }
        return text.append(')').toString();
    }

    /** Why {@code handler} cannot serve {@code guarded}, or null if it can. */
    static @Nullable String handlerMismatch(Class<?> handler, Method guarded) {
        if (!FallbackHandler.class.isAssignableFrom(handler)) {
            return handler.getName() + " must implement " + FallbackHandler.class.getName();
        }
        GenericTypes handlerTypes = new GenericTypes(handler);
        Type handled = handlerTypes.resolve(FallbackHandler.class.getTypeParameters()[0]);
        if (handled == null || handled instanceof TypeVariable<?>) {
            return null;
        }
        GenericTypes guardedTypes = new GenericTypes(guarded.getDeclaringClass());
        String wanted = guardedTypes.name(GenericTypes.boxed(guarded.getGenericReturnType()));
        String offered = handlerTypes.name(handled);
        if (!wanted.equals(offered)) {
            return handler.getName() + " handles " + offered + ", but " + FallbackMethods.signature(guarded) + " returns "
                    + wanted;
        }
        return null;
    }
}
