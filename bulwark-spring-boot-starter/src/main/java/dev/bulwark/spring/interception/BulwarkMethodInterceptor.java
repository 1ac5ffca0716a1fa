package dev.bulwark.spring.interception;

import dev.bulwark.ExecutionContext;
import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * The one interceptor: runs each call of a protected method through that method's pipeline, in the shape its
 * return type needs. Each attempt proceeds on its own copy of the invocation.
 */
public final class BulwarkMethodInterceptor implements MethodInterceptor {
    private final ObjectProvider<MethodPipelines> pipelines;

    /** An interceptor looking pipelines up in {@code pipelines} (resolved on first call). */
    public BulwarkMethodInterceptor(ObjectProvider<MethodPipelines> pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> beanClass = ClassUtils.getUserClass(target == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(target));
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), beanClass);
        MethodPipeline resolved = pipelines.getObject().get(new MethodKey(beanClass, method));
        return resolved.shape().invoke(resolved.pipeline(),
                () -> ExecutionContext.start(resolved.pipeline().clock()).with(Invocations.INVOCATION, invocation),
                invocation);
    }
}
