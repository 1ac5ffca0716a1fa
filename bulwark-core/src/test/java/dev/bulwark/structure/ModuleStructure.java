package dev.bulwark.structure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
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
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shape of one Bulwark library module, read from its build: the packages its descriptor exports to everyone, the
 * package dependencies of its main sources, and the public API signatures that name a Bulwark type users cannot see.
 * Shared by every library module's structure test through bulwark-core's test-jar, so each module is held to the
 * same rules by the same code. Paths are relative to the module's directory (where the build runs its tests).
 */
public final class ModuleStructure {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A qualified reference to a Bulwark type: its package is the run of lower-case segments before the type. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.bulwark(?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** Each Bulwark code location (classes directory or jar) to the packages its descriptor exports to everyone. */
    private static final Map<String, Set<String>> EXPORTS_BY_LOCATION = new ConcurrentHashMap<>();

    private final Path sources;
    private final Path classes;
    private final ClassLoader loader;

    private ModuleStructure(Path sources, Path classes, ClassLoader loader) {
        this.sources = sources;
        this.classes = classes;
        this.loader = loader;
    }

    /** The module whose tests are running: main sources in {@code src/main/java}, classes in {@code target/classes}. */
    public static ModuleStructure ofThisModule(Class<?> test) {
        return of(Path.of("src/main/java"), Path.of("target/classes"), test.getClassLoader());
    }

    /** The module with these sources and classes, its classes loaded by {@code loader}. */
    public static ModuleStructure of(Path sources, Path classes, ClassLoader loader) {
        return new ModuleStructure(sources, classes, loader);
    }

    /** The packages the module descriptor exports to everyone ({@code exports p to ...} is not counted). */
    public Set<String> exportedPackages() {
        return exportsOf(classes);
    }

    /** Every package of the main sources to the Bulwark packages its sources name (itself left out). */
    public Map<String, Set<String>> packageDependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** The strongly connected groups of more than one package (Tarjan), each a package cycle. */
    public static List<Set<String>> cycles(Map<String, Set<String>> uses) {
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

    /**
     * Where a public type of an exported package shows users a Bulwark type they cannot see: one line per leak,
     * {@code the.Type shows the.Hidden}. A type is visible when it is public, nested only in public types, and its
     * package is exported to everyone by the module it belongs to (this one or another Bulwark module).
     */
    public List<String> apiLeaks() {
        return apiLeaks(exportedPackages());
    }

    /** Like {@link #apiLeaks()}, over the public types of {@code packages}. */
    public List<String> apiLeaks(Iterable<String> packages) {
        List<String> leaks = new ArrayList<>();
        for (String pkg : packages) {
            for (Class<?> type : publicTypesOf(pkg)) {
                for (Type used : signatureTypes(type)) {
                    for (Class<?> seen : classesIn(used)) {
                        if (seen.getName().startsWith("dev.bulwark.") && !isApi(seen)) {
                            leaks.add(type.getName() + " shows " + seen.getName());
                        }
                    }
                }
            }
        }
        return leaks;
    }

    /** The public types (nested ones included) of {@code pkg} among the module's classes. */
    public List<Class<?>> publicTypesOf(String pkg) {
        List<Class<?>> types = new ArrayList<>();
        Path dir = classes.resolve(pkg.replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(pkg + "." + simple, false, loader);
                if (isVisible(type)) {
                    types.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a class file of " + pkg + " does not load", e);
        }
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

    private static boolean isApi(Class<?> type) {
        Class<?> outer = type;
        while (outer.isArray()) {
            outer = outer.getComponentType();
        }
        return isVisible(outer) && exportsOfModuleHolding(outer).contains(outer.getPackageName());
    }

    /** The exports of the Bulwark module {@code type} was loaded from, read from that location's descriptor. */
    private static Set<String> exportsOfModuleHolding(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Set.of();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return EXPORTS_BY_LOCATION.computeIfAbsent(location.toString(), key -> exportsOf(location));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unqualified exports of the descriptor in a classes directory or jar; none when it has no descriptor. */
    private static Set<String> exportsOf(Path location) {
        try {
            if (Files.isDirectory(location)) {
                Path info = location.resolve("module-info.class");
                if (!Files.exists(info)) {
                    return Set.of();
                }
                try (InputStream in = Files.newInputStream(info)) {
                    return unqualified(ModuleDescriptor.read(in));
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                var entry = jar.getEntry("module-info.class");
                if (entry == null) {
                    return Set.of();
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return unqualified(ModuleDescriptor.read(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> unqualified(ModuleDescriptor descriptor) {
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports export : descriptor.exports()) {
            if (!export.isQualified()) {
                exported.add(export.source());
            }
        }
        return exported;
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
