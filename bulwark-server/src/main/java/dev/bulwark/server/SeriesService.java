package dev.bulwark.server;

import dev.bulwark.reconcile.ReconcileSink;
import dev.bulwark.reconcile.Reconciler;
import dev.bulwark.store.SeriesStore;
import dev.bulwark.time.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The reconciled write path: a batch of one source's readings is validated (each refusal with its reason), the new
 * readings are stored with the reconciled points and gaps of the stretch they touch, in one transaction, and only then
 * acknowledged. The stretch runs from the last stored reading before the batch to the first one after it, so a late
 * reading replaces the interpolation it falls into, and the other source's reading of a stored timestamp turns its
 * point into {@code deduplicated} or {@code averaged_dual_source}, if it comes within the comparison window
 * ({@code retention_window}) of the first; later it is refused, and the point stays as it was. Reconciliation is the
 * {@link Reconciler}'s, run over the stretch's stored readings. Writes are serialized; reads go straight to the store.
 */
final class SeriesService {
    private static final String READINGS_HELP = "Series readings received, by outcome";
    /** Names a series may have: they appear in paths. */
    static final String NAME_PATTERN = "[A-Za-z0-9._:-]{1,200}";
    /** Readings wait this long in the recomputing reconciler: everything is flushed at the end of a stretch. */
    private static final Duration WHOLE_STRETCH = Duration.ofDays(365 * 100L);

    private final SeriesStore store;
    private final Reconciler.Config settings;
    private final ReentrantLock writes = new ReentrantLock();

    private final MeterRegistry meters;

    /**
     * Counts into {@code meters}: {@code bulwark_series_readings_total{outcome}} ({@code stored},
     * {@code already_stored}, {@code rejected}) and {@code bulwark_series_points_written_total{quality}}.
     */
    SeriesService(SeriesStore store, Reconciler.Config settings, MeterRegistry meters) {
        this.store = store;
        this.settings = settings;
        this.meters = meters;
    }

    private void count(Outcome outcome, List<SeriesStore.Point> points) {
        Counter.builder("bulwark.series.readings").description(READINGS_HELP).tag("outcome", "stored").register(meters).increment(outcome.stored());
        Counter.builder("bulwark.series.readings").description(READINGS_HELP).tag("outcome", "already_stored").register(meters)
                .increment(outcome.alreadyStored());
        Counter.builder("bulwark.series.readings").description(READINGS_HELP).tag("outcome", "rejected").register(meters)
                .increment(outcome.rejected().size());
        for (SeriesStore.Point point : points) {
            Counter.builder("bulwark.series.points.written").description("Reconciled series points written, by quality flag").tag("quality", point.quality()).register(meters).increment();
        }
    }

    Reconciler.Config settings() {
        return settings;
    }

    /** What became of a batch. */
    record Outcome(int received, int stored, int alreadyStored, List<Map<String, Object>> rejected,
                   Optional<long[]> reconciled, int points) {
    }

    /** Validates, stores and reconciles one batch; returns once everything stored is committed. */
    Outcome write(String series, ReadingsBatchParser.Batch batch) {
        Reconciler.Reading.Source source = batch.source();
        List<Map<String, Object>> rejected = new ArrayList<>();
        List<ReadingsBatchParser.Incoming> candidates = new ArrayList<>();
        for (ReadingsBatchParser.Incoming reading : batch.readings()) {
            String problem = reading.problem();
            if (problem != null) {
                rejected.add(refusal(reading, problem));
            } else {
                candidates.add(reading);
            }
        }
        candidates.sort(Comparator.comparingLong(ReadingsBatchParser.Incoming::timestamp));
        List<ReadingsBatchParser.Incoming> valid = validated(series, source, candidates, rejected);
        writes.lock();
        try {
            long now = settings.clock().wallMillis();
            List<SeriesStore.Reading> fresh = new ArrayList<>();
            int alreadyStored = 0;
            Map<String, SeriesStore.Reading> stored = new java.util.HashMap<>();
            if (!valid.isEmpty()) {
                // one query for the batch's span instead of two per reading
                for (SeriesStore.Reading known : store.readings(series, valid.get(0).timestamp(),
                        valid.get(valid.size() - 1).timestamp())) {
                    stored.put(known.source() + "@" + known.timestamp(), known);
                }
            }
            for (ReadingsBatchParser.Incoming reading : valid) {
                String problem = conflict(stored, source, reading, now);
                if (problem == null) {
                    fresh.add(new SeriesStore.Reading(series, label(source), reading.timestamp(), reading.value(), now));
                } else if (problem.isEmpty()) {
                    alreadyStored++;
                } else {
                    rejected.add(refusal(reading, problem));
                }
            }
            rejected.sort(Comparator.comparingInt(r -> (Integer) r.get("index")));
            if (fresh.isEmpty()) {
                Outcome nothing = new Outcome(batch.readings().size(), 0, alreadyStored, rejected, Optional.empty(), 0);
                count(nothing, List.of());
                return nothing;
            }
            long first = fresh.get(0).timestamp();
            long last = fresh.get(fresh.size() - 1).timestamp();
            long from = store.readingBefore(series, first).orElse(first);
            long to = store.readingAfter(series, last).orElse(last);
            List<SeriesStore.Reading> stretch = new ArrayList<>(store.readings(series, from, to));
            stretch.addAll(fresh);
            List<SeriesStore.Point> points = new ArrayList<>();
            List<SeriesStore.Gap> gaps = new ArrayList<>();
            reconcile(series, stretch, now, points, gaps);
            store.write(series, fresh, from, to, points, gaps);
            Outcome done = new Outcome(batch.readings().size(), fresh.size(), alreadyStored, rejected,
                    Optional.of(new long[] {from, to}), points.size());
            count(done, points);
            return done;
        } finally {
            writes.unlock();
        }
    }

