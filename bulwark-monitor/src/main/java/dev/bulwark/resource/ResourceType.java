package dev.bulwark.resource;

import dev.bulwark.internal.Checks;

/**
 * A kind of resource. The built-in ones carry default warning and critical thresholds; any other name is a
 * user-defined type (a container, a pod, a connection pool, a licence count...).
 *
 * @param name the type's name, e.g. {@code api_quota}
 */
public record ResourceType(String name) {
    /** Paid API usage (tokens, requests): warning at 70 %, critical at 90 %. */
    public static final ResourceType API_QUOTA = new ResourceType("api_quota");
    /** JVM heap: warning at 80 %, critical at 95 %. */
    public static final ResourceType MEMORY = new ResourceType("memory");
    /** CPU (system load per core): warning at 85 %, critical at 98 %. */
    public static final ResourceType CPU = new ResourceType("cpu");
    /** Database capacity (connections, storage). */
    public static final ResourceType DATABASE = new ResourceType("database");
    /** A remote endpoint's capacity. */
    public static final ResourceType NETWORK_ENDPOINT = new ResourceType("network_endpoint");
    /** Disk space of the working directory. */
    public static final ResourceType DISK = new ResourceType("disk");

    /** Validates the name. */
    public ResourceType {
        Checks.name("resource type", name);
    }

    /** A user-defined type. */
    public static ResourceType of(String name) {
        return new ResourceType(name);
    }

    /** The default warning threshold for this type, in percent. */
    double defaultWarning() {
        return this.equals(API_QUOTA) ? 70 : this.equals(CPU) ? 85 : 80;
    }

    /** The default critical threshold for this type, in percent. */
    double defaultCritical() {
        return this.equals(API_QUOTA) ? 90 : this.equals(CPU) ? 98 : 95;
    }

    @Override
    public String toString() {
        return name;
    }
}
