/**
 * The gateway's events as its event handlers receive them: {@link dev.bulwark.server.events.GatewayEvent} and the
 * contract a {@code type: custom} handler implements, {@link dev.bulwark.server.events.GatewayEventListener}.
 */
@NullMarked
package dev.bulwark.server.events;

import org.jspecify.annotations.NullMarked;
