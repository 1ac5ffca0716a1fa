package dev.bulwark.examples.microprofile;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/** Starts Weld SE, calls the guarded bean once and prints what it answered and how often the backend was asked. */
public final class Main {

    private Main() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        try (WeldContainer container = new Weld().initialize()) {
            PriceService prices = container.select(PriceService.class).get();
            System.out.println(prices.price("coffee") + " after " + prices.calls() + " backend calls");
        }
    }
}
