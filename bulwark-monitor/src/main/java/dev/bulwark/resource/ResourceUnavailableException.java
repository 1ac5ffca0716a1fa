package dev.bulwark.resource;

import dev.bulwark.RejectedException;

/**
 * Thrown by a {@link ResourceGate} that did not let a call through: the resource it checks is constrained
 * (critical or exhausted). A rejection: cheap, and an exception a fallback outside the gate handles like any other.
 */
public final class ResourceUnavailableException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final ResourceType resource;
    private final String key;
    private final String status;

    ResourceUnavailableException(String component, ResourceType resource, String key, String status) {
        super(component, null);
        this.resource = resource;
        this.key = key;
        this.status = status;
    }

    /** The constrained resource. */
    public ResourceType resource() {
        return resource;
    }

    /** The status that refused the call (CRITICAL or EXHAUSTED). */
    public String status() {
        return status;
    }

    /** The key checked (a provider, a team, ...). */
    public String key() {
        return key;
    }

    @Override
    public String getMessage() {
        return "resource gate '" + component() + "': resource " + resource + (key.isEmpty() ? "" : "/" + key) + " is " + status;
    }
}
