package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

import java.util.Map;

/**
 * Kafka Connect single-message transform that makes a Debezium source connector on a Connect
 * cluster write the raw records the embedded capture engine writes: it applies
 * {@link RawRecordTagger} (drops checkpoint markers, signaling-table events and records without
 * a value; sets {@link Headers#ORIGIN} and, where needed, {@link Headers#READ_POSITION}) and
 * replaces the connector's own headers with those, so loop suppression works the same in both
 * modes. {@code dualsync connect-config} configures it as the connector's only transform:
 *
 * <pre>
 * transforms=dualsync
 * transforms.dualsync.type=io.dualsync.capture.OriginTagging
 * transforms.dualsync.checkpoint.topic=dualsync.raw.crm.dualsync.apply_checkpoint
 * transforms.dualsync.signal.topic=dualsync.raw.crm.dualsync.debezium_signal
 * </pre>
 *
 * <p>Connect gives each task its own transform instance and feeds it the task's records in
 * order, which is what the tagger's state needs (a Debezium PostgreSQL or MariaDB connector has one
 * task). Headers are strings, written as UTF-8 by Connect's {@code SimpleHeaderConverter}.
 */
public final class OriginTagging implements Transformation<SourceRecord> {

    /** The topic of the endpoint's apply-checkpoint table; empty when no map writes to the endpoint. */
    public static final String CHECKPOINT_TOPIC = "checkpoint.topic";
    /** The topic of the endpoint's signaling table; empty when it has none. */
    public static final String SIGNAL_TOPIC = "signal.topic";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(CHECKPOINT_TOPIC, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                    "Debezium's topic of the endpoint's dualsync apply_checkpoint table: its changes mark dualsync's own"
                            + " transactions and are dropped. Empty: every change is the application's.")
            .define(SIGNAL_TOPIC, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Debezium's topic of the endpoint's signaling table, whose events are dropped. Empty: none.");

    private RawRecordTagger tagger;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG, configs);
        tagger = RawRecordTagger.of(blankToNull(config.getString(CHECKPOINT_TOPIC)), blankToNull(config.getString(SIGNAL_TOPIC)));
    }

    @Override
    public SourceRecord apply(SourceRecord record) {
        RawRecordTagger.Tag tag = tagger.tag(record);
        if (!tag.publish()) {
            return null; // Connect drops the record (and still commits its offset: see README, Kafka Connect mode)
        }
        ConnectHeaders headers = new ConnectHeaders();
        tag.headers().forEach(headers::addString);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
