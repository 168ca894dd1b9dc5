package io.dualsync.it;

import io.dualsync.capture.CaptureService;

import java.nio.file.Path;
import java.sql.DriverManager;

/** Kafka Connect mode between two PostgreSQL databases ({@link AbstractConnectModeIT}). */
class ConnectModeIT extends AbstractConnectModeIT {

    @Override
    String createErp(String name, Path secrets) throws Exception {
        var postgres = SharedInfrastructure.get().postgres();
        String url = postgres.createDatabase(name);
        erp = DriverManager.getConnection(url, postgres.user(), null);
        exec(erp, "create table customer (no int primary key, name text, credit numeric(38,10), since timestamp(6), internal text)");
        java.nio.file.Files.writeString(secrets.resolve("erp-password"), "any: the embedded PostgreSQL trusts local users");
        return "{ kind: postgres, url: \"" + url + "\", user: " + postgres.user() + ", passwordFile: secrets/erp-password }";
    }

    @Override
    String erpTable() {
        return "public.customer";
    }

    @Override
    String erpImageQuery() {
        return "select no, name, credit::text, to_char(since, 'YYYY-MM-DD HH24:MI:SS.US') from customer";
    }

    @Override
    void dropErpCapture() {
        CaptureService.dropSlotAndPublication(checked.config().endpoint(erpName));
    }
}
