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

    /** A reading with its padding on both sides: for a second value that must not share the first one's line. */
    @SuppressWarnings("unused")
    static final class Cell extends Value {
        private long p9;
        private long p10;
        private long p11;
        private long p12;
        private long p13;
        private long p14;
        private long p15;
    }
}
