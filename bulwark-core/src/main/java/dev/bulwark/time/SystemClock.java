package dev.bulwark.time;

/** The JVM's clocks. */
@SuppressForbidden("the single place that reads the JVM clocks")
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long coarseNanoTime() {
        return CoarseTicker.INSTANCE.now();
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
