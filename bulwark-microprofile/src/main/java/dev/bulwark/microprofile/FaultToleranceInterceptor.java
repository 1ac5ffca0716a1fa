package dev.bulwark.microprofile;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.concurrent.Future;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.jspecify.annotations.Nullable;

/**
 * Runs every business method carrying a fault-tolerance annotation (on the method or its class) through its
 * {@link FtOperation}; other methods of the bean proceed untouched.
 */
@Interceptor
@FaultToleranceBinding
@Priority(Interceptor.Priority.PLATFORM_AFTER + 10)
public class FaultToleranceInterceptor implements FtRuntime {

    private final BulwarkFtExtension extension;
    private final Bean<?> bean;
    private final Instance<Object> beans;

    /** Created by the container. */
    @Inject
    public FaultToleranceInterceptor(BulwarkFtExtension extension, @Intercepted Bean<?> bean, Instance<Object> beans) {
        this.extension = extension;
        this.bean = bean;
        this.beans = beans;
    }

    /** Guards one invocation. */
    @AroundInvoke
    public @Nullable Object intercept(InvocationContext invocation) throws Exception {
        FtOperation operation = extension.operation(bean.getBeanClass(), invocation.getMethod(), this);
        if (operation == null) {
            return invocation.proceed();
        }
        return operation.invoke(invocation, this);
    }

    @Override
    public FallbackHandler<?> handler(Class<?> type) {
        Instance<?> bean = beans.select(type);
        if (bean.isResolvable()) {
            return (FallbackHandler<?>) bean.get();
        }
        // a handler named only in configuration need not be a bean of the application: create it as CDI would
        return (FallbackHandler<?>) new Unmanaged<>(type).newInstance().produce().inject().postConstruct().get();
    }

    @Override
    public @Nullable MethodMetrics metrics(String method) {
        OtelMetrics otel = extension.telemetry(beans);
        return otel == null ? null : otel.forMethod(method);
    }

    @Override
    public Future<?> submit(Runnable task) {
        Instance<RequestContextController> controllers = beans.select(RequestContextController.class);
        return extension.executor().submit(() -> {
            RequestContextController controller = controllers.get();
            boolean activated = controller.activate();
            try {
                task.run();
            } finally {
                if (activated) {
                    controller.deactivate();
                }
            }
        });
    }
}
