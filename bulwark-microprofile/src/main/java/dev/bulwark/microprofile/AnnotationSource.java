package dev.bulwark.microprofile;

import java.lang.annotation.Annotation;
import org.jspecify.annotations.Nullable;

/**
 * Where an operation's annotations come from: the method's own, and its bean class's (which apply to every business
 * method). The extension reads them from CDI's annotated types, so annotations another extension added count;
 * unit tests read them by reflection.
 */
interface AnnotationSource {

    /** The annotation on the method itself, or null. */
    <A extends Annotation> @Nullable A onMethod(Class<A> type);

    /** The annotation on the bean class (or inherited by it), or null. */
    <A extends Annotation> @Nullable A onClass(Class<A> type);
}
