package dev.bulwark.server;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Looks backend host names up with the JVM's resolver (its cache, {@code /etc/hosts}, the system's DNS) on threads of
 * its own (at most four {@code bulwark-backend-dns} daemons, started as lookups need them, ended after a minute idle), never on
 * an event loop: a slow or unreachable DNS server would otherwise stall every exchange of the loop that opens a
 * connection. Addresses written as IP literals are taken as they are, without a thread hop.
 */
final class BackendNameResolver extends AddressResolverGroup<InetSocketAddress> {
    /** At most four lookups at once; more wait in line, never on a loop. */
    private final ExecutorService lookups = lookupThreads();

    private static ExecutorService lookupThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "bulwark-backend-dns");
                    thread.setDaemon(true);
                    return thread;
                });
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new InetSocketAddressResolver(loop, new InetNameResolver(loop) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
                if (literal != null) {
                    try {
                        promise.setSuccess(InetAddress.getByAddress(host, literal));
                    } catch (UnknownHostException impossible) {
                        promise.setFailure(impossible);
                    }
                    return;
                }
                lookups.execute(() -> {
                    try {
                        promise.setSuccess(InetAddress.getByName(host));
                    } catch (UnknownHostException | RuntimeException failed) {
                        promise.setFailure(failed);
                    }
                });
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                lookups.execute(() -> {
                    try {
                        promise.setSuccess(Arrays.asList(InetAddress.getAllByName(host)));
                    } catch (UnknownHostException | RuntimeException failed) {
                        promise.setFailure(failed);
                    }
                });
            }
        });
    }

    @Override
    public void close() {
        super.close();
        lookups.shutdownNow();
    }
}
