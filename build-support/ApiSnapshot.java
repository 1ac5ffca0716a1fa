import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The API guard (issue #16 item 8): writes the public API of one library module as a sorted text snapshot and
 * compares it with the committed one, so a change to the public surface is always deliberate.
 *
 * <p>The API is every public type in the packages the module's descriptor exports to everyone (qualified
 * {@code exports ... to} packages are ours only) with its public members, its protected members when it can be
 * subclassed, and its public and protected nested types: full signatures with type parameters, nullness
 * annotations, throws clauses, modifiers, sealed permits, record components and enum constants. It also prints
 * the count of public top-level types, the number {@code build-support/public-types.sh} gives.
 *
 * <p>Run by every module that has a {@code module-info.java} in the {@code verify} phase (the parent pom), with the
 * module's compile class path: {@code java ApiSnapshot.java <classes dir> <snapshot file> <module label> <update>}.
 * It exits 1 on a difference, printing the lines added and removed and the command that rewrites the snapshot.
 */
public final class ApiSnapshot {
    static final String UPDATE_COMMAND = "mvn -B -ntp verify -DskipTests -Dbulwark.api.update=true";
    private static final Pattern TYPE_NAME = Pattern.compile("(?:class|interface|enum|record|@interface) ([\\w.$]+)");

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Checks (or with update rewrites) one module's snapshot; 0 when it matches or was written, 1 on a difference. */
    static int run(String[] args, PrintStream out) throws Exception {
        Path classes = Path.of(args[0]);
        Path snapshot = Path.of(args[1]);
        String label = args[2];
        boolean update = args.length > 3 && Boolean.parseBoolean(args[3]);
        Path descriptorFile = classes.resolve("module-info.class");
        if (!Files.exists(descriptorFile)) {
            out.println("[api] " + label + ": no module descriptor, nothing to check");
            return 0;
        }
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(descriptorFile)) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> packages = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        List<Class<?>> topLevel = topLevelTypes(classes, packages);
        List<String> text = new ArrayList<>();
        text.add("# The public API of " + label + " (module " + descriptor.name() + "): the public types of the packages it");
        text.add("# exports to everyone, their public members, protected ones where a user can subclass, nested types.");
        text.add("# `mvn verify` fails when the compiled API differs; after a deliberate change rewrite it with");
        text.add("#   " + UPDATE_COMMAND);
        text.add("module " + descriptor.name());
        packages.forEach(p -> text.add("  exports " + p));
        Map<String, List<String>> types = new TreeMap<>();
        for (Class<?> type : topLevel) {
            describe(type, types);
        }
        types.values().forEach(text::addAll);
        String rendered = String.join("\n", text) + "\n";

