package io.dualsync.launcher.verify;

import io.dualsync.apply.PostgresDialect;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.TableRef;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset pagination on a real PostgreSQL: every row once, in the database's key order, whatever the chunk size. */
class KeysetReaderTest {

    static EmbeddedPostgres postgres;
    static Connection connection;

    static final TableSchema LINE = new TableSchema(new TableRef("db", "public", "line"), List.of(
            new Column("doc", SqlType.of(Kind.STRING, "text"), false),
            new Column("mood", SqlType.of(Kind.STRING, "mood"), false),
            new Column("pos", SqlType.of(Kind.INT32, "int4"), false),
            new Column("note", SqlType.of(Kind.STRING, "text"), true)),
            List.of("doc", "mood", "pos"), List.of());

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        connection = DriverManager.getConnection(postgres.createDatabase("keyset"), postgres.user(), null);
        try (Statement s = connection.createStatement()) {
            s.execute("create type mood as enum ('sad', 'ok', 'happy')");
            s.execute("create table line (doc text, mood mood, pos int, note text, primary key (doc, mood, pos))");
            // case, accents, emoji and an enum whose order is not alphabetical: only the database knows the order
            s.execute("""
                    insert into line
                    select d, m::mood, p, d || m || p
                    from unnest(array['a', 'B', 'é', 'E', 'z', '👋', 'a b']) d,
                         unnest(array['sad', 'ok', 'happy']) m,
                         generate_series(-2, 2) p""");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        postgres.close();
    }

    @Test
    void shouldReadEveryRowOnceInTheDatabasesKeyOrderWhateverTheChunkSize() throws Exception {
        List<String> expected = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select note from line order by doc, mood, pos")) {
            while (rs.next()) {
                expected.add(rs.getString(1));
            }
        }
        for (int chunk : new int[] {1, 2, 7, 1000}) {
            KeysetReader reader = new KeysetReader(connection, new PostgresDialect(), LINE, List.of("doc", "mood", "pos"),
                    List.of("note"), chunk);
            List<String> read = new ArrayList<>();
            reader.forEach((Map<String, Object> row) -> read.add((String) row.get("note")));
            assertThat(read).as("chunk size %d", chunk).isEqualTo(expected);
            assertThat(reader.count()).isEqualTo(expected.size());
        }
    }
}
