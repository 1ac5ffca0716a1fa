package dev.bulwark.fallback;

import dev.bulwark.RejectedException;
import dev.bulwark.resource.ResourceType;

/**
 * Why a fallback chain or policy did not call its primary: the resource it checks was constrained (critical
 * or exhausted), and no strategy answered in its place.
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

    /** The key checked (a provider, a team, ...). */
    public String key() {
        return key;
    }

    @Override
    public String getMessage() {
        return "fallback '" + component() + "': resource " + resource + "/" + key + " is " + status;
    }
}
