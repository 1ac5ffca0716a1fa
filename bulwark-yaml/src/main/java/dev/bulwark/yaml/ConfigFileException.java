package dev.bulwark.yaml;

/**
 * A configuration file that cannot be used: the message names the file, the line, the field (as a dotted
 * path), the value and what is allowed, e.g.
 * {@code gateway.yaml:7: fault_tolerance.failure_threshold must be an integer >= 0, was -1}.
 */
public final class ConfigFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String field;

    ConfigFileException(String file, int line, String field, String problem) {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + " ") + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** The file's name. */
    public String file() {
        return file;
    }

    /** The 1-based line of the offending value or key. */
    public int line() {
        return line;
    }

    /** The dotted path of the field, e.g. {@code adapters[1].fault_tolerance.recovery_timeout}. */
    public String field() {
        return field;
    }
}
