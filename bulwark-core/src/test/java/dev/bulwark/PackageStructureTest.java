package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of bulwark-core's packages: no package depends on itself through others, and the kernel's public types
 * show users only exported types.
 */
class PackageStructureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A qualified reference to a Bulwark type: its package is the run of lower-case segments before the type. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.bulwark(?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** The kernel's exported packages: what wraps a call, time, events and the per-call policies. */
    private static final List<String> KERNEL = List.of("dev.bulwark", "dev.bulwark.time", "dev.bulwark.event",
            "dev.bulwark.circuit", "dev.bulwark.retry", "dev.bulwark.timeout", "dev.bulwark.bulkhead",
            "dev.bulwark.ratelimit", "dev.bulwark.hedge", "dev.bulwark.chaos");

    @Test
    void noPackageOfTheCoreDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = packageDependencies();

        assertThat(uses).as("the main sources were read").containsKeys("dev.bulwark", "dev.bulwark.internal");
        assertThat(cycles(uses)).as("package cycles (each listed as the packages on it)").isEmpty();
    }

    @Test
    void aCycleIsFoundWhereThereIsOne() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));

        assertThat(cycles(uses)).containsExactly(new TreeSet<>(List.of("a", "b", "c")));
    }

    @Test
    void theKernelsPublicTypesShowOnlyExportedTypes() throws Exception {
        Set<String> exported = exportedPackages();
        assertThat(exported).containsAll(KERNEL);
        List<String> leaks = new ArrayList<>();
        for (String pkg : KERNEL) {
            for (Class<?> type : publicTypesOf(pkg)) {
                for (Type used : signatureTypes(type)) {
                    for (Class<?> seen : classesIn(used)) {
                        if (seen.getName().startsWith("dev.bulwark") && !isApi(seen, exported)) {
                            leaks.add(type.getName() + " shows " + seen.getName());
                        }
                    }
                }
            }
        }

        assertThat(leaks).as("kernel API signatures naming a type users cannot see").isEmpty();
    }

    // ---- package graph ----

    private static Map<String, Set<String>> packageDependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String source = COMMENT.matcher(Files.readString(file)).replaceAll(" ");
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    continue; // module-info.java
                }
                Set<String> used = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source);
                while (reference.find()) {
                    if (!reference.group(1).equals(pkg.group(1))) {
                        used.add(reference.group(1));
                    }
                }
            }
        }
        return uses;
    }

    /** The strongly connected groups of more than one package (Tarjan). */
    private static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> found = new ArrayList<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            if (!index.containsKey(start)) {
                connect(start, uses, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String node, Map<String, Set<String>> uses, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : uses.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, uses, index, low, stack, onStack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> group = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                group.add(member);
            } while (!member.equals(node));
            if (group.size() > 1) {
                found.add(group);
            }
        }
    }

    // ---- API signatures ----

    private static Set<String> exportedPackages() throws IOException {
        Set<String> exported = new TreeSet<>();
        Matcher export = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE)
                .matcher(Files.readString(MAIN.resolve("module-info.java")));
        while (export.find()) {
            exported.add(export.group(1));
        }
        return exported;
    }

    private static List<Class<?>> publicTypesOf(String pkg) throws Exception {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(CLASSES.resolve(pkg.replace('.', '/')))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(pkg + "." + simple, false, PackageStructureTest.class.getClassLoader());
                if (isVisible(type)) {
                    types.add(type);
                }
            }
        }
        assertThat(types).as("public types of " + pkg).isNotEmpty();
        return types;
    }

    /** Public, and nested only in public types. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isApi(Class<?> type, Set<String> exported) {
        Class<?> outer = type;
        while (outer.isArray()) {
            outer = outer.getComponentType();
        }
        return exported.contains(outer.getPackageName()) && isVisible(outer);
    }

    /** Every type a user of {@code type} meets: supertypes and the public and protected members' signatures. */
    private static List<Type> signatureTypes(Class<?> type) {
        List<Type> used = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            used.add(type.getGenericSuperclass());
        }
        used.addAll(List.of(type.getGenericInterfaces()));
        used.addAll(List.of(type.getTypeParameters()));
        for (Method method : type.getDeclaredMethods()) {
            if (exposed(method.getModifiers()) && !method.isSynthetic()) {
                used.add(method.getGenericReturnType());
                used.addAll(List.of(method.getGenericParameterTypes()));
                used.addAll(List.of(method.getGenericExceptionTypes()));
                used.addAll(List.of(method.getTypeParameters()));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (exposed(constructor.getModifiers()) && !constructor.isSynthetic()) {
                used.addAll(List.of(constructor.getGenericParameterTypes()));
                used.addAll(List.of(constructor.getGenericExceptionTypes()));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (exposed(field.getModifiers()) && !field.isSynthetic()) {
                used.add(field.getGenericType());
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                used.add(component.getGenericType());
            }
        }
        return used;
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static Set<Class<?>> classesIn(Type type) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        collect(type, classes, new LinkedHashSet<>());
        return classes;
    }

    private static void collect(Type type, Set<Class<?>> classes, Set<Type> seen) {
        if (!seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            classes.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), classes, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, classes, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, classes, seen);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, classes, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, classes, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), classes, seen);
        }
    }
}
