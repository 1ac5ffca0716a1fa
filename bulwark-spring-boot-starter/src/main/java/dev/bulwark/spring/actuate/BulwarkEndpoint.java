package dev.bulwark.spring.actuate;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Component;
import dev.bulwark.event.Registry;
import dev.bulwark.spring.config.BulwarkConfigException;
import dev.bulwark.spring.interception.MethodPipeline;
import dev.bulwark.spring.interception.MethodPipelines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/bulwark}: every component with its state, and each protected method's resolved pipeline
 * (read); a configuration refresh ({@code POST /actuator/bulwark}) and a breaker's reset or trip
 * ({@code POST /actuator/bulwark/{name}} with {@code {"action": "reset"}} or {@code "trip"}) (write). Writes are
 * refused unless {@code management.endpoint.bulwark.access=unrestricted}, and are secured as every actuator endpoint is.
 */
@Endpoint(id = "bulwark", defaultAccess = Access.READ_ONLY)
public class BulwarkEndpoint {
    private final Registry registry;
    private final MethodPipelines pipelines;

    /** An endpoint over the starter's registry and pipelines. */
    public BulwarkEndpoint(Registry registry, MethodPipelines pipelines) {
        this.registry = registry;
        this.pipelines = pipelines;
    }

    /** Every component and every method's pipeline. */
    @ReadOperation
    public Map<String, Object> all() {
        List<Map<String, Object>> components = new ArrayList<>();
        for (Component component : registry.all()) {
            components.add(describe(component));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("components", components);
        body.put("pipelines", pipelineSteps());
        return body;
    }

    /** The components called {@code name} (one per kind), or 404. */
    @ReadOperation
    public WebEndpointResponse<Object> component(@Selector String name) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Component component : registry.all()) {
            if (component.name().equals(name)) {
                found.add(describe(component));
            }
        }
        return found.isEmpty() ? notFound(name) : new WebEndpointResponse<>(found);
    }

    /** Re-reads {@code bulwark.*}: 200 with the pipelines now in force, or 400 naming the problem (nothing changed). */
    @WriteOperation
    public WebEndpointResponse<Object> refresh() {
        try {
            pipelines.refresh();
            return new WebEndpointResponse<>(Map.of("refreshed", true, "pipelines", pipelineSteps()));
        } catch (BulwarkConfigException invalid) {
            return new WebEndpointResponse<>(Map.of("refreshed", false, "error", String.valueOf(invalid.getMessage()),
                    "property", invalid.property()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    /** {@code reset} or {@code trip} the breaker called {@code name}: 200 with its new state, 404, or 400. */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String name, String action) {
        Optional<CircuitBreaker> breaker = registry.find(CircuitBreaker.class, name);
        if (breaker.isEmpty()) {
            return notFound(name);
        }
        switch (action.trim().toLowerCase(Locale.ROOT)) {
            case "reset" -> breaker.get().reset();
            case "trip" -> breaker.get().trip();
            default -> {
                return new WebEndpointResponse<>(Map.of("error", "action must be reset or trip, was " + action),
                        WebEndpointResponse.STATUS_BAD_REQUEST);
            }
        }
        return new WebEndpointResponse<>(describe(breaker.get()));
    }

    private Map<String, List<String>> pipelineSteps() {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        for (MethodPipeline pipeline : pipelines.all()) {
            steps.put(pipeline.key().describe(), pipeline.steps());
        }
        return steps;
    }

    private static WebEndpointResponse<Object> notFound(String name) {
        return new WebEndpointResponse<>(Map.of("error", "no component called '" + name + "'"),
                WebEndpointResponse.STATUS_NOT_FOUND);
    }

    static Map<String, Object> describe(Component component) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("kind", kindName(component.kind()));
        described.put("name", component.name());
        if (component instanceof CircuitBreaker breaker) {
            CircuitBreaker.Stats stats = breaker.stats();
            described.put("state", stats.state().name().toLowerCase(Locale.ROOT));
            described.put("failedCalls", stats.failedCalls());
            described.put("rejectedCalls", stats.rejectedCalls());
            described.put("totalCalls", stats.totalCalls());
        }
        return described;
    }

    private static String kindName(@Nullable Class<?> kind) {
        return kind == null ? "unknown" : kind.getSimpleName();
    }
}
