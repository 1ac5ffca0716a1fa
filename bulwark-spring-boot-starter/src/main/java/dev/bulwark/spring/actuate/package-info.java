/** Actuator support: the {@code bulwark} endpoint and health component. */
@NullMarked
package dev.bulwark.spring.actuate;

import org.jspecify.annotations.NullMarked;
