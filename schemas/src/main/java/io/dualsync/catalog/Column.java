package io.dualsync.catalog;

/** One column of a table as read from the live database. */
public record Column(String name, SqlType type, boolean nullable) {
}
