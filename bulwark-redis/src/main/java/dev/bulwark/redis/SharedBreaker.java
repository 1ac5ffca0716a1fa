package dev.bulwark.redis;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.circuit.CircuitBreaker.Event.StateTransition;
import dev.bulwark.circuit.CircuitBreakerConfig;
import dev.bulwark.time.Clock;
import dev.bulwark.time.Scheduler;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One breaker's share of the cluster state, for one instance. The breaker never waits on this class: {@link #sync()}
 * runs on the scheduler every sync interval and reads the breaker's stats (its new transitions and outcome counts),
 * votes and counts go to Redis in the background, and peers' verdicts arrive from the channel. Methods that touch the
 * vote bookkeeping are synchronized (the scheduler thread and Lettuce's threads both call in).
 */
final class SharedBreaker {

    private static final long VOTES_TTL_MARGIN_MILLIS = 60_000L;

    final CircuitBreaker breaker;
    private final SharedBreakerConfig config;
    private final VerdictLink link;
    private final String channel;
    private final String votesKey;
    private final String probeKey;
    private final String bucketPrefix;
    private final int windowSeconds;
    private final Clock clock;
    private final Map<String, Long> peerVotes = new HashMap<>();
    private final LongAdder adopted;
    private long ownVoteUntil;
    private Scheduler.@Nullable Cancellable claim;
    private boolean stopped; // guarded by this: a stopped breaker arms no claim (a sync or a claim may end after stop)
    private @Nullable StateTransition lastSeen;
    private long lastCalls;
    private long lastFailures;

    SharedBreaker(CircuitBreaker breaker, SharedBreakerConfig config, VerdictLink link, String channel, LongAdder adopted) {
        this.breaker = breaker;
        this.config = config;
        this.link = link;
        this.channel = channel;
        this.adopted = adopted;
        this.clock = config.clock();
        // the {name} hash tag keeps one breaker's keys on one Redis Cluster shard, so the scripts stay atomic there
        String base = config.keyPrefix() + ":cb:{" + breaker.name() + "}:";
        this.votesKey = base + "votes";
        this.probeKey = base + "probe";
        this.bucketPrefix = base + "b:";
        CircuitBreakerConfig own = breaker.config();
        this.windowSeconds = own.windowType() == CircuitBreakerConfig.WindowType.TIME_BASED
                ? own.windowSize() : (int) config.clusterWindow().toSeconds();
        CircuitBreaker.Stats stats = breaker.stats();
        List<StateTransition> history = stats.history();
        this.lastSeen = history.isEmpty() ? null : history.get(history.size() - 1);
        this.lastCalls = stats.totalCalls();
        this.lastFailures = stats.failedCalls();
    }

    // ---- local -> cluster (scheduler thread) ----

    /** Pushes what happened locally since the last sync: own verdicts first, then outcome counts. */
    void sync() {
        CircuitBreaker.Stats stats = breaker.stats();
        for (StateTransition transition : newTransitions(stats.history())) {
            onLocalTransition(transition);
        }
        long calls = stats.totalCalls() - lastCalls;
        long failures = stats.failedCalls() - lastFailures;
        lastCalls = stats.totalCalls();
        lastFailures = stats.failedCalls();
        if (calls > 0) {
            pushOutcomes(calls, failures);
        }
    }

    private List<StateTransition> newTransitions(List<StateTransition> history) {
        StateTransition seen = lastSeen;
        int from = 0;
        if (seen != null) {
            for (int i = history.size() - 1; i >= 0; i--) {
                StateTransition transition = history.get(i);
                // the one seen last, or (when it aged out of the bounded history) the first one older than it
                if (transition == seen || transition.wallMillis() < seen.wallMillis()) {
                    from = i + 1;
                    break;
                }
            }
        }
        if (!history.isEmpty()) {
            lastSeen = history.get(history.size() - 1);
        }
        return history.subList(from, history.size());
    }

    private void onLocalTransition(StateTransition transition) {
        if (transition.reason() == CircuitBreaker.TransitionReason.PEER_VERDICT) {
            return; // adopted from a peer: not a vote of ours
        }
        if (transition.to() == CircuitBreaker.State.OPEN) {
            vote(transition.wallMillis() + breaker.currentRecoveryTimeout().toMillis());
        } else if (transition.to() == CircuitBreaker.State.CLOSED
                && transition.reason() == CircuitBreaker.TransitionReason.PROBES_SUCCEEDED) {
            publishClosed();
        } else if (transition.to() == CircuitBreaker.State.CLOSED) {
            withdrawVote(); // an operator reset this instance only
        }
    }

    private void vote(long until) {
        synchronized (this) {
            ownVoteUntil = until;
            scheduleClaim(until);
        }
        sendVote(until);
    }

    private CompletionStage<Long> sendVote(long until) {
        long now = clock.wallMillis();
        String message = new Verdict(Verdict.Kind.OPEN, until, config.instanceId(), breaker.name()).encode();
        return link.run(c -> c.eval(SharedScripts.VOTE, ScriptOutputType.INTEGER, new String[] {votesKey, probeKey},
                Long.toString(until), config.instanceId(), Long.toString(now),
                Long.toString(Math.max(0L, until - now) + VOTES_TTL_MARGIN_MILLIS), channel, message));
    }

    private void publishClosed() {
        synchronized (this) {
            ownVoteUntil = 0L;
            peerVotes.clear();
            cancelClaim();
        }
        String message = new Verdict(Verdict.Kind.CLOSED, 0L, config.instanceId(), breaker.name()).encode();
        link.run(c -> c.eval(SharedScripts.CLOSE, ScriptOutputType.INTEGER, new String[] {votesKey, probeKey},
                channel, message));
    }

    private void withdrawVote() {
        synchronized (this) {
            ownVoteUntil = 0L;
        }
        link.run(c -> c.zrem(votesKey, config.instanceId()));
    }

    private void pushOutcomes(long calls, long failures) {
        long now = clock.wallMillis();
        long second = Math.floorDiv(now, 1000L);
        String[] keys = new String[windowSeconds + 1];
        keys[0] = votesKey;
        for (int i = 0; i < windowSeconds; i++) {
            keys[i + 1] = bucketPrefix + (second - i);
        }
        CircuitBreakerConfig own = breaker.config();
        long until = now + own.recoveryTimeout().toMillis();
        String message = new Verdict(Verdict.Kind.RATE, until, Verdict.CLUSTER, breaker.name()).encode();
        link.run(c -> c.<List<Object>>eval(SharedScripts.OUTCOMES, ScriptOutputType.MULTI, keys,
                Long.toString(calls), Long.toString(failures), Long.toString((windowSeconds + 2) * 1000L),
                Integer.toString(own.minimumNumberOfCalls()), Double.toString(own.failureRateThreshold()),
                Long.toString(until), channel, message,
                Long.toString(own.recoveryTimeout().toMillis() + VOTES_TTL_MARGIN_MILLIS)));
    }

    // ---- cluster -> local (Lettuce threads) ----

    /** Applies a verdict from the channel (our own come back too). */
    synchronized void onVerdict(Verdict verdict) {
        long now = clock.wallMillis();
        boolean mine = verdict.instanceId().equals(config.instanceId());
        switch (verdict.kind()) {
            case OPEN -> {
                if (!mine) {
                    peerVotes.put(verdict.instanceId(), verdict.untilWallMillis());
                    applyVotes(now);
                }
            }
            case RATE -> adopt(verdict.untilWallMillis(), now);
            case CLOSED -> {
                peerVotes.clear();
                ownVoteUntil = 0L;
                cancelClaim();
                if (!mine && breaker.adoptClosed()) {
                    adopted.increment();
                }
            }
        }
    }

    /** Opens the breaker when the live votes satisfy the policy (a cluster-rate vote always does). */
    private void applyVotes(long now) {
        peerVotes.values().removeIf(until -> until <= now);
        Long clusterUntil = peerVotes.get(Verdict.CLUSTER);
        if (clusterUntil != null) {
            adopt(clusterUntil, now);
        }
        long votes = peerVotes.keySet().stream().filter(id -> !id.equals(Verdict.CLUSTER)).count()
                + (ownVoteUntil > now ? 1 : 0);
        if (votes >= config.verdictPolicy().votesNeeded()) {
            long until = peerVotes.entrySet().stream().filter(e -> !e.getKey().equals(Verdict.CLUSTER))
                    .mapToLong(Map.Entry::getValue).max().orElse(ownVoteUntil);
            adopt(until, now);
        }
    }

    private void adopt(long until, long now) {
        if (until - now <= 0) {
            return;
        }
        // the claim is armed before the adoption is published, so a listener of that transition that moves the clock
        // (a ManualClock in tests) cannot arm it relative to a later moment
        Scheduler.@Nullable Cancellable previous = claim;
        Scheduler.@Nullable Cancellable next = armClaim(until);
        if (breaker.adoptOpen(Duration.ofMillis(until - now))) {
            adopted.increment();
            if (previous != null) {
                previous.cancel();
            }
            claim = next;
        } else if (next != null) {
            next.cancel(); // already open at least as long, or held by an operator: the pending claim stays
        }
    }

    // ---- coordinated half-open ----

    /**
     * Shortly before the open period ends, claims the probe permit in the background. The winner half-opens as usual
     * and sends the configured probes; a loser stays open until the winner's verdict (CLOSED or a new OPEN) arrives, or
     * until the permit would have expired; if Redis fails, the instance half-opens on its own (local first).
     */
    private void scheduleClaim(long until) {
        cancelClaim();
        claim = stopped ? null : armClaim(until);
    }

    private Scheduler.@Nullable Cancellable armClaim(long until) {
        long remaining = until - clock.wallMillis();
        if (remaining <= 0) {
            return null;
        }
        long lead = Math.min(config.probeClaimLead().toMillis(), remaining / 2);
        return config.scheduler().schedule(Duration.ofMillis(remaining - lead), this::claimProbe);
    }

    /** Stops the pending probe claim for good (on detach, replacement or close): none is armed after this. */
    synchronized void stop() {
        stopped = true;
        cancelClaim();
    }

    private void cancelClaim() {
        Scheduler.Cancellable pending = claim;
        if (pending != null) {
            pending.cancel();
            claim = null;
        }
    }

    private void claimProbe() {
        if (breaker.state() != CircuitBreaker.State.OPEN) {
            return;
        }
        long wait = probeWaitMillis();
        link.run(c -> c.set(probeKey, config.instanceId(), SetArgs.Builder.nx().px(wait))).whenComplete((ok, error) -> {
            if (error == null && !"OK".equals(ok)) {
                synchronized (this) {
                    long now = clock.wallMillis();
                    long until = now + config.probeClaimLead().toMillis() + wait;
                    if (breaker.state() == CircuitBreaker.State.OPEN) {
                        breaker.adoptOpen(Duration.ofMillis(until - now));
                    }
                    scheduleClaim(until);
                }
            }
        });
    }

    /** How long the permit holder has to reach a verdict: one open period (at least 1 s) plus two sync intervals. */
    private long probeWaitMillis() {
        return Math.max(1000L, breaker.config().recoveryTimeout().toMillis()) + 2 * config.syncInterval().toMillis();
    }

    // ---- resynchronisation ----

    /** Republishes a live own OPEN vote and re-reads the peers' votes (after a reconnect, or on attach). */
    CompletionStage<Void> resync() {
        long now = clock.wallMillis();
        long own;
        synchronized (this) {
            own = ownVoteUntil > now && breaker.state().rejectsCalls() ? ownVoteUntil : 0L;
        }
        CompletionStage<?> republished = own > 0 ? sendVote(own) : CompletableFuture.completedFuture(null);
        CompletionStage<List<ScoredValue<String>>> votes = link.run(c -> c.zrangebyscoreWithScores(votesKey,
                Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded())));
        return republished.thenCombine(votes, (ignored, read) -> {
            synchronized (this) {
                peerVotes.clear();
                for (ScoredValue<String> vote : read) {
                    if (!vote.getValue().equals(config.instanceId())) {
                        peerVotes.put(vote.getValue(), (long) vote.getScore());
                    }
                }
                applyVotes(clock.wallMillis());
            }
            return null;
        });
    }
}
