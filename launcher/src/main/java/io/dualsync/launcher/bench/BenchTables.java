package io.dualsync.launcher.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's tables. The source {@code public.orders} is a realistic 12-column order table
 * (bigint id, unique business key {@code order_no}, two numeric(18,4), text, timestamptz, date,
 * int, status ...); {@code changed_at} is set with {@code clock_timestamp()} by every write of
 * the load generator. The targets {@code public.orders_sync} (written by dualsync) and
 * {@code public.orders_baseline} (written by the plain JDBC baseline) have the same 12 columns,
 * keyed by {@code order_no}, plus an unmapped {@code applied_at} that a BEFORE INSERT OR UPDATE
 * trigger fills with {@code clock_timestamp()}: source and target live on one PostgreSQL server,
 * so {@code applied_at - changed_at} is a latency measured on one clock.
 */
final class BenchTables {

    static final String SOURCE = "orders";
    static final String SYNC_TARGET = "orders_sync";
    static final String BASELINE_TARGET = "orders_baseline";

    /** The 12 columns, in table order; every one is mapped. */
    static final String COLUMNS = "id, order_no, customer_no, amount, tax, quantity, status, currency, "
            + "order_date, created_at, changed_at, note";

    private BenchTables() {
    }

    static void createSource(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table public.orders (
                        id          bigint        primary key,
                        order_no    text          not null unique,
                        customer_no text          not null,
                        amount      numeric(18,4) not null,
                        tax         numeric(18,4) not null,
                        quantity    int           not null,
                        status      text          not null,
                        currency    text          not null,
                        order_date  date          not null,
                        created_at  timestamptz   not null,
                        changed_at  timestamptz   not null,
                        note        text
                    )""");
        }
    }

    static void createTarget(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table public.%s (
                        order_no    text          primary key,
                        id          bigint        not null,
                        customer_no text          not null,
                        amount      numeric(18,4) not null,
                        tax         numeric(18,4) not null,
                        quantity    int           not null,
                        status      text          not null,
                        currency    text          not null,
                        order_date  date          not null,
                        created_at  timestamptz   not null,
                        changed_at  timestamptz   not null,
                        note        text,
                        applied_at  timestamptz
                    )""".formatted(table));
            s.execute("""
                    create or replace function public.bench_stamp_applied() returns trigger language plpgsql as $$
                    begin
                        new.applied_at := clock_timestamp();
                        return new;
                    end $$""");
            s.execute("create trigger %s_applied before insert or update on public.%s for each row execute function public.bench_stamp_applied()"
                    .formatted(table, table));
        }
    }

    /** Inserts rows {@code from..to} (inclusive) in one statement; the values follow from the id. */
    static void generate(Connection c, long from, long to) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(("""
                    insert into public.orders (%s)
                    select g,
                           'SO-' || lpad(g::text, 10, '0'),
                           'C' || lpad((g %% 50000)::text, 6, '0'),
                           round(((g * 7919) %% 10000000)::numeric / 100 + 0.0001 * (g %% 10000), 4),
                           round(((g * 104729) %% 1000000)::numeric / 100, 4),
                           1 + (g %% 250)::int,
                           (array['open','released','shipped','invoiced','closed'])[1 + (g %% 5)::int],
                           (array['EUR','USD','GBP','CHF'])[1 + (g %% 4)::int],
                           date '2020-01-01' + (g %% 2000)::int,
                           timestamptz '2020-01-01 00:00:00+00' + (g * interval '1 second') + (g %% 1000000) * interval '1 microsecond',
                           clock_timestamp(),
                           case when g %% 3 = 0 then null else 'deliver to dock ' || (g %% 97) || ', ring twice' end
                    from generate_series(%d::bigint, %d::bigint) g""").formatted(COLUMNS, from, to));
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from public." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
