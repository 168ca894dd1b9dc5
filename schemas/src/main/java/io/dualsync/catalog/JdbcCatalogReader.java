package io.dualsync.catalog;

import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the live {@link Catalog} of a configuration: for every table a map references, its
 * columns with their {@link SqlType}, its primary key and its unique indexes. One connection per
 * endpoint, opened by the given connector and closed here.
 *
 * <p>A table that does not exist is simply absent from the catalog ({@link CatalogValidator}
 * reports it). A column of a type dualsync cannot carry is left out of its table; when the config
 * names that column, it is a problem. PostgreSQL is read from {@code pg_catalog}
 * ({@link PostgresTables}), MariaDB from {@code information_schema} ({@link MariaDbTables}).
 */
public final class JdbcCatalogReader {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCatalogReader.class);

    private JdbcCatalogReader() {
    }

    /** Opens a JDBC connection as the endpoint's user, with its password if it has one and its TLS settings. */
    public static Connection connect(Endpoint endpoint) {
        try {
            return DriverManager.getConnection(endpoint.url(), endpoint.jdbcProperties());
        } catch (SQLException e) {
            throw new IllegalStateException(ConnectionFailure.describe(endpoint, e), e);
        }
    }

    /**
     * Reads the catalog and checks the configuration against it; throws a {@link CatalogException}
     * with every problem found by either step.
     */
    public static Catalog readValidated(SyncConfig config, Function<Endpoint, Connection> connector) {
        Result result = collect(config, connector);
        List<CatalogProblem> problems = new ArrayList<>(result.problems);
        // a map on an endpoint that could not be read is not checked: "table does not exist" would mislead
        problems.addAll(CatalogValidator.check(config, result.catalog, result.unsupportedColumns, result.unreadableEndpoints));
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return result.catalog;
    }

    /** Reads the catalog; throws a {@link CatalogException} when an endpoint or a named column could not be read. */
    public static Catalog read(SyncConfig config, Function<Endpoint, Connection> connector) {
        Result result = collect(config, connector);
        if (!result.problems.isEmpty()) {
            throw new CatalogException(result.problems);
        }
        return result.catalog;
    }

    private record Result(Catalog catalog, List<CatalogProblem> problems, Set<String> unsupportedColumns,
                          Set<String> unreadableEndpoints) {
    }

    private static Result collect(SyncConfig config, Function<Endpoint, Connection> connector) {
        Map<String, Set<TableRef>> tablesByEndpoint = new LinkedHashMap<>();
        for (TableMap map : config.maps()) {
            for (Side side : Side.values()) {
                tablesByEndpoint.computeIfAbsent(map.table(side).endpoint(), e -> new LinkedHashSet<>()).add(map.table(side));
            }
        }
        Map<TableRef, TableSchema> tables = new LinkedHashMap<>();
        List<CatalogProblem> problems = new ArrayList<>();
        Set<String> unsupportedColumns = new HashSet<>();
        Set<String> unreadableEndpoints = new HashSet<>();
        tablesByEndpoint.forEach((name, refs) -> {
            Endpoint endpoint = config.endpoint(name);
            try (Connection connection = connector.apply(endpoint)) {
                for (TableRef ref : refs) {
                    readTable(endpoint.kind(), connection, ref).ifPresent(read -> {
                        tables.put(ref, read.table());
                        for (PostgresTables.Unsupported u : read.unsupported()) {
                            reportIfNamed(config, ref, u, problems, unsupportedColumns);
                        }
                    });
                }
                LOG.info("Read {} table(s) of endpoint {}", refs.size(), name);
            } catch (SQLException | RuntimeException e) {
                unreadableEndpoints.add(name);
                problems.add(new CatalogProblem(null, null, null, null,
                        "cannot read the tables of endpoint '" + name + "': " + e.getMessage(),
                        "check that the database is reachable and the user may read its catalog"));
            }
        });
        return new Result(new Catalog(tables), problems, unsupportedColumns, unreadableEndpoints);
    }

    private static Optional<PostgresTables.Read> readTable(EndpointKind kind, Connection connection, TableRef ref)
            throws SQLException {
        return switch (kind) {
            case POSTGRES -> PostgresTables.read(connection, ref);
            case MARIADB -> MariaDbTables.read(connection, ref);
        };
    }

    private static void reportIfNamed(SyncConfig config, TableRef ref, PostgresTables.Unsupported column,
                                      List<CatalogProblem> problems, Set<String> unsupportedColumns) {
        for (TableMap map : config.maps()) {
            for (Side side : Side.values()) {
                if (map.table(side).equals(ref) && CatalogValidator.namedColumns(map, side).containsKey(column.column())
                        && unsupportedColumns.add(ref + "." + column.column())) {
                    problems.add(new CatalogProblem(map.name(), side, ref, column.column(),
                            "column '" + column.column() + "' has type " + column.declaredType() + ": " + column.reason(),
                            "leave the column out of the map, or change its type to a supported one"));
                }
            }
        }
    }
}
