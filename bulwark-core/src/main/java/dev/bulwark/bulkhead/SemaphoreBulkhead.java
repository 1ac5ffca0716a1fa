package dev.bulwark.bulkhead;

import dev.bulwark.internal.PermitGate;

/** The fixed-limit bulkhead. */
final class SemaphoreBulkhead extends PermitPolicy implements Bulkhead, PermitGate {

    private final BulkheadConfig config;

    SemaphoreBulkhead(BulkheadConfig config) {
        super("bulkhead", config.name(), Permits.fixed(config.maxConcurrentCalls(), config.maxWaitingCalls()), config.maxWait(), config.clock(),
                config.scheduler());
        this.config = config;
    }

    @Override
    public BulkheadConfig config() {
        return config;
    }

    @Override
    public int maxConcurrentCalls() {
        return permits.limit();
    }

    @Override
    public boolean tryAcquirePermit() {
        return permits.tryAcquire();
    }

    @Override
    public void releasePermit() {
        permits.release();
    }
}
