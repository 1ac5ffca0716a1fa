/**
 * How annotated methods get their pipelines: one advisor and one interceptor, a plan per method read from its
 * annotations at startup, and one pipeline per method built from the plan and the configuration.
 */
@NullMarked
package dev.bulwark.spring.interception;

import org.jspecify.annotations.NullMarked;
