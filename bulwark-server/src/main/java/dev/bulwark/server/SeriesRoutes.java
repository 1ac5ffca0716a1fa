package dev.bulwark.server;

import dev.bulwark.store.SeriesStore;
import dev.bulwark.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The series endpoints: {@code POST /series/{name}/readings} (a batch from one source, acknowledged once stored),
 * {@code GET /series/{name}?from=&to=} (points with their quality flag), {@code GET /series/{name}/quality} (shares
 * per flag in percent, unfilled gaps) and {@code GET /series/report?from=&to=} (per series and day: points,
 * interpolated and averaged shares, unfilled gaps). Without a {@code storage:} block they answer 503 saying so.
 */
final class SeriesRoutes {
    /** Points one read returns at most. */
    static final int MAX_POINTS = 10_000;
    private static final long DAY = 86_400;

    private SeriesRoutes() {
    }

    static void install(RoutesConfig routes, Supplier<@Nullable SeriesService> service) {
        routes.get("/series/report", ctx -> with(ctx, service, series -> report(ctx, series)));
        routes.post("/series/{name}/readings", ctx -> with(ctx, service, series -> write(ctx, series)));
        routes.get("/series/{name}/quality", ctx -> with(ctx, service, series -> quality(ctx, series)));
        routes.get("/series/{name}", ctx -> with(ctx, service, series -> read(ctx, series)));
    }

    private interface Action {
        void run(SeriesService series);
    }

    private static void with(Context ctx, Supplier<@Nullable SeriesService> service, Action action) {
        SeriesService series = service.get();
        if (series == null) {
            Views.error(ctx, 503, "storage", "series are not stored: the configuration has no storage: block");
            return;
        }
        try {
            action.run(series);
        } catch (ClientError refused) {
            Views.error(ctx, refused.status(), refused.field(), refused.getMessage());
        } catch (StoreException unavailable) {
            Views.error(ctx, 503, "storage", "nothing was stored: " + unavailable.getMessage());
        }
    }

    private static String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.matches(SeriesService.NAME_PATTERN) || name.equals("report")) {
            throw new ClientError(400, "name", "a series name is 1 to 200 letters, digits and . _ : - (not 'report'), was '"
                    + ReadingsBatchParser.echo(name) + "'");
        }
        return name;
    }

    private static void write(Context ctx, SeriesService series) {
        String name = name(ctx);
        ReadingsBatchParser.Batch batch = ReadingsBatchParser.parse(ctx.bodyAsBytes(), ctx.header("Content-Type"));
        SeriesService.Outcome outcome = series.write(name, batch);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", name);
        out.put("source", SeriesService.label(batch.source()));
        out.put("received", outcome.received());
        out.put("stored", outcome.stored());
        out.put("already_stored", outcome.alreadyStored());
        out.put("rejected", outcome.rejected());
        outcome.reconciled().ifPresent(range -> out.put("reconciled", Map.of("from", range[0], "to", range[1],
                "points", outcome.points())));
        boolean nothingTaken = outcome.stored() == 0 && outcome.alreadyStored() == 0;
        if (nothingTaken) {
            out.put("error", "no reading of the batch was stored; see rejected");
            out.put("field", "readings");
        }
        Views.json(ctx, nothingTaken ? 400 : 200, out);
    }

    private static void read(Context ctx, SeriesService series) {
        String name = name(ctx);
        long from = bound(ctx, "from", 0);
        long to = bound(ctx, "to", Long.MAX_VALUE);
        if (from > to) {
            throw new ClientError(400, "from", "from must be <= to, was from=" + from + " to=" + to);
        }
        List<SeriesStore.Point> points = series.points(name, from, to);
        List<Map<String, Object>> shown = new ArrayList<>();
        for (SeriesStore.Point point : points.subList(0, Math.min(points.size(), MAX_POINTS))) {
            shown.add(Map.of("timestamp", point.timestamp(), "value", point.value(), "quality", point.quality()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", name);
        out.put("from", from);
        out.put("to", to);
        out.put("points", shown);
        out.put("truncated", points.size() > MAX_POINTS);
        Views.json(ctx, 200, out);
    }

    private static long bound(Context ctx, String key, long fallback) {
        String raw = ctx.queryParam(key);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException notSeconds) {
            throw new ClientError(400, key, key + " must be whole seconds since the epoch, >= 0, was '"
                    + ReadingsBatchParser.echo(raw) + "'");
        }
    }

    private static void quality(Context ctx, SeriesService series) {
        String name = name(ctx);
        Map<String, Long> counts = series.store().qualityCounts(name);
        if (counts.isEmpty()) {
            Views.error(ctx, 404, "name", "no series '" + name + "' is stored");
            return;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> percent = new LinkedHashMap<>();
        Map<String, Object> byFlag = new LinkedHashMap<>();
        for (String flag : List.of("single_source", "deduplicated", "averaged_dual_source", "interpolated")) {
            long count = counts.getOrDefault(flag, 0L);
            byFlag.put(flag, count);
            percent.put(flag, 100.0 * count / total);
        }
        List<Map<String, Object>> unfilled = new ArrayList<>();
        for (SeriesStore.Gap gap : series.store().gaps(name, false)) {
            unfilled.add(Map.of("from", gap.from(), "to", gap.to(), "seconds", gap.seconds()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", name);
        out.put("points", total);
        out.put("counts", byFlag);
        out.put("percent", percent);
        out.put("filled_gaps", series.store().gaps(name, true).size());
        out.put("unfilled_gaps", unfilled);
        Views.json(ctx, 200, out);
    }

    private static void report(Context ctx, SeriesService series) {
        long nowSeconds = series.settings().clock().wallMillis() / 1000;
        long to = bound(ctx, "to", nowSeconds);
        long from = bound(ctx, "from", Math.max(0, to - 7 * DAY));
        if (from > to) {
            throw new ClientError(400, "from", "from must be <= to, was from=" + from + " to=" + to);
        }
        List<Map<String, Object>> days = new ArrayList<>();
        for (SeriesStore.DailyQuality day : series.store().dailyQuality(from, to)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("series", day.series());
            one.put("day", java.time.LocalDate.ofEpochDay(day.day() / DAY).toString());
            one.put("points", day.points());
            one.put("interpolated", day.interpolated());
            one.put("averaged", day.averaged());
            one.put("interpolated_percent", day.interpolatedPercent());
            one.put("averaged_percent", day.averagedPercent());
            one.put("unfilled_gaps", day.unfilledGaps());
            days.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("to", to);
        out.put("days", days);
        Views.json(ctx, 200, out);
    }
}
