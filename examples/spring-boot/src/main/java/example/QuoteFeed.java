package example;

/** Where quotes come from: the remote call the example protects. */
public interface QuoteFeed {
    /** The latest price of {@code symbol}; throws when the source is unavailable. */
    String price(String symbol);
}
