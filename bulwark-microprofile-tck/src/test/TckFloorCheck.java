import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The TCK ratchet, run by {@code mvn verify} after the TCK: fails the build when the TCK did not run (no result file,
 * or zero tests), or when fewer tests passed than the checked-in floor ({@code tck-floor.properties}, {@code passed=N})
 * minus its {@code timing_tolerance} (default 0): the TCK times real waits, and on a loaded two-core machine one of
 * its timing assertions can miss; such a run passes with a warning naming the shortfall, and the printed count stays
 * the real one. Raise the floor whenever more tests pass; never lower it (or widen the tolerance) to get green.
 * Usage: {@code java TckFloorCheck.java <result.properties> <floor.properties>}.
 */
public final class TckFloorCheck {

    public static void main(String[] args) throws IOException {
        Path result = Path.of(args[0]);
        if (!Files.exists(result)) {
            fail("no TCK result at " + result + ": the TCK did not run to its end");
        }
        int run = read(result, "run");
        int passed = read(result, "passed");
        int floor = read(Path.of(args[1]), "passed");
        int tolerance = readOr(Path.of(args[1]), "timing_tolerance", 0);
        if (run == 0) {
            fail("the TCK ran 0 tests");
        }
        if (passed < floor - tolerance) {
            fail("the TCK passed " + passed + " tests, below the floor of " + floor + " (timing tolerance " + tolerance
                    + ") in " + args[1] + " (see the failures file in target/)");
        }
        if (passed < floor) {
            System.out.println("tck floor WARNING: passed " + passed + " of " + run + ", " + (floor - passed)
                    + " below the floor of " + floor + ", within its timing tolerance of " + tolerance
                    + "; the failures and their causes are in the failures file in target/");
            return;
        }
        System.out.println("tck floor: passed " + passed + " of " + run + ", floor " + floor
                + (passed > floor ? " (raise the floor to " + passed + ")" : ""));
    }

    private static int read(Path file, String key) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String value = properties.getProperty(key);
        if (value == null) {
            fail(file + " has no '" + key + "'");
        }
        return Integer.parseInt(value.trim());
    }

    private static int readOr(Path file, String key, int absent) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String value = properties.getProperty(key);
        return value == null ? absent : Integer.parseInt(value.trim());
    }

    private static void fail(String message) {
        System.err.println("tck floor check FAILED: " + message);
        System.exit(1);
    }
}
