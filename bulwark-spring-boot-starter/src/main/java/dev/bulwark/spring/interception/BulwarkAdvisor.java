package dev.bulwark.spring.interception;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.util.ClassUtils;

/**
 * The one advisor: matches every method that carries a Bulwark annotation (or whose class does, for public
 * methods) and applies {@link BulwarkMethodInterceptor}. Registered as an infrastructure bean, so Spring's plain
 * auto-proxy creator applies it: no AspectJ and no {@code spring-boot-starter-aop} needed.
 */
public final class BulwarkAdvisor extends AbstractPointcutAdvisor {
    private static final long serialVersionUID = 1L;

    private final transient BulwarkMethodInterceptor interceptor;
    private final transient Pointcut pointcut = new StaticMethodMatcherPointcut() {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            Class<?> beanClass = ClassUtils.getUserClass(targetClass);
            return BulwarkAnnotations.applies(AopUtils.getMostSpecificMethod(method, beanClass), beanClass);
        }
    };

    /** An advisor applying {@code interceptor}, at {@code order} among the application's advisors. */
    public BulwarkAdvisor(BulwarkMethodInterceptor interceptor, int order) {
        this.interceptor = interceptor;
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }
}
