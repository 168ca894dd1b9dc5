package io.dualsync.launcher.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One change the demo makes on the CRM and what the ERP must then show.
 *
 * @param description what is changed, for the console
 * @param onCrm       the change, committed on the CRM
 * @param onErp       empty when the ERP shows the expected result, else what still differs
 *                    (column names only: the demo prints it)
 */
public record DemoChange(String description, CrmAction onCrm, ErpCheck onErp) {

    @FunctionalInterface
    public interface CrmAction {
        void run(Connection crm) throws SQLException;
    }

    @FunctionalInterface
    public interface ErpCheck {
        /** Called before the CRM change, to note what must stay as it is. */
        default void before(Connection erp) throws SQLException {
        }

        Optional<String> mismatch(Connection erp) throws SQLException;
    }
}
