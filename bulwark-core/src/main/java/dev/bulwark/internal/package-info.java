/**
 * Implementation shared by Bulwark's packages and modules. Not an API: anything here may change in any
 * release without notice.
 */
@NullMarked
package dev.bulwark.internal;

import org.jspecify.annotations.NullMarked;