        long publicTopLevel = topLevel.size();
        long members = types.values().stream().mapToLong(lines -> lines.size() - 1).sum();
        String summary = "[api] " + label + ": " + publicTopLevel + " public top-level types, " + members
                + " public members (" + packages.size() + " packages exported to everyone)";
        String old = Files.exists(snapshot) ? Files.readString(snapshot, StandardCharsets.UTF_8) : null;
        if (update) {
            Files.createDirectories(snapshot.toAbsolutePath().getParent());
            Files.writeString(snapshot, rendered, StandardCharsets.UTF_8);
            out.println(summary + "; wrote " + snapshot);
            return 0;
        }
        if (rendered.equals(old)) {
            out.println(summary + "; matches " + snapshot.getFileName());
            return 0;
        }
        out.println(summary);
        out.println("[api] " + label + ": the public API differs from " + snapshot
                + (old == null ? " (there is no snapshot yet)" : "") + ":");
        printDifference(old == null ? "" : old, rendered, out);
        out.println("[api] If the change is deliberate, rewrite the snapshots from the project root and commit them:");
        out.println("[api]   " + UPDATE_COMMAND);
        return 1;
    }

    private static List<Class<?>> topLevelTypes(Path classes, Set<String> packages)
            throws IOException, ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().collect(Collectors.toList())) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + name.substring(0, name.length() - 6), false,
                            ApiSnapshot.class.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        found.add(type);
                    }
                }
            }
        }
        return found;
    }

    private static void describe(Class<?> type, Map<String, List<String>> types) {
        List<String> lines = new ArrayList<>();
        lines.add(header(type));
        boolean subclassable = !Modifier.isFinal(type.getModifiers()) && !type.isEnum() && !type.isRecord();
        Set<String> members = new TreeSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (field.isEnumConstant()) {
                members.add("enum constant " + field.getName());
            } else if (visible(field.getModifiers(), field.isSynthetic(), subclassable)) {
                members.add(modifiers(field.getModifiers() & Modifier.fieldModifiers() & ~(Modifier.VOLATILE | Modifier.TRANSIENT))
                        + render(field.getAnnotatedType()) + " " + field.getName());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers(), constructor.isSynthetic(), subclassable)) {
                members.add(modifiers(constructor.getModifiers() & Modifier.constructorModifiers()) + spaced(typeParameters(constructor.getTypeParameters()))
                        + type.getSimpleName() + parameters(constructor) + exceptions(constructor));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (method.isBridge() || !visible(method.getModifiers(), method.isSynthetic(), subclassable)) {
                continue;
            }
            // methodModifiers() also drops the varargs and bridge flags, which share their bits with transient and volatile
            int modifiers = method.getModifiers() & Modifier.methodModifiers()
                    & ~(Modifier.SYNCHRONIZED | Modifier.NATIVE | Modifier.STRICT);
            if (method.isDefault()) {
                modifiers &= ~Modifier.ABSTRACT;
            }
            members.add(modifiers(modifiers) + (method.isDefault() ? "default " : "")
                    + spaced(typeParameters(method.getTypeParameters())) + render(method.getAnnotatedReturnType()) + " "
                    + method.getName() + parameters(method) + exceptions(method));
        }
        members.forEach(member -> lines.add("  " + member));
        types.put(type.getCanonicalName(), lines);
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (visible(nested.getModifiers(), nested.isSynthetic(), subclassable)) {
                describe(nested, types);
            }
        }
    }

    private static boolean visible(int modifiers, boolean synthetic, boolean subclassable) {
        return !synthetic && (Modifier.isPublic(modifiers) || (subclassable && Modifier.isProtected(modifiers)));
    }

    private static String header(Class<?> type) {
        int modifiers = type.getModifiers() & ~(Modifier.INTERFACE | Modifier.SYNCHRONIZED | Modifier.STRICT);
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isEnum()) {
            kind = "enum";
        } else if (type.isRecord()) {
            kind = "record";
        } else {
            kind = "class";
        }
        StringBuilder line = new StringBuilder(modifiers(modifiers));
        if (type.isSealed()) {
            line.append("sealed ");
        } else if (!Modifier.isFinal(modifiers) && sealedSupertype(type)) {
            line.append("non-sealed ");
        }
        line.append(kind).append(' ').append(type.getCanonicalName()).append(typeParameters(type.getTypeParameters()));
        if (type.isRecord()) {
            line.append(Arrays.stream(type.getRecordComponents()).map(ApiSnapshot::component)
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        AnnotatedType superclass = type.getAnnotatedSuperclass();
        if (superclass != null && !type.isEnum() && !type.isRecord() && superclass.getType() != Object.class) {
            line.append(" extends ").append(render(superclass));
        }
        AnnotatedType[] interfaces = type.getAnnotatedInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(ApiSnapshot::render).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            line.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getCanonicalName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    private static boolean sealedSupertype(Class<?> type) {
        Class<?> superclass = type.getSuperclass();
        if (superclass != null && superclass.isSealed()) {
            return true;
        }
        return Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
    }

    private static String component(RecordComponent component) {
        return render(component.getAnnotatedType()) + " " + component.getName();
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers);
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(variable -> {
            List<String> bounds = Arrays.stream(variable.getAnnotatedBounds())
                    .filter(bound -> bound.getType() != Object.class || bound.getAnnotations().length > 0)
                    .map(ApiSnapshot::render).collect(Collectors.toList());
            return variable.getName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String spaced(String text) {
        return text.isEmpty() ? "" : text + " ";
    }

    private static String parameters(Executable executable) {
        AnnotatedType[] annotated = executable.getAnnotatedParameterTypes();
        Type[] generic = executable.getGenericParameterTypes();
        List<String> rendered = new ArrayList<>();
        for (int i = 0; i < generic.length; i++) {
            // inner-class and enum constructors may report fewer annotated types than parameters: then no annotations
            String parameter = annotated.length == generic.length ? render(annotated[i]) : render(generic[i]);
            if (executable.isVarArgs() && i == generic.length - 1 && parameter.endsWith("[]")) {
                parameter = parameter.substring(0, parameter.length() - 2) + "...";
            }
            rendered.add(parameter);
        }
        return "(" + String.join(", ", rendered) + ")";
    }

    private static String exceptions(Executable executable) {
        AnnotatedType[] thrown = executable.getAnnotatedExceptionTypes();
        if (thrown.length == 0) {
            return "";
        }
        return " throws " + Arrays.stream(thrown).map(ApiSnapshot::render).sorted().collect(Collectors.joining(", "));
    }

    private static String render(AnnotatedType type) {
        String annotations = Arrays.stream(type.getAnnotations())
                .map(a -> "@" + a.annotationType().getSimpleName() + " ").collect(Collectors.joining());
        if (type instanceof AnnotatedArrayType array) {
            return render(array.getAnnotatedGenericComponentType()) + (annotations.isEmpty() ? "" : " " + annotations.trim())
                    + "[]";
        }
        if (type instanceof AnnotatedParameterizedType parameterized) {
            Class<?> raw = (Class<?>) ((ParameterizedType) parameterized.getType()).getRawType();
            return annotations + raw.getCanonicalName() + Arrays.stream(parameterized.getAnnotatedActualTypeArguments())
                    .map(ApiSnapshot::render).collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof AnnotatedWildcardType wildcard) {
            AnnotatedType[] lower = wildcard.getAnnotatedLowerBounds();
            if (lower.length > 0) {
                return annotations + "? super " + render(lower[0]);
            }
            AnnotatedType[] upper = wildcard.getAnnotatedUpperBounds();
            if (upper.length > 0 && (upper[0].getType() != Object.class || upper[0].getAnnotations().length > 0)) {
                return annotations + "? extends " + render(upper[0]);
            }
            return annotations + "?";
        }
        if (type instanceof AnnotatedTypeVariable) {
            return annotations + ((TypeVariable<?>) type.getType()).getName();
        }
        return annotations + render(type.getType());
    }

    private static String render(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? render(c.getComponentType()) + "[]" : c.getCanonicalName();
        }
        return type.getTypeName();
    }

    private static void printDifference(String old, String rendered, PrintStream out) {
        Map<String, Set<String>> before = entries(old);
        Map<String, Set<String>> after = entries(rendered);
        Set<String> owners = new TreeSet<>(before.keySet());
        owners.addAll(after.keySet());
        int added = 0;
        int removed = 0;
        for (String owner : owners) {
            Set<String> was = before.getOrDefault(owner, Set.of());
            Set<String> now = after.getOrDefault(owner, Set.of());
            List<String> lines = new ArrayList<>();
            for (String line : was) {
                if (!now.contains(line)) {
                    lines.add("-  " + line);
                    removed++;
                }
            }
            for (String line : now) {
                if (!was.contains(line)) {
                    lines.add("+  " + line);
                    added++;
                }
            }
            if (!lines.isEmpty()) {
                out.println("  " + owner + ":");
                lines.forEach(line -> out.println("  " + line));
            }
        }
        out.println("[api] lines added: " + added + ", removed: " + removed);
    }

    /** The snapshot's lines by the type they belong to (header and members), comments left out. */
    private static Map<String, Set<String>> entries(String text) {
        Map<String, Set<String>> entries = new LinkedHashMap<>();
        String owner = "(module)";
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith(" ") && !line.startsWith("module ")) {
                Matcher name = TYPE_NAME.matcher(line);
                owner = name.find() ? name.group(1) : line;
            }
            entries.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(line.strip());
        }
        return entries;
    }
}