    /** The reconciler's own checks (value range, timestamps too far ahead, repeats within the batch). */
    private List<ReadingsBatchParser.Incoming> validated(String series, Reconciler.Reading.Source source,
            List<ReadingsBatchParser.Incoming> candidates, List<Map<String, Object>> rejected) {
        Map<Reconciler.Reading, String> problems = new IdentityHashMap<>();
        Reconciler checker = copy(settings, new ReconcileSink() {
            @Override
            public void accept(ReconcileSink.Point point) {
            }

            @Override
            public void rejected(Reconciler.Reading reading, String reason) {
                problems.put(reading, reason);
            }
        }, settings.clock());
        List<ReadingsBatchParser.Incoming> valid = new ArrayList<>();
        for (ReadingsBatchParser.Incoming incoming : candidates) {
            Reconciler.Reading reading = Reconciler.Reading.of(source, series, incoming.timestamp(), incoming.value());
            checker.submit(reading);
            String problem = problems.get(reading);
            if (problem == null) {
                valid.add(incoming);
            } else {
                rejected.add(refusal(incoming, problem));
            }
        }
        return valid;
    }

    /**
     * Null when the reading is new and may be stored; empty when the same reading is already stored (a batch sent
     * again); else why it is refused.
     */
    private @Nullable String conflict(Map<String, SeriesStore.Reading> stored, Reconciler.Reading.Source source,
                                      ReadingsBatchParser.Incoming reading, long now) {
        Optional<SeriesStore.Reading> same = Optional.ofNullable(stored.get(label(source) + "@" + reading.timestamp()));
        if (same.isPresent()) {
            return same.get().value() == reading.value() ? ""
                    : "a " + label(source) + " reading of " + reading.timestamp() + " is already stored with value "
                    + same.get().value() + "; a stored reading is never replaced";
        }
        Reconciler.Reading.Source other = source == Reconciler.Reading.Source.PRIMARY
                ? Reconciler.Reading.Source.REPLICA : Reconciler.Reading.Source.PRIMARY;
        Optional<SeriesStore.Reading> partner = Optional.ofNullable(stored.get(label(other) + "@" + reading.timestamp()));
        long windowMillis = settings.retentionWindow().toMillis();
        if (partner.isPresent() && now - partner.get().receivedAtMillis() > windowMillis) {
            return String.format(Locale.ROOT, "the %s reading of %d was stored %d s earlier, beyond the %d s comparison "
                    + "window; the point stays as reconciled", label(other), reading.timestamp(),
                    (now - partner.get().receivedAtMillis()) / 1000, windowMillis / 1000);
        }
        return null;
    }

    private void reconcile(String series, List<SeriesStore.Reading> stretch, long now, List<SeriesStore.Point> points,
                           List<SeriesStore.Gap> gaps) {
        stretch.sort(Comparator.comparingLong(SeriesStore.Reading::timestamp).thenComparing(SeriesStore.Reading::source));
        List<String> refused = new ArrayList<>();
        ManualClock frozen = new ManualClock(0, now);
        Reconciler reconciler = copy(settings, new ReconcileSink() {
            @Override
            public void accept(ReconcileSink.Point point) {
                points.add(new SeriesStore.Point(point.timestamp(), point.value(), point.quality().label()));
            }

            @Override
            public void gap(ReconcileSink.Gap gap) {
                gaps.add(new SeriesStore.Gap(gap.from(), gap.to(), gap.filled()));
            }

            @Override
            public void rejected(Reconciler.Reading reading, String reason) {
                refused.add(reading.timestamp() + ": " + reason);
            }
        }, frozen, WHOLE_STRETCH);
        for (SeriesStore.Reading reading : stretch) {
            reconciler.submit(Reconciler.Reading.of(reading.source().equals("primary") ? Reconciler.Reading.Source.PRIMARY
                    : Reconciler.Reading.Source.REPLICA, series, reading.timestamp(), reading.value()));
        }
        reconciler.flushAll();
        if (!refused.isEmpty()) {
            // every reading here passed validation when it arrived; a refusal now would silently drop stored data
            throw new IllegalStateException("stored readings of " + series + " could not be reconciled: " + refused);
        }
    }

    private static Reconciler copy(Reconciler.Config settings, ReconcileSink sink, dev.bulwark.time.Clock clock) {
        return copy(settings, sink, clock, settings.retentionWindow());
    }

    private static Reconciler copy(Reconciler.Config settings, ReconcileSink sink, dev.bulwark.time.Clock clock,
                                   Duration retention) {
        return Reconciler.builder(sink).retentionWindow(retention).gapDetectionThreshold(settings.gapDetectionThreshold())
                .interpolationMaxGap(settings.interpolationMaxGap()).interval(settings.interval())
                .tolerance(settings.tolerance()).valueRange(settings.minValue(), settings.maxValue())
                .maxFutureSkew(settings.maxFutureSkew()).clock(clock).build();
    }

    static String label(Reconciler.Reading.Source source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> refusal(ReadingsBatchParser.Incoming reading, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", reading.index());
        out.put("timestamp", reading.timestamp());
        out.put("value", reading.value());
        out.put("reason", reason);
        return out;
    }

    /** The points of {@code series} in [{@code from}, {@code to}]. */
    List<SeriesStore.Point> points(String series, long from, long to) {
        return store.points(series, from, to);
    }

    SeriesStore store() {
        return store;
    }
}
