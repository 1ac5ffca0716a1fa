/** Spring Boot auto-configuration of Bulwark: interception, configuration, Reactor, actuator and meters. */
@NullMarked
package dev.bulwark.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
