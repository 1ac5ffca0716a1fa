package dev.bulwark.spring.interception;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One protected method of one bean class: the unit that owns a pipeline. Every bean of the class shares it, so a
 * breaker's state belongs to the method, not to one instance.
 *
 * @param beanClass the user class of the bean (never a proxy class)
 * @param method the most specific method, as declared in {@code beanClass} or a superclass
 */
public record MethodKey(Class<?> beanClass, Method method) {
    /** {@code OrderService#place(String, int)}. */
    public String describe() {
        return beanClass.getSimpleName() + "#" + method.getName() + "(" + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
