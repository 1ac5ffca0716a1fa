package dev.bulwark.failover;

import dev.bulwark.ConfigException;

/**
 * What an early warning knows about the risk of losing the primary, each factor in [0, 1]. The default
 * score is {@code 0.4 * failureHistory + 0.3 * age + 0.3 * volatility}; the weights are configurable.
 *
 * @param failureHistory how often instances like this one were lost recently
 * @param age how old the instance is, relative to when losses become likely
 * @param volatility how unstable its conditions are (for a spot instance: its price volatility)
 */
public record RiskFactors(double failureHistory, double age, double volatility) {
    /** Validates the ranges. */
    public RiskFactors {
        check("failureHistory", failureHistory);
        check("age", age);
        check("volatility", volatility);
    }

    private static void check(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ConfigException("risk factors", field, value, "in [0.0, 1.0]");
        }
    }

    /** The weighted score. */
    public double score(double historyWeight, double ageWeight, double volatilityWeight) {
        return historyWeight * failureHistory + ageWeight * age + volatilityWeight * volatility;
    }
}
