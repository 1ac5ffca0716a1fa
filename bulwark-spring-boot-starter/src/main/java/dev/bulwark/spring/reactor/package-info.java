/** Reactor's {@code Mono} and {@code Flux} as return types of protected methods; used only when Reactor is present. */
@NullMarked
package dev.bulwark.spring.reactor;

import org.jspecify.annotations.NullMarked;
