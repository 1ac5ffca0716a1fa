package dev.bulwark.spring.interception;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A {@code @Fallback} method, found and checked once at startup. A plain fallback is invoked through a method handle
 * looked up once (private ones included: no {@code setAccessible} race per call); a fallback carrying Bulwark
 * annotations is invoked on the bean's proxy, so that its own pipeline applies.
 */
final class FallbackMethod {
    private final Method method;
    private final @Nullable MethodHandle handle;
    private final Class<? extends Throwable> handles;
    private final boolean takesFailure;

    private FallbackMethod(Method method, @Nullable MethodHandle handle, Class<? extends Throwable> handles,
                           boolean takesFailure) {
        this.method = method;
        this.handle = handle;
        this.handles = handles;
        this.takesFailure = takesFailure;
    }

    /**
     * The method called {@code name} that can answer for {@code key}: an instance method of the bean class or a
     * superclass with the same parameters, optionally followed by one {@link Throwable} parameter, and a return type
     * assignable to the protected method's.
     *
     * @throws BulwarkDefinitionException naming the protected method and the signature expected
     */
    static FallbackMethod resolve(MethodKey key, String name) {
        Method protectedMethod = key.method();
        Class<?>[] parameters = protectedMethod.getParameterTypes();
        List<Method> named = new ArrayList<>();
        for (Class<?> type = key.beanClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method candidate : type.getDeclaredMethods()) {
                if (candidate.getName().equals(name) && !candidate.isBridge()) {
                    named.add(candidate);
                }
            }
        }
        Method plain = null;
        Method withFailure = null;
        for (Method candidate : named) {
            if (Modifier.isStatic(candidate.getModifiers())
                    || !ClassUtils.isAssignable(protectedMethod.getReturnType(), candidate.getReturnType())) {
                continue;
            }
            Class<?>[] given = candidate.getParameterTypes();
            if (Arrays.equals(given, parameters)) {
                plain = plain == null ? candidate : plain;
            } else if (given.length == parameters.length + 1
                    && Arrays.equals(Arrays.copyOf(given, parameters.length), parameters)
                    && Throwable.class.isAssignableFrom(given[parameters.length])) {
                withFailure = withFailure == null ? candidate : withFailure;
            }
        }
        Method chosen = withFailure != null ? withFailure : plain;
        if (chosen == null) {
            throw new BulwarkDefinitionException(missing(key, name, named));
        }
        boolean takesFailure = chosen == withFailure;
        @SuppressWarnings("unchecked")
        Class<? extends Throwable> handles = takesFailure
                ? (Class<? extends Throwable>) chosen.getParameterTypes()[parameters.length] : Exception.class;
        boolean viaProxy = BulwarkAnnotations.onMethod(chosen);
        MethodHandle handle = null;
        if (viaProxy) {
            ReflectionUtils.makeAccessible(chosen);
        } else {
            try {
                handle = MethodHandles.privateLookupIn(chosen.getDeclaringClass(), MethodHandles.lookup()).unreflect(chosen);
            } catch (IllegalAccessException closed) {
                throw new BulwarkDefinitionException("@Fallback(\"" + name + "\") on " + key.describe() + ": cannot access "
                        + chosen + " (" + closed.getMessage() + "); open its package to the starter or make it public",
                        closed);
            }
        }
        return new FallbackMethod(chosen, handle, handles, takesFailure);
    }

    private static String missing(MethodKey key, String name, List<Method> named) {
        Method method = key.method();
        String returns = method.getReturnType().getSimpleName();
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        String withFailure = parameters.isEmpty() ? "Throwable" : parameters + ", Throwable";
        StringBuilder message = new StringBuilder("@Fallback(\"").append(name).append("\") on ").append(key.describe())
                .append(": no usable fallback method; expected \"").append(returns).append(' ').append(name).append('(')
                .append(parameters).append(")\" or \"").append(returns).append(' ').append(name).append('(')
                .append(withFailure).append(")\" (any Throwable subtype; not static; return type assignable to ")
                .append(returns).append(") in ").append(key.beanClass().getSimpleName()).append(" or a superclass");
        if (!named.isEmpty()) {
            message.append("; found ").append(named.stream().map(FallbackMethod::signature).sorted().collect(Collectors.joining(", ")));
        }
        return message.toString();
    }

    private static String signature(Method method) {
        return "\"" + (Modifier.isStatic(method.getModifiers()) ? "static " : "") + method.getReturnType().getSimpleName()
                + " " + method.getName() + "(" + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ")) + ")\"";
    }

    /** Whether this fallback answers {@code failure} (never an {@link Error} unless its parameter says so). */
    boolean handles(Throwable failure) {
        return handles.isInstance(failure);
    }

    /** The fallback method. */
    Method method() {
        return method;
    }

    /** Calls the fallback with the invocation's arguments (and {@code failure} if it takes one). */
    @Nullable Object invoke(MethodInvocation invocation, Throwable failure) throws Throwable {
        Object[] arguments = invocation.getArguments();
        Object[] given = takesFailure ? Arrays.copyOf(arguments, arguments.length + 1) : arguments.clone();
        if (takesFailure) {
            given[arguments.length] = failure;
        }
        if (handle == null) {
            Object receiver = invocation instanceof ProxyMethodInvocation proxied ? proxied.getProxy() : invocation.getThis();
            try {
                return method.invoke(receiver, given);
            } catch (InvocationTargetException failed) {
                throw failed.getCause() == null ? failed : failed.getCause();
            }
        }
        Object[] withReceiver = new Object[given.length + 1];
        withReceiver[0] = invocation.getThis();
        System.arraycopy(given, 0, withReceiver, 1, given.length);
        return handle.invokeWithArguments(withReceiver);
    }
}
