package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dualsync.capture.TestConfigs.postgres;
import static io.dualsync.capture.TestConfigs.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a user sees when the database is not ready for capture, against real PostgreSQL servers. */
class CapturePreconditionsTest {

    @Test
    void shouldAcceptASuperuserOnADatabaseWithLogicalDecoding() {
        String url = TestPostgres.logical().createDatabase("ready");
        TestPostgres.execute(url, "CREATE TABLE account (id int PRIMARY KEY)");

        assertThatCode(() -> CapturePreconditions.verify(endpoint(url, "postgres"), List.of(ref("crm.public.account"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptAReplicationUserWhoOwnsTheTables() {
        String url = TestPostgres.logical().createDatabase("owner");
        TestPostgres.execute(url, "CREATE ROLE owner_sync LOGIN REPLICATION",
                "GRANT CREATE ON DATABASE " + database(url) + " TO owner_sync",
                "CREATE TABLE account (id int PRIMARY KEY)", "ALTER TABLE account OWNER TO owner_sync");

        assertThatCode(() -> CapturePreconditions.verify(endpoint(url, "owner_sync"), List.of(ref("crm.public.account"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldTellHowToEnableLogicalDecodingWhenWalLevelIsReplica() {
        String url = TestPostgres.replicaOnly().createDatabase("replica");
        TestPostgres.execute(url, "CREATE TABLE account (id int PRIMARY KEY)");

        CapturePreconditionException e = catchThrowableOfType(CapturePreconditionException.class,
                () -> CapturePreconditions.verify(endpoint(url, "postgres"), List.of(ref("crm.public.account"))));

        assertThat(e.problems()).containsExactly("wal_level is 'replica' but logical decoding needs 'logical': set"
                + " wal_level = logical (postgresql.conf or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL");
        assertThat(e).hasMessageStartingWith("endpoint 'crm' cannot be captured:");
    }

    @Test
    void shouldNameTheMissingReplicationGrantAndEveryMissingTableAtOnce() {
        String url = TestPostgres.logical().createDatabase("grants");
        TestPostgres.execute(url, "CREATE ROLE plain_sync LOGIN", "CREATE TABLE account (id int PRIMARY KEY)");

        CapturePreconditionException e = catchThrowableOfType(CapturePreconditionException.class,
                () -> CapturePreconditions.verify(endpoint(url, "plain_sync"),
                        List.of(ref("crm.public.account"), ref("crm.public.contact"), ref("crm.sales.lead"))));

        assertThat(e.problems()).containsExactly(
                "user 'plain_sync' has neither the REPLICATION attribute nor superuser: as a superuser run"
                        + " ALTER ROLE \"plain_sync\" WITH REPLICATION",
                "table public.contact (mapped as crm.public.contact) does not exist in database " + database(url),
                "table sales.lead (mapped as crm.sales.lead) does not exist in database " + database(url),
                "user 'plain_sync' may not read public.account (needed for the snapshot): GRANT SELECT ON"
                        + " \"public\".\"account\" TO \"plain_sync\"",
                "publication 'dualsync_crm' does not exist and user 'plain_sync' may not create it: GRANT CREATE ON DATABASE \""
                        + database(url) + "\" TO \"plain_sync\", or create it as the tables' owner: CREATE PUBLICATION"
                        + " \"dualsync_crm\" FOR TABLE ...",
                "publication 'dualsync_crm' does not exist and user 'plain_sync' does not own public.account, which creating"
                        + " it requires: create the publication as the table owner (CREATE PUBLICATION \"dualsync_crm\" FOR TABLE ...)");
    }

    @Test
    void shouldNotAskForTableOwnershipWhenThePublicationAlreadyExists() {
        String url = TestPostgres.logical().createDatabase("prepub");
        TestPostgres.execute(url, "CREATE ROLE repl_sync LOGIN REPLICATION", "CREATE TABLE account (id int PRIMARY KEY)",
                "GRANT SELECT ON account TO repl_sync", "CREATE PUBLICATION dualsync_crm FOR TABLE account");

        assertThatCode(() -> CapturePreconditions.verify(endpoint(url, "repl_sync"), List.of(ref("crm.public.account"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldSayWhenTheDatabaseCannotBeReached() {
        Endpoint nowhere = postgres("crm", "jdbc:postgresql://localhost:1/crm", "sync", new Secret("pw", "test"));

        CapturePreconditionException e = catchThrowableOfType(CapturePreconditionException.class,
                () -> CapturePreconditions.verify(nowhere, List.of(ref("crm.public.account"))));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("cannot connect to endpoint 'crm' at jdbc:postgresql://localhost:1/crm as sync: ");
    }

    private static Endpoint endpoint(String url, String user) {
        return postgres("crm", url, user, null);
    }

    private static String database(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
