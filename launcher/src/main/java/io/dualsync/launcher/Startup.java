package io.dualsync.launcher;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.CatalogException;
import io.dualsync.catalog.JdbcCatalogReader;
import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;

import java.nio.file.Path;

/**
 * What every command does before anything runs: load the YAML file (every problem reported
 * together, with file, line and key), read the mapped tables from the live databases, and
 * check the maps against them. Any problem stops the start with the full list.
 */
public final class Startup {

    private Startup() {
    }

    /** A loaded config and the live catalog it was checked against. */
    public record Checked(SyncConfig config, Catalog catalog) {
    }

    /**
     * @throws StartupException listing every problem found; nothing has been started then
     */
    public static Checked loadAndCheck(Path configFile) {
        SyncConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage(), e);
        }
        Catalog catalog;
        try {
            catalog = JdbcCatalogReader.readValidated(config, JdbcCatalogReader::connect);
        } catch (CatalogException e) {
            throw new StartupException("The live databases do not fit " + configFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException("Could not read the mapped tables from the databases of " + configFile
                    + ": " + e.getMessage(), e);
        }
        return new Checked(config, catalog);
    }

    /** A start refused before anything ran; its message is meant for the user as it is. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
