/**
 * The annotations that protect a Spring bean's methods. All of a method's annotations make one pipeline, in a
 * documented order that a method ({@link dev.bulwark.spring.annotation.PolicyOrder}) or the configuration can change.
 */
@NullMarked
package dev.bulwark.spring.annotation;

import org.jspecify.annotations.NullMarked;
