package dev.bulwark.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections that must send a request's line and headers within a deadline once its first byte arrived;
 * a client that takes longer (one byte a second, say) has its connection closed. Jetty's idle timeout alone does not
 * catch it, because every byte resets the idle timer. The silence before a request's first byte is the idle
 * timeout's business. The timer is armed only for headers that did not arrive in the read that began them (a request
 * normally arrives whole in one read): a scheduled task per request took the scheduler's lock twice on every request.
 * It is measured from the first byte, so a request is never cut off early.
 */
final class HeaderDeadlineConnectionFactory extends HttpConnectionFactory {
    private final long deadlineMillis;

    HeaderDeadlineConnectionFactory(HttpConfiguration configuration, Duration deadline) {
        super(configuration);
        this.deadlineMillis = Math.max(1, deadline.toMillis());
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        DeadlineConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint, deadlineMillis);
        return configure(connection, connector, endPoint);
    }

    /**
     * Notes a request's first byte; when a read ends with that request's headers still incomplete, arms a timer for
     * the rest of its deadline. Complete headers (or a failed request) disarm it.
     */
    private static final class DeadlineConnection extends HttpConnection {
        private static final dev.bulwark.time.Clock CLOCK = ExactClock.INSTANCE;
        private final long deadlineMillis;
        private final Scheduler scheduler;
        private final AtomicReference<@org.jspecify.annotations.Nullable Deadline> armed = new AtomicReference<>();

        DeadlineConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint, long deadlineMillis) {
            super(configuration, connector, endPoint);
            this.deadlineMillis = deadlineMillis;
            this.scheduler = connector.getScheduler();
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public void messageBegin() {
                    begin();
                    super.messageBegin();
                }

                @Override
                public boolean headerComplete() {
                    disarm();
                    return super.headerComplete();
                }

                @Override
                public void badMessage(org.eclipse.jetty.http.HttpException failure) {
                    disarm();
                    super.badMessage(failure);
                }

                @Override
                public void earlyEOF() {
                    disarm();
                    super.earlyEOF();
                }
            };
        }

        @Override
        public void onFillable() {
            try {
                super.onFillable();
            } finally {
                Deadline begun = armed.get();
                if (begun != null) {
                    begun.schedule();
                }
            }
        }

        private void begin() {
            Deadline previous = armed.getAndSet(new Deadline(CLOCK.coarseNanoTime()));
            if (previous != null) {
                previous.cancel();
            }
        }

        private void disarm() {
            Deadline deadline = armed.getAndSet(null);
            if (deadline != null) {
                deadline.cancel();
            }
        }

        /**
         * One request's deadline, from its first byte: when it fires while still armed, the connection is closed. One
         * scheduled late (its headers completed meanwhile on another thread) finds itself disarmed and does nothing.
         */
        private final class Deadline implements Runnable {
            private final long begunNanos;
            private final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();
            private volatile Scheduler.@org.jspecify.annotations.Nullable Task task;
            private volatile boolean cancelled;

            Deadline(long begunNanos) {
                this.begunNanos = begunNanos;
            }

            void schedule() {
                if (cancelled || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                long left = deadlineMillis - TimeUnit.NANOSECONDS.toMillis(CLOCK.coarseNanoTime() - begunNanos);
                task = scheduler.schedule(this, Math.max(0, left), TimeUnit.MILLISECONDS);
                if (cancelled) {
                    cancel();
                }
            }

            @Override
            public void run() {
                // complete headers swap this deadline out first, so only a deadline still armed closes
                if (armed.compareAndSet(this, null)) {
                    getEndPoint().close(new TimeoutException("request headers not complete within " + deadlineMillis + " ms"));
                }
            }

            void cancel() {
                cancelled = true;
                Scheduler.Task scheduledTask = task;
                if (scheduledTask != null) {
                    scheduledTask.cancel();
                }
            }
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            super.onClose(cause);
        }
    }
}
