package dev.bulwark.time;

/** A volatile long alone on its cache line: seven longs of padding before it here, seven after it in the subclass. */
final class PaddedReading {
    private PaddedReading() {
    }

    /** Padding before the value. */
    @SuppressWarnings("unused")
    abstract static class Before {
        private long p1;
        private long p2;
        private long p3;
        private long p4;
        private long p5;
        private long p6;
        private long p7;
    }

    /** The reading, between the paddings. */
    abstract static class Value extends Before {
        volatile long value;
    }
}
