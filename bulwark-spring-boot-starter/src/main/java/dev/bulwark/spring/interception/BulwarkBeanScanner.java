package dev.bulwark.spring.interception;

import java.util.List;
import java.util.Locale;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Scans each bean's class as the bean is created: every protected method gets its plan (fallbacks found and
 * checked), and an annotation the proxy could never apply (private, static or final method, final class) fails the
 * bean's creation, or only logs a warning with {@code bulwark.annotations.on-uninterceptable=warn}.
 */
public final class BulwarkBeanScanner implements BeanPostProcessor {
    private static final System.Logger LOG = System.getLogger(BulwarkBeanScanner.class.getName());

    private final MethodCatalog catalog;
    private final Environment environment;

    /** A scanner filling {@code catalog}. */
    public BulwarkBeanScanner(MethodCatalog catalog, Environment environment) {
        this.catalog = catalog;
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        Class<?> beanClass = ClassUtils.getUserClass(bean.getClass());
        if (beanClass.getName().startsWith("org.springframework.") || beanClass.getName().startsWith("java.")) {
            return bean;
        }
        List<String> problems;
        try {
            problems = catalog.scan(beanClass);
        } catch (BulwarkDefinitionException invalid) {
            throw new BeanCreationException(beanName, invalid.getMessage(), invalid);
        }
        if (!problems.isEmpty()) {
            if (failOnUninterceptable()) {
                String message = String.join("; ", problems);
                throw new BeanCreationException(beanName, message, new BulwarkDefinitionException(message));
            }
            problems.forEach(problem -> LOG.log(System.Logger.Level.WARNING, problem));
        }
        return bean;
    }

    private boolean failOnUninterceptable() {
        String mode = Binder.get(environment).bind("bulwark.annotations.on-uninterceptable", String.class).orElse("fail");
        return !mode.trim().toLowerCase(Locale.ROOT).equals("warn");
    }
}
