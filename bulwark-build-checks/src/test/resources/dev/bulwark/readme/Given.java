import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * The names the README's Java examples take as given: the reader's own services and values. A block of statements
 * is compiled as the body of a method in a class that extends this one, so these are in scope (a block may
 * declare its own variable of the same name instead). The library's types are imported on demand, like the
 * java.* types listed in ReadmeExamplesCompileTest.
 */
abstract class Given {
    record Order(String id) {}

    record Receipt(String id) {}

    record Stock(String sku, int count) {}

    interface Payments {
        Receipt charge(Order order) throws IOException;

        CompletionStage<Receipt> chargeAsync(Order order);
    }

    interface Inventory {
        Stock lookup(String sku) throws IOException;
    }

    interface LlmClient {
        String ask(String provider, String prompt, int maxTokens) throws IOException;
    }

    interface Database {
        boolean ping();
    }

    interface Log {
        void warn(String message);
    }

    Log log;
    Database database;
    Payments payments;
    Order order;
    Inventory inventory;
    String sku;
    LlmClient client;
    String prompt;
    ExecutorService pool;
    Policy breaker;
    Policy retry;
    ResourceMonitor resources;
}
