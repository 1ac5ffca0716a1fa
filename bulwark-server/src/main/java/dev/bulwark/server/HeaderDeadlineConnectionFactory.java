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
 * timeout's business.
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

    /** Arms a timer at a request's first byte and disarms it when its headers are complete (or the request fails). */
    private static final class DeadlineConnection extends HttpConnection {
        private final long deadlineMillis;
        private final Scheduler scheduler;
        private final AtomicReference<Deadline> armed = new AtomicReference<>();

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
                    arm();
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

        private void arm() {
            Deadline deadline = new Deadline();
            Deadline previous = armed.getAndSet(deadline);
            if (previous != null) {
                previous.cancel();
            }
            deadline.task = scheduler.schedule(deadline, deadlineMillis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            Deadline deadline = armed.getAndSet(null);
            if (deadline != null) {
                deadline.cancel();
            }
        }

        /** One request's deadline: when it fires while still armed, the connection is closed. */
        private final class Deadline implements Runnable {
            private volatile Scheduler.@org.jspecify.annotations.Nullable Task task;

            @Override
            public void run() {
                // complete headers swap this deadline out first, so only a deadline still armed closes
                if (armed.compareAndSet(this, null)) {
                    getEndPoint().close(new TimeoutException("request headers not complete within " + deadlineMillis + " ms"));
                }
            }

            void cancel() {
                Scheduler.Task scheduled = task;
                if (scheduled != null) {
                    scheduled.cancel();
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
