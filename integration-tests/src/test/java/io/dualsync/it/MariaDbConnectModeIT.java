package io.dualsync.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kafka Connect mode between PostgreSQL and MariaDB ({@link AbstractConnectModeIT}): Debezium's
 * MariaDB connector on the Connect worker, its schema history in Kafka, dualsync's transactions
 * recognised by GTID.
 */
class MariaDbConnectModeIT extends AbstractConnectModeIT {

    private String database;

    @Override
    String createErp(String name, Path secrets) throws Exception {
        var mariadb = SharedInfrastructure.get().mariadb();
        database = name;
        String url = mariadb.createDatabase(name);
        erp = DriverManager.getConnection(url, mariadb.user(), mariadb.password());
        exec(erp, "create table customer (no int primary key, name text, credit decimal(38,10), since datetime(6), internal text)");
        Files.writeString(secrets.resolve("erp-password"), mariadb.password());
        return "{ kind: mariadb, url: \"" + url + "\", user: " + mariadb.user() + ", passwordFile: secrets/erp-password, serverId: "
                + ThreadLocalRandom.current().nextInt(10_000, 100_000) + ", timezone: UTC }";
    }

    @Override
    String erpTable() {
        return database + ".customer";
    }

    @Override
    String erpImageQuery() {
        return "select no, name, cast(credit as char), date_format(since, '%Y-%m-%d %H:%i:%s.%f') from customer";
    }

    @Override
    void dropErpCapture() {
        // a binlog reader leaves nothing behind in the server
    }
}
