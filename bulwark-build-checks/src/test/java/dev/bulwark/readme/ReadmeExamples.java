package dev.bulwark.readme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Extracts the README's Java examples and compiles them against the library modules on the class path.
 *
 * <p>The rule, also stated in the README's Build section: a block that declares a top-level type (a line starting
 * with {@code class}, {@code interface}, {@code record} or {@code enum}, possibly after modifiers) is compiled as a
 * file of its own. Any other block is compiled as the body of a method {@code void example() throws Exception} in
 * a class extending {@code Given} (src/test/resources/dev/bulwark/readme/Given.java: the reader's own services and
 * values the examples use, such as {@code payments}, {@code order} or {@code pool}), except that its leading lines
 * starting with {@code import } stay imports and the lines starting with {@code static } after them become fields of
 * that class. Every block sees on-demand imports of every package
 * the library modules export to everyone and single-type imports of {@link #JAVA_IMPORTS}. A block whose first
 * line is {@code // not compiled: <reason>} is skipped; the reason is required.
 */
final class ReadmeExamples {
    static final String OPT_OUT = "// not compiled:";
    static final List<String> JAVA_IMPORTS = List.of("java.io.IOException", "java.io.UncheckedIOException",
            "java.nio.file.Files", "java.nio.file.Path", "java.time.Duration", "java.time.Instant", "java.util.List",
            "java.util.Map", "java.util.Optional", "java.util.Set", "java.util.concurrent.CompletableFuture",
            "java.util.concurrent.CompletionStage", "java.util.concurrent.ExecutorService",
            "java.util.concurrent.Executors");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

    /** One {@code ```java} block: the README line of its first code line, and its lines. */
    record Block(int firstLine, List<String> lines) {
        String label() {
            return "the java block at README.md line " + (firstLine - 1);
        }
    }

    private ReadmeExamples() {
    }

    /** Every {@code ```java} block of a markdown text, in order; an unclosed block is an error. */
    static List<Block> blocks(List<String> markdown) {
        List<Block> blocks = new ArrayList<>();
        List<String> current = null;
        int first = 0;
        for (int i = 0; i < markdown.size(); i++) {
            String line = markdown.get(i);
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
                first = i + 2;
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(new Block(first, List.copyOf(current)));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        if (current != null) {
            throw new IllegalArgumentException("README.md line " + (first - 1) + ": a ```java block is never closed");
        }
        return blocks;
    }

    /** What went wrong, one message per problem, naming the README line; empty when every block compiles. */
    static List<String> compile(List<Block> blocks, List<String> libraryPackages, String given, String classPath,
                                Path output) {
        List<String> problems = new ArrayList<>();
        List<JavaFileObject> sources = new ArrayList<>();
        Map<String, Block> blockBySource = new HashMap<>();
        Map<String, int[]> readmeLineBySource = new HashMap<>();
        String imports = imports(libraryPackages);
        sources.add(source("Given", imports + given));
        for (Block block : blocks) {
            List<String> code = block.lines();
            String first = code.isEmpty() ? "" : code.get(0).strip();
            if (first.startsWith(OPT_OUT)) {
                if (first.substring(OPT_OUT.length()).isBlank()) {
                    problems.add("README.md line " + block.firstLine() + ": '" + OPT_OUT + "' needs a reason ("
                            + block.label() + ")");
                }
                continue;
            }
            List<String> wrapped = new ArrayList<>();
            List<Integer> readmeLines = new ArrayList<>();
            String name = wrap(block, wrapped, readmeLines);
            String text = imports + String.join("\n", wrapped) + "\n";
            int importLines = imports.split("\n", -1).length - 1;
            int[] lineMap = new int[importLines + wrapped.size() + 2];
            for (int i = 0; i < readmeLines.size(); i++) {
                lineMap[importLines + i + 1] = readmeLines.get(i);
            }
            sources.add(source(name, text));
            blockBySource.put(name, block);
            readmeLineBySource.put(name, lineMap);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaCompiler javac = Objects.requireNonNull(ToolProvider.getSystemJavaCompiler(), "a JDK's javac");
        List<String> options = List.of("-classpath", classPath, "-d", output.toString(), "-proc:none",
                "-encoding", "UTF-8", "-Xlint:none");
        javac.getTask(null, null, diagnostics, options, null, sources).call();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
            if (diagnostic.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String message = diagnostic.getMessage(Locale.ROOT);
            String source = diagnostic.getSource() == null ? "" : nameOf(diagnostic.getSource());
            Block block = blockBySource.get(source);
            if (block == null) {
                problems.add("Given.java (the names the examples take as given) line "
                        + diagnostic.getLineNumber() + ": " + message);
                continue;
            }
            int[] lineMap = readmeLineBySource.get(source);
            long line = diagnostic.getLineNumber();
            int readmeLine = line >= 0 && line < lineMap.length && lineMap[(int) line] > 0 ? lineMap[(int) line]
                    : block.firstLine();
            int index = readmeLine - block.firstLine();
            String shown = index >= 0 && index < block.lines().size() ? "\n      > " + block.lines().get(index).strip() : "";
            problems.add("README.md line " + readmeLine + " (" + block.label() + "): " + message + shown);
        }
        return problems;
    }

    /** Writes the compilation unit of one block; returns its class name. */
    private static String wrap(Block block, List<String> wrapped, List<Integer> readmeLines) {
        List<String> code = block.lines();
        for (String line : code) {
            Matcher type = TYPE_DECLARATION.matcher(line);
            if (type.find()) {
                for (int i = 0; i < code.size(); i++) {
                    wrapped.add(code.get(i));
                    readmeLines.add(block.firstLine() + i);
                }
                return type.group(1);
            }
        }
        String name = "ReadmeBlockAtLine" + block.firstLine();
        int i = 0;
        while (i < code.size() && code.get(i).startsWith("import ")) {
            wrapped.add(code.get(i));
            readmeLines.add(block.firstLine() + i);
            i++;
        }
        wrapped.add("class " + name + " extends Given {");
        readmeLines.add(block.firstLine() + i);
        while (i < code.size() && code.get(i).startsWith("static ")) {
            wrapped.add(code.get(i));
            readmeLines.add(block.firstLine() + i);
            i++;
        }
        wrapped.add("void example() throws Exception {");
        readmeLines.add(block.firstLine() + i);
        for (; i < code.size(); i++) {
            wrapped.add(code.get(i));
            readmeLines.add(block.firstLine() + i);
        }
        wrapped.add("}}");
        readmeLines.add(block.firstLine() + code.size() - 1);
        return name;
    }

    private static String imports(List<String> libraryPackages) {
        StringBuilder imports = new StringBuilder();
        libraryPackages.forEach(p -> imports.append("import ").append(p).append(".*;\n"));
        JAVA_IMPORTS.forEach(t -> imports.append("import ").append(t).append(";\n"));
        return imports.toString();
    }

    /** The packages that the Bulwark modules on {@code classPath} export to everyone. */
    static List<String> libraryPackages(String classPath) {
        Set<String> packages = new TreeSet<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            ModuleDescriptor descriptor = descriptorOf(Path.of(entry));
            if (descriptor != null && descriptor.name().startsWith("dev.bulwark")) {
                descriptor.exports().stream().filter(e -> !e.isQualified())
                        .forEach(e -> packages.add(e.source()));
            }
        }
        return List.copyOf(packages);
    }

    private static ModuleDescriptor descriptorOf(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                Path file = entry.resolve("module-info.class");
                if (!Files.exists(file)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return ModuleDescriptor.read(in);
                }
            }
            if (entry.toString().endsWith(".jar") && Files.exists(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    ZipEntry file = jar.getEntry("module-info.class");
                    if (file == null) {
                        return null;
                    }
                    try (InputStream in = jar.getInputStream(file)) {
                        return ModuleDescriptor.read(in);
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaFileObject source(String className, String text) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    private static String nameOf(JavaFileObject source) {
        String path = source.toUri().getPath();
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.endsWith(".java") ? file.substring(0, file.length() - 5) : file;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
