/**
 * The starter's configuration under {@code bulwark.*}: read from the Spring environment and validated by
 * bulwark-yaml's schema, so keys, defaults, ranges and messages are the gateway file's.
 */
@NullMarked
package dev.bulwark.spring.config;

import org.jspecify.annotations.NullMarked;
