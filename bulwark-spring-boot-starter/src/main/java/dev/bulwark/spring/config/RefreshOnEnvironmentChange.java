package dev.bulwark.spring.config;

import dev.bulwark.spring.interception.MethodPipelines;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Re-reads {@code bulwark.*} when Spring Cloud reports that one of its keys changed (a {@code /actuator/refresh} or
 * a config-server push). An invalid new configuration is refused with a logged error and the running one kept.
 */
public final class RefreshOnEnvironmentChange implements ApplicationListener<EnvironmentChangeEvent> {
    private static final System.Logger LOG = System.getLogger(RefreshOnEnvironmentChange.class.getName());

    private final MethodPipelines pipelines;

    /** A listener refreshing {@code pipelines}. */
    public RefreshOnEnvironmentChange(MethodPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        if (event.getKeys().stream().noneMatch(key -> key.startsWith("bulwark."))) {
            return;
        }
        try {
            pipelines.refresh();
        } catch (BulwarkConfigException invalid) {
            LOG.log(System.Logger.Level.ERROR, "bulwark.* refresh refused, the running configuration stays: {0}",
                    invalid.getMessage());
        }
    }
}
