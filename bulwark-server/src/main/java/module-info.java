/**
 * The Bulwark gateway. It runs from its shaded jar on the class path (the jar leaves every module descriptor out);
 * this descriptor lets javac check that the gateway reaches Bulwark only through exported packages. It reads Jetty's
 * non-exported {@code org.eclipse.jetty.server.internal} (the build adds that export for compiling), and Jackson
 * writes its response records by reflection, so the package is open to Jackson.
 */
module dev.bulwark.server {
    requires static org.jspecify;
    requires dev.bulwark.core;
    requires dev.bulwark.monitor;
    requires dev.bulwark.queue;
    requires dev.bulwark.yaml;
    requires dev.bulwark.store.jdbc;
    requires dev.bulwark.redis;
    requires dev.bulwark.micrometer;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires io.javalin;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.resolver;
    requires io.netty.transport.classes.epoll;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports dev.bulwark.server;
    exports dev.bulwark.server.events;
    opens dev.bulwark.server to com.fasterxml.jackson.databind;
}
